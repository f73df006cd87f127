package dev.jwg.config.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Untrusted bytes never make the reader throw anything but {@link UapiException} or {@link IOException},
 * and every connection ends. A plain seeded stand-in until the Jazzer fuzz test exists.
 */
class RobustnessTest {
    private static final String[] FRAGMENTS = {
        "set=1\n", "get=1\n", "\n", "=", "-", "/", ":", "[", "]", "%", "\r", "true", "private_key=", "listen_port=",
        "fwmark=", "replace_peers=", "public_key=", "remove=", "update_only=", "preshared_key=", "endpoint=",
        "persistent_keepalive_interval=", "replace_allowed_ips=", "allowed_ip=", "protocol_version=", "1", "65535",
        "4294967296", UapiSetParserTest.PUB1, UapiSetParserTest.PUB1.substring(1), "0".repeat(64), "10.0.0.0/8",
        "fd00::/64", "::ffff:1.2.3.4", "[fe80::1%2]:51820", "1.2.3.4:5", "::", "255", "\u0000", "\u00ff",
    };

    /** Drives a whole connection the way a server does; returns the number of operations seen. */
    static int serve(byte[] input, int maxLineBytes, int maxLines) throws IOException {
        UapiRequestReader r = new UapiRequestReader(new ByteArrayInputStream(input), maxLineBytes, maxLines);
        int ops = 0;
        while (true) {
            ops++;
            assertThat(ops).as("every operation consumes input").isLessThanOrEqualTo(input.length + 1);
            switch (r.next()) {
                case UapiRequest.Get g -> { }
                case UapiRequest.Rejected rej -> assertThat(rej.errno()).isEqualTo(UapiErrno.EINVAL);
                case UapiRequest.Set s -> {
                    try {
                        r.readSet(new DeviceUpdateCollector());
                    } catch (UapiException e) {
                        assertThat(e.errno()).isIn(UapiErrno.EINVAL, UapiErrno.EPROTO, UapiErrno.EIO);
                        assertThat(e.line()).isPositive();
                    }
                }
                case UapiRequest.InvalidOperation i -> {
                    return ops;
                }
                case UapiRequest.EndOfStream e -> {
                    return ops;
                }
            }
        }
    }

    @Test
    void randomBytes() throws IOException {
        Random r = new Random(0x5eed);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(300)];
            r.nextBytes(b);
            if (b.length > 6 && r.nextBoolean()) {
                System.arraycopy("set=1\n".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 6);
            }
            serve(b, 128, 8);
        }
    }

    @Test
    void randomFragmentSoup() throws IOException {
        Random r = new Random(0xf00d);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(r.nextBoolean() ? "set=1\n" : "");
            int n = r.nextInt(40);
            for (int j = 0; j < n; j++) {
                sb.append(FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
            }
            serve(sb.toString().getBytes(StandardCharsets.ISO_8859_1), 4096, 1 << 20);
        }
    }

    @Test
    void mutatedValidRequests() throws Exception {
        Random r = new Random(0xbeef);
        for (int i = 0; i < 5_000; i++) {
            byte[] b = WgRenderer.set(RoundTripTest.randomSet(r)).getBytes(StandardCharsets.US_ASCII);
            int flips = 1 + r.nextInt(4);
            for (int f = 0; f < flips && b.length > 0; f++) {
                int at = r.nextInt(b.length);
                switch (r.nextInt(3)) {
                    case 0 -> b[at] = (byte) r.nextInt(256);
                    case 1 -> b[at] = (byte) "=:/-\n[]%.0f".charAt(r.nextInt(11));
                    default -> b[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            serve(b, 4096, 1 << 20);
        }
    }

    @Test
    void endlessLineWithoutNewlineIsBounded() throws IOException {
        byte[] b = new byte[2_000_000];
        java.util.Arrays.fill(b, (byte) 'a');
        System.arraycopy("set=1\nlisten_port=".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 18);
        assertThat(serve(b, 4096, 1 << 20)).isEqualTo(2);
    }
}
