package dev.jwg.cli.quick;

import static dev.jwg.cli.quick.TestConfigs.PRIV_A;
import static dev.jwg.cli.quick.TestConfigs.PRIV_A_HEX;
import static dev.jwg.cli.quick.TestConfigs.PUB_B;
import static dev.jwg.cli.quick.TestConfigs.PUB_B_HEX;
import static dev.jwg.cli.quick.TestConfigs.PUB_C;
import static dev.jwg.cli.quick.TestConfigs.facts;
import static dev.jwg.cli.quick.TestConfigs.wgQuick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.core.routing.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The exact commands {@code jwg up} plans for wg-quick files, against what Linux wg-quick runs. */
class WgQuickPlannerTest {

    private static final String CLIENT = """
            [Interface]
            PrivateKey = %s
            Address = 10.0.0.2/24
            Address = fd00::2/64

            [Peer]
            PublicKey = %s
            AllowedIPs = 10.0.0.0/24, fd00::/64, 192.168.50.0/24, 10.0.0.7/32
            Endpoint = 192.0.2.1:51820
            PersistentKeepalive = 25
            """.formatted(PRIV_A, PUB_B);

    private static List<String> lines(String text, Facts f) throws ConfigException, QuickException {
        return WgQuickPlanner.plan(wgQuick("wu0.conf", text), "wu0.conf", f).lines();
    }

    @Test
    void simpleClient() throws Exception {
        Plan p = WgQuickPlanner.plan(wgQuick("wu0.conf", CLIENT), "/etc/wireguard/wu0.conf", facts());
        assertThat(p.lines()).containsExactly(
                "[#] jwgd wu0",
                "[#] wg addconf wu0 <(jwg strip /etc/wireguard/wu0.conf)",
                "[#] ip -4 address add 10.0.0.2/24 dev wu0",
                "[#] ip -6 address add fd00::2/64 dev wu0",
                "[#] ip link set mtu 1420 up dev wu0",
                // 10.0.0.7/32, fd00::/64 and 10.0.0.0/24 are covered by the routes of the addresses
                "[#] ip -4 route add 192.168.50.0/24 dev wu0");
        Step.UapiSet set = (Step.UapiSet) p.steps().get(1);
        assertThat(set.body()).isEqualTo("""
                private_key=%s
                public_key=%s
                endpoint=192.0.2.1:51820
                persistent_keepalive_interval=25
                replace_allowed_ips=true
                allowed_ip=10.0.0.0/24
                allowed_ip=fd00::/64
                allowed_ip=192.168.50.0/24
                allowed_ip=10.0.0.7/32
                """.formatted(PRIV_A_HEX, PUB_B_HEX));
        assertThat(set.toString()).doesNotContain(PRIV_A_HEX);
        assertThat(p.steps().stream().flatMap(s -> s.undo().stream()).toList())
                .containsExactly(Undo.of(Undo.Kind.LINK, "ip", "link", "delete", "dev", "wu0"));
    }

    @Test
    void fullTunnelV4AndV6IsWgQuicksAddDefault() throws Exception {
        String conf = """
                [Interface]
                PrivateKey = %s
                Address = 10.0.0.2/32, fd00::2/128

                [Peer]
                PublicKey = %s
                AllowedIPs = 0.0.0.0/0, ::/0
                Endpoint = 192.0.2.1:51820
                """.formatted(PRIV_A, PUB_B);
        Plan p = WgQuickPlanner.plan(wgQuick("wu0.conf", conf), "wu0.conf", facts());
        // As /usr/bin/wg-quick prints it (only the daemon and the config lines differ).
        assertThat(p.lines()).containsExactly(
                "[#] jwgd wu0",
                "[#] wg addconf wu0 <(jwg strip wu0.conf)",
                "[#] ip -4 address add 10.0.0.2/32 dev wu0",
                "[#] ip -6 address add fd00::2/128 dev wu0",
                "[#] ip link set mtu 1420 up dev wu0",
                "[#] wg set wu0 fwmark 51820",
                "[#] ip -6 route add ::/0 dev wu0 table 51820",
                "[#] ip -6 rule add not fwmark 51820 table 51820",
                "[#] ip -6 rule add table main suppress_prefixlength 0",
                "[#] nft -f /dev/stdin",
                "[#] ip -4 route add 0.0.0.0/0 dev wu0 table 51820",
                "[#] ip -4 rule add not fwmark 51820 table 51820",
                "[#] ip -4 rule add table main suppress_prefixlength 0",
                "[#] sysctl -q net.ipv4.conf.all.src_valid_mark=1",
                "[#] nft -f /dev/stdin");
        assertThat(((Step.UapiSet) p.steps().get(5)).body()).isEqualTo("fwmark=51820\n");
        Step.Run nft4 = (Step.Run) p.steps().get(14);
        assertThat(nft4.command().stdin()).contains("""
                add table ip wg-quick-wu0
                add chain ip wg-quick-wu0 preraw { type filter hook prerouting priority -300; }
                add chain ip wg-quick-wu0 premangle { type filter hook prerouting priority -150; }
                add chain ip wg-quick-wu0 postmangle { type filter hook postrouting priority -150; }
                add rule ip wg-quick-wu0 preraw iifname != "wu0" ip daddr 10.0.0.2 fib saddr type != local drop
                add rule ip wg-quick-wu0 postmangle meta l4proto udp mark 51820 ct mark set mark\s
                add rule ip wg-quick-wu0 premangle meta l4proto udp meta mark set ct mark\s
                """);
        Step.Run nft6 = (Step.Run) p.steps().get(9);
        assertThat(nft6.command().stdin().orElseThrow())
                .contains("add rule ip6 wg-quick-wu0 preraw iifname != \"wu0\" ip6 daddr fd00::2 fib saddr type != local drop\n")
                .doesNotContain("10.0.0.2");
        assertThat(p.steps().stream().flatMap(s -> s.undo().stream()).map(u -> u.kind() + " " + u.command()).toList())
                .containsExactly(
                        "LINK ip link delete dev wu0",
                        "RULE ip -6 rule delete not fwmark 51820 table 51820",
                        "RULE ip -6 rule delete table main suppress_prefixlength 0",
                        "FIREWALL nft delete table ip6 wg-quick-wu0",
                        "RULE ip -4 rule delete not fwmark 51820 table 51820",
                        "RULE ip -4 rule delete table main suppress_prefixlength 0",
                        "FIREWALL nft delete table ip wg-quick-wu0");
    }

    @Test
    void fullTunnelUsesTheConfiguredFwMarkOrTheFirstFreeTable() throws Exception {
        String withMark = """
                [Interface]
                PrivateKey = %s
                FwMark = 0x1234
                [Peer]
                PublicKey = %s
                AllowedIPs = 0.0.0.0/0
                """.formatted(PRIV_A, PUB_B);
        Facts noNft = TestConfigs.facts(Map.of(), OptionalInt.empty(), 51823, false, Optional.empty());
        assertThat(lines(withMark, noNft)).containsSubsequence(
                "[#] ip link set mtu 1420 up dev wu0",
                "[#] ip -4 route add 0.0.0.0/0 dev wu0 table 4660",
                "[#] ip -4 rule add not fwmark 4660 table 4660",
                "[#] ip -4 rule add table main suppress_prefixlength 0",
                "[#] sysctl -q net.ipv4.conf.all.src_valid_mark=1",
                "[!] nft is not installed: wg-quick's full-tunnel firewall rules for ip (anti-spoofing, "
                        + "conntrack mark restore) are not added")
                .noneMatch(l -> l.contains("fwmark 51823") || l.startsWith("[#] wg set"));

        String v6Only = """
                [Interface]
                PrivateKey = %s
                FwMark = off
                [Peer]
                PublicKey = %s
                AllowedIPs = ::/0
                """.formatted(PRIV_A, PUB_B);
        assertThat(lines(v6Only, noNft)).containsSubsequence(
                "[#] wg set wu0 fwmark 51823",
                "[#] ip -6 route add ::/0 dev wu0 table 51823",
                "[#] ip -6 rule add not fwmark 51823 table 51823",
                "[#] ip -6 rule add table main suppress_prefixlength 0")
                .noneMatch(l -> l.contains("sysctl"));
    }

    @Test
    void tableOffAddsNoRoutes() throws Exception {
        String conf = CLIENT.replace("Address = 10.0.0.2/24", "Address = 10.0.0.2/24\nTable = off")
                .replace("10.0.0.7/32", "0.0.0.0/0");
        assertThat(lines(conf, facts())).containsExactly(
                "[#] jwgd wu0",
                "[#] wg addconf wu0 <(jwg strip wu0.conf)",
                "[#] ip -4 address add 10.0.0.2/24 dev wu0",
                "[#] ip -6 address add fd00::2/64 dev wu0",
                "[#] ip link set mtu 1420 up dev wu0");
    }

    @Test
    void tableNumberPutsEveryAllowedIpThereLongestFirstWithoutRules() throws Exception {
        String conf = CLIENT.replace("Address = 10.0.0.2/24", "Address = 10.0.0.2/24\nTable = 1234")
                .replace("10.0.0.7/32", "0.0.0.0/0, 10.2.0.0/16, 10.1.0.0/16");
        assertThat(lines(conf, facts())).containsExactly(
                "[#] jwgd wu0",
                "[#] wg addconf wu0 <(jwg strip wu0.conf)",
                "[#] ip -4 address add 10.0.0.2/24 dev wu0",
                "[#] ip -6 address add fd00::2/64 dev wu0",
                "[#] ip link set mtu 1420 up dev wu0",
                "[#] ip -6 route add fd00::/64 dev wu0 table 1234",
                "[#] ip -4 route add 192.168.50.0/24 dev wu0 table 1234",
                "[#] ip -4 route add 10.0.0.0/24 dev wu0 table 1234",
                "[#] ip -4 route add 10.2.0.0/16 dev wu0 table 1234",
                "[#] ip -4 route add 10.1.0.0/16 dev wu0 table 1234",
                "[#] ip -4 route add 0.0.0.0/0 dev wu0 table 1234");
    }

    @Test
    void routeOrderIsGnuSortNumericReverse() throws Exception {
        String conf = """
                [Interface]
                PrivateKey = %s
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.1.0.0/16, 10.2.0.0/16, 192.168.0.0/16, fd00::/64, 10.0.0.1/32
                [Peer]
                PublicKey = %s
                AllowedIPs = fd00::1/128, 10.2.3.4/16
                """.formatted(PRIV_A, PUB_B, PUB_C);
        // printf '...' | LC_ALL=C sort -nr -k 2 -t /  (10.2.3.4/16 is 10.2.0.0/16 once in the device)
        assertThat(lines(conf, facts()).stream().filter(l -> l.contains(" route add ")).toList()).containsExactly(
                "[#] ip -6 route add fd00::1/128 dev wu0",
                "[#] ip -6 route add fd00::/64 dev wu0",
                "[#] ip -4 route add 10.0.0.1/32 dev wu0",
                "[#] ip -4 route add 192.168.0.0/16 dev wu0",
                "[#] ip -4 route add 10.2.0.0/16 dev wu0",
                "[#] ip -4 route add 10.1.0.0/16 dev wu0");
    }

    @Test
    void explicitMtu() throws Exception {
        String conf = CLIENT.replace("Address = 10.0.0.2/24", "Address = 10.0.0.2/24\nMTU = 1380");
        assertThat(lines(conf, facts())).containsExactly(
                "[#] jwgd wu0",
                "[#] wg addconf wu0 <(jwg strip wu0.conf)",
                "[#] ip -4 address add 10.0.0.2/24 dev wu0",
                "[#] ip -6 address add fd00::2/64 dev wu0",
                "[#] ip link set mtu 1380 up dev wu0",
                "[#] ip -4 route add 192.168.50.0/24 dev wu0");
    }

    @Test
    void automaticMtuTakesTheSmallestEndpointRouteElseTheDefaultRouteElse1500() throws Exception {
        String two = """
                [Interface]
                PrivateKey = %s
                [Peer]
                PublicKey = %s
                Endpoint = 192.0.2.1:51820
                [Peer]
                PublicKey = %s
                Endpoint = [2001:db8::1]:51820
                """.formatted(PRIV_A, PUB_B, PUB_C);
        TunnelConfig c = wgQuick("wu0.conf", two);
        Map<IpAddress, Integer> mtus = Map.of(IpAddress.parse("192.0.2.1"), 1500, IpAddress.parse("2001:db8::1"), 1400);
        assertThat(WgQuickPlanner.autoMtu(c, TestConfigs.facts(mtus, OptionalInt.of(9000), 51820, true, Optional.empty())))
                .isEqualTo(1320);
        assertThat(WgQuickPlanner.autoMtu(c, TestConfigs.facts(Map.of(), OptionalInt.of(9000), 51820, true, Optional.empty())))
                .isEqualTo(8920);
        assertThat(WgQuickPlanner.autoMtu(c, TestConfigs.facts(Map.of(), OptionalInt.empty(), 51820, true, Optional.empty())))
                .isEqualTo(1420);
    }

    @Test
    void dnsWithSearchDomainsGoesToResolvconfWithWgQuicksRecordName() throws Exception {
        String conf = CLIENT.replace("Address = 10.0.0.2/24",
                "Address = 10.0.0.2/24\nDNS = 10.0.0.53, corp.example\nDNS = fd00::53, lab.example");
        Plan p = WgQuickPlanner.plan(wgQuick("wu0.conf", conf), "wu0.conf", facts());
        assertThat(p.lines()).containsSubsequence(
                "[#] ip link set mtu 1420 up dev wu0",
                "[#] resolvconf -a tun.wu0 -m 0 -x",
                "[#] ip -4 route add 192.168.50.0/24 dev wu0");
        Step.Run dns = (Step.Run) p.steps().get(5);
        assertThat(dns.command().stdin()).contains("nameserver 10.0.0.53\nnameserver fd00::53\nsearch corp.example lab.example\n");
        assertThat(dns.undo()).contains(Undo.of(Undo.Kind.DNS, "resolvconf", "-d", "tun.wu0", "-f"));

        Facts openresolv = TestConfigs.facts(Map.of(), OptionalInt.empty(), 51820, true, Optional.of(""));
        assertThat(lines(conf, openresolv)).contains("[#] resolvconf -a wu0 -m 0 -x");
    }

    @Test
    void withoutResolvconfDnsGoesToSystemdResolvedAndWithNeitherUpIsRefused() throws Exception {
        String conf = CLIENT.replace("Address = 10.0.0.2/24",
                "Address = 10.0.0.2/24\nDNS = 10.0.0.53, corp.example\nDNS = fd00::53");
        Facts noResolvconf = TestConfigs.facts(Map.of(IpAddress.parse("192.0.2.1"), 1500), OptionalInt.empty(), 51820, true,
                Optional.empty());
        // resolvconf -x (the tunnel's servers answer everything) is the routing domain ~. for resolved
        Plan p = WgQuickPlanner.plan(wgQuick("wu0.conf", conf), "wu0.conf", noResolvconf.withResolvectl(true));
        assertThat(p.lines()).containsSubsequence(
                "[#] ip link set mtu 1420 up dev wu0",
                "[#] resolvectl dns wu0 10.0.0.53 fd00::53",
                "[#] resolvectl domain wu0 corp.example ~.",
                "[#] ip -4 route add 192.168.50.0/24 dev wu0");
        assertThat(p.steps().stream().flatMap(s -> s.undo().stream()).toList())
                .contains(Undo.of(Undo.Kind.RESOLVED, "resolvectl", "revert", "wu0"));
        // neither: refused before anything is done, as a tunnel must not come up leaking DNS
        assertThatThrownBy(() -> lines(conf, noResolvconf)).isInstanceOf(QuickException.class).hasMessage(
                "cannot configure DNS (10.0.0.53, fd00::53, corp.example): neither resolvconf nor resolvectl "
                        + "(systemd-resolved) is installed. Install one of them, or run 'jwg up --no-dns' to bring the "
                        + "tunnel up without its DNS settings");
        // unless the user says so
        assertThat(WgQuickPlanner.plan(wgQuick("wu0.conf", conf), "wu0.conf", noResolvconf, true).lines())
                .contains("[!] DNS not configured (--no-dns): 10.0.0.53, fd00::53, corp.example")
                .noneMatch(l -> l.contains("resolv"));
        assertThat(WgQuickPlanner.plan(wgQuick("wu0.conf", conf), "wu0.conf", facts(), true).lines())
                .noneMatch(l -> l.contains("resolvconf"));
    }

    @Test
    void searchDomainsAloneAreNotApplied() throws Exception {
        String conf = CLIENT.replace("Address = 10.0.0.2/24", "Address = 10.0.0.2/24\nDNS = corp.example");
        assertThat(lines(conf, facts())).noneMatch(l -> l.contains("resolvconf") || l.contains("DNS"));
    }

    @Test
    void hooksRunInOrderWithPercentIReplaced() throws Exception {
        String conf = CLIENT.replace("Address = 10.0.0.2/24", """
                Address = 10.0.0.2/24
                PreUp = echo pre %i # kept, as wg-quick keeps it
                PostUp = ip link show %i && logger "%i is up"
                PostUp = echo second
                PreDown = echo going down""");
        assertThat(lines(conf, facts())).containsExactly(
                "[#] echo pre wu0 # kept, as wg-quick keeps it", // before the interface exists, as in wg-quick
                "[#] jwgd wu0",
                "[#] wg addconf wu0 <(jwg strip wu0.conf)",
                "[#] ip -4 address add 10.0.0.2/24 dev wu0",
                "[#] ip -6 address add fd00::2/64 dev wu0",
                "[#] ip link set mtu 1420 up dev wu0",
                "[#] ip -4 route add 192.168.50.0/24 dev wu0",
                "[#] ip link show wu0 && logger \"wu0 is up\"",
                "[#] echo second");
    }

    @Test
    void unresolvedEndpointNameIsAConfigError() throws Exception {
        String conf = CLIENT.replace("192.0.2.1:51820", "vpn.example.net:51820");
        assertThatThrownBy(() -> lines(conf, facts())).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).reason()).isEqualTo(ConfigError.ENDPOINT_UNRESOLVED));
        Facts resolved = new Facts(List.of("jwgd"), Map.of("vpn.example.net", IpAddress.parse("198.51.100.7")),
                Map.of(IpAddress.parse("198.51.100.7"), 1280), OptionalInt.empty(), 51820, true, Optional.empty());
        Plan p = WgQuickPlanner.plan(wgQuick("wu0.conf", conf), "wu0.conf", resolved);
        assertThat(((Step.UapiSet) p.steps().get(1)).body()).contains("endpoint=198.51.100.7:51820\n");
        assertThat(p.lines()).contains("[#] ip link set mtu 1200 up dev wu0");
    }
}
