package dev.jwg.core.crypto;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * X25519 Diffie–Hellman (RFC 7748) as WireGuard uses it: {@code DH}, {@code DH_GENERATE} and
 * {@code DH_PUBKEY} of docs/protocol.md §1.1. Keys are 32-byte little-endian strings.
 *
 * <p>Stateless and thread-safe.
 *
 * <p><b>Implementation choice.</b> BouncyCastle's constant-time {@code rfc7748.X25519}, not the
 * JDK's {@code KeyAgreement "XDH"}: it is the faster of the two on the per-handshake operation (raw
 * key bytes in, shared secret out; {@code dev.jwg.bench.X25519Bench}, figures in
 * docs/performance.md ("Measurements behind design choices")), it takes raw bytes, so no key objects are built per DH,
 * and it reports the all-zero result instead of throwing.
 */
public final class X25519 {
    private X25519() {}

    /** Length of private keys, public keys and shared secrets. */
    public static final int KEY_LEN = 32;

    /** {@code DH_GENERATE}: 32 bytes from {@code rng}, clamped. Pass a cryptographically strong generator. */
    public static byte[] generatePrivateKey(RandomGenerator rng) {
        byte[] k = new byte[KEY_LEN];
        rng.nextBytes(k);
        clamp(k);
        return k;
    }

    /** Clamps a 32-byte scalar in place (RFC 7748 §5): {@code k[0] &= 248; k[31] = (k[31] & 127) | 64}. */
    public static void clamp(byte[] key) {
        checkLength(key, "private key");
        key[0] &= (byte) 248;
        key[31] = (byte) ((key[31] & 127) | 64);
    }

    /** {@code DH_PUBKEY(priv)} = X25519(clamp(priv), 9). The scalar is clamped on the fly; {@code privateKey} is not modified. */
    public static byte[] publicKey(byte[] privateKey) {
        checkLength(privateKey, "private key");
        byte[] pub = new byte[KEY_LEN];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(privateKey, 0, pub, 0);
        return pub;
    }

    /**
     * Writes {@code DH(priv, pub)} = X25519(clamp(priv), pub) into {@code out} (32 bytes). Bit 255 of the
     * public key is ignored and non-canonical values are reduced, as RFC 7748 requires.
     *
     * <p>Returns false, with {@code out} all zero, when the result is all-zero, which happens exactly for
     * public keys of small order (whitepaper §5.4, docs/protocol.md §7.3); callers must then abort. Never
     * throws for any 32-byte inputs.
     *
     * @throws IllegalArgumentException if an array is not 32 bytes long (a programming error)
     */
    public static boolean sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out) {
        checkLength(privateKey, "private key");
        checkLength(publicKey, "public key");
        checkLength(out, "output");
        // BouncyCastle clamps a copy of the scalar, masks bit 255 of u, and returns false for an
        // all-zero result (constant-time check).
        boolean ok = org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0);
        if (!ok) {
            Arrays.fill(out, (byte) 0);
        }
        return ok;
    }

    private static void checkLength(byte[] a, String what) {
        if (a.length != KEY_LEN) {
            throw new IllegalArgumentException("X25519 " + what + " must be 32 bytes, not " + a.length);
        }
    }
}
