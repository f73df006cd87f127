package dev.jwg.core.crypto;

import java.security.MessageDigest;

/**
 * A Curve25519 public key: 32 bytes, any value (low-order points included — configuration accepts
 * them and the handshake refuses them, wireguard-facts §1.12).
 *
 * <p>Immutable and thread-safe. {@link #equals} is constant-time. Text forms: base64 (44 characters,
 * as {@code wg} and config files use) and lowercase hex (64, as the UAPI uses).
 */
public final class PublicKey {
    /** Length in bytes. */
    public static final int LEN = KeyCodec.KEY_LEN;

    private final byte[] key;

    private PublicKey(byte[] owned) {
        this.key = owned;
    }

    /** Parses the 44-character base64 form. */
    public static PublicKey fromBase64(String base64) throws KeyFormatException {
        return new PublicKey(KeyCodec.decodeBase64(base64));
    }

    /** Parses the 64-character hex form (either case). */
    public static PublicKey fromHex(String hex) throws KeyFormatException {
        return new PublicKey(KeyCodec.decodeHex(hex));
    }

    /** Copies 32 bytes. @throws IllegalArgumentException if {@code bytes} is not 32 bytes long */
    public static PublicKey fromBytes(byte[] bytes) {
        if (bytes.length != LEN) {
            throw new IllegalArgumentException("public key must be 32 bytes, not " + bytes.length);
        }
        return new PublicKey(bytes.clone());
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return key.clone();
    }

    /** The 44-character base64 form. */
    public String toBase64() {
        return KeyCodec.encodeBase64(key);
    }

    /** The 64-character lowercase hex form. */
    public String toHex() {
        return KeyCodec.encodeHex(key);
    }

    /** True for the all-zero key. */
    public boolean isZero() {
        return KeyCodec.isZero(key);
    }

    /**
     * The abbreviation used in logs, {@code "AbCd…WxYz"}: the first 4 and the last 4 data characters of
     * the base64 form (the trailing {@code '='} is left out), as wireguard-go prints peers.
     */
    public String shortForm() {
        String b = toBase64();
        return b.substring(0, 4) + "…" + b.substring(39, 43);
    }

    /** Constant-time comparison of the bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        // Public keys are uniformly distributed: four of their bytes make a good hash.
        return (key[0] & 0xff) | (key[1] & 0xff) << 8 | (key[2] & 0xff) << 16 | (key[3] & 0xff) << 24;
    }

    /** {@code "PublicKey(AbCd…WxYz)"}. */
    @Override
    public String toString() {
        return "PublicKey(" + shortForm() + ")";
    }
}
