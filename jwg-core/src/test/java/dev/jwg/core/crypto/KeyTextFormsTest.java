package dev.jwg.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key text forms as the UAPI (hex) and the configuration files (base64) use them, through the key
 * types' public factories. These cases were the tests of jwg-config's former key stand-ins
 * ({@code Key32}, {@code Base64Key}); they now hold for the one key family.
 */
class KeyTextFormsTest {
    static final String HEX = "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a";

    @Test
    void hexRoundTripIsLowercase() throws KeyFormatException {
        PresharedKey k = PresharedKey.fromHex(HEX);
        assertThat(k.toHex()).isEqualTo(HEX);
        assertThat(k.secretBytes()).isEqualTo(HexFormat.of().parseHex(HEX));
        byte[] ascii = new byte[KeyBytes.HEX_LEN + 2];
        k.writeHex(ascii, 1);
        assertThat(new String(ascii, 1, KeyBytes.HEX_LEN, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(HEX);
        assertThat(ascii[0]).isZero();
        assertThat(ascii[ascii.length - 1]).isZero();
    }

    @Test
    void uppercaseHexIsAcceptedLikeGo() throws KeyFormatException {
        assertThat(PublicKey.fromHex(HEX.toUpperCase())).isEqualTo(PublicKey.fromHex(HEX));
    }

    @Test
    void everyByteValueSurvivesTheCodec() throws KeyFormatException {
        Random r = new Random(1);
        for (int i = 0; i < 1000; i++) {
            byte[] b = new byte[32];
            r.nextBytes(b);
            String hex = HexFormat.of().formatHex(b);
            assertThat(PresharedKey.fromBytes(b).toHex()).isEqualTo(hex);
            assertThat(PresharedKey.fromHex(hex).secretBytes()).isEqualTo(b);
            assertThat(PrivateKey.fromHexAsWritten(hex).secretBytes()).as("kept as written").isEqualTo(b);
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
        assertThatThrownBy(() -> PresharedKey.fromHex(s)).isInstanceOf(KeyFormatException.class);
        assertThatThrownBy(() -> PrivateKey.fromHexAsWritten(s)).isInstanceOf(KeyFormatException.class);
    }

    @Test
    void zeroAndEquality() throws KeyFormatException {
        assertThat(PresharedKey.ZERO.isZero()).isTrue();
        assertThat(PrivateKey.ZERO.isZero()).isTrue();
        assertThat(PresharedKey.fromHex("0".repeat(64))).isEqualTo(PresharedKey.ZERO);
        assertThat(PrivateKey.fromHexAsWritten("0".repeat(64))).isEqualTo(PrivateKey.ZERO);
        byte[] b = new byte[32];
        b[31] = 1;
        assertThat(PresharedKey.fromBytes(b).isZero()).isFalse();
        assertThat(PresharedKey.fromBytes(b)).isNotEqualTo(PresharedKey.ZERO).hasSameHashCodeAs(PresharedKey.fromBytes(b.clone()));
    }

    @Test
    void defensiveCopies() {
        byte[] b = new byte[32];
        PresharedKey k = PresharedKey.fromBytes(b);
        b[0] = 1;
        k.secretBytes()[1] = 1;
        assertThat(k.isZero()).isTrue();
    }

    @Test
    void toStringHidesTheKey() throws KeyFormatException {
        assertThat(PresharedKey.fromHex(HEX).toString()).doesNotContain("e84b").doesNotContain("6Eta");
        assertThat(PrivateKey.fromHexAsWritten(HEX).toString()).doesNotContain("e84b").doesNotContain("6Eta");
    }

    @Test
    void wrongLengthIsAProgrammingError() {
        assertThatThrownBy(() -> PresharedKey.fromBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrivateKey.fromBytesAsWritten(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void base64AgreesWithTheJdkCodecOnRandomKeys() throws KeyFormatException {
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[32];
            r.nextBytes(b);
            String jdk = Base64.getEncoder().encodeToString(b);
            assertThat(PresharedKey.fromBytes(b).toBase64()).isEqualTo(jdk);
            assertThat(PresharedKey.fromBase64(jdk).secretBytes()).isEqualTo(b);
            assertThat(PrivateKey.fromBase64AsWritten(jdk).toBase64()).as("kept as written").isEqualTo(jdk);
        }
    }

    @Test
    void everyBase64AlphabetCharacterDecodes() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; i++) {
            String k = String.valueOf(alphabet.charAt(i)).repeat(40) + "AAA=";
            org.assertj.core.api.Assertions.assertThatCode(() -> PublicKey.fromBase64(k)).as(k).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaE",    // no padding
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaE==",  // 45 chars
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaF=",   // non-canonical: low bits of the last data char set
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA_TkB_yOaE=",   // URL-safe alphabet
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOa==",   // '=' inside the data
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOa\u00e9=", // non-ASCII
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/y aE=",   // space
    })
    void base64RejectsAnythingButACanonicalKey(String s) {
        assertThatThrownBy(() -> PublicKey.fromBase64(s)).isInstanceOf(KeyFormatException.class);
        assertThatThrownBy(() -> PrivateKey.fromBase64AsWritten(s)).isInstanceOf(KeyFormatException.class);
    }

    @Test
    void aKeyAsWrittenHasTheClampedKeysPublicKeyAndClampsOnRequest() throws KeyFormatException {
        String written = "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaE="; // low bits of the first byte set
        PrivateKey asWritten = PrivateKey.fromBase64AsWritten(written);
        PrivateKey clamped = PrivateKey.fromBase64(written);
        assertThat(asWritten.toBase64()).isEqualTo(written);
        assertThat(asWritten).isNotEqualTo(clamped);
        assertThat(asWritten.publicKey()).isEqualTo(clamped.publicKey());
        assertThat(asWritten.clamped()).isEqualTo(clamped);
        assertThat(clamped.clamped()).isSameAs(clamped);
        assertThat(PrivateKey.ZERO.clamped()).isSameAs(PrivateKey.ZERO);
    }
}
