package dev.jwg.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.KeyFileReader;
import dev.jwg.config.networkd.NetdevParser;
import dev.jwg.config.networkd.NetworkParser;
import dev.jwg.config.networkd.NetworkdLoader;
import dev.jwg.config.wgquick.WgQuickParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvertTest {
    static final KeyFileReader KEYS = p -> switch (p.toString()) {
        case "/etc/systemd/network/wg0.key" -> "K5wdfg83xEkhvT9lZOrffxQqcmaMR+Ij0W7djEe0avw=\n".getBytes(StandardCharsets.US_ASCII);
        case "/etc/systemd/network/wg0-laptop.psk" -> "unJJm/oSHoNrKsFXJu59awr2qxPDjpLK4NFQV7FZmH8=".getBytes(StandardCharsets.US_ASCII);
        default -> throw new NoSuchFileException(p.toString());
    };

    /** Parses converted networkd texts back into the model the converter says they describe. */
    static TunnelConfig reparse(Convert.NetworkdFiles f) throws Exception {
        TunnelConfig netdev = NetdevParser.parse(f.config().name() + ".netdev", f.netdev(), KEYS);
        NetworkConfig network = NetworkParser.parse(f.config().name() + ".network", f.network());
        return netdev.toBuilder().network(network).sources(List.of()).build();
    }

    @Test
    void fullTunnelClientToNetworkd() throws Exception {
        TunnelConfig laptop = WgQuickParser.parse(Fixtures.path("wgquick/laptop.conf"));
        Convert.NetworkdFiles f = Convert.wgQuickToNetworkd(laptop);
        assertThat(f.netdev()).isEqualTo(Fixtures.text("convert/laptop.netdev"));
        assertThat(f.network()).isEqualTo(Fixtures.text("convert/laptop.network"));
        assertThat(f.warnings()).containsExactly(
                "DNS is written as [Network] DNS=/Domains=, which only systemd-resolved applies (wg-quick used resolvconf)",
                "full tunnel with DNS: Domains=~. added so systemd-resolved sends every query to the tunnel's servers",
                "full tunnel: expressed as FirewallMark=51820, RouteTable=51820 and two [RoutingPolicyRule] sections; "
                        + "wg-quick's firewall rules (anti-spoofing, conntrack mark restore) and "
                        + "net.ipv4.conf.all.src_valid_mark=1 are not reproduced",
                "the .netdev holds the private key: install it mode 0640, owner root, group systemd-network, "
                        + "or move the key to a file and use PrivateKeyFile=");
        assertThat(reparse(f)).isEqualTo(f.config().toBuilder().sources(List.of()).build());
        assertThat(f.toString()).doesNotContain("3Rey2EKE");
    }

    @Test
    void hubToNetworkdWarnsAboutHooks() throws Exception {
        Convert.NetworkdFiles f = Convert.wgQuickToNetworkd(WgQuickParser.parse(Fixtures.path("wgquick/hub0.conf")));
        assertThat(f.config().routeTable()).contains(RouteTable.MAIN);
        assertThat(f.netdev()).contains("RouteTable=main\n").doesNotContain("FirewallMark");
        assertThat(f.network()).isEqualTo("""
                [Match]
                Name=hub0

                [Network]
                Address=10.8.0.1/24
                Address=fd42:42:42::1/64
                Address=192.168.77.1/24
                """);
        assertThat(f.warnings()).containsExactly(
                "PreUp is not converted: networkd runs no hooks (1 command)",
                "PostUp is not converted: networkd runs no hooks (1 command)",
                "PreDown is not converted: networkd runs no hooks (1 command)",
                "PostDown is not converted: networkd runs no hooks (1 command)",
                "the .netdev holds the private key: install it mode 0640, owner root, group systemd-network, "
                        + "or move the key to a file and use PrivateKeyFile=");
        assertThat(reparse(f)).isEqualTo(f.config().toBuilder().sources(List.of()).build());
    }

    @Test
    void saveConfigAndExplicitTablesMapOrWarn() throws Exception {
        TunnelConfig t = WgQuickParser.parse("wg3.conf", """
                [Interface]
                Table = off
                SaveConfig = true
                [Peer]
                PublicKey = oJXyD5OVZQz5OAuO2yJKaySKHpJOj9CuLhqUkqMwXxg=
                AllowedIPs = 0.0.0.0/0
                """);
        Convert.NetworkdFiles f = Convert.wgQuickToNetworkd(t);
        assertThat(f.netdev()).contains("RouteTable=off\n");
        assertThat(f.network()).doesNotContain("RoutingPolicyRule");
        assertThat(f.warnings()).containsExactly(
                "SaveConfig = true has no networkd equivalent: the files are not rewritten on shutdown");
        TunnelConfig v4only = t.toBuilder().iface(t.iface().toBuilder().table(null).fwMark(0x1234).build()).build();
        Convert.NetworkdFiles g = Convert.wgQuickToNetworkd(v4only);
        assertThat(g.netdev()).contains("FirewallMark=4660\n", "RouteTable=4660\n");
        assertThat(g.network()).contains("Family=ipv4").doesNotContain("Family=both");
        assertThat(g.warnings().get(0)).startsWith("full tunnel: expressed as FirewallMark=4660, RouteTable=4660 and two "
                + "[RoutingPolicyRule] sections; wg-quick's");
    }

    @Test
    void networkdSiteRouterToWgQuickExpressesRoutesAndRulesAsHooks() throws Exception {
        TunnelConfig wg0 = NetworkdLoader.load(Fixtures.path("networkd/80-wg0.netdev"), KEYS);
        Convert.WgQuickFile f = Convert.networkdToWgQuick(wg0);
        assertThat(f.text()).isEqualTo(Fixtures.text("convert/wg0.conf"));
        assertThat(f.warnings()).containsExactly(
                "keys stay in their files: PostUp runs 'wg set' to load them, so the interface comes up briefly without them",
                "routing-only domain ~lab.example.com is dropped: wg-quick has no routing domains");
        // No secret was copied out of the key files.
        assertThat(f.text()).doesNotContain("K5wdfg83", "unJJm/oS", "PrivateKey", "PresharedKey");
        assertThat(WgQuickParser.parse("wg0.conf", f.text())).isEqualTo(f.config());
        // The hooks undo what they did that does not go away with the link.
        assertThat(f.config().iface().postDown()).allMatch(c -> c.contains(" rule del ") || c.contains(" route del blackhole"));
    }

    @Test
    void networkdFullTunnelBecomesTableAutoAndBack() throws Exception {
        TunnelConfig wgc = NetworkdLoader.load(Fixtures.path("networkd/fulltunnel/90-wgc.netdev"), KEYS);
        Convert.WgQuickFile q = Convert.networkdToWgQuick(wgc);
        assertThat(q.text()).isEqualTo("""
                [Interface]
                PrivateKey = 3Rey2EKEXegqW8U5iIrHgFSiOZzPyfzC2jHOPdFmvc0=
                FwMark = 51820
                Address = 10.8.0.2/32, fd42:42:42::2/128
                DNS = 10.8.0.1

                [Peer]
                PublicKey = UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaE=
                AllowedIPs = 0.0.0.0/0, ::/0
                Endpoint = vpn.example.com:51820
                PersistentKeepalive = 25
                """);
        assertThat(q.warnings()).isEmpty();
        // and back: the same netdev and network, rules and Domains=~. included
        Convert.NetworkdFiles back = Convert.wgQuickToNetworkd(WgQuickParser.parse("wgc.conf", q.text()));
        TunnelConfig expected = wgc.toBuilder().iface(wgc.iface().toBuilder().mtu(java.util.OptionalInt.empty()).build())
                .network(wgc.network().orElseThrow().toBuilder().build()).sources(List.of()).build();
        assertThat(reparse(back)).isEqualTo(expected);
    }

    @Test
    void wgQuickThroughNetworkdAndBackKeepsTheTunnel() throws Exception {
        TunnelConfig laptop = WgQuickParser.parse(Fixtures.path("wgquick/laptop.conf"));
        Convert.NetworkdFiles nd = Convert.wgQuickToNetworkd(laptop);
        Convert.WgQuickFile back = Convert.networkdToWgQuick(reparse(nd));
        assertThat(back.warnings()).isEmpty();
        TunnelConfig again = WgQuickParser.parse("laptop.conf", back.text());
        // "Table = auto" comes back as the default (absent), which means the same.
        assertThat(again.iface().toBuilder().table(RouteTable.AUTO).build()).isEqualTo(laptop.iface());
        assertThat(again.peers()).isEqualTo(laptop.peers());
    }

    @Test
    void keyFilePathsAreShellQuotedInHooks() throws Exception {
        KeyFileReader keys = p -> "K5wdfg83xEkhvT9lZOrffxQqcmaMR+Ij0W7djEe0avw=".getBytes(StandardCharsets.US_ASCII);
        TunnelConfig t = NetdevParser.parse("wg7.netdev",
                "[NetDev]\nName=wg7\nKind=wireguard\n[WireGuard]\nPrivateKeyFile=/etc/wire guard/it's.key\n", keys);
        Convert.WgQuickFile f = Convert.networkdToWgQuick(t);
        assertThat(f.config().iface().postUp()).containsExactly("wg set %i private-key '/etc/wire guard/it'\\''s.key'");
        assertThat(f.config().iface().table()).contains(RouteTable.OFF);
        assertThat(f.config().sources()).containsExactly(Path.of("wg7.conf"));
    }

    @Test
    void networkdSettingsWgQuickHasNoKeyForBecomePostUpLines() throws Exception {
        TunnelConfig netdev = NetdevParser.parse("wg8.netdev", "[NetDev]\nName=wg8\nKind=wireguard\n[WireGuard]\n"
                + "PrivateKey=K5wdfg83xEkhvT9lZOrffxQqcmaMR+Ij0W7djEe0avw=\n", KEYS);
        NetworkConfig n = NetworkParser.parse("wg8.network", """
                [Match]
                Name=wg8
                [Link]
                Multicast=yes
                [Network]
                Address=10.8.0.1/24
                DNS=10.8.0.53:5353
                IPv4Forwarding=yes
                [Address]
                Address=10.9.0.1/32
                Peer=10.9.0.2/32
                [Route]
                Destination=10.10.0.0/16
                Source=10.8.0.0/24
                MTUBytes=1300
                [RoutingPolicyRule]
                User=backup
                IPProtocol=udp
                DestinationPort=53
                Table=8
                """);
        Convert.WgQuickFile f = Convert.networkdToWgQuick(netdev.toBuilder().network(n).build());
        assertThat(f.config().iface().addresses()).extracting(Object::toString).containsExactly("10.8.0.1/24");
        assertThat(f.config().iface().dnsServers()).extracting(Object::toString).containsExactly("10.8.0.53");
        assertThat(f.warnings()).contains("DNS server 10.8.0.53:5353 is written as 10.8.0.53: wg-quick's DNS takes "
                + "addresses only (no port, interface or server name)");
        assertThat(f.config().iface().postUp()).containsExactly(
                "ip -4 address add 10.9.0.1/32 peer 10.9.0.2/32 dev %i",
                "ip link set dev %i multicast on",
                "sysctl -q net.ipv4.conf.%i.forwarding=1",
                "ip -4 route add 10.10.0.0/16 from 10.8.0.0/24 dev %i mtu 1300",
                "ip -4 rule add ipproto 17 dport 53 uidrange $(id -u backup)-$(id -u backup) lookup 8");
        assertThat(f.config().iface().postDown()).containsExactly(
                "ip -4 rule del ipproto 17 dport 53 uidrange $(id -u backup)-$(id -u backup) lookup 8");
        // and it reads back as the same wg-quick file
        assertThat(WgQuickParser.parse("wg8.conf", f.text()).iface()).isEqualTo(f.config().iface());
    }

    @Test
    void linkSysctlsBecomePostUpLinesAndTheLinkLocalAddressIsRemovedWhenTheFileSaysSo() throws Exception {
        TunnelConfig netdev = NetdevParser.parse("wg9.netdev", "[NetDev]\nName=wg9\nKind=wireguard\nMTUBytes=1380\n"
                + "[WireGuard]\nPrivateKey=K5wdfg83xEkhvT9lZOrffxQqcmaMR+Ij0W7djEe0avw=\n", KEYS);
        NetworkConfig n = NetworkParser.parse("wg9.network", """
                [Match]
                Name=wg9
                [Network]
                Address=10.9.0.1/24
                Address=fe80::9/64
                LinkLocalAddressing=no
                IPv6AcceptRA=no
                IPv6PrivacyExtensions=kernel
                IPv6HopLimit=40
                IPv6MTUBytes=1400
                IPv4ReversePathFilter=strict
                IPv4AcceptLocal=no
                IPv4RouteLocalnet=yes
                MulticastIGMPVersion=no
                """);
        Convert.WgQuickFile f = Convert.networkdToWgQuick(netdev.toBuilder().network(n).build());
        // wg-quick has brought the link up by PostUp: the kernel's fe80:: goes, the configured one comes back
        assertThat(f.config().iface().postUp()).containsExactly(
                "sysctl -q net.ipv6.conf.%i.addr_gen_mode=1",
                "ip -6 address flush dev %i scope link",
                "ip -6 address add fe80::9/64 dev %i",
                "sysctl -q net.ipv6.conf.%i.accept_ra=0",
                "sysctl -q net.ipv6.conf.%i.hop_limit=40",
                "sysctl -q net.ipv6.conf.%i.mtu=1380",
                "sysctl -q net.ipv4.conf.%i.rp_filter=1",
                "sysctl -q net.ipv4.conf.%i.accept_local=0",
                "sysctl -q net.ipv4.conf.%i.route_localnet=1",
                "sysctl -q net.ipv4.conf.%i.force_igmp_version=0");
        assertThat(f.warnings()).isEmpty();

        // without the key, as without a .network: the converted file leaves the link-local address alone
        NetworkConfig plain = NetworkParser.parse("wg9.network", "[Match]\nName=wg9\n[Network]\nAddress=10.9.0.1/24\n");
        assertThat(Convert.networkdToWgQuick(netdev.toBuilder().network(plain).build()).config().iface().postUp()).isEmpty();

        NetworkConfig stable = NetworkParser.parse("wg9.network",
                "[Match]\nName=wg9\n[Network]\nLinkLocalAddressing=ipv6\nIPv6StableSecretAddress=fd00::1\n");
        assertThat(Convert.networkdToWgQuick(netdev.toBuilder().network(stable).build()).warnings()).containsExactly(
                "IPv6LinkLocalAddressGenerationMode= and IPv6StableSecretAddress= are not converted: wg-quick brings the "
                        + "link up before any PostUp runs, so the kernel has made its link-local address by then");
    }
}
