package dev.jwg.cli.quick;

import static dev.jwg.cli.quick.TestConfigs.PRIV_A_HEX;
import static dev.jwg.cli.quick.TestConfigs.PSK_HEX;
import static dev.jwg.cli.quick.TestConfigs.PUB_B;
import static dev.jwg.cli.quick.TestConfigs.PUB_B_HEX;
import static dev.jwg.cli.quick.TestConfigs.PUB_C;
import static dev.jwg.cli.quick.TestConfigs.PUB_C_HEX;
import static dev.jwg.cli.quick.TestConfigs.facts;
import static dev.jwg.cli.quick.TestConfigs.networkd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.config.model.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact commands {@code jwg up X.netdev} plans for systemd-networkd files. */
class NetworkdPlannerTest {

    private static final String HUB_NETDEV = """
            [NetDev]
            Name=wn0
            Kind=wireguard
            MTUBytes=1400

            [WireGuard]
            PrivateKeyFile=/etc/jwg/wn.key
            ListenPort=51820
            FirewallMark=0x10
            RouteTable=1234
            RouteMetric=50

            [WireGuardPeer]
            PublicKey=%s
            PresharedKeyFile=/etc/jwg/wn-b.psk
            AllowedIPs=10.50.0.2/32,fd50::2/128
            PersistentKeepalive=25

            [WireGuardPeer]
            PublicKey=%s
            AllowedIPs=10.50.0.3/32, 192.168.60.0/24
            Endpoint=192.0.2.3:51820
            RouteTable=main
            RouteMetric=10
            """.formatted(PUB_B, PUB_C);

    private static final String HUB_NETWORK = """
            [Match]
            Name=wn0

            [Network]
            Address=10.50.0.1/24
            Address=fd50::1/64

            # the LAN behind client C, through its tunnel address
            [Route]
            Destination=192.168.70.0/24
            Gateway=10.50.0.3
            GatewayOnLink=yes

            # kill switch: no Destination is the IPv4 default route
            [Route]
            Type=blackhole
            Metric=1
            Table=1234

            [Route]
            Destination=fd70::/64
            Type=unreachable

            [RoutingPolicyRule]
            From=10.50.0.0/24
            Table=1234
            Priority=100

            [RoutingPolicyRule]
            FirewallMark=0x10/0xff
            InvertRule=yes
            Table=1234
            Family=both
            Priority=101

            [RoutingPolicyRule]
            Table=main
            SuppressPrefixLength=0
            Family=ipv6

            [RoutingPolicyRule]
            To=192.168.99.0/24
            IncomingInterface=wn0
            OutgoingInterface=lo
            Type=prohibit
            """;

    @Test
    void hub() throws Exception {
        Plan p = NetworkdPlanner.plan(networkd("80-wn0.netdev", HUB_NETDEV, "85-wn0.network", HUB_NETWORK),
                "/tmp/x/80-wn0.netdev", facts());
        assertThat(p.lines()).containsExactly(
                "[#] jwgd wn0",
                "[#] wg addconf wn0 <(jwg strip /tmp/x/80-wn0.netdev)",
                "[#] sysctl -q -e -w net.ipv6.conf.wn0.addr_gen_mode=1",
                "[#] sysctl -q -e -w net.ipv6.conf.wn0.accept_ra=0",
                "[#] ip -4 address add 10.50.0.1/24 dev wn0",
                "[#] ip -6 address add fd50::1/64 dev wn0",
                "[#] ip link set mtu 1400 up dev wn0",
                "[#] ip -4 route add 10.50.0.2/32 dev wn0 table 1234 metric 50",
                "[#] ip -6 route add fd50::2/128 dev wn0 table 1234 metric 50",
                "[#] ip -4 route add 10.50.0.3/32 dev wn0 table main metric 10",
                "[#] ip -4 route add 192.168.60.0/24 dev wn0 table main metric 10",
                "[#] ip -4 route add 192.168.70.0/24 via 10.50.0.3 dev wn0 onlink",
                "[#] ip -4 route add blackhole 0.0.0.0/0 metric 1 table 1234",
                "[#] ip -6 route add unreachable fd70::/64",
                "[#] ip -4 rule add from 10.50.0.0/24 priority 100 lookup 1234",
                "[#] ip -4 rule add not fwmark 16/0xff priority 101 lookup 1234",
                "[#] ip -6 rule add not fwmark 16/0xff priority 101 lookup 1234",
                "[#] ip -6 rule add lookup main suppress_prefixlength 0",
                "[#] ip -4 rule add to 192.168.99.0/24 iif wn0 oif lo prohibit");
        assertThat(((Step.UapiSet) p.steps().get(1)).body()).isEqualTo("""
                private_key=%s
                listen_port=51820
                fwmark=16
                public_key=%s
                preshared_key=%s
                persistent_keepalive_interval=25
                replace_allowed_ips=true
                allowed_ip=10.50.0.2/32
                allowed_ip=fd50::2/128
                public_key=%s
                endpoint=192.0.2.3:51820
                replace_allowed_ips=true
                allowed_ip=10.50.0.3/32
                allowed_ip=192.168.60.0/24
                """.formatted(PRIV_A_HEX, PUB_B_HEX, PSK_HEX, PUB_C_HEX));
        // Only what outlives the link is recorded to be removed explicitly.
        assertThat(p.steps().stream().flatMap(s -> s.undo().stream()).map(u -> u.kind() + " " + u.command()).toList())
                .containsExactly(
                        "LINK ip link delete dev wn0",
                        "ROUTE ip -4 route delete blackhole 0.0.0.0/0 metric 1 table 1234",
                        "ROUTE ip -6 route delete unreachable fd70::/64",
                        "RULE ip -4 rule delete from 10.50.0.0/24 priority 100 lookup 1234",
                        "RULE ip -4 rule delete not fwmark 16/0xff priority 101 lookup 1234",
                        "RULE ip -6 rule delete not fwmark 16/0xff priority 101 lookup 1234",
                        "RULE ip -6 rule delete lookup main suppress_prefixlength 0",
                        "RULE ip -4 rule delete to 192.168.99.0/24 iif wn0 oif lo prohibit");
    }

    @Test
    void clientWithoutMtuSkipsRoutesTheKernelAddsForItsAddress() throws Exception {
        String netdev = """
                [NetDev]
                Name=wn1
                Kind=wireguard

                [WireGuard]
                PrivateKeyFile=/etc/jwg/wn.key
                RouteTable=main

                [WireGuardPeer]
                PublicKey=%s
                PresharedKeyFile=/etc/jwg/wn-b.psk
                AllowedIPs=10.50.0.0/24,fd50::/64,192.168.60.0/24
                AllowedIPs=192.168.60.0/24
                Endpoint=192.0.2.1:51820
                PersistentKeepalive=25
                """.formatted(PUB_B);
        String network = """
                [Match]
                Name=wn1
                [Network]
                Address=10.50.0.2/24
                Address=fd50::2/64
                DNS=10.50.0.53
                [Route]
                Gateway=fd50::1
                GatewayOnLink=true
                Metric=2048
                """;
        Plan p = NetworkdPlanner.plan(networkd("80-wn1.netdev", netdev, "85-wn1.network", network), "80-wn1.netdev", facts());
        assertThat(p.lines()).containsExactly(
                "[#] jwgd wn1",
                "[#] wg addconf wn1 <(jwg strip 80-wn1.netdev)",
                "[#] sysctl -q -e -w net.ipv6.conf.wn1.addr_gen_mode=1",
                "[#] sysctl -q -e -w net.ipv6.conf.wn1.accept_ra=0",
                "[#] ip -4 address add 10.50.0.2/24 dev wn1",
                "[#] ip -6 address add fd50::2/64 dev wn1",
                "[#] ip link set up dev wn1",
                "[#] resolvconf -a tun.wn1 -m 0",
                // 10.50.0.0/24 main metric 0 is the kernel's own route; IPv6's default 1024 differs from its 256
                "[#] ip -6 route add fd50::/64 dev wn1 table main",
                "[#] ip -4 route add 192.168.60.0/24 dev wn1 table main",
                // no Destination, an IPv6 gateway: the IPv6 default route
                "[#] ip -6 route add ::/0 via fd50::1 dev wn1 onlink metric 2048");
        assertThat(p.steps().stream().flatMap(s -> s.undo().stream()).toList())
                .containsExactly(Undo.of(Undo.Kind.LINK, "ip", "link", "delete", "dev", "wn1"),
                        Undo.of(Undo.Kind.DNS, "resolvconf", "-d", "tun.wn1", "-f"));
    }

    @Test
    void noNetworkFileStillBringsTheLinkUp() throws Exception {
        String netdev = """
                [NetDev]
                Name=wn2
                Kind=wireguard
                [WireGuard]
                ListenPort=51999
                """;
        Plan p = NetworkdPlanner.plan(dev.jwg.config.networkd.NetdevParser.parse("wn2.netdev", netdev, TestConfigs.KEYS),
                "wn2.netdev", facts());
        assertThat(p.lines()).isEqualTo(List.of(
                "[#] jwgd wn2",
                "[#] wg addconf wn2 <(jwg strip wn2.netdev)",
                // no link-local address, as the kernel's WireGuard makes none; router advertisements are
                // the kernel's default without a .network, networkd leaving the link alone
                "[#] sysctl -q -e -w net.ipv6.conf.wn2.addr_gen_mode=1",
                "[#] ip link set up dev wn2"));
        assertThat(((Step.UapiSet) p.steps().get(1)).body()).isEqualTo("listen_port=51999\n");
    }

    @Test
    void aNameWithADotIsASysctlPath() throws Exception {
        Plan p = NetworkdPlanner.plan(networkd("80-wn.3.netdev", """
                [NetDev]
                Name=wn.3
                Kind=wireguard
                """, "85-wn.3.network", """
                [Match]
                Name=wn.3
                [Network]
                IPv4Forwarding=yes
                """), "80-wn.3.netdev", facts());
        // sysctl(8) reads a name with a dot in it only with / as separator
        assertThat(p.lines()).contains("[#] sysctl -q -e -w net/ipv6/conf/wn.3/addr_gen_mode=1",
                "[#] sysctl -q -e -w net/ipv6/conf/wn.3/accept_ra=0", "[#] sysctl -q -w net/ipv4/conf/wn.3/forwarding=1");
    }

    @Test
    void ipv6MtuFollowsTheLinkMtu() throws Exception {
        String netdev = "[NetDev]\nName=wn4\nKind=wireguard\n";
        Plan small = NetworkdPlanner.plan(networkd("80-wn4.netdev", netdev, "85-wn4.network",
                "[Match]\nName=wn4\n[Link]\nMTUBytes=1200\n[Network]\nIPv6MTUBytes=1300\n"), "80-wn4.netdev", facts());
        assertThat(small.lines()).contains("[!] IPv6MTUBytes=1300 not applied: the link's MTU 1200 is below 1280, so it has no IPv6")
                .noneMatch(l -> l.contains("conf.wn4.mtu"));
        // no MTUBytes=: the link keeps jwgd's MTU, 1420, as the kernel's WireGuard
        Plan big = NetworkdPlanner.plan(networkd("80-wn4.netdev", netdev, "85-wn4.network",
                "[Match]\nName=wn4\n[Network]\nIPv6MTUBytes=9000\n"), "80-wn4.netdev", facts());
        assertThat(big.lines()).containsSubsequence("[#] ip link set up dev wn4", "[#] sysctl -q -e -w net.ipv6.conf.wn4.mtu=1420");
    }
}
