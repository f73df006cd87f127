package dev.jwg.config.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Key32Test {
    static final String HEX = "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a";

    @Test
    void hexRoundTripIsLowercase() {
        Key32 k = Key32.parseHex(HEX).orElseThrow();
        assertThat(k.toHex()).isEqualTo(HEX);
        assertThat(k.rawBytes()).isEqualTo(HexFormat.of().parseHex(HEX));
    }

    @Test
    void uppercaseHexIsAcceptedLikeGo() {
        assertThat(Key32.parseHex(HEX.toUpperCase())).contains(Key32.parseHex(HEX).orElseThrow());
    }

    @Test
    void everyByteValueSurvivesTheCodec() {
        Random r = new Random(1);
        for (int i = 0; i < 1000; i++) {
            byte[] b = new byte[32];
            r.nextBytes(b);
            String hex = HexFormat.of().formatHex(b);
            assertThat(Key32.of(b).toHex()).isEqualTo(hex);
            assertThat(Key32.parseHex(hex).orElseThrow().rawBytes()).isEqualTo(b);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "e84b",
        // 63 and 65 digits
        "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027",
        "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a0",
        // one bad digit at the start, the middle, the end
        "g84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a",
        "e84b5a6d2717c1003a13b431570353db aca9146cf150c5f8575680feba52027",
        "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027:",
        "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027/",
        "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027@",
        "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027`",
        "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027G",
        "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027\u0660",
        // base64 of a key is not accepted
        "6EtabScXwQA6E7QxVwNT26ypFGzxUMX4V1aA/rpSAno=",
    })
    void badHexIsRejected(String s) {
        assertThat(Key32.parseHex(s)).isEmpty();
    }

    @Test
    void zeroAndEquality() {
        assertThat(Key32.ZERO.isZero()).isTrue();
        assertThat(Key32.parseHex("0".repeat(64)).orElseThrow()).isEqualTo(Key32.ZERO);
        byte[] b = new byte[32];
        b[31] = 1;
        assertThat(Key32.of(b).isZero()).isFalse();
        assertThat(Key32.of(b)).isNotEqualTo(Key32.ZERO).hasSameHashCodeAs(Key32.of(b.clone()));
    }

    @Test
    void defensiveCopies() {
        byte[] b = new byte[32];
        Key32 k = Key32.of(b);
        b[0] = 1;
        k.rawBytes()[1] = 1;
        assertThat(k.isZero()).isTrue();
    }

    @Test
    void toStringHidesTheKey() {
        Key32 k = Key32.parseHex(HEX).orElseThrow();
        assertThat(k.toString()).doesNotContain("e84b").doesNotContain("6Eta");
    }

    @Test
    void wrongLengthIsAProgrammingError() {
        assertThatThrownBy(() -> Key32.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
