package dev.jwg.cli.quick;

import static dev.jwg.cli.quick.TestConfigs.PRIV_A;
import static dev.jwg.cli.quick.TestConfigs.PSK;
import static dev.jwg.cli.quick.TestConfigs.PUB_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.config.KeyText;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.wgquick.EndpointResolver;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.routing.IpPrefix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code up}, {@code down}, {@code save} and {@code strip} end to end on a recording host. */
class QuickTest {
    @TempDir
    Path dir;
    private FakeHost host;
    private StateFile states;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;
    private Quick quick;
    private boolean root = true;

    @BeforeEach
    void setUp() throws IOException {
        host = new FakeHost();
        states = new StateFile(dir.resolve("run"));
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        quick = new Quick(host, states, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), EndpointResolver.numericOnly(), () -> List.of("jwgd"),
                () -> root);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    private static final String CONF = """
            [Interface]
            PrivateKey = %s
            Address = 10.0.0.2/24
            PreDown = echo bye %%i
            # a comment strip keeps
            [Peer]
            PublicKey = %s
            AllowedIPs = 10.0.0.0/24, 10.9.0.0/16
            Endpoint = 192.0.2.1:51820
            """.formatted(PRIV_A, PUB_B);

    @Test
    void upThenDownByBareName() throws Exception {
        Path conf = write("wu0.conf", CONF);
        assertThat(quick.up(conf.toString())).isZero();
        assertThat(host.log).containsExactly(
                "jwgd wu0",
                "uapi set wu0: private_key=" + KeyText.priv(PRIV_A).toHex() + "\\npublic_key="
                        + KeyText.pub(PUB_B).toHex()
                        + "\\nendpoint=192.0.2.1:51820\\nreplace_allowed_ips=true\\nallowed_ip=10.0.0.0/24\\nallowed_ip=10.9.0.0/16\\n",
                "ip -4 address add 10.0.0.2/24 dev wu0",
                "ip link set mtu 1420 up dev wu0",
                "ip -4 route add 10.9.0.0/16 dev wu0");
        StateFile.State s = states.read("wu0").orElseThrow();
        assertThat(s.complete()).isTrue();
        assertThat(s.config()).isEqualTo(conf.toRealPath());
        assertThat(s.netns()).isEqualTo(SystemProbe.netns());

        host.log.clear();
        host.queries.put("ip link show dev wu0", new Host.Output(0, "5: wu0: <POINTOPOINT,UP> mtu 1420\n"));
        assertThat(quick.down("wu0")).isZero();
        assertThat(host.log).containsExactly("hook: echo bye wu0", "ip link delete dev wu0");
        assertThat(states.exists("wu0")).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).endsWith("[#] echo bye wu0\n[#] ip link delete dev wu0\n");
    }

    @Test
    void upAfterAKilledDaemonUndoesWhatItLeftThenComesUp() throws Exception {
        Path conf = write("wu0.conf", CONF);
        try (StateFile.Journal j = states.create("wu0", SystemProbe.netns(), StateFile.Mode.WG_QUICK, conf)) {
            j.record(new StateFile.Entry("jwgd wu0", Optional.of(Undo.of(Undo.Kind.LINK, "ip", "link", "delete", "dev", "wu0"))));
            j.record(new StateFile.Entry("ip -4 rule add not fwmark 51820 table 51820",
                    Optional.of(Undo.of(Undo.Kind.RULE, "ip", "-4", "rule", "delete", "not", "fwmark", "51820", "table", "51820"))));
        }
        // The link went with the daemon (kill -9), the rule stayed.
        assertThat(quick.up(conf.toString())).isZero();
        assertThat(host.log.subList(0, 2)).containsExactly("ip -4 rule delete not fwmark 51820 table 51820", "jwgd wu0");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("[!] " + states.path("wu0") + " remains from a 'jwg up' whose daemon is gone (killed?); "
                        + "undoing what is left of it\n")
                .contains("[!] wu0 is already gone\n");
        StateFile.State s = states.read("wu0").orElseThrow();
        assertThat(s.complete()).isTrue();
        assertThat(s.undos()).hasSize(1).allMatch(u -> u.kind() == Undo.Kind.LINK);
    }

    @Test
    void aStateFromANamespaceThatIsGoneBlocksNothing() throws Exception {
        Path conf = write("wu0.conf", CONF);
        states.create("wu0", "net:[1]", StateFile.Mode.WG_QUICK, conf).close(); // no namespace has inode 1
        assertThat(quick.up(conf.toString())).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("[!] " + states.path("wu0")
                + " remains from a 'jwg up' in a network namespace that no longer exists (net:[1]); removing it\n");
        assertThat(host.log.getFirst()).isEqualTo("jwgd wu0");
        assertThat(states.read("wu0").orElseThrow().netns()).isEqualTo(SystemProbe.netns());

        states.delete("wu0");
        states.create("wu0", "net:[1]", StateFile.Mode.WG_QUICK, conf).close();
        host.log.clear();
        assertThat(quick.down("wu0")).isZero();
        assertThat(host.log).isEmpty();
        assertThat(states.exists("wu0")).isFalse();
    }

    @Test
    void upIsRefusedWhenTheLinkExistsOrNotRoot() throws Exception {
        Path conf = write("wu0.conf", CONF);
        host.queries.put("ip link show dev wu0", new Host.Output(0, "5: wu0: <UP>\n"));
        assertThatThrownBy(() -> quick.up(conf.toString())).isInstanceOf(QuickException.class)
                .hasMessage("`wu0' already exists");
        host.queries.clear();
        root = false;
        assertThatThrownBy(() -> quick.up(conf.toString())).isInstanceOf(QuickException.class)
                .hasMessageStartingWith("must be run as root");
        assertThat(host.log).isEmpty();
    }

    @Test
    void aConfigErrorTouchesNothing() throws Exception {
        Path conf = write("wu0.conf", CONF.replace("Address = 10.0.0.2/24", "Address = 10.0.0.2/24\nMTU = 20"));
        assertThatThrownBy(() -> quick.up(conf.toString())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("wu0.conf:4: MTU: ");
        assertThat(host.log).isEmpty();
        assertThat(states.exists("wu0")).isFalse();
        assertThatThrownBy(() -> quick.up(dir.resolve("nothere.conf").toString())).isInstanceOf(QuickException.class)
                .hasMessage("`" + dir.resolve("nothere.conf") + "' does not exist");
    }

    @Test
    void downByNetdevPathFindsTheStateEvenIfAKeyFileIsGone() throws Exception {
        Path key = write("wn0.key", PRIV_A + "\n");
        Path netdev = write("80-wn0.netdev", """
                [NetDev]
                Name=wn0
                Kind=wireguard
                [WireGuard]
                PrivateKeyFile=%s
                """.formatted(key));
        write("85-wn0.network", "[Match]\nName=wn0\n[RoutingPolicyRule]\nFrom=10.1.0.0/16\nTable=7\n");
        assertThat(quick.up(netdev.toString())).isZero();
        assertThat(host.log).containsExactly("jwgd wu0".replace("wu0", "wn0"),
                "uapi set wn0: private_key=" + KeyText.priv(PRIV_A).toHex() + "\\n",
                "sysctl -q -e -w net.ipv6.conf.wn0.addr_gen_mode=1", "sysctl -q -e -w net.ipv6.conf.wn0.accept_ra=0",
                "ip link set up dev wn0", "ip -4 rule add from 10.1.0.0/16 lookup 7");
        Files.delete(key);
        host.log.clear();
        assertThat(quick.down(netdev.toString())).isZero();
        assertThat(host.log).containsExactly("ip -4 rule delete from 10.1.0.0/16 lookup 7");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("[!] wn0 is already gone");
        assertThat(states.exists("wn0")).isFalse();
    }

    private static final String MOVED = """
            [Interface]
            PrivateKey = %s
            ListenPort = 51001
            Table = off
            SaveConfig = true
            PostUp = ip link set %%i netns private
            PostUp = ip -n private address add 10.255.1.0/31 dev %%i
            [Peer]
            PublicKey = %s
            AllowedIPs = 0.0.0.0/0, ::/0
            Endpoint = [2001:db8:0:b::2]:51001
            """.formatted(PRIV_A, PUB_B);

    private static DeviceSnapshot daemonOf(String endpoint) {
        return new DeviceSnapshot(Optional.of(KeyText.priv(PRIV_A)), 51001, 0, List.of(new dev.jwg.config.uapi.PeerSnapshot(
                KeyText.pub(PUB_B), PresharedKey.ZERO, Optional.of(endpoint), 0, 0, 0, 0, 0,
                List.of(IpPrefix.parseAsWritten("0.0.0.0/0")))));
    }

    @Test
    void aLinkMovedToAnotherNamespaceByPostUpIsTakenDownThroughItsDaemon() throws Exception {
        Path conf = write("wu0.conf", MOVED);
        assertThat(quick.up(conf.toString())).isZero();
        assertThat(host.log).contains("hook: ip link set wu0 netns private").doesNotContain("ip link delete dev wu0");

        // the link is no longer in this namespace, but its daemon (and UDP socket) are
        host.log.clear();
        host.device = daemonOf("[2001:db8:0:b::2]:51001");
        assertThatThrownBy(() -> quick.up(conf.toString())).isInstanceOf(QuickException.class)
                .hasMessage("`wu0' already exists (its daemon answers on /var/run/wireguard/wu0.sock; "
                        + "the interface is in another network namespace)");
        assertThat(host.log).isEmpty();

        assertThat(quick.down("wu0")).isZero();
        assertThat(host.log).containsExactly("stop daemon wu0");
        assertThat(states.exists("wu0")).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("[!] wu0 is in another network namespace; its Address and MTU lines are kept as they are\n")
                .contains("[#] wg showconf wu0\n")
                .endsWith("[!] wu0 is in another network namespace; stopping its daemon removes it there\n"
                        + "[#] rm -f /var/run/wireguard/wu0.sock\n");
        assertThat(Files.readString(conf)).startsWith("""
                [Interface]
                Table = off
                SaveConfig = true
                PostUp = ip link set %i netns private
                PostUp = ip -n private address add 10.255.1.0/31 dev %i
                ListenPort = 51001
                """);
    }

    @Test
    void downOfALinkThatIsGoneWithItsDaemonOnlyCleansUp() throws Exception {
        Path conf = write("wu0.conf", MOVED.replace("SaveConfig = true\n", ""));
        assertThat(quick.up(conf.toString())).isZero();
        host.log.clear();
        assertThat(quick.down("wu0")).isZero();
        assertThat(host.log).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).endsWith("[!] wu0 is already gone\n");
        assertThat(states.exists("wu0")).isFalse();
    }

    @Test
    void downWithoutStateIsRefused() {
        assertThatThrownBy(() -> quick.down("wu7")).isInstanceOf(QuickException.class)
                .hasMessage("`wu7' was not brought up by jwg (no " + states.path("wu7") + ")");
    }

    @Test
    void saveRewritesTheFileUpUsedFromTheLiveInterface() throws Exception {
        Path conf = write("wu0.conf", CONF);
        assertThat(quick.up(conf.toString())).isZero();
        host.queries.put("ip -o address show dev wu0", new Host.Output(0, """
                5: wu0    inet 10.0.0.2/24 scope global wu0\\       valid_lft forever preferred_lft forever
                5: wu0    inet6 fe80::1234:5678:9abc:def0/64 scope link stable-privacy \\       valid_lft forever
                """));
        PresharedKey psk = KeyText.psk(PSK);
        host.device = new DeviceSnapshot(Optional.of(KeyText.priv(PRIV_A)), 40000, 0, List.of(new dev.jwg.config.uapi.PeerSnapshot(
                KeyText.pub(PUB_B), psk, Optional.of("192.0.2.1:51820"), 0, 0, 0, 0, 0,
                List.of(IpPrefix.parseAsWritten("10.0.0.0/24")))));
        assertThat(quick.save("wu0")).isZero();
        assertThat(Files.readString(conf)).isEqualTo("""
                [Interface]
                Address = 10.0.0.2/24
                PreDown = echo bye %%i
                ListenPort = 40000
                PrivateKey = %s

                [Peer]
                PublicKey = %s
                PresharedKey = %s
                AllowedIPs = 10.0.0.0/24
                Endpoint = 192.0.2.1:51820
                """.formatted(PRIV_A, PUB_B, PSK));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf))).isEqualTo("rw-------");
        assertThat(Files.exists(dir.resolve("wu0.conf.tmp"))).isFalse();
    }

    @Test
    void stripPrintsWgQuicksStripAndWarnsOnAWorldReadableFile() throws Exception {
        Path conf = write("wu0.conf", CONF);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(quick.strip(conf.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                [Interface]
                PrivateKey = %s
                # a comment strip keeps
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.0/24, 10.9.0.0/16
                Endpoint = 192.0.2.1:51820

                """.formatted(PRIV_A, PUB_B));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("Warning: `" + conf.toRealPath() + "' is world accessible\n");
    }

    @Test
    void locate(@TempDir Path root) throws Exception {
        Path wgDir = Files.createDirectories(root.resolve("etc/wireguard"));
        Path etc = Files.createDirectories(root.resolve("etc/systemd/network"));
        Path lib = Files.createDirectories(root.resolve("usr/lib/systemd/network"));
        List<Path> path = List.of(etc, lib);
        // neither a wg-quick file nor a .netdev
        assertThatThrownBy(() -> ConfigSource.locate("wg0", wgDir, path)).isInstanceOf(QuickException.class)
                .hasMessage("`" + wgDir.resolve("wg0.conf") + "' does not exist, and no .netdev in " + etc + ", " + lib
                        + " has Name=wg0 and Kind=wireguard");
        // the .netdev whose Name= is the interface, wherever its file name
        Files.writeString(lib.resolve("50-other.netdev"), "[NetDev]\nName=wg1\nKind=wireguard\n");
        Files.writeString(lib.resolve("60-vlan.netdev"), "[NetDev]\nName=wg0\nKind=vlan\n");
        Files.writeString(lib.resolve("70-tunnel.netdev"), "[NetDev]\nName=wg9\nKind=wireguard\n");
        Files.createDirectories(lib.resolve("70-tunnel.netdev.d"));
        Files.writeString(lib.resolve("70-tunnel.netdev.d/name.conf"), "[NetDev]\nName=wg0\n");
        assertThat(ConfigSource.locate("wg0", wgDir, path)).isEqualTo(new ConfigSource(StateFile.Mode.NETWORKD,
                lib.resolve("70-tunnel.netdev"), lib.resolve("70-tunnel.netdev").toString(), path));
        // a file of the same name in an earlier directory masks it; an empty one masks it for good
        Files.writeString(etc.resolve("70-tunnel.netdev"), "");
        assertThatThrownBy(() -> ConfigSource.locate("wg0", wgDir, path)).isInstanceOf(QuickException.class);
        Files.writeString(etc.resolve("80-wg0.netdev"), "[NetDev]\nName=wg0\nKind=wireguard\n");
        assertThat(ConfigSource.locate("wg0", wgDir, path).path()).isEqualTo(etc.resolve("80-wg0.netdev"));
        // a wg-quick file wins over the .netdev, as wg-quick would bring it up
        Files.writeString(wgDir.resolve("wg0.conf"), "[Interface]\n");
        assertThat(ConfigSource.locate("wg0", wgDir, path)).isEqualTo(
                new ConfigSource(StateFile.Mode.WG_QUICK, wgDir.resolve("wg0.conf"), "wg0", path));
        ByteArrayOutputStream warn = new ByteArrayOutputStream();
        ConfigSource.locate("wg0", wgDir, path).load(new PrintStream(warn, true, StandardCharsets.UTF_8));
        assertThat(warn.toString(StandardCharsets.UTF_8)).contains("[!] note: " + etc.resolve("80-wg0.netdev")
                + " also defines wg0; " + wgDir.resolve("wg0.conf") + " is used, as wg-quick would (name the .netdev to use it)\n");

        assertThat(ConfigSource.locate("wg0.conf").path()).isEqualTo(Path.of("wg0.conf"));
        assertThat(ConfigSource.locate("/etc/systemd/network/80-wg0.netdev").mode()).isEqualTo(StateFile.Mode.NETWORKD);
        assertThat(ConfigSource.locate("./x/wg0").mode()).isEqualTo(StateFile.Mode.WG_QUICK);
        assertThatThrownBy(() -> ConfigSource.locate("this name is too long")).isInstanceOf(QuickException.class);
    }
}
