package dev.jwg.cli.wg;

import static dev.jwg.cli.wg.Fixtures.ALICE_PRIVATE;
import static dev.jwg.cli.wg.Fixtures.ALICE_PUBLIC;
import static dev.jwg.cli.wg.Fixtures.K1;
import static dev.jwg.cli.wg.Fixtures.K2;
import static dev.jwg.cli.wg.Fixtures.K3;
import static dev.jwg.cli.wg.Fixtures.K4;
import static dev.jwg.cli.wg.Fixtures.NOW;
import static dev.jwg.cli.wg.Fixtures.PSK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.config.KeyText;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.core.crypto.PresharedKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The show forms of one device against the exact text wg prints for it. */
class PrintersTest {
    private static final ShownDevice WG0 = new ShownDevice("wg0", Fixtures.wg0());

    private static String pretty(ShownDevice d, boolean color, boolean showKeys) {
        StringBuilder sb = new StringBuilder();
        PrettyPrinter.print(d, color, showKeys, NOW, EndpointTextTest.SCOPES, sb);
        return sb.toString();
    }

    private static String field(ShownDevice d, String field, boolean all) {
        StringBuilder sb = new StringBuilder();
        assertThat(FieldPrinter.print(d, field, all, EndpointTextTest.SCOPES, sb)).isTrue();
        return sb.toString();
    }

    @Test
    void prettySortsByHandshakeAndHidesKeys() {
        assertThat(pretty(WG0, false, false)).isEqualTo("""
                interface: wg0
                  public key: %s
                  private key: (hidden)
                  listening port: 51820
                  fwmark: 0x1234

                peer: %s
                  endpoint: [fe80::1%%veth0]:5
                  allowed ips: 10.0.1.0/24
                  latest handshake: 5 seconds ago

                peer: %s
                  preshared key: (hidden)
                  endpoint: 192.0.2.7:51820
                  allowed ips: 10.0.0.2/32, fd00::2/128
                  latest handshake: 1 minute, 30 seconds ago
                  transfer: 1.23 KiB received, 4.56 MiB sent
                  persistent keepalive: every 25 seconds

                peer: %s
                  allowed ips: (none)

                peer: %s
                  allowed ips: 10.0.2.0/24
                """.formatted(ALICE_PUBLIC, K3, K1, K2, K4));
    }

    @Test
    void prettyShowsKeysWithHideKeysNever() {
        String s = pretty(WG0, false, true);
        assertThat(s).contains("  private key: " + ALICE_PRIVATE + "\n");
        assertThat(s).contains("  preshared key: " + PSK + "\n");
    }

    @Test
    void prettyInColour() {
        String s = pretty(new ShownDevice("wg0", Fixtures.empty()), true, false);
        assertThat(s).isEqualTo("\u001b[0m\u001b[32m\u001b[1minterface\u001b[0m: \u001b[32mwg0\u001b[0m\n");
        String full = pretty(WG0, true, false);
        assertThat(full).contains("\u001b[33m\u001b[1mpeer\u001b[0m: \u001b[33m" + K3 + "\u001b[0m\n");
        assertThat(full).contains("  \u001b[1mallowed ips\u001b[0m: 10.0.0.2\u001b[36m/\u001b[0m32, fd00::2\u001b[36m/\u001b[0m128\n");
        assertThat(full).contains("  \u001b[1mtransfer\u001b[0m: 1.23 \u001b[36mKiB\u001b[0m received, 4.56 \u001b[36mMiB\u001b[0m sent\n");
        assertThat(Terminal.strip(full)).isEqualTo(pretty(WG0, false, false));
    }

    @Test
    void prettyOfEmptyDevice() {
        assertThat(pretty(new ShownDevice("wg9", Fixtures.empty()), false, false)).isEqualTo("interface: wg9\n");
    }

    @Test
    void peerOrderIsStableAndNanosecondsCount() {
        List<PeerSnapshot> peers = new ArrayList<>();
        peers.add(new PeerSnapshot(KeyText.pub(K1), PresharedKey.ZERO, java.util.Optional.empty(),
                0, 5, 0, 0, 0, List.of())); // sec 0 but nsec set: counts as a handshake, at time 0
        peers.add(Fixtures.peer(K2, null, null, 0, 0, 0, 0));
        peers.add(new PeerSnapshot(KeyText.pub(K3), PresharedKey.ZERO, java.util.Optional.empty(),
                NOW, 1, 0, 0, 0, List.of()));
        peers.add(new PeerSnapshot(KeyText.pub(K4), PresharedKey.ZERO, java.util.Optional.empty(),
                NOW, 2, 0, 0, 0, List.of()));
        peers.sort(PrettyPrinter.BY_LATEST_HANDSHAKE);
        assertThat(peers).extracting(p -> p.publicKey().toBase64()).containsExactly(K4, K3, K1, K2);
    }

    @Test
    void fields() {
        assertThat(field(WG0, "public-key", false)).isEqualTo(ALICE_PUBLIC + "\n");
        assertThat(field(WG0, "private-key", false)).isEqualTo(ALICE_PRIVATE + "\n");
        assertThat(field(WG0, "listen-port", false)).isEqualTo("51820\n");
        assertThat(field(WG0, "fwmark", false)).isEqualTo("0x1234\n");
        assertThat(field(WG0, "peers", false)).isEqualTo(K1 + "\n" + K2 + "\n" + K3 + "\n" + K4 + "\n");
        assertThat(field(WG0, "preshared-keys", false)).isEqualTo(
                K1 + "\t" + PSK + "\n" + K2 + "\t(none)\n" + K3 + "\t(none)\n" + K4 + "\t(none)\n");
        assertThat(field(WG0, "endpoints", false)).isEqualTo(
                K1 + "\t192.0.2.7:51820\n" + K2 + "\t(none)\n" + K3 + "\t[fe80::1%veth0]:5\n" + K4 + "\t(none)\n");
        assertThat(field(WG0, "allowed-ips", false)).isEqualTo(
                K1 + "\t10.0.0.2/32 fd00::2/128\n" + K2 + "\t(none)\n" + K3 + "\t10.0.1.0/24\n" + K4 + "\t10.0.2.0/24\n");
        assertThat(field(WG0, "latest-handshakes", false)).isEqualTo(
                K1 + "\t" + (NOW - 90) + "\n" + K2 + "\t0\n" + K3 + "\t" + (NOW - 5) + "\n" + K4 + "\t0\n");
        assertThat(field(WG0, "persistent-keepalive", false)).isEqualTo(
                K1 + "\t25\n" + K2 + "\toff\n" + K3 + "\toff\n" + K4 + "\toff\n");
        assertThat(field(WG0, "transfer", false)).isEqualTo(
                K1 + "\t1260\t4781506\n" + K2 + "\t0\t0\n" + K3 + "\t0\t0\n" + K4 + "\t0\t0\n");
    }

    @Test
    void dump() {
        assertThat(field(WG0, "dump", false)).isEqualTo(
                ALICE_PRIVATE + "\t" + ALICE_PUBLIC + "\t51820\t0x1234\n"
                + K1 + "\t" + PSK + "\t192.0.2.7:51820\t10.0.0.2/32,fd00::2/128\t" + (NOW - 90) + "\t1260\t4781506\t25\n"
                + K2 + "\t(none)\t(none)\t(none)\t0\t0\t0\toff\n"
                + K3 + "\t(none)\t[fe80::1%veth0]:5\t10.0.1.0/24\t" + (NOW - 5) + "\t0\t0\toff\n"
                + K4 + "\t(none)\t(none)\t10.0.2.0/24\t0\t0\t0\toff\n");
        assertThat(field(new ShownDevice("wg9", Fixtures.empty()), "dump", true)).isEqualTo("wg9\t(none)\t(none)\t0\toff\n");
    }

    @Test
    void fieldsOfAllArePrefixedWithTheInterface() {
        assertThat(field(WG0, "listen-port", true)).isEqualTo("wg0\t51820\n");
        assertThat(field(WG0, "peers", true)).isEqualTo("wg0\t" + K1 + "\nwg0\t" + K2 + "\nwg0\t" + K3 + "\nwg0\t" + K4 + "\n");
        assertThat(field(WG0, "dump", true)).startsWith("wg0\t" + ALICE_PRIVATE + "\t").contains("\nwg0\t" + K4 + "\t(none)");
        assertThat(field(new ShownDevice("wg9", Fixtures.empty()), "public-key", true)).isEqualTo("wg9\t(none)\n");
        assertThat(field(new ShownDevice("wg9", Fixtures.empty()), "fwmark", true)).isEqualTo("wg9\toff\n");
    }

    @Test
    void allEndpointsNamesTheInterfaceOnceAsTheStockWg() {
        assertThat(field(WG0, "endpoints", true)).isEqualTo("wg0\t" + K1 + "\t192.0.2.7:51820\n" + K2 + "\t(none)\n"
                + K3 + "\t[fe80::1%veth0]:5\n" + K4 + "\t(none)\n");
        assertThat(field(new ShownDevice("wg9", Fixtures.empty()), "endpoints", true)).isEqualTo("wg9\t"); // no newline
    }

    @Test
    void unknownFieldPrintsNothing() {
        StringBuilder sb = new StringBuilder();
        assertThat(FieldPrinter.print(WG0, "bogus", false, EndpointTextTest.SCOPES, sb)).isFalse();
        assertThat(sb).isEmpty();
    }

    @Test
    void showconf() {
        assertThat(ShowConf.render(WG0, EndpointTextTest.SCOPES)).isEqualTo("""
                [Interface]
                ListenPort = 51820
                FwMark = 0x1234
                PrivateKey = %s

                [Peer]
                PublicKey = %s
                PresharedKey = %s
                AllowedIPs = 10.0.0.2/32, fd00::2/128
                Endpoint = 192.0.2.7:51820
                PersistentKeepalive = 25

                [Peer]
                PublicKey = %s

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.1.0/24
                Endpoint = [fe80::1%%veth0]:5

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.2.0/24
                """.formatted(ALICE_PRIVATE, K1, PSK, K2, K3, K4));
        assertThat(ShowConf.render(new ShownDevice("wg9", Fixtures.empty()), EndpointTextTest.SCOPES)).isEqualTo("[Interface]\n\n");
    }

    @Test
    void json() {
        StringBuilder sb = new StringBuilder();
        ShowJson.device(new ShownDevice("wg0", new dev.jwg.config.uapi.DeviceSnapshot(java.util.Optional.of(
                KeyText.priv(ALICE_PRIVATE)), 51820, 0, List.of(Fixtures.wg0().peers().get(0)))), false,
                EndpointTextTest.SCOPES, "", sb);
        assertThat(sb.toString()).isEqualTo("""
                {
                  "interface": "wg0",
                  "publicKey": "%s",
                  "hasPrivateKey": true,
                  "listenPort": 51820,
                  "fwmark": 0,
                  "peers": [
                    {
                      "publicKey": "%s",
                      "hasPresharedKey": true,
                      "endpoint": "192.0.2.7:51820",
                      "allowedIps": ["10.0.0.2/32", "fd00::2/128"],
                      "latestHandshake": %d,
                      "latestHandshakeNsec": 123456789,
                      "transferRx": 1260,
                      "transferTx": 4781506,
                      "persistentKeepalive": 25
                    }
                  ]
                }""".formatted(ALICE_PUBLIC, K1, NOW - 90));
        StringBuilder keys = new StringBuilder();
        ShowJson.device(WG0, true, EndpointTextTest.SCOPES, "", keys);
        assertThat(keys.toString()).contains("\"privateKey\": \"" + ALICE_PRIVATE + "\"")
                .contains("\"presharedKey\": \"" + PSK + "\"");
        StringBuilder none = new StringBuilder();
        ShowJson.devices(List.of(), false, EndpointTextTest.SCOPES, none);
        assertThat(none.toString()).isEqualTo("[]\n");
        assertThat(ShowJson.string("a\"b\\c\u0001")).isEqualTo("\"a\\\"b\\\\c\\u0001\"");
    }
}
