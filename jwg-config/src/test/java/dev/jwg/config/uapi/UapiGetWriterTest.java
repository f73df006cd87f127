package dev.jwg.config.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.config.KeyText;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.routing.IpPrefix;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UapiGetWriterTest {
    static final String PRIV = UapiSetParserTest.PRIV;
    static final String PUB1 = UapiSetParserTest.PUB1;
    static final String PUB2 = UapiSetParserTest.PUB2;
    static final String PSK = UapiSetParserTest.PSK;
    static final String ZERO = "0".repeat(64);


    static IpPrefix prefix(String s) {
        return IpPrefix.parseAsWritten(s);
    }

    @Test
    void emptyDeviceIsJustErrno() {
        assertThat(UapiGetWriter.toString(new DeviceSnapshot(Optional.empty(), 0, 0, List.of())))
                .isEqualTo("errno=0\n\n");
        // An all-zero key is "no key", as in wireguard-go.
        assertThat(UapiGetWriter.toString(new DeviceSnapshot(Optional.of(PrivateKey.ZERO), 0, 0, List.of())))
                .isEqualTo("errno=0\n\n");
    }

    @Test
    void everythingSet() {
        DeviceSnapshot d = new DeviceSnapshot(Optional.of(KeyText.privHex(PRIV)), 51820, 0xca6c, List.of(
                new PeerSnapshot(KeyText.pubHex(PUB1), KeyText.pskHex(PSK), Optional.of("192.0.2.7:51820"), 1_700_000_000L, 123_456_789L,
                        1428, 1372, 25, List.of(prefix("10.0.0.2/32"), prefix("fd00::2/128"))),
                new PeerSnapshot(KeyText.pubHex(PUB2), PresharedKey.ZERO, Optional.of("[fe80::1%2]:51820"), 0, 0, 0, 0, 0,
                        List.of(prefix("0.0.0.0/0")))));
        assertThat(UapiGetWriter.toString(d)).isEqualTo("""
                private_key=e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a
                listen_port=51820
                fwmark=51820
                public_key=b85996fecc9c7f1fc6d2572a76eda11d59bcd20be8e543b15ce4bd85a8e75a33
                preshared_key=188515093e952f5f22e865cef3012e72f8b5f0b598ac0309d5dacce3b70fcf52
                protocol_version=1
                endpoint=192.0.2.7:51820
                last_handshake_time_sec=1700000000
                last_handshake_time_nsec=123456789
                tx_bytes=1428
                rx_bytes=1372
                persistent_keepalive_interval=25
                allowed_ip=10.0.0.2/32
                allowed_ip=fd00::2/128
                public_key=58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376
                preshared_key=0000000000000000000000000000000000000000000000000000000000000000
                protocol_version=1
                endpoint=[fe80::1%2]:51820
                last_handshake_time_sec=0
                last_handshake_time_nsec=0
                tx_bytes=0
                rx_bytes=0
                persistent_keepalive_interval=0
                allowed_ip=0.0.0.0/0
                errno=0

                """);
    }

    @Test
    void omissions() {
        // No private key, port 0, fwmark 0: no device lines; a peer without endpoint and allowed IPs.
        DeviceSnapshot d = new DeviceSnapshot(Optional.empty(), 0, 0, List.of(
                new PeerSnapshot(KeyText.pubHex(PUB1), PresharedKey.ZERO, Optional.empty(), 0, 0, 0, 0, 0, List.of())));
        assertThat(UapiGetWriter.toString(d)).isEqualTo("public_key=" + PUB1 + "\npreshared_key=" + ZERO
                + "\nprotocol_version=1\nlast_handshake_time_sec=0\nlast_handshake_time_nsec=0\ntx_bytes=0\nrx_bytes=0\n"
                + "persistent_keepalive_interval=0\nerrno=0\n\n");
        // Only the port.
        assertThat(UapiGetWriter.toString(new DeviceSnapshot(Optional.empty(), 1, 0, List.of())))
                .isEqualTo("listen_port=1\nerrno=0\n\n");
    }

    @Test
    void unsignedCountersAndMark() {
        DeviceSnapshot d = new DeviceSnapshot(Optional.empty(), 65535, -1, List.of(
                new PeerSnapshot(KeyText.pubHex(PUB1), PresharedKey.ZERO, Optional.empty(), Long.MAX_VALUE, 999_999_999L, -1L, Long.MIN_VALUE,
                        65535, List.of())));
        assertThat(UapiGetWriter.toString(d)).contains("listen_port=65535\n", "fwmark=4294967295\n",
                "last_handshake_time_sec=9223372036854775807\n", "last_handshake_time_nsec=999999999\n",
                "tx_bytes=18446744073709551615\n", "rx_bytes=9223372036854775808\n",
                "persistent_keepalive_interval=65535\n");
    }

    @Test
    void numbersOfEveryLengthAreExact() {
        for (long v = 1, i = 0; i < 19; i++, v *= 10) {
            for (long n : new long[] {v - 1, v, v + 1, 2 * v - 1}) {
                DeviceSnapshot d = new DeviceSnapshot(Optional.empty(), 0, 0, List.of(
                        new PeerSnapshot(KeyText.pubHex(PUB1), PresharedKey.ZERO, Optional.empty(), 0, 0, n, 0, 0, List.of())));
                assertThat(UapiGetWriter.toString(d)).contains("\ntx_bytes=" + Long.toUnsignedString(n) + "\n");
            }
        }
    }

    @Test
    void whatWeWriteIsWhatWgsParserWouldRead() throws Exception {
        // The get output, reinterpreted as a set body, parses back to the same keys and prefixes.
        DeviceSnapshot d = new DeviceSnapshot(Optional.of(KeyText.privHex(PRIV)), 51820, 7, List.of(
                new PeerSnapshot(KeyText.pubHex(PUB1), KeyText.pskHex(PSK), Optional.of("[2001:db8::1]:9"), 5, 6, 7, 8, 9,
                        List.of(prefix("10.0.0.0/8"), prefix("::ffff:1.2.3.4/128")))));
        String body = UapiGetWriter.toString(d).replaceAll("(?m)^(last_handshake_time_n?sec|tx_bytes|rx_bytes|errno)=.*\n", "");
        DeviceUpdate u = DeviceUpdate.parse("set=1\n" + body);
        assertThat(u.privateKey()).contains(KeyText.privHex(PRIV));
        assertThat(u.peers().getFirst().presharedKey()).contains(KeyText.pskHex(PSK));
        assertThat(u.peers().getFirst().endpoint()).isEqualTo(UapiEndpoint.parse("[2001:db8::1]:9"));
        assertThat(u.peers().getFirst().allowedIps()).extracting(AllowedIpChange::prefix)
                .containsExactly(prefix("10.0.0.0/8"), prefix("::ffff:1.2.3.4/128"));
    }

    @Test
    void largeSnapshotStreamsInBufferSizedChunks() throws Exception {
        List<IpPrefix> ips = new ArrayList<>(130_560);
        for (int i = 0; i < 255; i++) {
            for (int j = 0; j < 256; j++) {
                ips.add(IpPrefix.ofAsWritten(new byte[] {(byte) 192, (byte) 168, (byte) i, (byte) j}, 32));
                byte[] v6 = new byte[16];
                v6[0] = (byte) 0xab;
                v6[1] = (byte) 0xcd;
                v6[13] = (byte) i;
                v6[15] = (byte) j;
                ips.add(IpPrefix.ofAsWritten(v6, 128));
            }
        }
        DeviceSnapshot d = new DeviceSnapshot(Optional.empty(), 1, 0, List.of(
                new PeerSnapshot(KeyText.pubHex(PUB1), PresharedKey.ZERO, Optional.empty(), 0, 0, 0, 0, 0, ips)));
        CountingStream out = new CountingStream();
        UapiGetWriter.write(d, out);
        assertThat(out.lines).isEqualTo(1 + 8 + 130_560 + 1 + 1);
        assertThat(out.maxWrite).as("written in buffer-sized chunks").isLessThanOrEqualTo(8192);
        assertThat(out.flushes).isEqualTo(1);

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        UapiGetWriter.write(d, text);
        String s = text.toString(StandardCharsets.US_ASCII);
        assertThat(s).contains("\nallowed_ip=192.168.0.0/32\nallowed_ip=abcd::/128\n")
                .contains("\nallowed_ip=192.168.254.255/32\nallowed_ip=abcd::fe:ff/128\nerrno=0\n\n");
    }

    @Test
    void snapshotValuesThatWouldBreakTheProtocolAreRefused() {
        assertThatThrownBy(() -> new PeerSnapshot(KeyText.pubHex(PUB1), PresharedKey.ZERO, Optional.of("1.2.3.4:5\nprivate_key=00"),
                0, 0, 0, 0, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerSnapshot(KeyText.pubHex(PUB1), PresharedKey.ZERO, Optional.empty(), -1, 0, 0, 0, 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerSnapshot(KeyText.pubHex(PUB1), PresharedKey.ZERO, Optional.empty(), 0, 1_000_000_000, 0, 0, 0,
                List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceSnapshot(Optional.empty(), 65536, 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setResponse() throws Exception {
        assertThat(UapiWriter.errno(0)).isEqualTo("errno=0\n\n");
        assertThat(UapiWriter.errno(UapiErrno.EINVAL)).isEqualTo("errno=-22\n\n");
        assertThat(UapiWriter.errno(UapiErrno.EADDRINUSE)).isEqualTo("errno=-98\n\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UapiWriter.writeErrno(out, UapiErrno.EPROTO);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("errno=-71\n\n");
        assertThatThrownBy(() -> UapiWriter.errno(22)).isInstanceOf(IllegalArgumentException.class);
    }

    static final class CountingStream extends OutputStream {
        long lines;
        int maxWrite;
        int flushes;

        @Override
        public void write(int b) {
            if (b == '\n') {
                lines++;
            }
            maxWrite = Math.max(maxWrite, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    lines++;
                }
            }
            maxWrite = Math.max(maxWrite, len);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }
}
