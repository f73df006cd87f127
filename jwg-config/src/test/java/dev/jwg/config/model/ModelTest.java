package dev.jwg.config.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.config.KeyText;
import dev.jwg.core.routing.IpAddress;
import dev.jwg.core.routing.IpPrefix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelTest {
    static final String PRIVATE = "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaE=";
    static final String PSK = "unJJm/oSHoNrKsFXJu59awr2qxPDjpLK4NFQV7FZmH8=";
    static final String PUBLIC = "oJXyD5OVZQz5OAuO2yJKaySKHpJOj9CuLhqUkqMwXxg=";


    @Test
    void interfaceAddressKeepsHostBits() {
        InterfaceAddress a = InterfaceAddress.parse("10.0.0.1/24");
        assertThat(a.toString()).isEqualTo("10.0.0.1/24");
        assertThat(a.network().toString()).isEqualTo("10.0.0.0/24");
        assertThat(InterfaceAddress.parse("fd00::1").toString()).isEqualTo("fd00::1/128");
        assertThat(InterfaceAddress.parse("10.0.0.7").prefixLength()).isEqualTo(32);
        assertThatThrownBy(() -> InterfaceAddress.parse("10.0.0.1/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InterfaceAddress.parse("host.example/24")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void endpointsKeepTheirTextAndRefuseAmbiguity() {
        assertThat(HostPort.parse("vpn.example.com:51820").toString()).isEqualTo("vpn.example.com:51820");
        assertThat(HostPort.parse("[2001:db8::7]:51821").host()).isEqualTo("2001:db8::7");
        assertThat(HostPort.parse("[fe80::1%eth0]:51820").zone()).contains("eth0");
        assertThat(HostPort.parse("192.0.2.1:1").isLiteral()).isTrue();
        assertThat(HostPort.parse("vpn.example.com:1").isLiteral()).isFalse();
        for (String bad : List.of("2001:db8::7:51820", "vpn.example.com", "vpn.example.com:", "vpn:wireguard",
                "vpn:0", "vpn:65536", "vpn:051820", "[192.0.2.1]:51820", "[2001:db8::7]51820", "1.2.3.999:5",
                "bad host:5", "-bad.example:5", "[fe80::1%]:5")) {
            assertThatThrownBy(() -> HostPort.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> HostPort.parse("vpn:http")).hasMessageContaining("service names");
        assertThatThrownBy(() -> HostPort.parse("2001:db8::7:51820")).hasMessageContaining("[address]:port");
    }

    @Test
    void routeTables() {
        assertThat(RouteTable.parse("auto", true, true)).isEqualTo(RouteTable.AUTO);
        assertThat(RouteTable.parse("OFF", true, true)).isEqualTo(RouteTable.OFF);
        assertThat(RouteTable.parse("51820", true, true)).isEqualTo(new RouteTable.Id(51820));
        assertThat(RouteTable.parse("4294967295", false, false)).isEqualTo(new RouteTable.Id(4294967295L));
        assertThat(RouteTable.parse("vpn_table", false, false)).isEqualTo(new RouteTable.Named("vpn_table"));
        for (String bad : List.of("0", "4294967296", "007", "", "two words", "auto")) {
            assertThatThrownBy(() -> RouteTable.parse(bad, false, false)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void recordsCopyDefensively() {
        List<IpPrefix> ips = new ArrayList<>(List.of(IpPrefix.parseAsWritten("10.0.0.2/32")));
        PeerConfig p = PeerConfig.builder(KeyText.pub(PUBLIC)).allowedIps(ips).build();
        ips.clear();
        assertThat(p.allowedIps()).hasSize(1);
        assertThatThrownBy(() -> p.allowedIps().add(IpPrefix.parseAsWritten("10.0.0.3/32")))
                .isInstanceOf(UnsupportedOperationException.class);
        byte[] raw = {10, 0, 0, 1};
        IpAddress a = new IpAddress(raw);
        raw[0] = 99;
        assertThat(a.toString()).isEqualTo("10.0.0.1");
        a.bytes()[0] = 99;
        assertThat(a.toString()).isEqualTo("10.0.0.1");
    }

    @Test
    void invariantsAreEnforced() {
        assertThatThrownBy(() -> InterfaceConfig.builder().mtu(100).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InterfaceConfig.builder().addPostUp("a\nb").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InterfaceConfig.builder().privateKeyFile(Path.of("relative")).build())
                .isInstanceOf(IllegalArgumentException.class);
        PeerConfig p = PeerConfig.builder(KeyText.pub(PUBLIC)).build();
        assertThatThrownBy(() -> TunnelConfig.builder("wg0").addPeer(p).addPeer(p).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TunnelConfig.builder("far-too-long-name").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouteConfig.builder().destination(IpPrefix.parseAsWritten("10.0.0.0/8"))
                .gateway(IpAddress.parse("fe80::1")).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RuleConfig.builder().from(IpPrefix.parseAsWritten("10.0.0.0/8"))
                .family(RuleConfig.Family.IPV6).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverShowsSecrets() {
        InterfaceConfig i = InterfaceConfig.builder().privateKey(KeyText.priv(PRIVATE)).build();
        PeerConfig p = PeerConfig.builder(KeyText.pub(PUBLIC)).presharedKey(KeyText.psk(PSK)).build();
        TunnelConfig t = TunnelConfig.builder("wg0").iface(i).addPeer(p).build();
        for (String s : List.of(i.toString(), p.toString(), t.toString())) {
            assertThat(s).doesNotContain(PRIVATE, PSK, PRIVATE.substring(0, 8), PSK.substring(0, 8),
                    KeyText.priv(PRIVATE).toHex().substring(0, 8), KeyText.psk(PSK).toHex().substring(0, 8));
        }
        assertThat(p.toString()).contains("peer(oJXy…wXxg)");
        assertThat(t.toString()).contains("(hidden)");
    }

    @Test
    void effectiveValuesReadAcrossBothFiles() {
        NetworkConfig n = NetworkConfig.builder().addMatchName("wg0").addAddress(InterfaceAddress.parse("10.0.0.1/24"))
                .mtu(1400).build();
        TunnelConfig t = TunnelConfig.builder("wg0").iface(InterfaceConfig.builder().mtu(1420)
                .addAddress(InterfaceAddress.parse("fd00::1/64")).build()).network(n).build();
        assertThat(t.effectiveAddresses()).extracting(Object::toString).containsExactly("fd00::1/64", "10.0.0.1/24");
        assertThat(t.effectiveMtu()).hasValue(1400);
        assertThat(t.toBuilder().network(null).build().effectiveMtu()).hasValue(1420);
    }

    @Test
    void globsMatchLikeFnmatch() {
        assertThat(NameGlob.matches("wg*", "wg0")).isTrue();
        assertThat(NameGlob.matches("wg?", "wg10")).isFalse();
        assertThat(NameGlob.matches("wg[0-4]", "wg3")).isTrue();
        assertThat(NameGlob.matches("wg[!0-4]", "wg3")).isFalse();
        assertThat(NameGlob.matches("wg[^0-4]", "wg7")).isTrue();
        assertThat(NameGlob.matches("wg[]x]", "wg]")).isTrue();
        assertThat(NameGlob.matches("wg[0", "wg[0")).isTrue();
        assertThat(NameGlob.matches("*0", "wg0")).isTrue();
        assertThat(NameGlob.matches("w*g*0", "wXgYY0")).isTrue();
        assertThat(NameGlob.matches("w\\*", "w*")).isTrue();
        assertThat(NameGlob.matches("w\\*", "wx")).isFalse();
        assertThat(NameGlob.matchesAll(List.of("wg*", "!wg9"), "wg1")).isTrue();
        assertThat(NameGlob.matchesAll(List.of("wg*", "!wg9"), "wg9")).isFalse();
        assertThat(NameGlob.matchesAll(List.of("!eth*"), "wg0")).isTrue();
        assertThat(NameGlob.matchesAll(List.of("!eth*", "!wg0"), "wg0")).isFalse();
        assertThat(NameGlob.matchesAll(List.of("eth0", "wg0"), "wg0")).isTrue();
        assertThat(NameGlob.matchesAll(List.of("eth0"), "wg0")).isFalse();
    }
}
