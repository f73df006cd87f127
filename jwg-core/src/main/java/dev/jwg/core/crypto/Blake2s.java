package dev.jwg.core.crypto;

import java.util.Objects;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * BLAKE2s (RFC 7693) in the two shapes WireGuard uses (docs/protocol.md §1.1): {@code HASH}, the
 * unkeyed 32-byte digest, and {@code MAC}, the natively keyed 16-byte digest (not HMAC).
 *
 * <p>Stateless and thread-safe. BouncyCastle's {@link Blake2sDigest} does the compression; each
 * call uses a fresh digest object (a few small arrays), which is irrelevant next to the handshake's
 * X25519 work. Note that the output length is part of BLAKE2s's parameter block: a 16-byte output is
 * not a truncation of the 32-byte one.
 */
public final class Blake2s {
    private Blake2s() {}

    /** Output length of {@link #hash}. */
    public static final int HASH_LEN = 32;
    /** Output length of {@link #mac}. */
    public static final int MAC_LEN = 16;
    /** Largest key BLAKE2s accepts. */
    static final int MAX_KEY_LEN = 32;

    /** {@code HASH(parts[0] ‖ parts[1] ‖ …)}: unkeyed BLAKE2s-256 of the concatenation. */
    public static byte[] hash(byte[]... parts) {
        Blake2sDigest d = new Blake2sDigest(HASH_LEN * 8);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[HASH_LEN];
        d.doFinal(out, 0);
        return out;
    }

    /**
     * {@code MAC(key, parts[0] ‖ …)}: BLAKE2s keyed with {@code key} (1 to 32 bytes; WireGuard uses 32
     * for mac1 and the 16-byte cookie for mac2), 16-byte output.
     */
    public static byte[] mac(byte[] key, byte[]... parts) {
        Blake2sDigest d = keyed(key, MAC_LEN);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[MAC_LEN];
        finish(d, out);
        return out;
    }

    /**
     * {@code MAC(key, data[off, off+len))}, written as 16 bytes at {@code out[outOff]}. This is the form
     * mac1/mac2 use: the MAC covers a prefix of the message it is then written into.
     *
     * @throws IndexOutOfBoundsException if a slice lies outside its array
     */
    public static void mac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
        Objects.checkFromIndexSize(off, len, data.length);
        Objects.checkFromIndexSize(outOff, MAC_LEN, out.length);
        Blake2sDigest d = keyed(key, MAC_LEN);
        d.update(data, off, len); // consumes the input, so out may overlap it
        d.doFinal(out, outOff);   // writes exactly MAC_LEN bytes
        d.clearKey();
    }

    /**
     * The general form, for tests and self-checks: BLAKE2s with {@code outLen} (1 to 32) bytes of output,
     * keyed with {@code key} (up to 32 bytes) or unkeyed when {@code key} is null or empty.
     */
    public static byte[] digest(byte[] key, int outLen, byte[] data) {
        if (outLen < 1 || outLen > HASH_LEN) {
            throw new IllegalArgumentException("BLAKE2s output length must be 1 to 32, not " + outLen);
        }
        Blake2sDigest d;
        if (key == null || key.length == 0) {
            d = new Blake2sDigest(null, outLen, null, null);
        } else {
            d = keyed(key, outLen);
        }
        d.update(data, 0, data.length);
        byte[] out = new byte[outLen];
        finish(d, out);
        return out;
    }

    private static Blake2sDigest keyed(byte[] key, int outLen) {
        if (key.length < 1 || key.length > MAX_KEY_LEN) {
            throw new IllegalArgumentException("BLAKE2s key must be 1 to 32 bytes, not " + key.length);
        }
        return new Blake2sDigest(key, outLen, null, null);
    }

    /** doFinal, then wipe the digest's copy of the key (doFinal's reset reloads it into the buffer). */
    private static void finish(Blake2sDigest d, byte[] out) {
        d.doFinal(out, 0);
        d.clearKey();
    }
}
