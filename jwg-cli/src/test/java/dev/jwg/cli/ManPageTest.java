package dev.jwg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The man page jwg(8) (src/package/man, written by hand in the manner of wg(8)) keeps up with the
 * commands: every subcommand picocli knows has its entry under COMMANDS, with every long option.
 */
class ManPageTest {

    @Test
    void everyCommandAndOptionIsInTheManPage() throws IOException {
        String page = Files.readString(Path.of("src/package/man/jwg.8"));
        String commands = page.substring(page.indexOf(".SH COMMANDS"), page.indexOf(".SH CONFIGURATION FILE FORMAT"));
        Map<String, CommandLine> subcommands = new CommandLine(new JwgMain()).getSubcommands();
        for (Map.Entry<String, CommandLine> e : subcommands.entrySet()) {
            assertThat(commands).as("jwg.8 describes " + e.getKey()).contains("\\fB" + e.getKey() + "\\fP");
            for (OptionSpec o : e.getValue().getCommandSpec().options()) {
                if (!o.usageHelp() && !o.versionHelp()) {
                    assertThat(commands).as("jwg.8 describes " + e.getKey() + " " + o.longestName())
                            .contains("\\fB" + o.longestName().replace("-", "\\-") + "\\fP");
                }
            }
        }
    }
}
