package dev.jwg.cli.quick;

import static dev.jwg.cli.quick.TestConfigs.PRIV_A;
import static dev.jwg.cli.quick.TestConfigs.PUB_B;
import static dev.jwg.cli.quick.TestConfigs.facts;
import static dev.jwg.cli.quick.TestConfigs.wgQuick;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.config.model.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running plans: the journal, rollback in exact reverse order, and down's order. */
class ExecutorTest {
    private static final String FULL = """
            [Interface]
            PrivateKey = %s
            Address = 10.0.0.2/32, fd00::2/128
            DNS = 10.0.0.53
            PostUp = echo up %%i
            PostUp = false

            [Peer]
            PublicKey = %s
            AllowedIPs = 0.0.0.0/0, ::/0
            Endpoint = 192.0.2.1:51820
            """.formatted(PRIV_A, PUB_B);

    @TempDir
    Path dir;
    private StateFile states;
    private FakeHost host;
    private ByteArrayOutputStream errBytes;
    private Executor ex;

    @BeforeEach
    void setUp() {
        states = new StateFile(dir);
        host = new FakeHost();
        errBytes = new ByteArrayOutputStream();
        ex = new Executor(host, new PrintStream(errBytes, true, StandardCharsets.UTF_8), Map.of("INTERFACE", "wu0"));
    }

    private Plan plan() throws Exception {
        return WgQuickPlanner.plan(wgQuick("wu0.conf", FULL), "wu0.conf", facts());
    }

    private boolean up(Plan p) throws IOException {
        return ex.up(p, states.create("wu0", "net:[1]", StateFile.Mode.WG_QUICK, Path.of("/etc/wireguard/wu0.conf")),
                states, false);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFailingPostUpHookUndoesEverythingInExactReverseOrder() throws Exception {
        host.fails = s -> s.equals("hook: false");
        assertThat(up(plan())).isFalse();
        int failed = host.log.indexOf("hook: false");
        assertThat(host.log.subList(failed + 1, host.log.size())).containsExactly(
                "nft delete table ip wg-quick-wu0",
                "ip -4 rule delete table main suppress_prefixlength 0",
                "ip -4 rule delete not fwmark 51820 table 51820",
                "nft delete table ip6 wg-quick-wu0",
                "ip -6 rule delete table main suppress_prefixlength 0",
                "ip -6 rule delete not fwmark 51820 table 51820",
                "resolvconf -d tun.wu0 -f",
                "ip link delete dev wu0");
        assertThat(err()).contains("[#] false\n[!] 'false' failed with exit status 1; undoing what was done\n"
                + "[#] nft delete table ip wg-quick-wu0\n");
        assertThat(err()).endsWith("[#] ip link delete dev wu0\n");
        assertThat(states.exists("wu0")).isFalse();
    }

    @Test
    void aFailureHalfWayUndoesOnlyWhatWasDone() throws Exception {
        host.fails = s -> s.equals("ip -6 rule add table main suppress_prefixlength 0");
        assertThat(up(plan())).isFalse();
        int failed = host.log.indexOf("ip -6 rule add table main suppress_prefixlength 0");
        assertThat(host.log.subList(failed + 1, host.log.size())).containsExactly(
                "ip -6 rule delete not fwmark 51820 table 51820",
                "resolvconf -d tun.wu0 -f",
                "ip link delete dev wu0");
        assertThat(states.exists("wu0")).isFalse();
    }

    @Test
    void aRefusedUapiRequestDeletesTheLink() throws Exception {
        host.fails = s -> s.startsWith("uapi set wu0: private_key=");
        assertThat(up(plan())).isFalse();
        assertThat(host.log).hasSize(3);
        assertThat(host.log.get(0)).isEqualTo("jwgd wu0");
        assertThat(host.log.get(2)).isEqualTo("ip link delete dev wu0");
        assertThat(err()).contains("[!] wg addconf wu0 <(jwg strip wu0.conf): refused by the daemon (EINVAL); undoing what was done");
    }

    @Test
    void aDaemonThatDoesNotStartLeavesNothingToUndo() throws Exception {
        host.fails = s -> s.equals("jwgd wu0");
        assertThat(up(plan())).isFalse();
        assertThat(host.log).containsExactly("jwgd wu0");
        assertThat(states.exists("wu0")).isFalse();
    }

    @Test
    void successRecordsEveryStepAndDownUndoesInWgQuicksOrder() throws Exception {
        Plan p = WgQuickPlanner.plan(wgQuick("wu0.conf", FULL.replace("PostUp = false\n", "")), "wu0.conf", facts());
        assertThat(up(p)).isTrue();
        StateFile.State s = states.read("wu0").orElseThrow();
        assertThat(s.complete()).isTrue();
        assertThat(s.entries()).hasSize(p.steps().size());
        assertThat(s.entries().stream().map(StateFile.Entry::did).toList())
                .isEqualTo(p.lines().stream().map(l -> l.substring(4)).toList());

        host.log.clear();
        assertThat(ex.undoAll(s, Executor.LinkPlace.HERE)).isTrue();
        assertThat(host.log).containsExactly(
                "ip -4 rule delete table main suppress_prefixlength 0",
                "ip -4 rule delete not fwmark 51820 table 51820",
                "ip -6 rule delete table main suppress_prefixlength 0",
                "ip -6 rule delete not fwmark 51820 table 51820",
                "ip link delete dev wu0",
                "resolvconf -d tun.wu0 -f",
                "nft delete table ip wg-quick-wu0",
                "nft delete table ip6 wg-quick-wu0");
    }

    @Test
    void downGoesOnAfterAFailedUndoAndSkipsAVanishedLink() throws Exception {
        Plan p = WgQuickPlanner.plan(wgQuick("wu0.conf", FULL.replace("PostUp = false\n", "")), "wu0.conf", facts());
        assertThat(up(p)).isTrue();
        StateFile.State s = states.read("wu0").orElseThrow();
        host.log.clear();
        host.fails = s2 -> s2.equals("ip -4 rule delete not fwmark 51820 table 51820");
        assertThat(ex.undoAll(s, Executor.LinkPlace.GONE)).isFalse();
        assertThat(host.log).hasSize(7).doesNotContain("ip link delete dev wu0").endsWith("nft delete table ip6 wg-quick-wu0");
        assertThat(err()).contains("[!] wu0 is already gone")
                .contains("[!] 'ip -4 rule delete not fwmark 51820 table 51820' failed with exit status 1; going on");
    }

    @Test
    void aLinkMovedToAnotherNamespaceIsRemovedByStoppingItsDaemon() throws Exception {
        Plan p = WgQuickPlanner.plan(wgQuick("wu0.conf", FULL.replace("PostUp = false\n", "")), "wu0.conf", facts());
        assertThat(up(p)).isTrue();
        StateFile.State s = states.read("wu0").orElseThrow();
        host.log.clear();
        assertThat(ex.undoAll(s, Executor.LinkPlace.ELSEWHERE)).isTrue();
        assertThat(host.log).doesNotContain("ip link delete dev wu0").contains("stop daemon wu0")
                .containsSubsequence("ip -6 rule delete not fwmark 51820 table 51820", "stop daemon wu0",
                        "resolvconf -d tun.wu0 -f");
        assertThat(err()).contains("[!] wu0 is in another network namespace; stopping its daemon removes it there\n"
                + "[#] rm -f /var/run/wireguard/wu0.sock\n");

        host.log.clear();
        host.fails = l -> l.equals("stop daemon wu0");
        assertThat(ex.undoAll(s, Executor.LinkPlace.ELSEWHERE)).isFalse();
        assertThat(host.log).endsWith("nft delete table ip6 wg-quick-wu0");
        assertThat(err()).contains("[!] the daemon of wu0 did not exit within 10 s; going on");
    }

    @Test
    void downOrderSortsByKindKeepingReverseOrderWithinAKind() {
        Undo link = Undo.of(Undo.Kind.LINK, "ip", "link", "delete", "dev", "wn0");
        Undo route = Undo.of(Undo.Kind.ROUTE, "ip", "-4", "route", "delete", "blackhole", "0.0.0.0/0");
        Undo rule1 = Undo.of(Undo.Kind.RULE, "ip", "-4", "rule", "delete", "priority", "1");
        Undo rule2 = Undo.of(Undo.Kind.RULE, "ip", "-6", "rule", "delete", "priority", "2");
        assertThat(Executor.downOrder(List.of(link, route, rule1, rule2))).containsExactly(rule2, rule1, route, link);
    }

    @Test
    void downHooksStopAtTheFirstFailureAsSetEDoes() {
        host.fails = s -> s.equals("hook: false");
        assertThat(ex.runAll("wu0", WgQuickPlanner.hooks(List.of("echo %i", "false", "echo never"), "wu0"))).isFalse();
        assertThat(host.log).containsExactly("hook: echo wu0", "hook: false");
    }

    @Test
    void aStateThatCannotBeCreatedTwice() throws Exception {
        try (StateFile.Journal j = states.create("wu0", "net:[1]", StateFile.Mode.WG_QUICK, Path.of("/x/wu0.conf"))) {
            assertThat(Files.exists(j.path())).isTrue();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> states.create("wu0", "net:[1]", StateFile.Mode.WG_QUICK, Path.of("/x/wu0.conf")))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }
}
