package dev.jwg.config.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.config.KeyText;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The client-side get parser: round trips with {@link UapiGetWriter}, and wg's acceptance rules. */
class UapiGetParserTest {
    static final String PRIV = UapiSetParserTest.PRIV;
    static final String PUB1 = UapiSetParserTest.PUB1;
    static final String PUB2 = UapiSetParserTest.PUB2;
    static final String PSK = UapiSetParserTest.PSK;

    static DeviceSnapshot parse(String response) throws Exception {
        return UapiGetParser.parse(new ByteArrayInputStream(response.getBytes(StandardCharsets.US_ASCII)));
    }


    @Test
    void roundTripOfAFullDevice() throws Exception {
        DeviceSnapshot d = new DeviceSnapshot(Optional.of(KeyText.privHex(PRIV)), 51820, 0xffff_ffff, List.of(
                new PeerSnapshot(KeyText.pubHex(PUB1), KeyText.pskHex(PSK), Optional.of("192.0.2.7:51820"), 1_700_000_000L, 999_999_999L,
                        -1L, Long.MIN_VALUE, 65535, List.of(IpPrefix.parseAsWritten("10.0.0.2/32"),
                                IpPrefix.parseAsWritten("fd00::/64"), IpPrefix.parseAsWritten("0.0.0.0/0"))),
                new PeerSnapshot(KeyText.pubHex(PUB2), PresharedKey.ZERO, Optional.of("[fe80::1%eth0]:1"), 0, 0, 0, 0, 0, List.of()),
                new PeerSnapshot(KeyText.pubHex(PUB1.replace('1', '2')), PresharedKey.ZERO, Optional.empty(), 0, 0, 0, 0, 0, List.of())));
        assertThat(parse(UapiGetWriter.toString(d))).isEqualTo(d);
    }

    @Test
    void roundTripOfAnEmptyDevice() throws Exception {
        DeviceSnapshot d = new DeviceSnapshot(Optional.empty(), 0, 0, List.of());
        assertThat(parse(UapiGetWriter.toString(d))).isEqualTo(d);
    }

    @Test
    void roundTripOfRandomDevices() throws Exception {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int n = 0; n < 200; n++) {
            List<PeerSnapshot> peers = new ArrayList<>();
            for (int i = rnd.nextInt(5); i > 0; i--) {
                byte[] pub = new byte[32];
                rnd.nextBytes(pub);
                byte[] psk = new byte[32];
                if (rnd.nextBoolean()) {
                    rnd.nextBytes(psk);
                }
                List<IpPrefix> ips = new ArrayList<>();
                for (int j = rnd.nextInt(4); j > 0; j--) {
                    byte[] a = new byte[rnd.nextBoolean() ? 4 : 16];
                    rnd.nextBytes(a);
                    ips.add(IpPrefix.ofAsWritten(a, rnd.nextInt(a.length * 8 + 1)).masked());
                }
                Optional<String> endpoint = rnd.nextBoolean() ? Optional.empty()
                        : Optional.of(new UapiEndpoint(randomBytes(rnd, rnd.nextBoolean() ? 4 : 16), Optional.empty(),
                                rnd.nextInt(65536)).toString());
                long sec = rnd.nextBoolean() ? 0 : rnd.nextLong(Long.MAX_VALUE);
                peers.add(new PeerSnapshot(PublicKey.fromBytes(pub), PresharedKey.fromBytes(psk), endpoint, sec,
                        sec == 0 ? 0 : rnd.nextLong(1_000_000_000L), rnd.nextLong(), rnd.nextLong(), rnd.nextInt(65536), ips));
            }
            byte[] priv = new byte[32];
            rnd.nextBytes(priv);
            DeviceSnapshot d = new DeviceSnapshot(rnd.nextBoolean() ? Optional.empty() : Optional.of(PrivateKey.fromBytesAsWritten(priv)),
                    rnd.nextInt(65536), rnd.nextInt(), peers);
            assertThat(parse(UapiGetWriter.toString(d))).isEqualTo(d);
        }
    }

    private static byte[] randomBytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        if (n == 16 && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            b[0] = 0x20; // not IPv4-mapped
        }
        return b;
    }

    @Test
    void ignoresUnknownKeysAndDeviceKeysAfterTheFirstPeer() throws Exception {
        DeviceSnapshot d = parse("private_key=" + PRIV + "\nsomething_new=1\npublic_key=" + PUB1
                + "\nprotocol_version=1\nlisten_port=7\nfwmark=9\nprivate_key=" + PSK + "\nerrno=0\n\n");
        assertThat(d.listenPort()).isZero();
        assertThat(d.fwmark()).isZero();
        assertThat(d.privateKey()).contains(KeyText.privHex(PRIV));
        assertThat(d.peers()).hasSize(1);
    }

    @Test
    void zeroPrivateKeyIsNoKey() throws Exception {
        assertThat(parse("private_key=" + "0".repeat(64) + "\nerrno=0\n\n").privateKey()).isEmpty();
    }

    @Test
    void refusals() {
        // A non-zero errno from the daemon.
        assertThatThrownBy(() -> parse("errno=22\n\n")).isInstanceOf(UapiException.class)
                .satisfies(e -> assertThat(((UapiException) e).errno()).isEqualTo(-22));
        // Malformed responses are EPROTO, as wg's parser says.
        for (String bad : new String[] {
            "",                                           // closed before errno
            "listen_port=1\n",                            // no errno
            "\n",                                         // blank line before errno
            "errno=0\n",                                  // no blank line after errno
            "junk\nerrno=0\n\n",                          // no '='
            "private_key=xyz\nerrno=0\n\n",               // bad key
            "public_key=" + PUB1 + "\nallowed_ip=10.0.0.0/33\nerrno=0\n\n",
            "listen_port=x\nerrno=0\n\n",
            "listen_port=-1\nerrno=0\n\n",                // wg: integers start with a digit
            "listen_port=65536\nerrno=0\n\n",
            "fwmark=4294967296\nerrno=0\n\n",
            "fwmark=-1\nerrno=0\n\n",
            "public_key=" + PUB1 + "\npersistent_keepalive_interval=65536\nerrno=0\n\n",
            "public_key=" + PUB1 + "\nlast_handshake_time_sec=-5\nerrno=0\n\n",
            "public_key=" + PUB1 + "\nrx_bytes=18446744073709551616\nerrno=0\n\n",
        }) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(UapiException.class)
                    .satisfies(e -> assertThat(((UapiException) e).errno()).isEqualTo(UapiErrno.EPROTO));
        }
    }
}
