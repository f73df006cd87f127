package dev.jwg.core.crypto;

import java.security.MessageDigest;

/**
 * What the three key types share: the 32 bytes a key owns, their text forms, the all-zero test and a
 * constant-time {@link #equals} between keys of the same type. Each type adds its factories, its own
 * accessor for the bytes ({@code secretBytes()} for the two secrets, {@code bytes()} for a public
 * key), {@code hashCode} and {@code toString}. These are jwg's only key types: configuration files,
 * the UAPI and the protocol all use them, with the one codec in {@link KeyCodec}.
 *
 * <p>Immutable and thread-safe.
 */
public abstract sealed class KeyBytes permits PrivateKey, PublicKey, PresharedKey {
    /** Length in bytes. */
    public static final int LEN = KeyCodec.KEY_LEN;
    /** Length of the base64 form: 44 characters. */
    public static final int BASE64_LEN = KeyCodec.BASE64_LEN;
    /** Length of the hex form: 64 characters. */
    public static final int HEX_LEN = KeyCodec.HEX_LEN;

    private final byte[] key;

    /** Takes ownership of {@code owned}. */
    KeyBytes(byte[] owned) {
        this.key = owned;
    }

    /** A copy of the bytes, for the subclass's own accessor. */
    final byte[] keyCopy() {
        return key.clone();
    }

    /**
     * A copy of {@code bytes} for a new key.
     *
     * @param what the key type in the message, {@code "public key"}
     * @throws IllegalArgumentException unless 32 bytes
     */
    static byte[] copyOf(byte[] bytes, String what) {
        if (bytes.length != LEN) {
            throw new IllegalArgumentException(what + " must be 32 bytes, not " + bytes.length);
        }
        return bytes.clone();
    }

    /** The first four bytes of {@code b}, little-endian: a hash code when {@code b} is uniformly random. */
    static int firstInt(byte[] b) {
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    /** The 44-character base64 form, as {@code wg} and configuration files write keys. A secret for a secret key. */
    public final String toBase64() {
        return KeyCodec.encodeBase64(key);
    }

    /** The 64-character lowercase hex form, as the UAPI writes keys. A secret for a secret key. */
    public final String toHex() {
        return KeyCodec.encodeHex(key);
    }

    /**
     * Writes the hex form as 64 ASCII bytes into {@code dst} at {@code off}, without making a string
     * (strings of secrets cannot be wiped).
     */
    public final void writeHex(byte[] dst, int off) {
        KeyCodec.encodeHex(key, dst, off);
    }

    /** True for the all-zero key (for a private or preshared key: none configured). */
    public final boolean isZero() {
        return KeyCodec.isZero(key);
    }

    /** Constant-time comparison of the bytes of two keys of the same type. */
    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && MessageDigest.isEqual(key, ((KeyBytes) o).key);
    }

    @Override
    public abstract int hashCode();
}
