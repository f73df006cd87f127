package dev.jwg.config.wgquick;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.config.Fixtures;
import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.uapi.DeviceUpdate;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.routing.IpAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WgQuickWriterTest {
    static final EndpointResolver RESOLVER = host -> switch (host) {
        case "vpn.example.com" -> IpAddress.parse("203.0.113.5");
        case "branch.example.net" -> IpAddress.parse("2001:db8:77::1");
        default -> throw new UnknownHostException(host);
    };

    /** Parses text written by a writer under the original's file name, so sources compare equal. */
    static TunnelConfig reparse(TunnelConfig original, String text) throws Exception {
        return WgQuickParser.parse(original.sources().getFirst().getFileName().toString(), text).toBuilder()
                .sources(original.sources()).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hub0.conf", "laptop.conf"})
    void fullFileRoundTrips(String fixture) throws Exception {
        TunnelConfig t = WgQuickParser.parse(Fixtures.path("wgquick/" + fixture));
        String text = WgQuickWriter.toWgQuickString(t);
        TunnelConfig again = reparse(t, text);
        assertThat(again).isEqualTo(t);
        assertThat(WgQuickWriter.toWgQuickString(again)).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hub0.conf", "laptop.conf"})
    void stripFormRoundTripsToTheWgKeys(String fixture) throws Exception {
        TunnelConfig t = WgQuickParser.parse(Fixtures.path("wgquick/" + fixture));
        String text = WgQuickWriter.toWgString(t);
        assertThat(text).doesNotContainIgnoringCase("Address").doesNotContain("DNS", "MTU", "Table", "PostUp",
                "PreUp", "PostDown", "PreDown", "SaveConfig");
        TunnelConfig again = reparse(t, text);
        assertThat(again).isEqualTo(t.wgOnly());
        assertThat(again.iface().hasWgQuickKeys()).isFalse();
    }

    @Test
    void writesTheCanonicalForm() throws Exception {
        TunnelConfig t = WgQuickParser.parse(Fixtures.path("wgquick/laptop.conf"));
        assertThat(WgQuickWriter.toWgQuickString(t)).isEqualTo(Fixtures.text("wgquick/laptop-expected.conf"));
        assertThat(WgQuickWriter.toWgString(t)).isEqualTo("""
                [Interface]
                PrivateKey = 3Rey2EKEXegqW8U5iIrHgFSiOZzPyfzC2jHOPdFmvc0=
                FwMark = 51820

                [Peer]
                PublicKey = UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaE=
                PresharedKey = unJJm/oSHoNrKsFXJu59awr2qxPDjpLK4NFQV7FZmH8=
                AllowedIPs = 0.0.0.0/0, ::/0
                Endpoint = vpn.example.com:51820
                PersistentKeepalive = 25
                """);
    }

    @Test
    void uapiSetIsWhatWgSetconfSends() throws Exception {
        TunnelConfig t = WgQuickParser.parse(Fixtures.path("wgquick/laptop.conf"));
        String set = WgQuickWriter.toUapiSet(t, RESOLVER);
        assertThat(set).isEqualTo("""
                set=1
                private_key=dd17b2d842845de82a5bc539888ac78054a2399ccfc9fcc2da31ce3dd166bdcd
                listen_port=0
                fwmark=51820
                replace_peers=true
                public_key=52f22665a60c12d289185d950ee8813609166f6b113d178d6c0fd3901ff239a1
                preshared_key=ba72499bfa121e836b2ac15726ee7d6b0af6ab13c38e92cae0d15057b159987f
                endpoint=203.0.113.5:51820
                persistent_keepalive_interval=25
                replace_allowed_ips=true
                allowed_ip=0.0.0.0/0
                allowed_ip=::/0

                """);
        assertThat(DeviceUpdate.parse(set)).isEqualTo(WgQuickWriter.toSetConf(t, RESOLVER));
    }

    @Test
    void uapiSetSendsZerosForAbsentDeviceKeys() throws Exception {
        TunnelConfig t = WgQuickParser.parse("wg0.conf", """
                [Peer]
                PublicKey = oJXyD5OVZQz5OAuO2yJKaySKHpJOj9CuLhqUkqMwXxg=
                Endpoint = [fe80::1%eth0]:51820
                [Peer]
                PublicKey = jLYQkA+eNH+uiG3GUHeV7HRcTD/LLrLHPhSTTIZ+4Fc=
                Endpoint = [::ffff:192.0.2.9]:7
                AllowedIPs = 10.0.0.1/24
                PersistentKeepalive = off
                """);
        String set = WgQuickWriter.toUapiSet(t, EndpointResolver.numericOnly());
        assertThat(set).isEqualTo("set=1\n"
                + "private_key=" + "0".repeat(64) + "\n"
                + "listen_port=0\n"
                + "fwmark=0\n"
                + "replace_peers=true\n"
                + "public_key=a095f20f9395650cf9380b8edb224a6b248a1e924e8fd0ae2e1a9492a3305f18\n"
                + "endpoint=[fe80::1%eth0]:51820\n"
                + "replace_allowed_ips=true\n"
                + "public_key=8cb610900f9e347fae886dc6507795ec745c4c3fcb2eb2c73e14934c867ee057\n"
                + "endpoint=192.0.2.9:7\n"
                + "persistent_keepalive_interval=0\n"
                + "replace_allowed_ips=true\n"
                + "allowed_ip=10.0.0.1/24\n"
                + "\n");
        DeviceUpdate u = DeviceUpdate.parse(set);
        assertThat(u).isEqualTo(WgQuickWriter.toSetConf(t, EndpointResolver.numericOnly()));
        assertThat(u.privateKey()).contains(PrivateKey.ZERO);
    }

    @Test
    void addConfSendsOnlyWhatTheFileHas() throws Exception {
        TunnelConfig t = WgQuickParser.parse(Fixtures.path("wgquick/hub0.conf"));
        String add = WgQuickWriter.toUapiAddConf(t, RESOLVER);
        assertThat(add).startsWith("set=1\nprivate_key=52f22665a60c12d289185d950ee8813609166f6b113d178d6c0fd3901ff239a1\n"
                + "listen_port=51820\npublic_key=").doesNotContain("replace_peers", "fwmark");
        assertThat(add).contains("endpoint=[2001:db8:77::1]:51820\n", "endpoint=[2001:db8:1::7]:51821\n");
        assertThat(add.lines().filter(l -> l.equals("replace_allowed_ips=true")).count()).isEqualTo(8);
        assertThat(DeviceUpdate.parse(add)).isEqualTo(WgQuickWriter.toAddConf(t, RESOLVER));
    }

    @Test
    void unresolvableHostNamesAreConfigErrors() throws Exception {
        TunnelConfig t = WgQuickParser.parse(Fixtures.path("wgquick/laptop.conf"));
        assertThatThrownBy(() -> WgQuickWriter.toUapiSet(t, EndpointResolver.numericOnly()))
                .hasFieldOrPropertyWithValue("reason", ConfigError.ENDPOINT_UNRESOLVED)
                .hasFieldOrPropertyWithValue("key", "Endpoint")
                .hasMessage("laptop.conf: Endpoint: cannot resolve vpn.example.com");
    }

    @Test
    void emptyConfigWritesAnEmptyInterface() throws Exception {
        TunnelConfig t = WgQuickParser.parse("wg0.conf", "");
        assertThat(WgQuickWriter.toWgQuickString(t)).isEqualTo("[Interface]\n");
        assertThat(reparse(t, WgQuickWriter.toWgQuickString(t))).isEqualTo(t);
        assertThat(t.sources()).containsExactly(Path.of("wg0.conf"));
    }
}
