package dev.jwg.core.crypto;

import static dev.jwg.core.crypto.Vectors.ascii;
import static dev.jwg.core.crypto.Vectors.hex;
import static dev.jwg.core.crypto.Vectors.seq;
import static dev.jwg.core.crypto.Vectors.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChaChaPolyTest {

    private static final String RFC_NONCE = "070000004041424344454647";
    private static final String RFC_CT = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca967128"
            + "2fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b48"
            + "31d7bc3ff4def08e4b7a9de576d26586cec64b6116";
    private static final String RFC_TAG = "1ae10b594f09e26a7e902ecbd0600691";

    /** RFC 8439 §2.8.2 (docs/protocol.md §7.4), through the raw-nonce helper since its nonce starts 07000000. */
    @Test
    void rfc8439AeadVector() {
        byte[] key = hex(Vectors.AEAD_KEY);
        byte[] aad = hex(Vectors.AEAD_AAD);
        byte[] sealed = ChaChaPoly.seal(key, hex(RFC_NONCE), ascii(Vectors.SUNSCREEN), aad);
        assertThat(hex(sealed)).isEqualTo(RFC_CT + RFC_TAG);
        assertThat(ChaChaPoly.open(key, hex(RFC_NONCE), sealed, aad)).isEqualTo(ascii(Vectors.SUNSCREEN));
    }

    @Test
    void wireGuardNonceIsFourZeroBytesThenLittleEndianCounter() {
        assertThat(hex(ChaChaPoly.nonce(0x0102030405060708L))).isEqualTo("000000000807060504030201");
        assertThat(hex(ChaChaPoly.nonce(-1L))).isEqualTo("00000000ffffffffffffffff");
        byte[] key = seq(1, 32);
        byte[] pt = seq(50, 77);
        long counter = 0x1122334455667788L;
        assertThat(ChaChaPoly.seal(key, counter, pt, ascii("ad")))
                .isEqualTo(ChaChaPoly.seal(key, hex("000000008877665544332211"), pt, ascii("ad")));
    }

    /** docs/protocol.md §7.7: the key-confirmation keepalive is AEAD(T_send, 0, ε, ε) = just a tag. */
    @Test
    void keepaliveOfTheHandshakeVector() {
        byte[] sealed = ChaChaPoly.seal(hex(Vectors.T_I_SEND_A), 0, new byte[0], new byte[0]);
        assertThat(hex(sealed)).isEqualTo(Vectors.KEEPALIVE_I2R_A.substring(32));
        assertThat(ChaChaPoly.open(hex(Vectors.T_I_SEND_A), 0, sealed, null)).isEmpty();
    }

    @Test
    void nullAadMeansEmpty() {
        byte[] key = seq(3, 32);
        assertThat(ChaChaPoly.seal(key, 9, ascii("x"), null)).isEqualTo(ChaChaPoly.seal(key, 9, ascii("x"), new byte[0]));
    }

    @Test
    void tamperingIsDetected() {
        byte[] key = seq(5, 32);
        byte[] aad = seq(200, 32);
        byte[] pt = seq(0, 48);
        byte[] sealed = ChaChaPoly.seal(key, 1, pt, aad);
        assertThat(sealed).hasSize(48 + ChaChaPoly.TAG_LEN);
        assertThat(ChaChaPoly.open(key, 1, sealed, aad)).isEqualTo(pt);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] t = sealed.clone();
            t[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(ChaChaPoly.open(key, 1, t, aad)).as("bit %d of ciphertext‖tag", bit).isNull();
        }
        for (int bit = 0; bit < aad.length * 8; bit += 7) {
            byte[] a = aad.clone();
            a[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(ChaChaPoly.open(key, 1, sealed, a)).as("bit %d of aad", bit).isNull();
        }
        assertThat(ChaChaPoly.open(key, 2, sealed, aad)).as("wrong counter").isNull();
        byte[] otherKey = key.clone();
        otherKey[31] ^= 1;
        assertThat(ChaChaPoly.open(otherKey, 1, sealed, aad)).as("wrong key").isNull();
        assertThat(ChaChaPoly.open(key, 1, slice(sealed, 0, sealed.length - 1), aad)).as("truncated").isNull();
        assertThat(ChaChaPoly.open(key, 1, Arrays.copyOf(sealed, sealed.length + 1), aad)).as("extended").isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15})
    void tooShortCiphertextIsRejectedWithoutThrowing(int len) {
        assertThat(ChaChaPoly.open(seq(0, 32), 0, new byte[len], null)).isNull();
    }

    /** The JDK pitfall: sealing twice with the same key and counter must work (and give the same bytes). */
    @Test
    void repeatedSealWithSameKeyAndCounterWorks() {
        byte[] key = seq(8, 32);
        byte[] first = ChaChaPoly.seal(key, 0, ascii("same"), null);
        assertThat(ChaChaPoly.seal(key, 0, ascii("same"), null)).isEqualTo(first);
    }

    @Test
    void rejectsWrongKeyAndNonceLengths() {
        assertThatThrownBy(() -> ChaChaPoly.seal(new byte[31], 0, new byte[1], null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChaChaPoly.open(new byte[33], 0, new byte[16], null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChaChaPoly.seal(new byte[32], new byte[24], new byte[1], null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- Poly1305 alone -------------------------------------------------------------------------------
    // The JDK exposes no Poly1305 MAC, so the RFC 8439 §2.5.2 vector checks a small BigInteger reference
    // here, which then re-derives the tags of the JDK AEAD from its parts (docs/protocol.md §2.6 one-time key from the
    // JDK's raw ChaCha20, docs/protocol.md §2.8 MAC data layout): the AEAD tag is checked independently of the provider.

    /** RFC 8439 §2.5: a textbook Poly1305 over BigInteger, for tests only. */
    static byte[] poly1305(byte[] key32, byte[] msg) {
        BigInteger p = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));
        BigInteger r = le(slice(key32, 0, 16)).and(new BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16));
        BigInteger s = le(slice(key32, 16, 32));
        BigInteger acc = BigInteger.ZERO;
        for (int i = 0; i < msg.length; i += 16) {
            byte[] block = Arrays.copyOf(slice(msg, i, Math.min(i + 16, msg.length)), Math.min(16, msg.length - i) + 1);
            block[block.length - 1] = 1;
            acc = acc.add(le(block)).multiply(r).mod(p);
        }
        byte[] be = acc.add(s).toByteArray();
        byte[] tag = new byte[16];
        for (int i = 0; i < 16 && i < be.length; i++) {
            tag[i] = be[be.length - 1 - i];
        }
        return tag;
    }

    private static BigInteger le(byte[] b) {
        byte[] be = new byte[b.length + 1];
        for (int i = 0; i < b.length; i++) {
            be[b.length - i] = b[i];
        }
        return new BigInteger(be);
    }

    @Test
    void poly1305ReferenceMatchesRfc8439Vector() {
        byte[] key = hex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        assertThat(hex(poly1305(key, ascii("Cryptographic Forum Research Group")))).isEqualTo("a8061dc1305136c6c22b8baf0c0127a9");
    }

    private static byte[] macData(byte[] aad, byte[] ct) {
        int aadPad = (16 - aad.length % 16) % 16;
        int ctPad = (16 - ct.length % 16) % 16;
        byte[] m = new byte[aad.length + aadPad + ct.length + ctPad + 16];
        System.arraycopy(aad, 0, m, 0, aad.length);
        System.arraycopy(ct, 0, m, aad.length + aadPad, ct.length);
        int o = m.length - 16;
        for (int i = 0; i < 8; i++) {
            m[o + i] = (byte) ((long) aad.length >>> (8 * i));
            m[o + 8 + i] = (byte) ((long) ct.length >>> (8 * i));
        }
        return m;
    }

    private static byte[] oneTimeKey(byte[] key, byte[] nonce) throws Exception {
        Cipher c = Cipher.getInstance("ChaCha20");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, 0));
        return c.doFinal(new byte[32]);
    }

    @Test
    void aeadTagsAgreeWithReferencePoly1305() throws Exception {
        byte[] key = hex(Vectors.AEAD_KEY);
        byte[] aad = hex(Vectors.AEAD_AAD);
        assertThat(hex(poly1305(oneTimeKey(key, hex(RFC_NONCE)), macData(aad, hex(RFC_CT))))).isEqualTo(RFC_TAG);

        SplittableRandom rng = new SplittableRandom(3);
        for (int len : new int[] {0, 1, 15, 16, 17, 64, 100, 1420}) {
            byte[] k = new byte[32];
            rng.nextBytes(k);
            byte[] pt = new byte[len];
            rng.nextBytes(pt);
            byte[] ad = new byte[len % 40];
            rng.nextBytes(ad);
            long counter = rng.nextLong();
            byte[] sealed = ChaChaPoly.seal(k, counter, pt, ad);
            byte[] ct = slice(sealed, 0, len);
            assertThat(poly1305(oneTimeKey(k, ChaChaPoly.nonce(counter)), macData(ad, ct)))
                    .as("tag for length %d", len)
                    .isEqualTo(slice(sealed, len, len + 16));
        }
    }
}
