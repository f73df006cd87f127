package dev.jwg.core.crypto;

/**
 * A Curve25519 public key: 32 bytes, any value (low-order points included — configuration accepts
 * them and the handshake refuses them, docs/protocol.md §1.12).
 *
 * <p>Immutable and thread-safe. {@link #equals} is constant-time. Text forms: base64 (44 characters,
 * as {@code wg} and config files use) and lowercase hex (64, as the UAPI uses).
 */
public final class PublicKey extends KeyBytes {
    /** Length in bytes. */
    public static final int LEN = KeyBytes.LEN;

    /** Public keys are uniformly distributed: four of their bytes make a good hash. */
    private final int hash;

    private PublicKey(byte[] owned) {
        super(owned);
        this.hash = firstInt(owned);
    }

    /** Parses the 44-character base64 form. */
    public static PublicKey fromBase64(CharSequence base64) throws KeyFormatException {
        return new PublicKey(KeyCodec.decodeBase64(base64));
    }

    /** Parses the 64-character hex form (either case). */
    public static PublicKey fromHex(CharSequence hex) throws KeyFormatException {
        return new PublicKey(KeyCodec.decodeHex(hex));
    }

    /** Copies 32 bytes. @throws IllegalArgumentException if {@code bytes} is not 32 bytes long */
    public static PublicKey fromBytes(byte[] bytes) {
        return new PublicKey(copyOf(bytes, "public key"));
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return keyCopy();
    }

    /**
     * The abbreviation used in logs, {@code "AbCd…WxYz"}: the first 4 and the last 4 data characters of
     * the base64 form (the trailing {@code '='} is left out), as wireguard-go prints peers.
     */
    public String shortForm() {
        String b = toBase64();
        return b.substring(0, 4) + "…" + b.substring(39, 43);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** {@code "PublicKey(AbCd…WxYz)"}. */
    @Override
    public String toString() {
        return "PublicKey(" + shortForm() + ")";
    }
}
