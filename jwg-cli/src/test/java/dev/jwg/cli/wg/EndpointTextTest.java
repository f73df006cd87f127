package dev.jwg.cli.wg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.routing.IpAddress;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTextTest {
    /** Interfaces 1 = lo, 7 = veth0. */
    static final EndpointText.Scopes SCOPES = new EndpointText.Scopes() {
        final Map<String, Integer> byName = Map.of("lo", 1, "veth0", 7);

        @Override
        public OptionalInt indexOf(String name) {
            Integer i = byName.get(name);
            return i == null ? OptionalInt.empty() : OptionalInt.of(i);
        }

        @Override
        public Optional<String> nameOf(int index) {
            return byName.entrySet().stream().filter(e -> e.getValue() == index).map(Map.Entry::getKey).findFirst();
        }
    };

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1:51820, 192.0.2.1:51820",
        "[2001:db8::1]:51820, [2001:db8::1]:51820",
        "[2001:0db8::0001]:51820, [2001:db8::1]:51820",
        "[::ffff:192.0.2.1]:1, [::ffff:192.0.2.1]:1",
        "[fe80::1%veth0]:5, [fe80::1%veth0]:5",
        "[fe80::1%7]:5, [fe80::1%veth0]:5",   // link-local: the scope is written as a name
        "[fe80::1%99]:5, [fe80::1%99]:5",     // unknown index: number
        "[2001:db8::1%7]:5, [2001:db8::1%7]:5", // not link-local: number
        "[2001:db8::1%veth0]:5, [2001:db8::1%veth0]:5", // a name that glibc cannot parse there: as given
        "[ff02::1%7]:5, [ff02::1%veth0]:5",
        "garbage, garbage",
        "1.2.3.4:, 1.2.3.4:",
    })
    void endpointsAsGetnameinfo(String uapi, String expected) {
        assertThat(EndpointText.canonicalEndpoint(uapi, SCOPES)).isEqualTo(expected);
    }

    @Test
    void scopeIds() {
        byte[] ll = IpAddress.parse("fe80::1").bytes();
        byte[] global = IpAddress.parse("2001:db8::1").bytes();
        assertThat(EndpointText.scopeId(ll, "veth0", SCOPES)).hasValue(7);
        assertThat(EndpointText.scopeId(ll, "12", SCOPES)).hasValue(12);
        assertThat(EndpointText.scopeId(global, "veth0", SCOPES)).isEmpty();
        assertThat(EndpointText.scopeId(global, "4294967295", SCOPES)).hasValue(-1);
        assertThat(EndpointText.scopeId(global, "4294967296", SCOPES)).isEmpty();
        assertThat(EndpointText.scopeText(ll, 0, SCOPES)).isEmpty();
        assertThat(EndpointText.scopeText(global, -1, SCOPES)).isEqualTo("4294967295");
    }
}
