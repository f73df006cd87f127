package dev.jwg.cli.wg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.cli.JwgMain;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code wg} subcommands run the same with and without picocli ({@code JwgMain}'s fast path). */
class WgCommandsTest {

    @Test
    void everyWgSubcommandPicocliKnowsRunsDirectlyAndNothingElseDoes() {
        Map<String, CommandLine> subcommands = new CommandLine(new JwgMain()).getSubcommands();
        assertThat(subcommands).containsKeys("show", "showconf", "set", "setconf", "addconf", "syncconf", "genkey", "genpsk",
                "pubkey", "up", "demo");
        for (Map.Entry<String, CommandLine> e : subcommands.entrySet()) {
            boolean wg = e.getValue().getCommand() instanceof WgCommands.Raw;
            Fixtures.Run run = new Fixtures.Run();
            OptionalInt status = WgCommands.runDirect(e.getKey(), List.of("--no-such-option"), run.context());
            assertThat(status.isPresent()).as(e.getKey()).isEqualTo(wg);
        }
    }

    @Test
    void argumentsReachTheCommandVerbatimAsThroughPicocli() {
        Fixtures.Run direct = new Fixtures.Run(new Fixtures.FakeUapi().add("wg0", Fixtures.wg0()));
        assertThat(WgCommands.runDirect("show", List.of("wg0", "dump"), direct.context())).hasValue(0);
        Fixtures.Run viaPicocli = new Fixtures.Run(new Fixtures.FakeUapi().add("wg0", Fixtures.wg0()));
        WgCommands.Show show = new WgCommands.Show();
        new CommandLine(show).parseArgs("wg0", "dump");
        assertThat(show.run(viaPicocli.context(), show.argv())).isEqualTo(0);
        assertThat(direct.out.toString()).isNotEmpty().isEqualTo(viaPicocli.out.toString());
    }
}
