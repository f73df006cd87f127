package dev.jwg.core.crypto;

import java.security.MessageDigest;
import java.util.random.RandomGenerator;

/**
 * A Curve25519 private key, stored clamped (wireguard-facts §1.12: the kernel and wireguard-go clamp
 * on storage, so a key read back may differ from the one written; a key whose base64 starts with
 * {@code '/'} reads back starting with {@code '+'}).
 *
 * <p>The all-zero key is the one exception: it is kept as is, because WireGuard uses it to mean "no
 * private key" (UAPI {@code private_key=00…00} removes the key). {@link #isZero()} reports it and its
 * {@link #publicKey()} is the all-zero public key.
 *
 * <p>Immutable and thread-safe. {@link #equals} is constant-time, {@link #hashCode} is that of the
 * public key and {@link #toString} is {@code "PrivateKey(redacted)"}. The raw bytes leave only through
 * {@link #secretBytes()}; the text forms are for writing configuration back out.
 */
public final class PrivateKey {
    /** Length in bytes. */
    public static final int LEN = KeyCodec.KEY_LEN;

    private final byte[] key;
    private final PublicKey publicKey;

    /** Takes ownership of {@code owned} and clamps it unless all zero. */
    private PrivateKey(byte[] owned) {
        if (!KeyCodec.isZero(owned)) {
            X25519.clamp(owned);
            this.publicKey = PublicKey.fromBytes(X25519.publicKey(owned));
        } else {
            this.publicKey = PublicKey.fromBytes(new byte[LEN]);
        }
        this.key = owned;
    }

    /** {@code DH_GENERATE}: a new random key. Pass a cryptographically strong generator. */
    public static PrivateKey generate(RandomGenerator rng) {
        return new PrivateKey(X25519.generatePrivateKey(rng));
    }

    /** Parses the 44-character base64 form, then clamps. */
    public static PrivateKey fromBase64(String base64) throws KeyFormatException {
        return new PrivateKey(KeyCodec.decodeBase64(base64));
    }

    /** Parses the 64-character hex form (either case), then clamps. */
    public static PrivateKey fromHex(String hex) throws KeyFormatException {
        return new PrivateKey(KeyCodec.decodeHex(hex));
    }

    /** Copies 32 bytes, then clamps the copy. @throws IllegalArgumentException unless 32 bytes */
    public static PrivateKey fromBytes(byte[] bytes) {
        if (bytes.length != LEN) {
            throw new IllegalArgumentException("private key must be 32 bytes, not " + bytes.length);
        }
        return new PrivateKey(bytes.clone());
    }

    /** A copy of the (clamped) secret bytes. The caller should zero it after use. */
    public byte[] secretBytes() {
        return key.clone();
    }

    /** {@code DH_PUBKEY}: the matching public key (all-zero for the all-zero key). */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The 44-character base64 form of the clamped key. This is a secret. */
    public String toBase64() {
        return KeyCodec.encodeBase64(key);
    }

    /** The 64-character lowercase hex form of the clamped key. This is a secret. */
    public String toHex() {
        return KeyCodec.encodeHex(key);
    }

    /** True for the all-zero key ("no private key"). */
    public boolean isZero() {
        return KeyCodec.isZero(key);
    }

    /** Constant-time comparison of the bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PrivateKey other && MessageDigest.isEqual(key, other.key);
    }

    /** The public key's hash: equal keys have equal public keys, and nothing secret is exposed. */
    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    @Override
    public String toString() {
        return "PrivateKey(redacted)";
    }
}
