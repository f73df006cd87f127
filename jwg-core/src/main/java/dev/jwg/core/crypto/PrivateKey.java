package dev.jwg.core.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A Curve25519 private key. The factories {@link #generate}, {@link #fromBase64}, {@link #fromHex} and
 * {@link #fromBytes} clamp it, as a device stores it (the kernel and wireguard-go clamp on storage,
 * so a key read back may differ from the one written; a key whose base64 starts with {@code '/'}
 * reads back starting with {@code '+'}; docs/protocol.md, "Keys"). The {@code AsWritten} factories
 * keep the bytes exactly as a configuration file or a UAPI request holds them, so that writing the
 * key back out reproduces the text; such a key has the same {@link #publicKey()} (X25519 clamps the
 * scalar it is given), and a device takes its {@link #clamped()} form.
 *
 * <p>The all-zero key is the one exception: it is kept as is, because WireGuard uses it to mean "no
 * private key" (UAPI {@code private_key=00…00} removes the key). {@link #isZero()} reports it and its
 * {@link #publicKey()} is the all-zero public key.
 *
 * <p>Immutable and thread-safe. {@link #equals} is constant-time, {@link #hashCode} is that of the
 * public key and {@link #toString} is {@code "PrivateKey(redacted)"}. The raw bytes leave only through
 * {@link #secretBytes()}; the text forms are for writing configuration back out.
 */
public final class PrivateKey extends KeyBytes {
    /** Length in bytes. */
    public static final int LEN = KeyBytes.LEN;

    /** The all-zero key: no private key (UAPI {@code private_key=00…00} removes the key). */
    public static final PrivateKey ZERO = new PrivateKey(new byte[LEN]);

    private final PublicKey publicKey;

    /** Takes ownership of {@code owned}, as it is. */
    private PrivateKey(byte[] owned) {
        super(owned);
        this.publicKey = PublicKey.fromBytes(isZero() ? new byte[LEN] : X25519.publicKey(owned));
    }

    private static byte[] clampUnlessZero(byte[] k) {
        if (!KeyCodec.isZero(k)) {
            X25519.clamp(k);
        }
        return k;
    }

    /** {@code DH_GENERATE}: a new random key. Pass a cryptographically strong generator. */
    public static PrivateKey generate(RandomGenerator rng) {
        return new PrivateKey(X25519.generatePrivateKey(rng));
    }

    /** Parses the 44-character base64 form, then clamps. */
    public static PrivateKey fromBase64(CharSequence base64) throws KeyFormatException {
        return new PrivateKey(clampUnlessZero(KeyCodec.decodeBase64(base64)));
    }

    /** Parses the 64-character hex form (either case), then clamps. */
    public static PrivateKey fromHex(CharSequence hex) throws KeyFormatException {
        return new PrivateKey(clampUnlessZero(KeyCodec.decodeHex(hex)));
    }

    /** Copies 32 bytes, then clamps the copy. @throws IllegalArgumentException unless 32 bytes */
    public static PrivateKey fromBytes(byte[] bytes) {
        return new PrivateKey(clampUnlessZero(copyOf(bytes, "private key")));
    }

    /** Parses the 44-character base64 form and keeps the bytes as written (not clamped). */
    public static PrivateKey fromBase64AsWritten(CharSequence base64) throws KeyFormatException {
        return new PrivateKey(KeyCodec.decodeBase64(base64));
    }

    /** Parses the 64-character hex form (either case) and keeps the bytes as written (not clamped). */
    public static PrivateKey fromHexAsWritten(CharSequence hex) throws KeyFormatException {
        return new PrivateKey(KeyCodec.decodeHex(hex));
    }

    /** Copies 32 bytes as they are (not clamped). @throws IllegalArgumentException unless 32 bytes */
    public static PrivateKey fromBytesAsWritten(byte[] bytes) {
        return new PrivateKey(copyOf(bytes, "private key"));
    }

    /** This key as a device stores it: clamped (itself when it already is, or is all zero). */
    public PrivateKey clamped() {
        byte[] k = keyCopy();
        byte[] c = clampUnlessZero(keyCopy());
        try {
            return MessageDigest.isEqual(k, c) ? this : new PrivateKey(c.clone());
        } finally {
            Arrays.fill(k, (byte) 0);
            Arrays.fill(c, (byte) 0);
        }
    }

    /** A copy of the secret bytes (clamped unless read {@code AsWritten}). The caller should zero it after use. */
    public byte[] secretBytes() {
        return keyCopy();
    }

    /** {@code DH_PUBKEY}: the matching public key (all-zero for the all-zero key). */
    public PublicKey publicKey() {
        return publicKey;
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
