package dev.jwg.core.crypto;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A 32-byte ChaCha20 key handed to the JDK's {@code Cipher}, in place of {@code SecretKeySpec}
 * because {@code SecretKeySpec} cannot be wiped ({@code destroy()} is not implemented by it in JDK 25)
 * while this one can.
 *
 * <p>The JDK provider calls {@link #getEncoded()} on every {@code Cipher.init}, which copies the key
 * (32 bytes); the provider zeroes that copy on the next init. Thread-safe: the ciphers of several threads
 * may read one key at once; a read racing {@link #destroy()} may see some zeroed bytes (a useless key).
 */
final class ChaChaKey implements SecretKey {
    private static final long serialVersionUID = 1L;

    private final byte[] key;
    private volatile boolean destroyed;

    ChaChaKey(byte[] key32) {
        if (key32.length != ChaChaPoly.KEY_LEN) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, not " + key32.length);
        }
        this.key = key32.clone();
    }

    @Override
    public String getAlgorithm() {
        return "ChaCha20";
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public byte[] getEncoded() {
        if (destroyed) {
            throw new IllegalStateException("key destroyed");
        }
        return key.clone();
    }

    @Override
    public void destroy() {
        Arrays.fill(key, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "ChaChaKey(redacted)";
    }
}
