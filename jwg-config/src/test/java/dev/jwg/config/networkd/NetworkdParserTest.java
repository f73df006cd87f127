package dev.jwg.config.networkd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.config.Fixtures;
import dev.jwg.config.KeyText;
import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigNote;
import dev.jwg.config.model.HostPort;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.RuleConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.core.routing.IpPrefix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkdParserTest {
    static TunnelConfig wg0() throws ConfigException {
        return NetdevParser.parse(Fixtures.path("networkd/80-wg0.netdev"), TestKeys.READER);
    }

    @Test
    void netdevWithKeyFilesContinuationsAndResets() throws Exception {
        TunnelConfig t = wg0();
        assertThat(t.name()).isEqualTo("wg0");
        assertThat(t.description()).contains("Site VPN # not a comment: systemd has no end-of-line comments");
        assertThat(t.iface().mtu()).hasValue(1420);
        assertThat(t.iface().privateKey()).contains(KeyText.priv(TestKeys.WG0_PRIVATE));
        assertThat(t.iface().privateKeyFile()).contains(Path.of("/etc/systemd/network/wg0.key"));
        assertThat(t.iface().listenPort()).hasValue(51820);
        assertThat(t.iface().fwMark()).hasValue(2);
        assertThat(t.routeTable()).contains(new RouteTable.Id(1000));
        assertThat(t.routeMetric()).hasValue(100);
        assertThat(t.peers()).hasSize(3);

        PeerConfig laptop = t.peers().get(0);
        assertThat(laptop.presharedKey()).contains(KeyText.psk(TestKeys.LAPTOP_PSK));
        assertThat(laptop.presharedKeyFile()).contains(Path.of("/etc/systemd/network/wg0-laptop.psk"));
        assertThat(laptop.allowedIps()).extracting(IpPrefix::toString).containsExactly("10.8.0.2/32", "fd42:42:42::2/128");
        assertThat(laptop.persistentKeepalive()).hasValue(25);

        PeerConfig branch = t.peers().get(1);
        assertThat(branch.allowedIps()).extracting(IpPrefix::toString)
                .containsExactly("10.8.0.3/32", "192.168.10.0/24", "192.168.11.0/24");
        assertThat(branch.endpoint()).contains(new HostPort("branch.example.net", 51820));
        assertThat(branch.routeTable()).contains(RouteTable.MAIN);
        assertThat(branch.routeMetric()).hasValue(50);

        PeerConfig third = t.peers().get(2);
        assertThat(third.allowedIps()).extracting(IpPrefix::toString).containsExactly("10.8.0.4/32");
        assertThat(third.persistentKeepalive()).hasValue(0);
        assertThat(third.routeTable()).contains(RouteTable.OFF);
    }

    @Test
    void networkWithRoutesAndRules() throws Exception {
        NetworkConfig n = NetworkParser.parse(Fixtures.path("networkd/80-wg0.network"));
        assertThat(n.matchNames()).containsExactly("wg0");
        assertThat(n.interfaceAddresses()).extracting(Object::toString)
                .containsExactly("10.8.0.1/24", "fd42:42:42::1/64", "192.168.77.1/24");
        assertThat(n.dns()).extracting(Object::toString).containsExactly("10.8.0.53", "fd42:42:42::53");
        assertThat(n.domains()).containsExactly("corp.example.com", "~lab.example.com");
        assertThat(n.mtu()).hasValue(1400);
        assertThat(n.routes()).hasSize(2);
        RouteConfig onLink = n.routes().get(0);
        assertThat(onLink.destination().orElseThrow().toString()).isEqualTo("192.168.20.0/24");
        assertThat(onLink.gateway().orElseThrow().toString()).isEqualTo("10.8.0.2");
        assertThat(onLink.gatewayOnLink()).contains(true);
        assertThat(onLink.effectiveType()).isEqualTo(RouteConfig.Type.UNICAST);
        RouteConfig killSwitch = n.routes().get(1);
        assertThat(killSwitch.type()).contains(RouteConfig.Type.BLACKHOLE);
        assertThat(killSwitch.metric()).hasValue(1);
        assertThat(killSwitch.table()).contains(new RouteTable.Id(1000));
        assertThat(n.rules()).hasSize(3);
        RuleConfig mark = n.rules().get(1);
        assertThat(mark.firewallMark().orElseThrow().toString()).isEqualTo("2/0xff");
        assertThat(mark.invert()).contains(true);
        assertThat(mark.effectiveFamily()).isEqualTo(RuleConfig.Family.BOTH);
        assertThat(mark.priority()).hasValue(10001);
        RuleConfig unreachable = n.rules().get(2);
        assertThat(unreachable.type()).contains(RuleConfig.Type.UNREACHABLE);
        assertThat(unreachable.incomingInterface()).contains("wg0");
        assertThat(unreachable.effectiveFamily()).isEqualTo(RuleConfig.Family.IPV4);
    }

    @Test
    void netdevRoundTrips() throws Exception {
        TunnelConfig t = wg0();
        String text = NetworkdWriter.toNetdevString(t);
        assertThat(text).contains("PrivateKeyFile=/etc/systemd/network/wg0.key", "PresharedKeyFile=")
                .doesNotContain(TestKeys.WG0_PRIVATE, TestKeys.LAPTOP_PSK, "PrivateKey=", "PresharedKey=");
        TunnelConfig again = NetdevParser.parse("80-wg0.netdev", text, TestKeys.READER).toBuilder()
                .sources(t.sources()).build();
        assertThat(again).isEqualTo(t);
        assertThat(NetworkdWriter.toNetdevString(again)).isEqualTo(text);
    }

    @Test
    void netdevWithInlineKeysRoundTrips() throws Exception {
        TunnelConfig t = NetdevParser.parse(Fixtures.path("networkd/fulltunnel/90-wgc.netdev"), TestKeys.READER);
        String text = NetworkdWriter.toNetdevString(t);
        assertThat(text).isEqualTo("""
                [NetDev]
                Name=wgc
                Kind=wireguard

                [WireGuard]
                PrivateKey=3Rey2EKEXegqW8U5iIrHgFSiOZzPyfzC2jHOPdFmvc0=
                FirewallMark=51820
                RouteTable=51820

                [WireGuardPeer]
                PublicKey=UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaE=
                AllowedIPs=0.0.0.0/0,::/0
                Endpoint=vpn.example.com:51820
                PersistentKeepalive=25
                """);
        assertThat(NetdevParser.parse("90-wgc.netdev", text, TestKeys.READER).toBuilder().sources(t.sources()).build())
                .isEqualTo(t);
    }

    @Test
    void networkRoundTrips() throws Exception {
        for (String f : new String[] {"networkd/80-wg0.network", "networkd/fulltunnel/90-wgc.network",
                "networkd/90-wg-any.network"}) {
            NetworkConfig n = NetworkParser.parse(Fixtures.path(f));
            String text = NetworkdWriter.toNetworkString(n);
            assertThat(NetworkParser.parse("x.network", text)).as(f).isEqualTo(n);
            assertThat(NetworkdWriter.toNetworkString(NetworkParser.parse("x.network", text))).isEqualTo(text);
        }
    }

    @Test
    void matchNamesKeepTheirNegation() throws Exception {
        NetworkConfig n = NetworkParser.parse("a.network", "[Match]\nName=wg* !wg9\nName=!eth0 eth1\n");
        assertThat(n.matchNames()).containsExactly("wg*", "!wg9", "!eth0", "!eth1");
        assertThat(n.matches("wg1")).isTrue();
        assertThat(n.matches("wg9")).isFalse();
        assertThat(n.matches("eth1")).isFalse();
        assertThat(NetworkParser.parse("a.network", NetworkdWriter.toNetworkString(n))).isEqualTo(n);
        assertThat(NetworkParser.parse("a.network", "[Match]\nName=wg0\nName=\nName=wg1\n").matchNames())
                .containsExactly("wg1");
    }

    @Test
    void loaderAppliesTheFirstMatchingNetworkFileLikeNetworkd() throws Exception {
        Path netdev = Fixtures.path("networkd/80-wg0.netdev");
        // 95-by-type matches by [Match] Type=wireguard, as networkd matches every WireGuard link by it
        assertThat(NetworkdLoader.matchingNetworkFiles(netdev, "wg0")).extracting(p -> p.getFileName().toString())
                .containsExactly("80-wg0.network", "90-wg-any.network", "95-by-type.network");
        List<ConfigNote> notes = new ArrayList<>();
        TunnelConfig t = NetworkdLoader.load(netdev, TestKeys.READER, NetworkdLoader.SEARCH_PATH, notes);
        assertThat(notes).extracting(ConfigNote::toString).containsExactly(
                "note: 90-wg-any.network: also matches wg0, but networkd applies only the first file that matches, 80-wg0.network",
                "note: 95-by-type.network: also matches wg0, but networkd applies only the first file that matches, 80-wg0.network");
        assertThat(t.sources()).containsExactly(netdev, Fixtures.path("networkd/80-wg0.network"));
        assertThat(t.network()).contains(NetworkParser.parse(Fixtures.path("networkd/80-wg0.network")));
        assertThat(t.effectiveAddresses()).extracting(Object::toString)
                .containsExactly("10.8.0.1/24", "fd42:42:42::1/64", "192.168.77.1/24");
        assertThat(t.effectiveMtu()).hasValue(1400);
    }

    @Test
    void loaderWithoutMatchingNetworkFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path netdev = dir.resolve("wg5.netdev");
        java.nio.file.Files.writeString(netdev, "[NetDev]\nName=wg5\nKind=wireguard\n");
        java.nio.file.Files.writeString(dir.resolve("10-other.network"), "[Match]\nName=wg6\n[Network]\nBogus=1\n");
        List<ConfigNote> notes = new ArrayList<>();
        TunnelConfig t = NetworkdLoader.load(netdev, KeyFileReader.FILES, NetworkdLoader.SEARCH_PATH, notes);
        assertThat(t.network()).isEmpty();
        assertThat(t.sources()).containsExactly(netdev);
        assertThat(notes).extracting(ConfigNote::toString).containsExactly("warning: wg5.netdev: no .network file matches "
                + "wg5 (looked in " + dir + "): it comes up without addresses, routes or DNS");
    }

    @Test
    void keyFileErrorsNameBothFilesButNeverTheContent() {
        assertThatThrownBy(() -> NetdevParser.parse("80-wg0.netdev",
                "[NetDev]\nName=wg0\nKind=wireguard\n[WireGuard]\nPrivateKeyFile=/etc/jwg/garbage.key\n", TestKeys.READER))
                .isInstanceOf(ConfigException.class)
                .hasFieldOrPropertyWithValue("reason", ConfigError.BAD_KEY_FILE)
                .hasMessage("80-wg0.netdev:5: PrivateKeyFile: key file /etc/jwg/garbage.key does not hold a base64 key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
        assertThatThrownBy(() -> NetdevParser.parse("80-wg0.netdev",
                "[NetDev]\nName=wg0\nKind=wireguard\n[WireGuard]\nPrivateKeyFile=/etc/jwg/two-keys.key\n", TestKeys.READER))
                .hasFieldOrPropertyWithValue("reason", ConfigError.BAD_KEY_FILE)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TestKeys.WG0_PRIVATE.substring(0, 10)));
        assertThatThrownBy(() -> NetdevParser.parse("80-wg0.netdev",
                "[NetDev]\nName=wg0\nKind=wireguard\n[WireGuardPeer]\nPublicKey=oJXyD5OVZQz5OAuO2yJKaySKHpJOj9CuLhqUkqMwXxg=\n"
                        + "PresharedKeyFile=/etc/jwg/missing.psk\n", TestKeys.READER))
                .hasFieldOrPropertyWithValue("reason", ConfigError.KEY_FILE_UNREADABLE)
                .hasMessage("80-wg0.netdev:6: PresharedKeyFile: cannot read key file /etc/jwg/missing.psk: No such file or directory");
    }

    @Test
    void keyFilesAreReadOnlyAfterTheWholeFileValidates() {
        KeyFileReader failing = p -> {
            throw new AssertionError("read before validation");
        };
        assertThatThrownBy(() -> NetdevParser.parse("80-wg0.netdev",
                "[NetDev]\nName=wg0\nKind=wireguard\n[WireGuard]\nPrivateKeyFile=/k\nListenPort=0\n", failing))
                .hasFieldOrPropertyWithValue("reason", ConfigError.BAD_PORT);
    }

    @Test
    void secretsNeverInMessagesOrToString() throws Exception {
        String secret = TestKeys.WG0_PRIVATE;
        for (String text : new String[] {
                "[WireGuard]\nPrivateKey=" + secret.substring(1) + "\n",
                "[WireGuard]\n" + secret + "\n",
                "[WireGuard]\nPrivateKey " + secret + "\n",
                "[WireGuardPeer]\nPresharedKey=" + secret + "x\n"}) {
            assertThatThrownBy(() -> NetdevParser.parse("a.netdev", "[NetDev]\nName=wg0\nKind=wireguard\n" + text, TestKeys.READER))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret.substring(4, 20)));
        }
        // a pasted key as a section header is skipped with a warning that does not repeat it
        List<ConfigNote> notes = new ArrayList<>();
        NetdevParser.parse(Path.of("a.netdev"), List.of(new NetworkParser.Source("a.netdev",
                "[NetDev]\nName=wg0\nKind=wireguard\n[" + secret + "]\n")), TestKeys.READER, notes);
        assertThat(notes).singleElement().satisfies(n -> assertThat(n.toString())
                .isEqualTo("warning: a.netdev:4: unknown section, ignored (this file's sections are "
                        + "[Match], [NetDev], [WireGuard], [WireGuardPeer])"));
        TunnelConfig t = wg0();
        assertThat(t.toString()).doesNotContain(TestKeys.WG0_PRIVATE, TestKeys.LAPTOP_PSK,
                TestKeys.WG0_PRIVATE.substring(0, 10), TestKeys.LAPTOP_PSK.substring(0, 10));
    }

    @Test
    void credentialsAreRefusedClearly() {
        assertThatThrownBy(() -> NetdevParser.parse("80-wg0.netdev",
                "[NetDev]\nName=wg0\nKind=wireguard\n[WireGuard]\nPrivateKey=@wg0.key\n", TestKeys.READER))
                .hasFieldOrPropertyWithValue("reason", ConfigError.CREDENTIALS_UNSUPPORTED)
                .hasMessage("80-wg0.netdev:5: PrivateKey: systemd credentials (@name) are not supported; "
                        + "use PrivateKeyFile=<absolute path>");
    }

    @Test
    void systemdValueForms() throws Exception {
        TunnelConfig t = NetdevParser.parse("a.netdev", """
                [NetDev]
                Name=wg1
                Kind=wireguard
                MTUBytes=1K
                [WireGuard]
                ListenPort=auto
                RouteTable=no
                """, TestKeys.READER);
        assertThat(t.iface().mtu()).hasValue(1024);
        assertThat(t.iface().listenPort()).isEmpty();
        assertThat(t.routeTable()).contains(RouteTable.OFF);
        NetworkConfig n = NetworkParser.parse("a.network", """
                [Route]
                Destination=10.1.2.3
                GatewayOnLink=true
                Metric=
                [RoutingPolicyRule]
                InvertRule=off
                FirewallMark=51820
                """);
        assertThat(n.routes().getFirst().destination().orElseThrow().toString()).isEqualTo("10.1.2.3/32");
        assertThat(n.routes().getFirst().gatewayOnLink()).contains(true);
        assertThat(n.rules().getFirst().invert()).contains(false);
        assertThat(n.rules().getFirst().firewallMark().orElseThrow().mask()).isEmpty();
    }

    /** The per-link sysctl keys: networkd's value forms, empty resets, and a bad value names file, line and key. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            LinkLocalAddressing=ipv6-only            | BAD_CHOICE | 'ipv6-only' is not a boolean, ipv4, ipv6, fallback or ipv4-fallback
            LinkLocalAddressing=IPv6                 | BAD_CHOICE | 'IPv6' is not a boolean, ipv4, ipv6, fallback or ipv4-fallback
            IPv6LinkLocalAddressGenerationMode=no    | BAD_CHOICE | 'no' is not eui64, none, stable-privacy or random
            IPv6StableSecretAddress=10.0.0.1         | BAD_ADDRESS | '10.0.0.1' is not an IPv6 address
            IPv6StableSecretAddress=secret           | BAD_ADDRESS | 'secret' is not an IPv6 address
            IPv4LLRoute=maybe                        | BAD_BOOLEAN | 'maybe' is not a boolean (yes/no, true/false, on/off, 1/0)
            IPv6AcceptRA=2                           | BAD_BOOLEAN | '2' is not a boolean (yes/no, true/false, on/off, 1/0)
            IPv6AcceptRouterAdvertisements=kernel    | BAD_BOOLEAN | 'kernel' is not a boolean (yes/no, true/false, on/off, 1/0)
            IPv6PrivacyExtensions=temporary          | BAD_CHOICE | 'temporary' is not a boolean, prefer-public or kernel
            IPv6HopLimit=0                           | BAD_NUMBER | '0' is not a hop limit 1..255
            IPv6HopLimit=256                         | BAD_NUMBER | '256' is not a hop limit 1..255
            IPv6MTUBytes=1279                        | BAD_MTU | '1279' is not an IPv6 MTU 1280..65535
            IPv6MTUBytes=64K                         | BAD_MTU | '64K' is not an IPv6 MTU 1280..65535
            IPv4ReversePathFilter=yes                | BAD_CHOICE | 'yes' is not no, strict or loose
            IPv4AcceptLocal=sometimes                | BAD_BOOLEAN | 'sometimes' is not a boolean (yes/no, true/false, on/off, 1/0)
            IPv4RouteLocalnet=2                      | BAD_BOOLEAN | '2' is not a boolean (yes/no, true/false, on/off, 1/0)
            MulticastIGMPVersion=3                   | BAD_CHOICE | '3' is not no, v1, v2 or v3
            """)
    void aBadSysctlValueIsAnError(String line, ConfigError reason, String detail) {
        String key = line.substring(0, line.indexOf('='));
        assertThatThrownBy(() -> NetworkParser.parse("s.network", "[Match]\nName=wg0\n[Network]\n" + line + "\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessage("s.network:4: " + key + ": " + detail);
    }

    @Test
    void sysctlValueForms() throws Exception {
        NetworkConfig n = NetworkParser.parse("s.network", """
                [Network]
                LinkLocalAddressing=true
                IPv6PrivacyExtensions=off
                IPv6MTUBytes=2K
                IPv6HopLimit=9
                IPv4ReversePathFilter=strict
                IPv6AcceptRouterAdvertisements=yes
                """);
        NetworkConfig.LinkSysctls s = n.sysctls();
        assertThat(s.linkLocal()).contains(NetworkConfig.LinkSysctls.LinkLocal.YES);
        assertThat(s.ipv6LinkLocal()).isTrue();
        assertThat(s.ipv6PrivacyExtensions()).contains(NetworkConfig.LinkSysctls.PrivacyExtensions.NO);
        assertThat(s.ipv6Mtu()).hasValue(2048);
        assertThat(s.ipv6AcceptRa()).contains(true);
        // an empty value resets each to unset; unset, the link has no IPv6 link-local address
        NetworkConfig reset = NetworkParser.parse("s.network", """
                [Network]
                LinkLocalAddressing=ipv6
                IPv6PrivacyExtensions=yes
                IPv6HopLimit=9
                IPv4ReversePathFilter=loose
                LinkLocalAddressing=
                IPv6PrivacyExtensions=
                IPv6HopLimit=
                IPv4ReversePathFilter=
                """);
        assertThat(reset.sysctls()).isEqualTo(NetworkConfig.LinkSysctls.NONE);
        assertThat(reset.sysctls().ipv6LinkLocal()).isFalse();
        assertThat(NetworkParser.parse("s.network", "[Network]\nLinkLocalAddressing=fallback\n").sysctls().ipv6LinkLocal())
                .isTrue();
        assertThat(NetworkParser.parse("s.network", "[Network]\nLinkLocalAddressing=ipv4-fallback\n").sysctls()
                .ipv6LinkLocal()).isFalse();
    }

    @Test
    void searchPathDropInsAndMaskingAsNetworkdReadsThem(@org.junit.jupiter.api.io.TempDir Path root) throws Exception {
        Path etc = java.nio.file.Files.createDirectories(root.resolve("etc"));
        Path run = java.nio.file.Files.createDirectories(root.resolve("run"));
        Path lib = java.nio.file.Files.createDirectories(root.resolve("lib"));
        List<Path> path = List.of(etc, run, lib);
        write(lib.resolve("80-wg0.netdev"), "[NetDev]\nName=wg0\nKind=wireguard\n[WireGuard]\nPrivateKey=" + TestKeys.WG0_PRIVATE + "\n");
        write(lib.resolve("80-wg0.netdev.d/10-port.conf"), "[WireGuard]\nListenPort=51820\n");
        write(etc.resolve("80-wg0.netdev.d/10-port.conf"), "[WireGuard]\nListenPort=51821\n"); // masks lib's
        write(run.resolve("80-wg0.netdev.d/20-mtu.conf"), "[NetDev]\nMTUBytes=1300\n");
        write(lib.resolve("50-wg.network"), "[Match]\nName=wg*\n[Network]\nAddress=10.0.0.1/24\n");
        java.nio.file.Files.createSymbolicLink(etc.resolve("50-wg.network"), Path.of("/dev/null")); // masked
        write(lib.resolve("60-wg0.network"), "[Match]\nName=wg0\n[Network]\nAddress=10.0.0.2/24\n");
        write(run.resolve("60-wg0.network.d/dns.conf"), "[Network]\nDNS=10.0.0.53\nBogus=1\n");
        write(lib.resolve("60-wg0.network.d/empty.conf"), "[Network]\nAddress=10.0.0.9/24\n");
        write(etc.resolve("60-wg0.network.d/empty.conf"), ""); // an empty file masks too

        assertThat(NetworkdLoader.findNetdev("wg0", path)).contains(lib.resolve("80-wg0.netdev"));
        assertThat(NetworkdLoader.findNetdev("wg1", path)).isEmpty();
        List<ConfigNote> notes = new ArrayList<>();
        TunnelConfig t = NetworkdLoader.load(lib.resolve("80-wg0.netdev"), TestKeys.READER, path, notes);
        assertThat(t.iface().listenPort()).hasValue(51821);
        assertThat(t.iface().mtu()).hasValue(1300);
        NetworkConfig n = t.network().orElseThrow();
        assertThat(n.interfaceAddresses()).extracting(Object::toString).containsExactly("10.0.0.2/24");
        assertThat(n.dns()).extracting(Object::toString).containsExactly("10.0.0.53");
        assertThat(notes).extracting(ConfigNote::toString).containsExactly("warning: dns.conf:3: Bogus: unknown key in [Network], ignored");
        assertThat(t.sources()).containsExactly(lib.resolve("80-wg0.netdev"), lib.resolve("60-wg0.network"),
                etc.resolve("80-wg0.netdev.d/10-port.conf"), run.resolve("80-wg0.netdev.d/20-mtu.conf"),
                run.resolve("60-wg0.network.d/dns.conf"));

        // an error in a drop-in names the drop-in, and its line
        write(run.resolve("60-wg0.network.d/zz-bad.conf"), "[Network]\n\nAddress=10.0.0.300/24\n");
        assertThatThrownBy(() -> NetworkdLoader.load(lib.resolve("80-wg0.netdev"), TestKeys.READER, path, new ArrayList<>()))
                .hasMessage("zz-bad.conf:3: Address: '10.0.0.300/24' is not an address with optional /prefix-length");
    }

    private static void write(Path p, String text) throws java.io.IOException {
        java.nio.file.Files.createDirectories(p.getParent());
        java.nio.file.Files.writeString(p, text);
    }
}
