package dev.jwg.core.crypto;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.IvParameterSpec;

/**
 * {@code AEAD(key, counter, plaintext, aad)} for handshake messages (docs/protocol.md §1.1): the JDK's
 * ChaCha20-Poly1305 (RFC 8439) with WireGuard's nonce, 4 zero bytes followed by the counter as
 * little-endian 64-bit. Output is ciphertext ‖ 16-byte tag.
 *
 * <p>Stateless and thread-safe. Each call uses a fresh {@link Cipher}: that sidesteps the JDK's refusal
 * to re-initialise one Cipher for encryption with the key and nonce it last saw (handshakes do seal
 * with counter 0 under several keys, and a test or a retransmission may repeat one); its cost is noise
 * next to a handshake's four X25519 operations ({@code JdkCipherBench.sealNewCipherPerPacket}). The
 * data path uses {@link TransportCipher} instead.
 */
public final class ChaChaPoly {
    private ChaChaPoly() {}

    /** Length of the Poly1305 tag appended to every ciphertext. */
    public static final int TAG_LEN = 16;
    /** Length of a key. */
    public static final int KEY_LEN = 32;
    /** Length of the RFC 8439 nonce. */
    static final int NONCE_LEN = 12;
    /** JCA name of the cipher; the provider is trusted only after {@link CryptoSelfCheck}. */
    static final String TRANSFORMATION = "ChaCha20-Poly1305";

    private static final byte[] NO_AAD = new byte[0];

    /**
     * Encrypts and authenticates {@code plaintext} with {@code aad} (null means none).
     *
     * @return ciphertext ‖ tag, {@code plaintext.length + 16} bytes
     */
    public static byte[] seal(byte[] key, long counter, byte[] plaintext, byte[] aad) {
        return seal(key, nonce(counter), plaintext, aad);
    }

    /**
     * Verifies and decrypts {@code ciphertext} (ciphertext ‖ tag) with {@code aad} (null means none).
     *
     * @return the plaintext, or null if authentication fails or the input is shorter than a tag; never
     *     throws for bad input
     */
    public static byte[] open(byte[] key, long counter, byte[] ciphertext, byte[] aad) {
        return open(key, nonce(counter), ciphertext, aad);
    }

    /** WireGuard's 12-byte nonce: 4 zero bytes ‖ counter little-endian. */
    static byte[] nonce(long counter) {
        byte[] n = new byte[NONCE_LEN];
        writeCounter(n, counter);
        return n;
    }

    /** Writes {@code counter} little-endian into bytes 4..11 of a 12-byte nonce; bytes 0..3 are left alone. */
    static void writeCounter(byte[] nonce, long counter) {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
    }

    /** RFC 8439 AEAD with an arbitrary 12-byte nonce; for XChaCha20-Poly1305 and the RFC vectors. */
    static byte[] seal(byte[] key, byte[] nonce12, byte[] plaintext, byte[] aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        ChaChaKey k = new ChaChaKey(key);
        try {
            Cipher c = newCipher();
            c.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(checkNonce(nonce12)), null);
            c.updateAAD(aad == null ? NO_AAD : aad);
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            // A fresh, correctly keyed Cipher cannot fail to encrypt; this is a broken provider.
            throw new IllegalStateException("ChaCha20-Poly1305 provider failed to seal", e);
        } finally {
            k.destroy();
        }
    }

    /** RFC 8439 AEAD open with an arbitrary 12-byte nonce; null on failure. */
    static byte[] open(byte[] key, byte[] nonce12, byte[] ciphertext, byte[] aad) {
        Objects.requireNonNull(ciphertext, "ciphertext");
        ChaChaKey k = new ChaChaKey(key);
        try {
            if (ciphertext.length < TAG_LEN) {
                return null;
            }
            Cipher c = newCipher();
            c.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(checkNonce(nonce12)), null);
            c.updateAAD(aad == null ? NO_AAD : aad);
            return c.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 provider failed to open", e);
        } finally {
            k.destroy();
        }
    }

    /** A new JDK ChaCha20-Poly1305 cipher; IllegalStateException naming the cause if the provider is missing. */
    static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new IllegalStateException("no JCA provider for " + TRANSFORMATION, e);
        }
    }

    private static byte[] checkNonce(byte[] nonce12) {
        if (nonce12.length != NONCE_LEN) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 nonce must be 12 bytes, not " + nonce12.length);
        }
        return nonce12;
    }
}
