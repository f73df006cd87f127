package dev.jwg.cli.wg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.config.KeyText;
import dev.jwg.config.uapi.AllowedIpChange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WgValuesTest {
    @TempDir
    Path dir;

    private final Services services = new Services(Path.of("/nonexistent-services"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|10|0|true",
        "42|10|42|true",
        "' 42'|10|42|true",
        "+42|10|42|true",
        "-1|10|-1|true",
        "42x|10|42|false",
        "x|10|0|false",
        "''|10|0|true",
        "0x1f|16|31|true",
        "0x|16|0|false",
        "0xg|16|0|false",
        "99999999999999999999999|10|-1|true",
        "18446744073709551615|10|-1|true",
    })
    void strtoul(String s, int base, long value, boolean full) {
        assertThat(WgValues.strtoul(s, base)).isEqualTo(value);
        assertThat(WgValues.isFullyParsed(s, base)).isEqualTo(full);
    }

    @Test
    void ports() throws Exception {
        assertThat(WgValues.port("51820", services)).isEqualTo(51820);
        assertThat(WgValues.port("0", services)).isZero();
        assertThat(WgValues.port("65535", services)).isEqualTo(65535);
        // glibc would truncate to 16 bits (70000 -> 4464); jwg refuses, as its file parsers do
        assertThatThrownBy(() -> WgValues.port("70000", services)).hasMessage("Port must be 0..65535: `70000'");
        assertThatThrownBy(() -> WgValues.port("65536", services)).hasMessage("Port must be 0..65535: `65536'");
        assertThatThrownBy(() -> WgValues.port("-1", services)).hasMessage("Servname not supported for ai_socktype: `-1'");
        assertThatThrownBy(() -> WgValues.port("", services)).hasMessage("Unable to parse empty port");
        assertThatThrownBy(() -> WgValues.port("abc", services)).hasMessage("Servname not supported for ai_socktype: `abc'");
        Path etc = dir.resolve("services");
        Files.writeString(etc, "# comment\nhttp 80/tcp www\ndomain 53/udp\nwgx 51820/udp wireguard # alias\n");
        Services s = new Services(etc);
        assertThat(WgValues.port("domain", s)).isEqualTo(53);
        assertThat(WgValues.port("wireguard", s)).isEqualTo(51820);
        assertThatThrownBy(() -> WgValues.port("http", s)).isInstanceOf(WgFailure.class); // TCP only
    }

    @Test
    void fwmarks() throws Exception {
        assertThat(WgValues.fwmark("off")).isZero();
        assertThat(WgValues.fwmark("OFF")).isZero();
        assertThat(WgValues.fwmark("0")).isZero();
        assertThat(WgValues.fwmark("0x20")).isEqualTo(32);
        assertThat(WgValues.fwmark("4294967295")).isEqualTo(-1);
        assertThat(WgValues.fwmark("0xffffffff")).isEqualTo(-1);
        for (String bad : new String[] {"0x1g", "0x", "4294967296", "-1", " 1", "x", "0X10", ""}) {
            assertThatThrownBy(() -> WgValues.fwmark(bad)).hasMessage("Fwmark is neither 0/off nor 0-0xffffffff: `" + bad + "'");
        }
    }

    @Test
    void keepalives() throws Exception {
        assertThat(WgValues.persistentKeepalive("off")).isZero();
        assertThat(WgValues.persistentKeepalive("0")).isZero();
        assertThat(WgValues.persistentKeepalive("25")).isEqualTo(25);
        assertThat(WgValues.persistentKeepalive("65535")).isEqualTo(65535);
        for (String bad : new String[] {"65536", "x", "-1", "+5", "25s", ""}) {
            assertThatThrownBy(() -> WgValues.persistentKeepalive(bad))
                    .hasMessage("Persistent keepalive interval is neither 0/off nor 1-65535: `" + bad + "'");
        }
    }

    @Test
    void keys() throws Exception {
        assertThat(WgValues.key(Fixtures.K1)).isEqualTo(KeyText.pub(Fixtures.K1));
        assertThatThrownBy(() -> WgValues.key("abc")).hasMessage("Key is not the correct length or format: `abc'");
    }

    private static List<String> ips(String value, boolean[] replace, StringBuilder warnings) throws WgFailure {
        List<AllowedIpChange> into = new ArrayList<>();
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        replace[0] = WgValues.allowedIps(value, into, new PrintStream(w, true, StandardCharsets.UTF_8));
        warnings.append(w.toString(StandardCharsets.UTF_8));
        return into.stream().map(AllowedIpChange::wireValue).toList();
    }

    @Test
    void allowedIps() throws Exception {
        boolean[] replace = new boolean[1];
        StringBuilder warnings = new StringBuilder();
        assertThat(ips("10.0.0.0/8,fd00::/64,192.0.2.1,2001:db8::1", replace, warnings))
                .containsExactly("10.0.0.0/8", "fd00::/64", "192.0.2.1/32", "2001:db8::1/128");
        assertThat(replace[0]).isTrue();
        assertThat(ips("", replace, warnings)).isEmpty();
        assertThat(replace[0]).isTrue();
        assertThat(ips("+10.0.0.0/8,-fd00::/64", replace, warnings)).containsExactly("10.0.0.0/8", "-fd00::/64");
        assertThat(replace[0]).isFalse();
        assertThat(ips("10.1.0.0/16,+10.2.0.0/16", replace, warnings)).containsExactly("10.1.0.0/16", "10.2.0.0/16");
        assertThat(replace[0]).isFalse();
        assertThat(ips("10.0.0.1/032", replace, warnings)).containsExactly("10.0.0.1/32");
        assertThat(warnings).isEmpty();
        assertThat(ips("10.0.0.1/24", replace, warnings)).containsExactly("10.0.0.1/24");
        assertThat(warnings.toString()).isEqualTo("Warning: AllowedIP has nonzero host part: 10.0.0.1/24\n");
    }

    @Test
    void badAllowedIps() {
        boolean[] r = new boolean[1];
        StringBuilder w = new StringBuilder();
        assertThatThrownBy(() -> ips("10.0.0.1/33", r, w)).hasMessage("AllowedIP is not in the correct format: `10.0.0.1/33'");
        assertThatThrownBy(() -> ips("10.0.0.1/", r, w)).hasMessage("AllowedIP is not in the correct format: `10.0.0.1/'");
        assertThatThrownBy(() -> ips("-10.0.0.1/x", r, w)).hasMessage("AllowedIP is not in the correct format: `10.0.0.1/x'");
        assertThatThrownBy(() -> ips("fd00::/129", r, w)).hasMessage("AllowedIP is not in the correct format: `fd00::/129'");
        assertThatThrownBy(() -> ips("10.0.0.1,", r, w)).hasMessage("Unable to parse IP address: `'");
        assertThatThrownBy(() -> ips("10.0.0.01", r, w)).hasMessage("Unable to parse IP address: `10.0.0.01'");
        assertThatThrownBy(() -> ips("fe80::1%2/64", r, w)).hasMessage("Unable to parse IP address: `fe80::1%2'");
        assertThatThrownBy(() -> ips("::ffff:1.2.3.4.5", r, w)).isInstanceOf(WgFailure.class);
    }

    @Test
    void keyFiles() throws Exception {
        Path good = dir.resolve("good");
        Files.writeString(good, Fixtures.K1 + "\n \t\n");
        assertThat(KeyFiles.readPreshared(good.toString())).isEqualTo(KeyText.psk(Fixtures.K1));
        assertThat(KeyFiles.readPreshared("/dev/null").isZero()).isTrue();
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "");
        assertThat(KeyFiles.readPreshared(empty.toString()).isZero()).isTrue();
        Path shortKey = dir.resolve("short");
        Files.writeString(shortKey, "abc\n");
        assertThatThrownBy(() -> KeyFiles.readPreshared(shortKey.toString())).hasMessage("Invalid length key in key file");
        Path trailing = dir.resolve("trailing");
        Files.writeString(trailing, Fixtures.K1 + " x");
        assertThatThrownBy(() -> KeyFiles.readPreshared(trailing.toString())).hasMessage("Found trailing character in key file: `x'");
        Path bad = dir.resolve("bad");
        Files.writeString(bad, "!".repeat(44));
        assertThatThrownBy(() -> KeyFiles.readPreshared(bad.toString()))
                .hasMessage("Key is not the correct length or format: `" + bad + "'"); // the path, never the content
        assertThatThrownBy(() -> KeyFiles.readPreshared(dir.resolve("missing").toString())).hasMessage("fopen: No such file or directory");
    }
}
