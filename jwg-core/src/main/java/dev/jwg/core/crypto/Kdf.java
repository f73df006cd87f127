package dev.jwg.core.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * HMAC-BLAKE2s-256 (RFC 2104 over BLAKE2s, 64-byte block) and WireGuard's HKDF-style key derivation
 * {@code KDF1/2/3} (docs/protocol.md §1.4; whitepaper §5.4):
 *
 * <pre>
 *   prk = HMAC(key, input)
 *   T1  = HMAC(prk, 0x01)
 *   T2  = HMAC(prk, T1 ‖ 0x02)
 *   T3  = HMAC(prk, T2 ‖ 0x03)
 * </pre>
 *
 * <p>Stateless and thread-safe. Every output is a fresh 32-byte array owned by the caller; the
 * intermediate {@code prk} and padded keys are zeroed before returning.
 */
public final class Kdf {
    private Kdf() {}

    /** BLAKE2s block size, the HMAC block size B of RFC 2104. */
    private static final int BLOCK_LEN = 64;
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    /** {@code HMAC(key, data[0] ‖ data[1] ‖ …)} with BLAKE2s-256; any key length (longer than 64 is hashed). */
    public static byte[] hmac(byte[] key, byte[]... data) {
        Blake2sDigest d = new Blake2sDigest(Blake2s.HASH_LEN * 8);
        byte[] pad = new byte[BLOCK_LEN];
        byte[] inner = new byte[Blake2s.HASH_LEN];
        byte[] out = new byte[Blake2s.HASH_LEN];
        try {
            if (key.length > BLOCK_LEN) {
                byte[] hashedKey = Blake2s.hash(key);
                System.arraycopy(hashedKey, 0, pad, 0, hashedKey.length);
                Arrays.fill(hashedKey, (byte) 0);
            } else {
                System.arraycopy(key, 0, pad, 0, key.length);
            }
            // pad holds K' (the key zero-extended to a block); turn it into K' ^ ipad.
            xor(pad, IPAD);
            d.update(pad, 0, BLOCK_LEN);
            for (byte[] part : data) {
                d.update(part, 0, part.length);
            }
            d.doFinal(inner, 0); // doFinal resets d for the outer hash
            // K' ^ ipad ^ (ipad ^ opad) = K' ^ opad
            xor(pad, (byte) (IPAD ^ OPAD));
            d.update(pad, 0, BLOCK_LEN);
            d.update(inner, 0, inner.length);
            d.doFinal(out, 0);
            return out;
        } finally {
            Arrays.fill(pad, (byte) 0);
            Arrays.fill(inner, (byte) 0);
        }
    }

    /** {@code KDF1(key, input)} = T1. */
    public static byte[] kdf1(byte[] key, byte[] input) {
        return derive(1, key, input)[0];
    }

    /** {@code KDF2(key, input)} = {T1, T2}. */
    public static byte[][] kdf2(byte[] key, byte[] input) {
        return derive(2, key, input);
    }

    /** {@code KDF3(key, input)} = {T1, T2, T3}. */
    public static byte[][] kdf3(byte[] key, byte[] input) {
        return derive(3, key, input);
    }

    private static byte[][] derive(int n, byte[] key, byte[] input) {
        byte[] prk = hmac(key, input);
        try {
            byte[][] t = new byte[n][];
            t[0] = hmac(prk, new byte[] {1});
            for (int i = 1; i < n; i++) {
                t[i] = hmac(prk, t[i - 1], new byte[] {(byte) (i + 1)});
            }
            return t;
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    private static void xor(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            a[i] ^= b;
        }
    }
}
