package dev.jwg.config.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.routing.IpPrefix;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code allowed_ip} values as the UAPI reads and writes them: jwg-core's {@link IpPrefix}, kept as written. */
class AllowedIpTextTest {
    private static Optional<IpPrefix> parse(String s) {
        return Optional.ofNullable(AllowedIpChange.parsePrefix(s, 0));
    }

    /** Input, then what Go's netip.Prefix.String() prints for it. */
    @ParameterizedTest
    @CsvSource({
        "10.0.0.2/32, 10.0.0.2/32",
        "0.0.0.0/0, 0.0.0.0/0",
        "255.255.255.255/32, 255.255.255.255/32",
        "192.168.1.7/24, 192.168.1.7/24", // host bits are kept
        "fd00::2/128, fd00::2/128",
        "::/0, ::/0",
        "::1/128, ::1/128",
        "1::/16, 1::/16",
        "FD00:0:0:0:0:0:0:2/128, fd00::2/128",
        "2001:db8:0:0:1:0:0:1/64, 2001:db8::1:0:0:1/64", // first of equally long zero runs
        "2001:0:0:1:0:0:0:1/64, 2001:0:0:1::1/64", // longest zero run
        "2001:db8:1:1:1:1:0:1/64, 2001:db8:1:1:1:1:0:1/64", // a single zero group is not compressed
        "0:0:0:0:0:0:0:0/128, ::/128",
        "1:2:3:4:5:6:7::/128, 1:2:3:4:5:6:7:0/128",
        "::2:3:4:5:6:7:8/128, 0:2:3:4:5:6:7:8/128",
        "0001:02:003:4::/64, 1:2:3:4::/64",
        "::ffff:1.2.3.4/128, ::ffff:1.2.3.4/128", // IPv4-mapped stays IPv6, as in Go
        "::ffff:0102:0304/128, ::ffff:1.2.3.4/128",
        "64:ff9b::192.0.2.33/96, 64:ff9b::c000:221/96",
        "::1.2.3.4/128, ::102:304/128",
        "1:2:3:4:5:6:1.2.3.4/128, 1:2:3:4:5:6:102:304/128",
    })
    void parsesAndPrintsLikeGoNetip(String in, String out) {
        IpPrefix p = parse(in).orElseThrow();
        assertThat(p.toString()).isEqualTo(out);
        assertThat(parse(out)).contains(p);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "/", "10.0.0.1", "10.0.0.1/", "/24", "10.0.0.1/33", "::/129", "10.0.0.1/-1", "10.0.0.1/+8",
        "10.0.0.1/08", "10.0.0.1/00", "10.0.0.1/ 8", "10.0.0.1/8 ", " 10.0.0.1/8", "10.0.0.1/8/8",
        "10.0.0.01/8", "010.0.0.1/8", "10.0.0/8", "10.0.0.1.1/8", "10..0.1/8", "256.0.0.1/8", "1.2.3.-4/8",
        "localhost/32", "example.com/24", "0x0a.0.0.1/8", "10/8", "1e1.0.0.1/8",
        "fe80::1%eth0/64", "fe80::1%/64", "[::1]/128", ":/0", ":::/0", "1:::2/64", "1::2::3/64",
        ":1::/64", "1::2:/64", "1:2:3:4:5:6:7:8:9/128", "1:2:3:4:5:6:7/128", "1:2:3:4:5:6:7:8::/128",
        "::1:2:3:4:5:6:7:8/128", "12345::/16", "g::/16", "1:2:3:4:5:6:7:1.2.3.4/128",
        "::1.2.3/128", "::1.2.3.4.5/128", "::01.2.3.4/128", "::1.2.3.4:1/128", "::ffff:1.2.3.256/128",
        "1.2.3.4:5/8", "10.0.0.1/4294967328",
    })
    void rejectsAnythingButStrictLiterals(String s) {
        assertThat(parse(s)).isEmpty();
    }

    @Test
    void maskedClearsHostBits() {
        assertThat(parse("192.168.1.7/20").orElseThrow().masked()).isEqualTo(parse("192.168.0.0/20").orElseThrow());
        assertThat(parse("fd00::ffff/113").orElseThrow().masked()).hasToString("fd00::8000/113");
        assertThat(parse("1.2.3.4/0").orElseThrow().masked()).hasToString("0.0.0.0/0");
        assertThat(parse("1.2.3.4/32").orElseThrow().masked()).hasToString("1.2.3.4/32");
    }

    @Test
    void randomAddressesRoundTripThroughText() {
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] a = new byte[r.nextBoolean() ? 4 : 16];
            r.nextBytes(a);
            if (a.length == 16) { // plenty of zero groups, to exercise the compression
                for (int g = 0; g < 8; g++) {
                    if (r.nextInt(3) == 0) {
                        a[2 * g] = 0;
                        a[2 * g + 1] = 0;
                    }
                }
            }
            IpPrefix p = IpPrefix.ofAsWritten(a, r.nextInt(a.length * 8 + 1));
            assertThat(parse(p.toString())).as(p.toString()).contains(p);
            // The glibc inet_ntop form (what wg sends) parses to the same prefix.
            assertThat(parse(InetNtop.format(a) + "/" + p.bits())).as(p.toString()).contains(p);
        }
    }

    @Test
    void equalityIsByValueAndAddressIsCopied() {
        byte[] a = HexFormat.of().parseHex("0a000001");
        IpPrefix p = IpPrefix.ofAsWritten(a, 8);
        a[0] = 11;
        p.address()[0] = 12;
        assertThat(p).isEqualTo(parse("10.0.0.1/8").orElseThrow()).isNotEqualTo(parse("10.0.0.1/9").orElseThrow());
        assertThat(p.isIpv4()).isTrue();
    }
}
