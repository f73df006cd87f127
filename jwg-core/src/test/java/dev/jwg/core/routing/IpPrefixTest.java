package dev.jwg.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "10.0.0.0/24, 10.0.0.0/24, false",
        "10.0.0.1, 10.0.0.1/32, false",
        "10.0.0.1/32, 10.0.0.1/32, false",
        "0.0.0.0/0, 0.0.0.0/0, false",
        "1.2.3.4/0, 0.0.0.0/0, true",
        "255.255.255.255/1, 128.0.0.0/1, true",
        "10.1.2.3/8, 10.0.0.0/8, true",
        "10.0.0.1/31, 10.0.0.0/31, true",
        // docs/protocol.md §7.9 masking examples
        "192.95.5.93/27, 192.95.5.64/27, true",
        "2607:5300:6d8a:6bf8:dab1:f1df:c05f:1523/83, 2607:5300:6d8a:6bf8:dab1:e000::/83, true",
        "2607:5300:6d8a:6bf8:dab1:f1df:c05f:1523/21, 2607:5000::/21, true",
        "2607:5300:6d8a:6bf8:dab1:f1df:c05f:1523/128, 2607:5300:6d8a:6bf8:dab1:f1df:c05f:1523/128, false",
        "10.1.0.20/29, 10.1.0.16/29, true",
        "fd00::/64, fd00::/64, false",
        "fd00::1/64, fd00::/64, true",
        "::1, ::1/128, false",
        "::/0, ::/0, false",
        "::1/0, ::/0, true",
        "FD00:0::ABCD/112, fd00::/112, true",
        "FD00:0::ABCD/128, fd00::abcd/128, false",
        "fd00::abcd/120, fd00::ab00/120, true",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/65, ffff:ffff:ffff:ffff:8000::/65, true",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/64, ffff:ffff:ffff:ffff::/64, true",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/127, ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127, true",
        "::ffff:10.1.2.3/120, ::ffff:10.1.2.0/120, true",
        "::ffff:10.1.2.3/96, ::ffff:0.0.0.0/96, true",
    })
    void parsesMasksAndFormats(String text, String canonical, boolean hostBits) {
        IpPrefix p = IpPrefix.parse(text);
        assertThat(p.toString()).isEqualTo(canonical);
        assertThat(IpPrefix.hasHostBits(text)).isEqualTo(hostBits);
        assertThat(IpPrefix.parse(canonical)).isEqualTo(p).hasSameHashCodeAs(p);
        assertThat(IpPrefix.hasHostBits(canonical)).isFalse();
        assertThat(IpPrefix.of(p.address(), p.bits())).isEqualTo(p);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "", "/", "/24", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/08",
        "10.0.0.0/00", "10.0.0.0/8/8", "10.0.0.0/ 8", "10.0.0.0 /8", "10.0.0.0/8 ", "10.0.0.0/1000",
        "10.0.0.0/0x8", "010.0.0.0/8", "10.0.0/8", "::/129", "::/1280", "fe80::1%eth0/64",
        "fe80::/64%eth0", "[::]/0", "::/", "10.0.0.0/4294967304", "10.0.0.0/ⅷ",
    })
    void rejectsInvalid(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("invalid IP ");
        assertThatThrownBy(() -> IpPrefix.hasHostBits(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorMessagesQuoteTheWholeText() {
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33"))
            .hasMessage("invalid IP prefix \"10.0.0.0/33\": prefix length 33 out of range 0-32");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.256/24"))
            .hasMessage("invalid IP prefix \"10.0.0.256/24\": IPv4 octet out of range at position 7");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/"))
            .hasMessage("invalid IP prefix \"10.0.0.0/\": missing prefix length after '/'");
        assertThatThrownBy(() -> IpPrefix.parse("fd00::/08"))
            .hasMessage("invalid IP prefix \"fd00::/08\": prefix length with a leading zero");
        assertThatThrownBy(() -> IpPrefix.parse("fe80::1%eth0"))
            .hasMessage("invalid IP address \"fe80::1%eth0\": zones are not allowed");
    }

    @Test
    void ofValidatesAndCopies() {
        byte[] a = {10, 1, 2, 3};
        IpPrefix p = IpPrefix.of(a, 16);
        a[0] = 99;
        assertThat(p.toString()).isEqualTo("10.1.0.0/16");
        byte[] out = p.address();
        out[0] = 99;
        assertThat(p.address()).containsExactly(10, 1, 0, 0);
        assertThat(p.bits()).isEqualTo(16);
        assertThat(p.family()).isEqualTo(4);
        assertThat(p.isIpv4()).isTrue();
        assertThat(IpPrefix.parse("::/0").family()).isEqualTo(6);
        assertThatThrownBy(() -> IpPrefix.of(new byte[4], 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.of(new byte[4], -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.of(new byte[8], 8)).isInstanceOf(IllegalArgumentException.class);
        assertThat(IpPrefix.of(new byte[16], 128).toString()).isEqualTo("::/128");
    }

    @Test
    void contains() {
        IpPrefix p = IpPrefix.parse("192.95.5.64/27");
        assertThat(p.contains(IpAddresses.parse("192.95.5.64"))).isTrue();
        assertThat(p.contains(IpAddresses.parse("192.95.5.95"))).isTrue();
        assertThat(p.contains(IpAddresses.parse("192.95.5.96"))).isFalse();
        assertThat(p.contains(IpAddresses.parse("192.95.5.63"))).isFalse();
        assertThat(p.contains(IpAddresses.parse("::ffff:192.95.5.64"))).isFalse();
        assertThat(IpPrefix.parse("::/0").contains(IpAddresses.parse("fd00::1"))).isTrue();
        assertThat(IpPrefix.parse("::/0").contains(IpAddresses.parse("10.0.0.1"))).isFalse();
        assertThat(IpPrefix.parse("fd00::/9").contains(IpAddresses.parse("fd7f::1"))).isTrue();
        assertThat(IpPrefix.parse("fd00::/9").contains(IpAddresses.parse("fd80::1"))).isFalse();
    }

    @Test
    void equalityIgnoresHostBitsButNotLengthOrFamily() {
        assertThat(IpPrefix.parse("10.0.0.1/8")).isEqualTo(IpPrefix.parse("10.255.0.0/8"));
        assertThat(IpPrefix.parse("10.0.0.0/8")).isNotEqualTo(IpPrefix.parse("10.0.0.0/9"));
        assertThat(IpPrefix.parse("0.0.0.0/0")).isNotEqualTo(IpPrefix.parse("::/0"));
    }

    @Test
    void orderIsIpv4FirstThenAddressThenShorterFirst() {
        List<IpPrefix> list = new ArrayList<>();
        for (String s : new String[] {"::/0", "10.0.0.0/24", "9.0.0.0/8", "10.0.0.0/8", "0.0.0.0/0",
                "10.1.0.0/16", "fd00::/8", "::1/128", "255.255.255.255/32"}) {
            list.add(IpPrefix.parse(s));
        }
        Collections.sort(list);
        assertThat(list).map(IpPrefix::toString).containsExactly(
            "0.0.0.0/0", "9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/24", "10.1.0.0/16", "255.255.255.255/32",
            "::/0", "::1/128", "fd00::/8");
    }

    @Test
    void randomRoundTrips() {
        SplittableRandom rnd = new SplittableRandom(83);
        for (int i = 0; i < 20_000; i++) {
            byte[] a = new byte[rnd.nextBoolean() ? 4 : 16];
            for (int k = 0; k < a.length; k++) {
                a[k] = (byte) (rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(256));
            }
            int bits = rnd.nextInt(a.length * 8 + 1);
            IpPrefix p = IpPrefix.of(a, bits);
            String s = p.toString();
            assertThat(IpPrefix.parse(s)).as(s).isEqualTo(p);
            assertThat(p.contains(a)).isTrue();
            // masked address: the bits after the length are zero
            byte[] m = p.address();
            for (int bit = bits; bit < a.length * 8; bit++) {
                assertThat((m[bit >>> 3] >>> (7 - (bit & 7))) & 1).isZero();
            }
            // and the text with the original host bits parses to the same prefix
            String raw = IpAddresses.format(a) + "/" + bits;
            assertThat(IpPrefix.parse(raw)).isEqualTo(p);
            assertThat(IpPrefix.hasHostBits(raw)).isEqualTo(!java.util.Arrays.equals(a, m));
        }
    }

    @Test
    void asWrittenKeepsHostBitsAndMaskedClearsThem() {
        IpPrefix written = IpPrefix.parseAsWritten("192.95.5.93/27");
        assertThat(written).hasToString("192.95.5.93/27");
        assertThat(written.hasHostBits()).isTrue();
        assertThat(written.masked()).isEqualTo(IpPrefix.parse("192.95.5.93/27")).hasToString("192.95.5.64/27");
        assertThat(written).isNotEqualTo(written.masked());
        assertThat(IpPrefix.parseAsWritten("10.0.0.1")).hasToString("10.0.0.1/32");
        IpPrefix masked = IpPrefix.parse("10.0.0.0/8");
        assertThat(masked.hasHostBits()).isFalse();
        assertThat(masked.masked()).isSameAs(masked);
        assertThat(IpPrefix.ofAsWritten(new byte[] {10, 0, 0, 1}, 8)).hasToString("10.0.0.1/8");
        assertThat(IpPrefix.ofAsWritten(new byte[] {10, 0, 0, 1}, 8).contains(new byte[] {10, 9, 9, 9})).isTrue();
        assertThatThrownBy(() -> IpPrefix.ofAsWritten(new byte[3], 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.parseAsWritten("10.0.0.1/33")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRoutingTableMasksAPrefixGivenAsWritten() {
        AllowedIps<String> table = new AllowedIps<>();
        table.insert(IpPrefix.parseAsWritten("10.1.2.3/16"), "a");
        assertThat(table.lookupV4(0x0a01_ffff)).isEqualTo("a");
        assertThat(table.prefixesOf("a")).containsExactly(IpPrefix.parse("10.1.0.0/16"));
        assertThat(table.remove(IpPrefix.parseAsWritten("10.1.9.9/16"), "a")).isTrue();
        assertThat(table.size()).isZero();
    }
}
