package dev.jwg.core.crypto;

import java.util.random.RandomGenerator;

/**
 * A 32-byte preshared key, mixed into the handshake (the {@code psk} token, docs/protocol.md §1.5);
 * {@link #ZERO} means none is configured.
 *
 * <p>Immutable and thread-safe. {@link #equals} is constant-time, {@link #toString} is
 * {@code "PresharedKey(redacted)"}, and {@link #hashCode} is derived from a BLAKE2s hash of the key so
 * it exposes nothing usable about it. The raw bytes leave only through {@link #secretBytes()}.
 */
public final class PresharedKey extends KeyBytes {
    /** Length in bytes. */
    public static final int LEN = KeyBytes.LEN;

    private static final byte[] HASH_LABEL = {'j', 'w', 'g', '-', 'p', 's', 'k', '-', 'h', 'a', 's', 'h'};

    /** The all-zero key: no preshared key. */
    public static final PresharedKey ZERO = new PresharedKey(new byte[LEN]);

    /** Computed on first use (a BLAKE2s of the key); 0 until then. Racy but idempotent, as String's. */
    private int hash;

    private PresharedKey(byte[] owned) {
        super(owned);
    }

    /** 32 bytes from {@code rng}. Pass a cryptographically strong generator. */
    public static PresharedKey generate(RandomGenerator rng) {
        byte[] k = new byte[LEN];
        rng.nextBytes(k);
        return new PresharedKey(k);
    }

    /** Parses the 44-character base64 form. */
    public static PresharedKey fromBase64(CharSequence base64) throws KeyFormatException {
        return new PresharedKey(KeyCodec.decodeBase64(base64));
    }

    /** Parses the 64-character hex form (either case). */
    public static PresharedKey fromHex(CharSequence hex) throws KeyFormatException {
        return new PresharedKey(KeyCodec.decodeHex(hex));
    }

    /** Copies 32 bytes. @throws IllegalArgumentException unless 32 bytes */
    public static PresharedKey fromBytes(byte[] bytes) {
        return new PresharedKey(copyOf(bytes, "preshared key"));
    }

    /** A copy of the secret bytes (all zero for {@link #ZERO}). The caller should zero it after use. */
    public byte[] secretBytes() {
        return keyCopy();
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            byte[] k = keyCopy();
            try {
                h = firstInt(Blake2s.hash(HASH_LABEL, k));
            } finally {
                java.util.Arrays.fill(k, (byte) 0);
            }
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return "PresharedKey(redacted)";
    }
}
