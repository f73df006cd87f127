package dev.jwg.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jwg.core.crypto.KeyFormatException.Reason;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The branch-free codecs against the JDK's table-driven ones. */
class KeyCodecTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    @Test
    void base64CharacterMappingIsExact() {
        for (int v = 0; v < 64; v++) {
            assertThat(KeyCodec.b64Char(v)).as("value %d", v).isEqualTo(ALPHABET.charAt(v));
        }
        for (int c = 0; c <= 0xFFFF; c++) {
            assertThat(KeyCodec.b64Value(c)).as("char %d", c).isEqualTo(ALPHABET.indexOf(c));
        }
    }

    @Test
    void hexCharacterMappingIsExact() {
        for (int n = 0; n < 16; n++) {
            assertThat(KeyCodec.hexChar(n)).isEqualTo("0123456789abcdef".charAt(n));
        }
        for (int c = 0; c <= 0xFFFF; c++) {
            int expected = Character.isDigit(c) && c < 128 ? c - '0'
                    : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
            assertThat(KeyCodec.hexValue(c)).as("char %d", c).isEqualTo(expected);
        }
    }

    @Test
    void randomKeysAgreeWithTheJdkCodecs() throws KeyFormatException {
        SplittableRandom rng = new SplittableRandom(5);
        byte[] key = new byte[32];
        for (int i = 0; i < 2000; i++) {
            rng.nextBytes(key);
            String b64 = KeyCodec.encodeBase64(key);
            assertThat(b64).isEqualTo(Base64.getEncoder().encodeToString(key));
            assertThat(KeyCodec.decodeBase64(b64)).isEqualTo(key);
            String hex = KeyCodec.encodeHex(key);
            assertThat(hex).isEqualTo(HexFormat.of().formatHex(key));
            assertThat(KeyCodec.decodeHex(hex)).isEqualTo(key);
            assertThat(KeyCodec.decodeHex(hex.toUpperCase())).isEqualTo(key);
        }
    }

    /** The JDK decoder accepts non-zero padding bits; wg (and we) do not, so every key has one spelling. */
    @Test
    void nonCanonicalTrailingBitsAreRejected() {
        String canonical = KeyCodec.encodeBase64(Vectors.seq(0, 32));
        int last = ALPHABET.indexOf(canonical.charAt(42));
        assertThat(last & 3).isZero();
        for (int low = 1; low < 4; low++) {
            String bad = canonical.substring(0, 42) + ALPHABET.charAt(last | low) + "=";
            assertThat(Base64.getDecoder().decode(bad)).isEqualTo(Vectors.seq(0, 32));
            KeyFormatException e = catchThrowableOfType(KeyFormatException.class, () -> KeyCodec.decodeBase64(bad));
            assertThat(e.reason()).isEqualTo(Reason.BASE64_PADDING);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="})
    void base64WrongLength(String s) {
        assertThat(catchThrowableOfType(KeyFormatException.class, () -> KeyCodec.decodeBase64(s)).reason())
                .isEqualTo(Reason.BASE64_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", // URL-safe alphabet
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_=",
        "AAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAAA=",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAé=",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", // '=' in a data position
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\0AA=",
    })
    void base64BadAlphabet(String s) {
        assertThat(s).hasSize(44);
        assertThat(catchThrowableOfType(KeyFormatException.class, () -> KeyCodec.decodeBase64(s)).reason())
                .isEqualTo(Reason.BASE64_ALPHABET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "})
    void base64MissingPadding(String s) {
        assertThat(catchThrowableOfType(KeyFormatException.class, () -> KeyCodec.decodeBase64(s)).reason())
                .isEqualTo(Reason.BASE64_PADDING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", "000000000000000000000000000000000000000000000000000000000000000",
        "00000000000000000000000000000000000000000000000000000000000000000"})
    void hexWrongLength(String s) {
        assertThat(catchThrowableOfType(KeyFormatException.class, () -> KeyCodec.decodeHex(s)).reason())
                .isEqualTo(Reason.HEX_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"g000000000000000000000000000000000000000000000000000000000000000",
        "000000000000000000000000000000000000000000000000000000000000000 ",
        "0x00000000000000000000000000000000000000000000000000000000000000",
        "000000000000000000000000000000000000000000000000000000000000000\u0660"}) // Arabic-Indic zero
    void hexBadAlphabet(String s) {
        assertThat(s).hasSize(64);
        assertThat(catchThrowableOfType(KeyFormatException.class, () -> KeyCodec.decodeHex(s)).reason())
                .isEqualTo(Reason.HEX_ALPHABET);
    }

    @Test
    void isZero() {
        assertThat(KeyCodec.isZero(new byte[32])).isTrue();
        for (int i = 0; i < 32; i++) {
            byte[] k = new byte[32];
            k[i] = (byte) 0x80;
            assertThat(KeyCodec.isZero(k)).as("byte %d", i).isFalse();
        }
    }
}
