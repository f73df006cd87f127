package dev.jwg.config.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigValuesTest {
    @Test
    void decimalLeadingZerosAreWgsChoiceNotSystemds() {
        assertThat(ConfigValues.decimal("051820", 65535, true)).isEqualTo(51820);
        assertThat(ConfigValues.decimal("051820", 65535, false)).isEqualTo(-1);
        assertThat(ConfigValues.decimal("0", 65535, false)).isZero();
        assertThat(ConfigValues.decimal("65535", 65535, false)).isEqualTo(65535);
        assertThat(ConfigValues.decimal("65536", 65535, true)).isEqualTo(-1);
        assertThat(ConfigValues.decimal("", 65535, true)).isEqualTo(-1);
        assertThat(ConfigValues.decimal("+1", 65535, true)).isEqualTo(-1);
        assertThat(ConfigValues.decimal(" 1", 65535, true)).isEqualTo(-1);
        assertThat(ConfigValues.decimal("0".repeat(19), 1, true)).isZero();
        assertThat(ConfigValues.decimal("0".repeat(20), 1, true)).isEqualTo(-1);
    }

    @Test
    void hexIsAtMost32BitsAndAtMostMaxDigits() {
        assertThat(ConfigValues.hex("ffffFFFF", 8)).isEqualTo(0xffff_ffffL);
        assertThat(ConfigValues.hex("100000000", 16)).isEqualTo(-1);
        assertThat(ConfigValues.hex("000000001", 16)).isEqualTo(1);
        assertThat(ConfigValues.hex("000000001", 8)).isEqualTo(-1);
        assertThat(ConfigValues.hex("", 16)).isEqualTo(-1);
        assertThat(ConfigValues.hex("0g", 16)).isEqualTo(-1);
    }

    @Test
    void quoteEscapesControlCharactersAndShortens() {
        assertThat(ConfigValues.quote("a\tb")).isEqualTo("'a\\x09b'");
        assertThat(ConfigValues.quote("x".repeat(65))).isEqualTo("'" + "x".repeat(64) + "…'");
    }
}
