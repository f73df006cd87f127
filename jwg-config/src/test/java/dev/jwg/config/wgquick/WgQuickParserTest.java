package dev.jwg.config.wgquick;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.config.Fixtures;
import dev.jwg.config.KeyText;
import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.HostPort;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.core.routing.IpPrefix;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WgQuickParserTest {
    @Test
    void hubWithManyPeers() throws Exception {
        TunnelConfig t = WgQuickParser.parse(Fixtures.path("wgquick/hub0.conf"));
        assertThat(t.name()).isEqualTo("hub0");
        assertThat(t.sources()).containsExactly(Fixtures.path("wgquick/hub0.conf"));
        InterfaceConfig i = t.iface();
        assertThat(i.privateKey()).contains(KeyText.priv("UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaE="));
        assertThat(i.listenPort()).hasValue(51820);
        assertThat(i.addresses()).extracting(Object::toString)
                .containsExactly("10.8.0.1/24", "fd42:42:42::1/64", "192.168.77.1/24");
        assertThat(i.postUp()).containsExactly(
                "iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE # NAT for %i");
        assertThat(i.preUp()).containsExactly("echo \"bringing up %i\" >> /var/log/wg-%i.log");
        assertThat(i.preDown()).containsExactly("logger -t wg-quick \"#going down %i\"");
        assertThat(i.saveConfig()).isFalse();
        assertThat(t.peers()).hasSize(8);
        PeerConfig phone = t.peers().get(1);
        assertThat(phone.presharedKey()).isPresent();
        assertThat(phone.allowedIps()).extracting(IpPrefix::toString).containsExactly("10.8.0.3/32", "fd42:42:42::3/128");
        PeerConfig branch = t.peers().get(2);
        assertThat(branch.endpoint()).contains(new HostPort("branch.example.net", 51820));
        assertThat(branch.persistentKeepalive()).hasValue(25);
        assertThat(t.peers().get(3).endpoint().orElseThrow().toString()).isEqualTo("[2001:db8:1::7]:51821");
        assertThat(t.peers().get(3).persistentKeepalive()).hasValue(0);
        assertThat(t.peers().get(7).allowedIps()).extracting(IpPrefix::toString).containsExactly("10.8.0.9/32");
    }

    @Test
    void fullTunnelClientWithDnsSearchDomainsAndCrLf() throws Exception {
        TunnelConfig t = WgQuickParser.parse(Fixtures.path("wgquick/laptop.conf"));
        InterfaceConfig i = t.iface();
        assertThat(i.dnsServers()).extracting(Object::toString).containsExactly("10.8.0.1", "fd42:42:42::1", "9.9.9.9");
        assertThat(i.dnsSearch()).containsExactly("corp.example.com", "lab.example.com");
        assertThat(i.mtu()).hasValue(1380);
        assertThat(i.table()).contains(RouteTable.AUTO);
        assertThat(i.fwMark()).hasValue(51820);
        assertThat(t.peers().getFirst().allowedIps()).extracting(IpPrefix::toString).containsExactly("0.0.0.0/0", "::/0");
    }

    @Test
    void wgKeysIgnoreWhitespaceInsideTheLine() throws Exception {
        TunnelConfig t = WgQuickParser.parse("wg0.conf", """
                [ Interface ]
                Listen Port = 5 1820
                [Peer]
                PublicKey = oJXyD5OVZQz5OAuO2yJKaySKHpJOj9 CuLhqUkqMwXxg=
                AllowedIPs = 10.0.0.0 / 8 ,  fd00:: / 8
                """);
        assertThat(t.iface().listenPort()).hasValue(51820);
        assertThat(t.peers().getFirst().allowedIps()).extracting(IpPrefix::toString).containsExactly("10.0.0.0/8", "fd00::/8");
    }

    @Test
    void keysAndSectionsAreMatchedCaseInsensitivelyAsWgDoes() throws Exception {
        // the spelling of an often-published site-to-site example: wg and wg-quick take it
        TunnelConfig t = WgQuickParser.parse("site-a.conf", """
                [INTERFACE]
                address = 10.9.0.1/30
                privatekey = UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaE=
                LISTENPORT = 51820
                [peer]
                PublicKey = oJXyD5OVZQz5OAuO2yJKaySKHpJOj9CuLhqUkqMwXxg=
                EndPoint = site-b.example.net:51820
                Allowedips = 10.9.0.2/32, 192.168.20.0/24
                persistentKeepAlive = 25
                """);
        assertThat(t.iface().addresses()).extracting(Object::toString).containsExactly("10.9.0.1/30");
        assertThat(t.iface().listenPort()).hasValue(51820);
        PeerConfig p = t.peers().getFirst();
        assertThat(p.endpoint()).contains(new HostPort("site-b.example.net", 51820));
        assertThat(p.allowedIps()).extracting(IpPrefix::toString).containsExactly("10.9.0.2/32", "192.168.20.0/24");
        assertThat(p.persistentKeepalive()).hasValue(25);
    }

    @Test
    void portsAboveTheRangeAreRefusedWhereWgWouldWrapThem() {
        // wg reads "ListenPort = 70000" through getaddrinfo, which keeps 16 bits (4464); jwg refuses it
        assertThatThrownBy(() -> WgQuickParser.parse("wg0.conf", "[Interface]\nListenPort = 70000\n"))
                .hasMessage("wg0.conf:2: ListenPort: '70000' is not a port number 0..65535");
        assertThatThrownBy(() -> WgQuickParser.parse("wg0.conf", """
                [Peer]
                PublicKey = oJXyD5OVZQz5OAuO2yJKaySKHpJOj9CuLhqUkqMwXxg=
                Endpoint = 192.0.2.1:70000
                """)).isInstanceOf(ConfigException.class).hasMessageStartingWith("wg0.conf:3: Endpoint: ");
    }

    @Test
    void wgQuickListsSplitOnCommasAndSpaces() throws Exception {
        TunnelConfig t = WgQuickParser.parse("wg0.conf", """
                [Interface]
                Address = 10.0.0.1/24 10.0.1.1/24,10.0.2.1/24
                DNS = 1.1.1.1 example.com
                """);
        assertThat(t.iface().addresses()).hasSize(3);
        assertThat(t.iface().dnsSearch()).containsExactly("example.com");
    }

    @Test
    void fwMarkAndKeepaliveForms() throws Exception {
        assertThat(fwMark("off")).isZero();
        assertThat(fwMark("OFF")).isZero();
        assertThat(fwMark("0")).isZero();
        assertThat(fwMark("0x10")).isEqualTo(16);
        assertThat(fwMark("0xffffffff")).isEqualTo(0xffffffffL);
        assertThat(fwMark("4294967295")).isEqualTo(0xffffffffL);
        assertThatThrownBy(() -> fwMark("4294967296")).hasFieldOrPropertyWithValue("reason", ConfigError.BAD_FWMARK);
        assertThatThrownBy(() -> fwMark("0x")).hasFieldOrPropertyWithValue("reason", ConfigError.BAD_FWMARK);
        assertThatThrownBy(() -> fwMark("0X10")).hasFieldOrPropertyWithValue("reason", ConfigError.BAD_FWMARK);
        assertThatThrownBy(() -> fwMark("-1")).hasFieldOrPropertyWithValue("reason", ConfigError.BAD_FWMARK);
    }

    private static long fwMark(String v) throws ConfigException {
        return WgQuickParser.parse("wg0.conf", "[Interface]\nFwMark = " + v + "\n").iface().fwMark().orElseThrow();
    }

    @Test
    void listenPortServiceNamesAreRefusedClearly() {
        assertThatThrownBy(() -> WgQuickParser.parse("wg0.conf", "[Interface]\nListenPort = wireguard\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("wg0.conf:2: ListenPort: 'wireguard' is not a port number 0..65535 (service names are not supported)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wg0.conf", "a.conf", "=+._-012345678.conf", "WG_x.conf"})
    void interfaceNameComesFromTheFileName(String file) throws Exception {
        assertThat(WgQuickParser.parse(file, "").name()).isEqualTo(file.substring(0, file.length() - 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wg0", "wg0.cfg", ".conf", "0123456789abcdef.conf", "wg 0.conf", "wg:0.conf", "wg0.conf.bak"})
    void badFileNamesAreRefused(String file) {
        assertThatThrownBy(() -> WgQuickParser.parse(file, ""))
                .isInstanceOf(ConfigException.class)
                .hasFieldOrPropertyWithValue("reason", ConfigError.BAD_INTERFACE_NAME)
                .hasFieldOrPropertyWithValue("line", 0);
    }

    @Test
    void emptyAllowedIpsIsAcceptedButEmptyElementsAreNot() throws Exception {
        TunnelConfig t = WgQuickParser.parse("wg0.conf", "[Peer]\nPublicKey=oJXyD5OVZQz5OAuO2yJKaySKHpJOj9CuLhqUkqMwXxg=\nAllowedIPs=\n");
        assertThat(t.peers().getFirst().allowedIps()).isEmpty();
        assertThatThrownBy(() -> WgQuickParser.parse("wg0.conf",
                "[Peer]\nPublicKey=oJXyD5OVZQz5OAuO2yJKaySKHpJOj9CuLhqUkqMwXxg=\nAllowedIPs=10.0.0.0/8,\n"))
                .hasFieldOrPropertyWithValue("reason", ConfigError.BAD_PREFIX);
    }

    @Test
    void aPastedKeyIsNeverEchoed() {
        String secret = "3Rey2EKEXegqW8U5iIrHgFSiOZzPyfzC2jHOPdFmvc0=";
        for (String text : new String[] {
                "[Interface]\n" + secret + "\n",
                "[Interface]\nPrivateKey = " + secret.substring(1) + "\n",
                "[Interface]\nPrivateKey = " + secret + "x\n",
                "[Peer]\nPresharedKey = " + secret.replace('=', 'A') + "\n",
                "[Interface]\nPrivate Key: " + secret + "\n",
                "[" + secret + "]\n"}) {
            assertThatThrownBy(() -> WgQuickParser.parse("wg0.conf", text))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret.substring(4, 20)));
        }
    }

    @Test
    void readsFromPathAndReportsUnreadableFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> WgQuickParser.parse(dir.resolve("wg9.conf")))
                .hasFieldOrPropertyWithValue("reason", ConfigError.FILE_UNREADABLE)
                .hasFieldOrPropertyWithValue("file", "wg9.conf")
                .hasMessageStartingWith("wg9.conf: cannot read the file");
        Path big = dir.resolve("wg8.conf");
        java.nio.file.Files.write(big, new byte[(1 << 20) + 1]);
        assertThatThrownBy(() -> WgQuickParser.parse(big)).hasFieldOrPropertyWithValue("reason", ConfigError.FILE_TOO_LARGE);
    }
}
