package dev.jwg.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IpAddressesTest {

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // text, bytes (hex), canonical form
        "0.0.0.0, 00000000, 0.0.0.0",
        "255.255.255.255, ffffffff, 255.255.255.255",
        "10.0.0.1, 0a000001, 10.0.0.1",
        "192.168.100.200, c0a864c8, 192.168.100.200",
        "::, 00000000000000000000000000000000, ::",
        "::1, 00000000000000000000000000000001, ::1",
        "1::, 00010000000000000000000000000000, 1::",
        "fd00::1, fd000000000000000000000000000001, fd00::1",
        "FD00:0:0:0:0:0:0:1, fd000000000000000000000000000001, fd00::1",
        "2001:db8:0:0:1:0:0:1, 20010db8000000000001000000000001, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 20010db8000000010001000100010001, 2001:db8:0:1:1:1:1:1",
        "2001:0db8:0000:0000:0000:ff00:0042:8329, 20010db8000000000000ff0000428329, 2001:db8::ff00:42:8329",
        "1:0:0:2:0:0:0:3, 00010000000000020000000000000003, 1:0:0:2::3",
        "1:0:0:0:2:0:0:3, 00010000000000000002000000000003, 1::2:0:0:3",
        "0:0:1:0:0:1:0:0, 00000000000100000000000100000000, ::1:0:0:1:0:0",
        "1:2:3:4:5:6:7:8, 00010002000300040005000600070008, 1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::, 00010002000300040005000600070000, 1:2:3:4:5:6:7:0",
        "::2:3:4:5:6:7:8, 00000002000300040005000600070008, 0:2:3:4:5:6:7:8",
        "1:2:3:4:5:6::8, 00010002000300040005000600000008, 1:2:3:4:5:6:0:8",
        "1:2:3:4:5::7:8, 00010002000300040005000000070008, 1:2:3:4:5:0:7:8",
        "1:0:0:4:5:6:7:8, 00010000000000040005000600070008, 1::4:5:6:7:8",
        "abcd:ef01:2345:6789:ABCD:EF01:2345:6789, abcdef0123456789abcdef0123456789, abcd:ef01:2345:6789:abcd:ef01:2345:6789",
        "::ffff:1.2.3.4, 00000000000000000000ffff01020304, ::ffff:1.2.3.4",
        "::FFFF:192.168.1.1, 00000000000000000000ffffc0a80101, ::ffff:192.168.1.1",
        "0:0:0:0:0:ffff:0:0, 00000000000000000000ffff00000000, ::ffff:0.0.0.0",
        "::1.2.3.4, 00000000000000000000000001020304, ::102:304",
        "64:ff9b::192.0.2.33, 0064ff9b0000000000000000c0000221, 64:ff9b::c000:221",
        "1:2:3:4:5:6:1.2.3.4, 00010002000300040005000601020304, 1:2:3:4:5:6:102:304",
        "::ffff:0:1.2.3.4, 0000000000000000ffff000001020304, ::ffff:0:102:304",
        "2607:5300:6d8a:6bf8:dab1:f1df:c05f:1523, 26075300 6d8a6bf8dab1f1dfc05f1523, 2607:5300:6d8a:6bf8:dab1:f1df:c05f:1523",
    })
    void parsesAndFormatsCanonically(String text, String bytesHex, String canonical) {
        byte[] a = IpAddresses.parse(text);
        assertThat(hex(a)).isEqualTo(bytesHex.replace(" ", ""));
        assertThat(IpAddresses.format(a)).isEqualTo(canonical);
        assertThat(IpAddresses.parse(canonical)).isEqualTo(a);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "", " ", "1", "1.2", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "256.0.0.1",
        "1.2.3.256", "01.2.3.4", "1.2.3.04", "1.2.3.00", "0x1.2.3.4", "1.2.3.4 ", " 1.2.3.4",
        "1.2.3.-4", "1.2.3.+4", "1.2.3.1000", "١.2.3.4", "1.2.3.4/24",
        ":", ":::", "::::", "1:2", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8", "1::2::3", ":1::", "1::2:", ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:",
        "12345::", "g::", "fe80::1%eth0", "fe80::%1", "[::1]", "::1/128", "::ffff:1.2.3", "::ffff:1.2.3.4.5",
        "::1.2.3.4:1", "1:2:3:4:5:6:7:1.2.3.4", "::ffff:01.2.3.4", "::ffff:256.2.3.4", "1.2.3.4::",
        "::1 ", "::-1", "::+1", "１::",
    })
    void rejectsInvalid(String text) {
        assertThatThrownBy(() -> IpAddresses.parse(text))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("invalid IP address \"" + text + "\": ");
    }

    @Test
    void errorMessagesSayWhatIsWrong() {
        assertThatThrownBy(() -> IpAddresses.parse("10.0.0.01"))
            .hasMessage("invalid IP address \"10.0.0.01\": IPv4 octet with a leading zero at position 7");
        assertThatThrownBy(() -> IpAddresses.parse("fe80::1%eth0")).hasMessageContaining("zones are not allowed");
        assertThatThrownBy(() -> IpAddresses.parse("1::2::3")).hasMessageContaining("more than one '::'");
        assertThatThrownBy(() -> IpAddresses.parse("1:2:3:4:5:6:7:8:9")).hasMessageContaining("more than 8 groups");
        assertThatThrownBy(() -> IpAddresses.format(new byte[5], 0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpAddresses.format(new byte[5], 2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void formatsAtAnOffset() {
        byte[] packet = new byte[40];
        packet[12] = 10;
        packet[15] = 7;
        assertThat(IpAddresses.format(packet, 12, 4)).isEqualTo("10.0.0.7");
        packet[24] = (byte) 0xfd;
        packet[39] = 1;
        assertThat(IpAddresses.format(packet, 24, 16)).isEqualTo("fd00::1");
    }

    /** Round trip on random addresses, biased towards zero groups so every compression case occurs. */
    @Test
    void randomRoundTrips() {
        SplittableRandom rnd = new SplittableRandom(5952);
        for (int i = 0; i < 50_000; i++) {
            byte[] a = new byte[rnd.nextBoolean() ? 4 : 16];
            for (int g = 0; g < a.length; g += 2) {
                if (rnd.nextInt(3) != 0) {
                    a[g] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 0);
                    a[g + 1] = (byte) rnd.nextInt(256);
                }
            }
            if (a.length == 16 && rnd.nextInt(10) == 0) { // some IPv4-mapped
                java.util.Arrays.fill(a, 0, 10, (byte) 0);
                a[10] = a[11] = (byte) 0xff;
            }
            String s = IpAddresses.format(a);
            assertThat(IpAddresses.parse(s)).as(s).isEqualTo(a);
            assertThat(s).as("canonical has no upper case or leading zeros").doesNotContainPattern("[A-F]|(^|:)0[0-9a-f]");
            assertThat(s).doesNotContain(":::");
            assertThat(s.indexOf("::")).isEqualTo(s.lastIndexOf("::"));
            if (a.length == 16) {
                checkRfc5952(a, s);
            }
        }
    }

    /** Independent check of the RFC 5952 choice: the compressed run is the leftmost longest run of ≥ 2 zero groups. */
    private static void checkRfc5952(byte[] a, String s) {
        boolean mapped = s.startsWith("::ffff:") && s.indexOf('.') > 0;
        if (mapped) return;
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        int best = 0, bestAt = -1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > best) { best = j - i; bestAt = i; }
        }
        StringBuilder expect = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (best >= 2 && i == bestAt) {
                expect.append("::");
                i += best - 1;
                continue;
            }
            if (expect.length() > 0 && !expect.toString().endsWith(":")) expect.append(':');
            expect.append(Integer.toHexString(g[i]));
        }
        assertThat(s).isEqualTo(expect.toString());
    }

    /** Expected values printed by glibc's inet_ntop (through Python's socket.inet_ntop). */
    @ParameterizedTest
    @CsvSource({
        "::2, ::2",
        "::1:0, ::0.1.0.0",
        "::ffff:0:0, ::ffff:0.0.0.0",
        "::ffff:1.2.3.4, ::ffff:1.2.3.4",
        "1::, 1::",
        "1:0:0:1::1, 1:0:0:1::1",
        "::, ::",
        "::1, ::1",
        "0:0:1::, 0:0:1::",
        "fe80::1, fe80::1",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        "1:0:1:0:1:0:1:0, 1:0:1:0:1:0:1:0",
        "::ffff:1:2, ::ffff:0.1.0.2",
        "0:0:0:0:0:1:0:0, ::1:0:0",
        "::1:2:3, ::1:2:3",
        "FD00:0:0:0:0:0:0:AB, fd00::ab",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "10.1.2.3, 10.1.2.3",
        "0.0.0.0, 0.0.0.0",
    })
    void inetNtopAsGlibc(String in, String expected) {
        assertThat(IpAddresses.formatInetNtop(IpAddresses.parse(in))).isEqualTo(expected);
    }
}
