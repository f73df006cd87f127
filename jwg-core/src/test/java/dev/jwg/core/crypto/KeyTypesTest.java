package dev.jwg.core.crypto;

import static dev.jwg.core.crypto.Vectors.hex;
import static dev.jwg.core.crypto.Vectors.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jwg.core.crypto.KeyFormatException.Reason;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyTypesTest {

    // ---- PublicKey --------------------------------------------------------------------------------------

    @Test
    void publicKeyRoundTrips() throws KeyFormatException {
        PublicKey k = PublicKey.fromHex(Vectors.SI_PUB);
        assertThat(k.toHex()).isEqualTo(Vectors.SI_PUB);
        assertThat(k.toBase64()).isEqualTo("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=");
        assertThat(PublicKey.fromBase64(k.toBase64())).isEqualTo(k);
        assertThat(PublicKey.fromBytes(k.bytes())).isEqualTo(k);
        assertThat(PublicKey.fromHex(Vectors.SI_PUB.toUpperCase())).isEqualTo(k);
    }

    @Test
    void publicKeyShortFormAndToString() throws KeyFormatException {
        PublicKey k = PublicKey.fromBase64("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=");
        assertThat(k.shortForm()).isEqualTo("hSDw…bTmo");
        assertThat(k.toString()).isEqualTo("PublicKey(hSDw…bTmo)");
    }

    @Test
    void publicKeyEqualsAndHashCode() {
        PublicKey a = PublicKey.fromBytes(seq(1, 32));
        PublicKey b = PublicKey.fromBytes(seq(1, 32));
        PublicKey c = PublicKey.fromBytes(seq(2, 32));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c).isNotEqualTo(null).isNotEqualTo(seq(1, 32));
        byte[] last = seq(1, 32);
        last[31] ^= 1;
        assertThat(a).isNotEqualTo(PublicKey.fromBytes(last));
        assertThat(a.hashCode()).isNotEqualTo(c.hashCode());
    }

    @Test
    void publicKeyCopiesDefensively() {
        byte[] raw = seq(1, 32);
        PublicKey k = PublicKey.fromBytes(raw);
        raw[0] = 99;
        assertThat(k.bytes()).isEqualTo(seq(1, 32));
        k.bytes()[0] = 99;
        assertThat(k.bytes()).isEqualTo(seq(1, 32));
    }

    @Test
    void publicKeyZeroAndLowOrderAreAccepted() throws KeyFormatException {
        assertThat(PublicKey.fromBytes(new byte[32]).isZero()).isTrue();
        assertThat(PublicKey.fromBytes(seq(0, 32)).isZero()).isFalse();
        PublicKey lowOrder = PublicKey.fromBase64("7P///////////////////////////////////////38=");
        assertThat(lowOrder.isZero()).isFalse();
    }

    @Test
    void wrongByteLengthsAreProgrammingErrors() {
        assertThatThrownBy(() -> PublicKey.fromBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrivateKey.fromBytes(new byte[33])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PresharedKey.fromBytes(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void allTypesReportFormatErrorsWithReason() {
        String shortB64 = "AAAA";
        String badHex = "z".repeat(64);
        assertThat(catchThrowableOfType(KeyFormatException.class, () -> PublicKey.fromBase64(shortB64)).reason())
                .isEqualTo(Reason.BASE64_LENGTH);
        assertThat(catchThrowableOfType(KeyFormatException.class, () -> PrivateKey.fromBase64(shortB64)).reason())
                .isEqualTo(Reason.BASE64_LENGTH);
        assertThat(catchThrowableOfType(KeyFormatException.class, () -> PresharedKey.fromBase64(shortB64)).reason())
                .isEqualTo(Reason.BASE64_LENGTH);
        assertThat(catchThrowableOfType(KeyFormatException.class, () -> PublicKey.fromHex(badHex)).reason())
                .isEqualTo(Reason.HEX_ALPHABET);
        assertThat(catchThrowableOfType(KeyFormatException.class, () -> PrivateKey.fromHex(badHex)).reason())
                .isEqualTo(Reason.HEX_ALPHABET);
        assertThat(catchThrowableOfType(KeyFormatException.class, () -> PresharedKey.fromHex("00")).reason())
                .isEqualTo(Reason.HEX_LENGTH);
    }

    @Test
    void formatErrorMessagesNeverContainTheInput() {
        String secretish = "sEcReTsEcReTsEcReTsEcReTsEcReTsEcReTsEcReT_=";
        KeyFormatException e = catchThrowableOfType(KeyFormatException.class, () -> PrivateKey.fromBase64(secretish));
        assertThat(e.reason()).isEqualTo(Reason.BASE64_ALPHABET);
        assertThat(e.getMessage()).startsWith("not a valid base64 key").doesNotContain("sEcReT").doesNotContain(secretish);
        String secretHex = "abcdef0123456789".repeat(4).substring(0, 63) + "x";
        KeyFormatException h = catchThrowableOfType(KeyFormatException.class, () -> PresharedKey.fromHex(secretHex));
        assertThat(h.getMessage()).startsWith("not a valid hex key").doesNotContain("abcdef0123");
        for (Reason r : Reason.values()) {
            assertThat(new KeyFormatException(r).getMessage()).startsWith(r.name().startsWith("HEX")
                    ? "not a valid hex key" : "not a valid base64 key");
        }
    }

    // ---- PrivateKey ---------------------------------------------------------------------------------------

    /**
     * docs/protocol.md §1.12: netns.sh takes a generated (clamped) key, replaces its first character with
     * '/' (which sets bit 2 of byte 0) and expects the key to read back with '+' (bit 2 cleared again).
     */
    @Test
    void privateKeyIsClampedSoSlashReadsBackAsPlus() throws KeyFormatException {
        String generated = PrivateKey.generate(new SplittableRandom(8)).toBase64();
        String written = "/" + generated.substring(1);
        PrivateKey k = PrivateKey.fromBase64(written);
        assertThat(k.toBase64()).isEqualTo("+" + generated.substring(1));
        assertThat(k.toHex()).isEqualTo(PrivateKey.fromBase64("+" + generated.substring(1)).toHex());
        byte[] clamped = Base64.getDecoder().decode(written);
        assertThat(clamped[0] & 7).isNotZero();
        X25519.clamp(clamped);
        assertThat(k.secretBytes()).isEqualTo(clamped);
    }

    @Test
    void privateKeyOfTheRfcVector() throws KeyFormatException {
        // RFC 7748 Alice, unclamped; the vectors of docs/protocol.md §7.7 use it clamped.
        PrivateKey k = PrivateKey.fromHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        assertThat(k.toHex()).isEqualTo(Vectors.SI_PRIV);
        assertThat(k).isEqualTo(PrivateKey.fromHex(Vectors.SI_PRIV)).hasSameHashCodeAs(PrivateKey.fromHex(Vectors.SI_PRIV));
        assertThat(k.publicKey().toHex()).isEqualTo(Vectors.SI_PUB);
        assertThat(k.isZero()).isFalse();
        assertThat(PrivateKey.fromBase64(k.toBase64())).isEqualTo(k);
        assertThat(PrivateKey.fromBytes(k.secretBytes())).isEqualTo(k);
    }

    @Test
    void generatedPrivateKeyIsClampedAndDeterministicForASeed() {
        PrivateKey a = PrivateKey.generate(new SplittableRandom(1));
        PrivateKey b = PrivateKey.generate(new SplittableRandom(1));
        PrivateKey c = PrivateKey.generate(new SplittableRandom(2));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        byte[] s = a.secretBytes();
        assertThat(s[0] & 7).isZero();
        assertThat(s[31] & 0xc0).isEqualTo(0x40);
        assertThat(a.publicKey().bytes()).isEqualTo(X25519.publicKey(s));
    }

    @Test
    void allZeroPrivateKeyMeansNoKey() throws KeyFormatException {
        PrivateKey zero = PrivateKey.fromHex("0".repeat(64));
        assertThat(zero.isZero()).isTrue();
        assertThat(zero.secretBytes()).containsOnly(0);
        assertThat(zero.publicKey().isZero()).isTrue();
        assertThat(zero).isEqualTo(PrivateKey.fromBytes(new byte[32]));
        byte[] almost = new byte[32];
        almost[5] = 1;
        assertThat(PrivateKey.fromBytes(almost).isZero()).isFalse();
    }

    @Test
    void privateKeyCopiesDefensively() {
        byte[] raw = X25519.generatePrivateKey(new SplittableRandom(3));
        PrivateKey k = PrivateKey.fromBytes(raw);
        byte[] expected = raw.clone();
        raw[1] ^= 1;
        assertThat(k.secretBytes()).isEqualTo(expected);
        k.secretBytes()[1] ^= 1;
        assertThat(k.secretBytes()).isEqualTo(expected);
    }

    @Test
    void secretsNeverAppearInToString() {
        PrivateKey priv = PrivateKey.generate(new SplittableRandom(4));
        PresharedKey psk = PresharedKey.generate(new SplittableRandom(4));
        for (Object o : new Object[] {priv, psk}) {
            String s = o.toString();
            String b64 = o instanceof PrivateKey p ? p.toBase64() : ((PresharedKey) o).toBase64();
            String hx = o instanceof PrivateKey p ? p.toHex() : ((PresharedKey) o).toHex();
            assertThat(s).contains("redacted")
                    .doesNotContain(b64).doesNotContain(b64.substring(0, 4)).doesNotContain(b64.substring(39, 43))
                    .doesNotContain(hx).doesNotContain(hx.substring(0, 8));
            assertThat(String.valueOf(o)).isEqualTo(s);
        }
        assertThat(priv.toString()).isEqualTo("PrivateKey(redacted)");
        assertThat(psk.toString()).isEqualTo("PresharedKey(redacted)");
    }

    // ---- PresharedKey -------------------------------------------------------------------------------------

    @Test
    void presharedKeyRoundTripsAndIsNotClamped() throws KeyFormatException {
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) 0xff); // clamping would change both ends
        PresharedKey k = PresharedKey.fromBytes(raw);
        assertThat(k.secretBytes()).isEqualTo(raw);
        assertThat(k.toBase64()).isEqualTo(Base64.getEncoder().encodeToString(raw));
        assertThat(PresharedKey.fromBase64(k.toBase64())).isEqualTo(k).hasSameHashCodeAs(k);
        assertThat(PresharedKey.fromHex(k.toHex())).isEqualTo(k);
        assertThat(k.toHex()).isEqualTo("ff".repeat(32));
    }

    @Test
    void presharedKeyZero() throws KeyFormatException {
        assertThat(PresharedKey.ZERO.isZero()).isTrue();
        assertThat(PresharedKey.ZERO.secretBytes()).containsOnly(0);
        assertThat(PresharedKey.fromBase64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")).isEqualTo(PresharedKey.ZERO);
        assertThat(PresharedKey.generate(new SplittableRandom(9)).isZero()).isFalse();
        PresharedKey.ZERO.secretBytes()[0] = 1;
        assertThat(PresharedKey.ZERO.isZero()).as("ZERO cannot be mutated through its copy").isTrue();
    }

    @Test
    void presharedKeyEqualsAndHashCode() {
        PresharedKey a = PresharedKey.fromBytes(hex(Vectors.COOKIE_SECRET));
        PresharedKey b = PresharedKey.fromBytes(hex(Vectors.COOKIE_SECRET));
        PresharedKey c = PresharedKey.fromBytes(seq(0, 32));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c).isNotEqualTo(PrivateKey.fromBytes(seq(0, 32)));
        assertThat(a.hashCode()).isNotEqualTo(c.hashCode());
        // the hash code is not simply built from the key's first bytes
        byte[] raw = hex(Vectors.COOKIE_SECRET);
        int naive = (raw[0] & 0xff) | (raw[1] & 0xff) << 8 | (raw[2] & 0xff) << 16 | (raw[3] & 0xff) << 24;
        assertThat(a.hashCode()).isNotEqualTo(naive).isNotEqualTo(java.util.Arrays.hashCode(raw));
    }
}
