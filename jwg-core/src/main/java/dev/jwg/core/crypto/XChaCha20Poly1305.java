package dev.jwg.core.crypto;

import java.util.Arrays;

/**
 * {@code XAEAD(key, nonce24, plaintext, aad)} (draft-irtf-cfrg-xchacha-03 §2.3; docs/protocol.md §1.1,
 * §1.13), used only for cookie replies: subkey = HChaCha20(key, nonce[0..16)), then RFC 8439
 * ChaCha20-Poly1305 with the subkey and the 12-byte nonce 4 zero bytes ‖ nonce[16..24).
 *
 * <p>Stateless and thread-safe. HChaCha20 is not in the JDK and is written here; the AEAD is the JDK's.
 */
public final class XChaCha20Poly1305 {
    private XChaCha20Poly1305() {}

    /** Length of the extended nonce. */
    public static final int NONCE_LEN = 24;
    /** Length of the HChaCha20 nonce input. */
    public static final int HCHACHA_NONCE_LEN = 16;

    // "expand 32-byte k"
    private static final int SIGMA0 = 0x61707865;
    private static final int SIGMA1 = 0x3320646e;
    private static final int SIGMA2 = 0x79622d32;
    private static final int SIGMA3 = 0x6b206574;

    /**
     * HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): the ChaCha20 state of constants, 8 key words and 4
     * nonce words (all little-endian), put through the 20 rounds <em>without</em> the final addition of
     * the input state; the output is words 0..3 and 12..15, little-endian (32 bytes).
     */
    public static byte[] hChaCha20(byte[] key32, byte[] nonce16) {
        if (key32.length != ChaChaPoly.KEY_LEN) {
            throw new IllegalArgumentException("HChaCha20 key must be 32 bytes, not " + key32.length);
        }
        if (nonce16.length != HCHACHA_NONCE_LEN) {
            throw new IllegalArgumentException("HChaCha20 nonce must be 16 bytes, not " + nonce16.length);
        }
        int x0 = SIGMA0, x1 = SIGMA1, x2 = SIGMA2, x3 = SIGMA3;
        int x4 = le32(key32, 0), x5 = le32(key32, 4), x6 = le32(key32, 8), x7 = le32(key32, 12);
        int x8 = le32(key32, 16), x9 = le32(key32, 20), x10 = le32(key32, 24), x11 = le32(key32, 28);
        int x12 = le32(nonce16, 0), x13 = le32(nonce16, 4), x14 = le32(nonce16, 8), x15 = le32(nonce16, 12);

        for (int round = 0; round < 10; round++) {
            // Column round: QR(0,4,8,12) QR(1,5,9,13) QR(2,6,10,14) QR(3,7,11,15)
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16);
            x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8);
            x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);

            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16);
            x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8);
            x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);

            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16);
            x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8);
            x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);

            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16);
            x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8);
            x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);

            // Diagonal round: QR(0,5,10,15) QR(1,6,11,12) QR(2,7,8,13) QR(3,4,9,14)
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16);
            x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8);
            x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);

            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16);
            x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8);
            x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);

            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16);
            x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8);
            x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);

            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16);
            x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8);
            x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
        }

        byte[] out = new byte[32];
        putLe32(out, 0, x0);
        putLe32(out, 4, x1);
        putLe32(out, 8, x2);
        putLe32(out, 12, x3);
        putLe32(out, 16, x12);
        putLe32(out, 20, x13);
        putLe32(out, 24, x14);
        putLe32(out, 28, x15);
        return out;
    }

    /** Encrypts and authenticates; returns ciphertext ‖ 16-byte tag. {@code aad} may be null (none). */
    public static byte[] seal(byte[] key32, byte[] nonce24, byte[] plaintext, byte[] aad) {
        checkNonce(nonce24);
        byte[] subkey = hChaCha20(key32, Arrays.copyOf(nonce24, HCHACHA_NONCE_LEN));
        try {
            return ChaChaPoly.seal(subkey, innerNonce(nonce24), plaintext, aad);
        } finally {
            Arrays.fill(subkey, (byte) 0);
        }
    }

    /** Verifies and decrypts ciphertext ‖ tag; null if authentication fails. Never throws for bad input. */
    public static byte[] open(byte[] key32, byte[] nonce24, byte[] ciphertext, byte[] aad) {
        checkNonce(nonce24);
        byte[] subkey = hChaCha20(key32, Arrays.copyOf(nonce24, HCHACHA_NONCE_LEN));
        try {
            return ChaChaPoly.open(subkey, innerNonce(nonce24), ciphertext, aad);
        } finally {
            Arrays.fill(subkey, (byte) 0);
        }
    }

    private static byte[] innerNonce(byte[] nonce24) {
        byte[] n = new byte[ChaChaPoly.NONCE_LEN];
        System.arraycopy(nonce24, HCHACHA_NONCE_LEN, n, 4, 8);
        return n;
    }

    private static void checkNonce(byte[] nonce24) {
        if (nonce24.length != NONCE_LEN) {
            throw new IllegalArgumentException("XChaCha20-Poly1305 nonce must be 24 bytes, not " + nonce24.length);
        }
    }

    private static int le32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    private static void putLe32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
