package dev.jwg.cli.wg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanUnitsTest {
    private static String plain(String s) {
        return Terminal.strip(s);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|''",
        "1|1 second",
        "59|59 seconds",
        "60|1 minute",
        "90|1 minute, 30 seconds",
        "3600|1 hour",
        "3661|1 hour, 1 minute, 1 second",
        "86400|1 day",
        "172800|2 days",
        "31536000|1 year",
        "31622401|1 year, 1 day, 1 second",
        "65535|18 hours, 12 minutes, 15 seconds",
        "1795516256|56 years, 341 days, 10 hours, 30 minutes, 56 seconds",
    })
    void durations(long seconds, String expected) {
        assertThat(plain(HumanUnits.duration(seconds))).isEqualTo(expected);
    }

    @Test
    void durationsAreColouredPerUnit() {
        assertThat(HumanUnits.duration(61)).isEqualTo(
                "1 \u001b[36mminute\u001b[0m, 1 \u001b[36msecond\u001b[0m");
    }

    @Test
    void unsignedDurationNeverNegative() {
        // 2^64 - 1 seconds: wg's unsigned long long arithmetic
        assertThat(plain(HumanUnits.duration(-1L)))
                .isEqualTo("584942417355 years, 26 days, 7 hours, 15 seconds");
    }

    @Test
    void ago() {
        assertThat(HumanUnits.ago(1000, 1000)).isEqualTo("Now");
        assertThat(plain(HumanUnits.ago(1000, 1090))).isEqualTo("1 minute, 30 seconds ago");
        assertThat(plain(HumanUnits.ago(1000, 1001))).isEqualTo("1 second ago");
        assertThat(HumanUnits.ago(1001, 1000)).isEqualTo(
                "(\u001b[31mSystem clock wound backward; connection problems may ensue.\u001b[0m)");
    }

    @Test
    void every() {
        assertThat(plain(HumanUnits.every(25))).isEqualTo("every 25 seconds");
        assertThat(plain(HumanUnits.every(1))).isEqualTo("every 1 second");
        assertThat(plain(HumanUnits.every(3600))).isEqualTo("every 1 hour");
        assertThat(plain(HumanUnits.every(65535))).isEqualTo("every 18 hours, 12 minutes, 15 seconds");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0 B",
        "1|1 B",
        "1023|1023 B",
        "1024|1.00 KiB",
        "1029|1.00 KiB",
        "1034|1.01 KiB",
        "1152|1.12 KiB",    // 1.125 exactly: ties to even, as glibc (Java's %.2f would say 1.13)
        "1408|1.38 KiB",    // 1.375 exactly
        "1536|1.50 KiB",
        "1048575|1024.00 KiB",
        "1048576|1.00 MiB",
        "4781506|4.56 MiB",
        "1073741823|1024.00 MiB",
        "5368709121|5.00 GiB",
        "1099511627776|1.00 TiB",
        "123456789012345|112.28 TiB",
        "-1|16777216.00 TiB", // 2^64 - 1
    })
    void bytes(long b, String expected) {
        assertThat(plain(HumanUnits.bytes(b))).isEqualTo(expected);
    }

    @Test
    void bytesUnitIsCyan() {
        assertThat(HumanUnits.bytes(476)).isEqualTo("476 \u001b[36mB\u001b[0m");
        assertThat(HumanUnits.bytes(1260)).isEqualTo("1.23 \u001b[36mKiB\u001b[0m");
    }

    @Test
    void unsignedToDoubleRoundsToNearestEven() {
        assertThat(HumanUnits.unsignedToDouble(-1L)).isEqualTo(18446744073709551616.0);
        assertThat(HumanUnits.unsignedToDouble(Long.MIN_VALUE)).isEqualTo(9223372036854775808.0);
        assertThat(HumanUnits.unsignedToDouble(42)).isEqualTo(42.0);
    }
}
