package dev.jwg.cli.wg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.linux.Errno;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code show}/{@code showconf} as commands: what goes where, and the exit status. */
class WgShowTest {
    private static int show(Fixtures.Run run, String... args) {
        return WgShow.show(run.context(), List.of(args));
    }

    private static Fixtures.Run twoDevices() {
        Fixtures.Run run = new Fixtures.Run();
        run.uapi.add("wgb", Fixtures.empty()).add("wga", Fixtures.empty());
        return run;
    }

    @Test
    void allInListOrderSeparatedByBlankLines() {
        Fixtures.Run run = twoDevices();
        assertThat(show(run)).isZero();
        assertThat(run.out()).isEqualTo("interface: wgb\n\ninterface: wga\n");
        Fixtures.Run all = twoDevices();
        assertThat(show(all, "all")).isZero();
        assertThat(all.out()).isEqualTo(run.out());
    }

    @Test
    void allWithAField() {
        Fixtures.Run run = twoDevices();
        assertThat(show(run, "all", "listen-port")).isZero();
        assertThat(run.out()).isEqualTo("wgb\t0\nwga\t0\n");
    }

    @Test
    void allSkipsDevicesThatFail() {
        Fixtures.Run run = twoDevices();
        run.uapi.failing.put("wgb", Errno.EPROTO);
        assertThat(show(run)).isZero();
        assertThat(run.out()).isEqualTo("interface: wga\n");
        assertThat(run.err()).isEqualTo("Unable to access interface wgb: Protocol error\n");
        run.uapi.failing.put("wga", Errno.ECONNREFUSED);
        Fixtures.Run again = new Fixtures.Run(run.uapi);
        assertThat(show(again)).isOne(); // none could be read
    }

    @Test
    void allWithoutInterfacesPrintsNothing() {
        Fixtures.Run run = new Fixtures.Run();
        assertThat(show(run)).isZero();
        assertThat(show(run, "all", "dump")).isZero();
        assertThat(show(run, "interfaces")).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void interfaces() {
        Fixtures.Run run = twoDevices();
        assertThat(show(run, "interfaces")).isZero();
        assertThat(run.out()).isEqualTo("wgb wga\n");
        assertThat(show(run, "interfaces", "x")).isOne();
        assertThat(run.err()).startsWith("Usage: wg show { <interface> | all | interfaces }");
    }

    @Test
    void invalidField() {
        Fixtures.Run run = twoDevices();
        assertThat(show(run, "wga", "bogus")).isOne();
        assertThat(run.err()).startsWith("Invalid parameter: `bogus'\nUsage: wg show ");
        Fixtures.Run all = twoDevices();
        assertThat(show(all, "all", "bogus")).isOne();
        assertThat(all.err().lines().filter(l -> l.startsWith("Invalid")).count()).isOne(); // stops at the first
    }

    @Test
    void missingInterface() {
        Fixtures.Run run = twoDevices();
        assertThat(show(run, "nope")).isOne();
        assertThat(run.err()).isEqualTo("Unable to access interface: No such device\n");
        assertThat(run.out()).isEmpty();
        assertThat(WgShow.showConf(run.context(), List.of("nope"))).isOne();
        assertThat(run.err()).endsWith("Unable to access interface: No such device\n");
    }

    @Test
    void usageAndHelp() {
        Fixtures.Run run = twoDevices();
        assertThat(show(run, "a", "b", "c")).isOne();
        assertThat(show(run, "help")).isZero();
        assertThat(show(run, "--help")).isZero();
        assertThat(run.err().lines().count()).isEqualTo(3);
        assertThat(WgShow.showConf(run.context(), List.of())).isOne();
        assertThat(run.err()).endsWith("Usage: wg showconf <interface>\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void colourOnATerminalOrWhenForced() {
        Fixtures.Run tty = twoDevices();
        tty.terminal = true;
        assertThat(show(tty, "wga")).isZero();
        assertThat(tty.out()).startsWith("\u001b[0m\u001b[32m\u001b[1minterface");
        Fixtures.Run never = twoDevices();
        never.terminal = true;
        never.env.put("WG_COLOR_MODE", "never");
        show(never, "wga");
        assertThat(never.out()).isEqualTo("interface: wga\n");
        Fixtures.Run always = twoDevices();
        always.env.put("WG_COLOR_MODE", "always");
        show(always, "wga");
        assertThat(always.out()).startsWith("\u001b[0m");
    }

    @Test
    void hideKeys() {
        Fixtures.Run run = new Fixtures.Run();
        run.uapi.add("wg0", Fixtures.wg0());
        show(run, "wg0");
        assertThat(run.out()).contains("private key: (hidden)");
        Fixtures.Run never = new Fixtures.Run(run.uapi);
        never.env.put("WG_HIDE_KEYS", "never");
        show(never, "wg0");
        assertThat(never.out()).contains("private key: " + Fixtures.ALICE_PRIVATE);
        Fixtures.Run always = new Fixtures.Run(run.uapi);
        always.env.put("WG_HIDE_KEYS", "always");
        show(always, "wg0");
        assertThat(always.out()).contains("private key: (hidden)");
    }

    @Test
    void json() {
        Fixtures.Run run = twoDevices();
        assertThat(show(run, "--json")).isZero();
        assertThat(run.out()).startsWith("[\n  {\n    \"interface\": \"wgb\",").endsWith("\n]\n");
        Fixtures.Run one = twoDevices();
        assertThat(show(one, "wga", "--json")).isZero();
        assertThat(one.out()).startsWith("{\n  \"interface\": \"wga\",").endsWith("\"peers\": []\n}\n");
        Fixtures.Run names = twoDevices();
        assertThat(show(names, "interfaces", "--json")).isZero();
        assertThat(names.out()).isEqualTo("[\"wgb\", \"wga\"]\n");
        Fixtures.Run bad = twoDevices();
        assertThat(show(bad, "wga", "nonsense", "--json")).isOne();
        Fixtures.Run field = twoDevices();
        assertThat(show(field, "wga", "transfer", "--json")).isZero();
        assertThat(field.out()).isEqualTo("{\n  \"interface\": \"wga\",\n  \"peers\": []\n}\n");
    }
}
