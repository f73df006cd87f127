package dev.jwg.core.crypto;

import static dev.jwg.core.crypto.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class X25519Test {

    private static byte[] dh(byte[] scalar, byte[] u) {
        byte[] out = new byte[32];
        assertThat(X25519.sharedSecret(scalar, u, out)).as("DH succeeds").isTrue();
        return out;
    }

    /** RFC 7748 §5.2 (docs/protocol.md §7.3). The second u has bit 255 set, which must be ignored. */
    @ParameterizedTest
    @CsvSource({
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4,"
                + " e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c,"
                + " c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
        "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d,"
                + " e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493,"
                + " 95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
    })
    void rfc7748SingleScalarMultiplications(String scalar, String u, String expected) {
        byte[] k = hex(scalar);
        byte[] pub = hex(u);
        assertThat(hex(dh(k, pub))).isEqualTo(expected);
        assertThat(hex(k)).as("scalar not modified (clamped on the fly)").isEqualTo(scalar);
        assertThat(hex(pub)).isEqualTo(u);
    }

    private static byte[] iterate(int n) {
        byte[] k = hex("0900000000000000000000000000000000000000000000000000000000000000");
        byte[] u = k.clone();
        byte[] out = new byte[32];
        for (int i = 0; i < n; i++) {
            X25519.sharedSecret(k, u, out);
            u = k;
            k = out.clone();
        }
        return k;
    }

    @Test
    void rfc7748IteratedOnceAndAThousandTimes() {
        assertThat(hex(iterate(1))).isEqualTo("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
        assertThat(hex(iterate(1000))).isEqualTo("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
    }

    /** About 1.5 minutes at ~85 µs per DH (the limit for the suite is 5 s), so only with {@code -Djwg.slowTests=true}. */
    @Test
    @EnabledIfSystemProperty(named = "jwg.slowTests", matches = "true")
    void rfc7748IteratedAMillionTimes() {
        assertThat(hex(iterate(1_000_000))).isEqualTo("7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424");
    }

    /** RFC 7748 §6.1. */
    @Test
    void rfc7748DiffieHellman() {
        byte[] alice = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bob = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        assertThat(hex(X25519.publicKey(alice))).isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        assertThat(hex(X25519.publicKey(bob))).isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertThat(hex(dh(alice, X25519.publicKey(bob)))).isEqualTo(shared);
        assertThat(hex(dh(bob, X25519.publicKey(alice)))).isEqualTo(shared);
    }

    /** docs/protocol.md §7.7: the fixed keys of the handshake vector (clamped privates and their publics). */
    @Test
    void handshakeVectorKeys() {
        assertThat(hex(X25519.publicKey(hex(Vectors.SI_PRIV)))).isEqualTo(Vectors.SI_PUB);
        assertThat(hex(X25519.publicKey(hex(Vectors.SR_PRIV)))).isEqualTo(Vectors.SR_PUB);
        byte[] ei = Vectors.seq(0x20, 32);
        X25519.clamp(ei);
        assertThat(hex(ei)).isEqualTo(Vectors.EI_PRIV);
        assertThat(hex(X25519.publicKey(ei))).isEqualTo(Vectors.EI_PUB);
        byte[] er = Vectors.seq(0x40, 32);
        X25519.clamp(er);
        assertThat(hex(er)).isEqualTo(Vectors.ER_PRIV);
        assertThat(hex(X25519.publicKey(er))).isEqualTo(Vectors.ER_PUB);
    }

    /** The seven low-order points of the kernel's netns.sh (docs/protocol.md §7.3) give an all-zero result: false. */
    @ParameterizedTest
    @ValueSource(strings = {
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA=",
        "X5yVvKNQjCSx0LFVnIPvWwREXMRYHI6G2CJO3dCfEVc=",
        "7P///////////////////////////////////////38=",
        "7f///////////////////////////////////////38=",
        "7v///////////////////////////////////////38=",
    })
    void lowOrderPublicKeysAreRejected(String base64) {
        byte[] pub = Base64.getDecoder().decode(base64);
        byte[] priv = X25519.generatePrivateKey(new SplittableRandom(base64.hashCode()));
        byte[] out = new byte[32];
        Arrays.fill(out, (byte) 0x5a);
        assertThat(X25519.sharedSecret(priv, pub, out)).isFalse();
        assertThat(out).as("output zeroed").containsOnly(0);
        // the same points with bit 255 set are the same points
        pub[31] |= (byte) 0x80;
        Arrays.fill(out, (byte) 0x5a);
        assertThat(X25519.sharedSecret(priv, pub, out)).isFalse();
        assertThat(out).containsOnly(0);
    }

    @Test
    void neverThrowsForArbitraryPublicKeys() {
        SplittableRandom rng = new SplittableRandom(1);
        byte[] priv = X25519.generatePrivateKey(rng);
        byte[] pub = new byte[32];
        byte[] out = new byte[32];
        for (int i = 0; i < 200; i++) {
            rng.nextBytes(pub);
            X25519.sharedSecret(priv, pub, out);
        }
        Arrays.fill(pub, (byte) 0xff); // non-canonical u = 2^255 − 1 (reduced mod p)
        X25519.sharedSecret(priv, pub, out);
    }

    @Test
    void clampAndGenerate() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0xff);
        X25519.clamp(k);
        assertThat(k[0]).isEqualTo((byte) 0xf8);
        assertThat(k[31]).isEqualTo((byte) 0x7f);
        Arrays.fill(k, (byte) 0);
        X25519.clamp(k);
        assertThat(k[0]).isEqualTo((byte) 0);
        assertThat(k[31]).isEqualTo((byte) 0x40);

        byte[] a = X25519.generatePrivateKey(new SplittableRandom(42));
        byte[] b = X25519.generatePrivateKey(new SplittableRandom(42));
        byte[] c = X25519.generatePrivateKey(new SplittableRandom(43));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a[0] & 7).isZero();
        assertThat(a[31] & 0xc0).isEqualTo(0x40);
    }

    @Test
    void randomKeyPairsAgree() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 20; i++) {
            byte[] a = X25519.generatePrivateKey(rng);
            byte[] b = X25519.generatePrivateKey(rng);
            assertThat(dh(a, X25519.publicKey(b))).isEqualTo(dh(b, X25519.publicKey(a)));
        }
    }

    @Test
    void rejectsWrongLengths() {
        assertThatThrownBy(() -> X25519.clamp(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> X25519.publicKey(new byte[33])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> X25519.sharedSecret(new byte[32], new byte[31], new byte[32]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> X25519.sharedSecret(new byte[32], new byte[32], new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
