package dev.jwg.cli.quick;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file: written step by step, read back unchanged, refused when damaged. */
class StateFileTest {
    @TempDir
    Path dir;

    private static final List<StateFile.Entry> ENTRIES = List.of(
            new StateFile.Entry("/opt/jwg/bin/jwgd wu0", Optional.of(Undo.of(Undo.Kind.LINK, "ip", "link", "delete", "dev", "wu0"))),
            new StateFile.Entry("wg addconf wu0 <(jwg strip wu0)", Optional.empty()),
            new StateFile.Entry("ip -4 rule add not fwmark 51820 table 51820",
                    Optional.of(Undo.of(Undo.Kind.RULE, "ip", "-4", "rule", "delete", "not", "fwmark", "51820", "table", "51820"))),
            new StateFile.Entry("resolvconf -a tun.wu0 -m 0 -x", Optional.of(Undo.of(Undo.Kind.DNS, "resolvconf", "-d", "tun.wu0", "-f"))),
            new StateFile.Entry("echo\ta hook with a tab", Optional.empty()),
            new StateFile.Entry("nft -f /dev/stdin", Optional.of(Undo.of(Undo.Kind.FIREWALL, "nft", "delete", "table", "ip", "wg-quick-wu0"))));

    @Test
    void roundTrip() throws IOException {
        StateFile states = new StateFile(dir.resolve("jwg"));
        try (StateFile.Journal j = states.create("wu0", "net:[4026531840]", StateFile.Mode.WG_QUICK,
                Path.of("/etc/wireguard/wu0.conf"))) {
            for (StateFile.Entry e : ENTRIES) {
                j.record(e);
            }
            j.complete();
        }
        StateFile.State s = states.read("wu0").orElseThrow();
        assertThat(s.ifname()).isEqualTo("wu0");
        assertThat(s.netns()).isEqualTo("net:[4026531840]");
        assertThat(s.mode()).isEqualTo(StateFile.Mode.WG_QUICK);
        assertThat(s.config()).isEqualTo(Path.of("/etc/wireguard/wu0.conf"));
        assertThat(s.complete()).isTrue();
        assertThat(s.entries().get(4).did()).isEqualTo("echo a hook with a tab"); // one line, one field
        assertThat(s.entries()).hasSize(ENTRIES.size());
        for (int i = 0; i < ENTRIES.size(); i++) {
            assertThat(s.entries().get(i).undo()).isEqualTo(ENTRIES.get(i).undo());
        }
        assertThat(StateFile.format(s)).isEqualTo(Files.readString(states.path("wu0")));
        assertThat(Files.readString(states.path("wu0"))).isEqualTo("""
                # jwg: what 'jwg up' did to wu0; 'jwg down wu0' undoes it. Do not edit.
                version	1
                interface	wu0
                netns	net:[4026531840]
                mode	wg-quick
                config	/etc/wireguard/wu0.conf
                did	/opt/jwg/bin/jwgd wu0
                undo	link	ip link delete dev wu0
                did	wg addconf wu0 <(jwg strip wu0)
                did	ip -4 rule add not fwmark 51820 table 51820
                undo	rule	ip -4 rule delete not fwmark 51820 table 51820
                did	resolvconf -a tun.wu0 -m 0 -x
                undo	dns	resolvconf -d tun.wu0 -f
                did	echo a hook with a tab
                did	nft -f /dev/stdin
                undo	firewall	nft delete table ip wg-quick-wu0
                complete
                """);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(states.path("wu0")))).isEqualTo("rw-------");
        assertThat(s.undos()).extracting(Undo::kind)
                .containsExactly(Undo.Kind.LINK, Undo.Kind.RULE, Undo.Kind.DNS, Undo.Kind.FIREWALL);
        states.delete("wu0");
        assertThat(states.read("wu0")).isEmpty();
    }

    @Test
    void anInterruptedUpIsReadableAndIncomplete() throws IOException {
        StateFile states = new StateFile(dir);
        try (StateFile.Journal j = states.create("wn0", "", StateFile.Mode.NETWORKD, Path.of("/etc/systemd/network/80-wn0.netdev"))) {
            j.record(ENTRIES.getFirst());
        }
        StateFile.State s = states.read("wn0").orElseThrow();
        assertThat(s.complete()).isFalse();
        assertThat(s.mode()).isEqualTo(StateFile.Mode.NETWORKD);
        assertThat(s.undos()).containsExactly(ENTRIES.getFirst().undo().orElseThrow());
    }

    @Test
    void damagedFilesAreRefused() {
        Path p = Path.of("/run/jwg/x.state");
        assertThatThrownBy(() -> StateFile.parse("version\t1\ninterface\tx\n", p)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a jwg state file");
        assertThatThrownBy(() -> StateFile.parse("version\t1\nfrobnicate\tx\n", p)).isInstanceOf(IOException.class)
                .hasMessageContaining(":2: unknown item 'frobnicate'");
        assertThatThrownBy(() -> StateFile.parse("version\t1\nundo\trule\tip rule delete\n", p))
                .isInstanceOf(IOException.class).hasMessageContaining("undo without a step");
        assertThatThrownBy(() -> StateFile.parse("version\t1\ndid\tx\nundo\tteleport\tip x\n", p))
                .isInstanceOf(IOException.class).hasMessageContaining(":3: malformed line");
        assertThatThrownBy(() -> StateFile.parse("version\t1\ndid\tx\nundo\trule\tip  rule\n", p))
                .isInstanceOf(IOException.class);
    }

    @Test
    void undoWordsMustBeTokens() {
        assertThatThrownBy(() -> Undo.of(Undo.Kind.RULE, "ip", "rule", "delete", "table main"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Undo(Undo.Kind.DNS, SysCommand.of("resolvconf").withStdin("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLockIsTakenAgainOnceReleasedAndNamesItsHolder() throws IOException {
        try (StateFile.InterfaceLock held = new StateFile(dir).lock("wu0", m -> {
            throw new AssertionError("nobody holds it: " + m);
        })) {
            Path f = dir.resolve("locks/wu0.lock");
            assertThat(new StateFile(dir).lockDirectory()).isEqualTo(dir.resolve("locks"));
            assertThat(Files.readString(f).trim()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            held.close(); // closing twice is harmless
        }
        try (StateFile.InterfaceLock again = new StateFile(dir).lock("wu0", m -> {
            throw new AssertionError("released: " + m);
        }); StateFile.InterfaceLock other = new StateFile(dir).lock("wu1", m -> {
            throw new AssertionError("another interface: " + m);
        })) {
            assertThat(dir.resolve("locks/wu1.lock")).exists();
        }
    }

    @Test
    void aSecondProcessWaitsUntilTheFirstLetsGo() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dir.toString(), "wu0").redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(r.readLine()).isEqualTo("locked");
            CountDownLatch told = new CountDownLatch(1);
            String[] message = new String[1];
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try (StateFile.InterfaceLock held = new StateFile(dir).lock("wu0", m -> {
                    message[0] = m;
                    told.countDown();
                })) {
                    assertThat(told.getCount()).isZero();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(told.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(message[0]).isEqualTo("another jwg command (pid " + holder.pid() + ") is changing wu0; waiting for it to finish");
            assertThat(second).isNotDone();
            holder.getOutputStream().close();
            second.get(60, TimeUnit.SECONDS);
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }
}
