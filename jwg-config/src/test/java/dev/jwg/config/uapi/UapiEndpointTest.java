package dev.jwg.config.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UapiEndpointTest {

    @Test
    void ipv4() {
        UapiEndpoint e = UapiEndpoint.parse("192.0.2.7:51820").orElseThrow();
        assertThat(e.address()).containsExactly(192, 0, 2, 7);
        assertThat(e.port()).isEqualTo(51820);
        assertThat(e.zone()).isEmpty();
        assertThat(e.isIpv4()).isTrue();
        assertThat(e).hasToString("192.0.2.7:51820");
    }

    @Test
    void ipv6InBrackets() {
        UapiEndpoint e = UapiEndpoint.parse("[2001:DB8::1]:1").orElseThrow();
        assertThat(e.address()).hasSize(16);
        assertThat(e.port()).isEqualTo(1);
        assertThat(e).hasToString("[2001:db8::1]:1");
    }

    @Test
    void ipv4MappedIsNormalisedToIpv4() {
        UapiEndpoint e = UapiEndpoint.parse("[::ffff:192.0.2.7]:51820").orElseThrow();
        assertThat(e).isEqualTo(UapiEndpoint.parse("192.0.2.7:51820").orElseThrow());
        assertThat(UapiEndpoint.parse("[::ffff:c000:207%eth0]:51820").orElseThrow()).hasToString("192.0.2.7:51820");
    }

    @Test
    void zoneIsKept() {
        UapiEndpoint e = UapiEndpoint.parse("[fe80::1%2]:51820").orElseThrow();
        assertThat(e.zone()).contains("2");
        assertThat(e).hasToString("[fe80::1%2]:51820");
        assertThat(UapiEndpoint.parse("[fe80::1%wg-uplink.10]:5").orElseThrow().zone()).contains("wg-uplink.10");
        assertThat(e).isNotEqualTo(UapiEndpoint.parse("[fe80::1]:51820").orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({
        "1.2.3.4:0, 1.2.3.4:0",
        "1.2.3.4:065535, 1.2.3.4:65535", // Go's ParseUint accepts leading zeros
        "[::]:1, [::]:1",
        "[::1]:51820, [::1]:51820",
        "[0:0:0:0:0:0:0:1]:2, [::1]:2",
        "[64:ff9b::192.0.2.1]:3, [64:ff9b::c000:201]:3",
    })
    void canonicalForm(String in, String out) {
        assertThat(UapiEndpoint.parse(in).orElseThrow()).hasToString(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", ":", "1.2.3.4", "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:-1", "1.2.3.4:+1", "1.2.3.4:1a", "1.2.3.4: 1",
        "1.2.3.4:99999999999999999999", ":51820", "[::1]", "[::1]:", "[::1]:65536", "::1:51820", "fe80::1:51820",
        "2001:db8::1:51820", "[1.2.3.4]:51820", "[::1%]:1", "[::1%a b]:1", "[::1%a/b]:1", "[::1%0123456789abcdef]:1",
        "[::1:1", "::1]:1", "[[::1]]:1", "[::1]]:1", "[]:1", "localhost:51820", "example.com:51820",
        "[example.com]:51820", "1.2.3.4%eth0:1", "01.2.3.4:1", "1.2.3:1", "0x1.2.3.4:1", " 1.2.3.4:1",
        "1.2.3.4:1 ", "[ ::1]:1", "[::1] :1",
    })
    void badFormsAreRejected(String s) {
        assertThat(UapiEndpoint.parse(s)).isEmpty();
    }

    @Test
    void constructorRefusesMappedAndZonedIpv4() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new UapiEndpoint(new byte[] {1, 2, 3, 4}, Optional.of("eth0"), 1))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new UapiEndpoint(mapped, Optional.empty(), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
