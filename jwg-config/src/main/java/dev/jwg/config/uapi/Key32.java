package dev.jwg.config.uapi;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * A 32-byte WireGuard key (private, public or preshared) as it crosses the UAPI: hex on the wire,
 * all zeros meaning "none" for private and preshared keys. A stand-in until jwg-core's key types
 * exist; keep this file self-contained so it can be swapped for them.
 *
 * <p>Immutable and thread-safe. The bytes are reachable only through {@link #rawBytes()} (a copy);
 * {@link #toString()} never shows them; {@link #equals} and {@link #isZero()} run in constant time;
 * the hex codec has no data-dependent branches or table lookups.
 */
public final class Key32 {
    /** Key length in bytes. */
    public static final int LENGTH = 32;
    /** Length of the hex form: 64 characters. */
    public static final int HEX_LENGTH = 2 * LENGTH;
    /** The all-zero key: "no key" for private and preshared keys. */
    public static final Key32 ZERO = new Key32(new byte[LENGTH]);

    private final byte[] bytes;

    private Key32(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A key holding a copy of {@code bytes}, which must be exactly 32 bytes long. */
    public static Key32 of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a key is " + LENGTH + " bytes, got " + bytes.length);
        }
        return new Key32(bytes.clone());
    }

    /**
     * Decodes exactly 64 hex digits, upper or lower case (as Go's {@code hex.DecodeString} accepted by
     * wireguard-go); empty for any other input. Runs in time independent of the digit values.
     */
    public static Optional<Key32> parseHex(String hex) {
        if (hex.length() != HEX_LENGTH) {
            return Optional.empty();
        }
        byte[] out = new byte[LENGTH];
        int bad = 0;
        for (int i = 0; i < LENGTH; i++) {
            int hi = nibble(hex.charAt(2 * i));
            int lo = nibble(hex.charAt(2 * i + 1));
            bad |= (hi | lo) >>> 31;
            out[i] = (byte) ((hi << 4) | (lo & 0xf));
        }
        if (bad != 0) {
            Arrays.fill(out, (byte) 0);
            return Optional.empty();
        }
        return Optional.of(new Key32(out));
    }

    /** Value of a hex digit, or a negative number; branch-free in the character value. */
    private static int nibble(char c) {
        // Each term is (value + 1) when c is in the range and 0 otherwise; the ranges are disjoint.
        int digit = (((('0' - 1) - c) & (c - ('9' + 1))) >> 31) & (c - '0' + 1);
        int upper = (((('A' - 1) - c) & (c - ('F' + 1))) >> 31) & (c - 'A' + 11);
        int lower = (((('a' - 1) - c) & (c - ('f' + 1))) >> 31) & (c - 'a' + 11);
        return (digit | upper | lower) - 1;
    }

    /** The key as 64 lowercase hex digits, the UAPI wire form. */
    public String toHex() {
        char[] out = new char[HEX_LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[2 * i] = hexDigit((bytes[i] >> 4) & 0xf);
            out[2 * i + 1] = hexDigit(bytes[i] & 0xf);
        }
        return new String(out);
    }

    /** Writes the 64 lowercase hex digits as ASCII into {@code dst} at {@code off}. */
    void writeHex(byte[] dst, int off) {
        for (int i = 0; i < LENGTH; i++) {
            dst[off + 2 * i] = (byte) hexDigit((bytes[i] >> 4) & 0xf);
            dst[off + 2 * i + 1] = (byte) hexDigit(bytes[i] & 0xf);
        }
    }

    /** Lowercase hex digit of {@code n} in 0..15, without a table or a branch. */
    private static char hexDigit(int n) {
        // '0' + n for n < 10, 'a' + n - 10 otherwise: add 39 exactly when n > 9.
        return (char) ('0' + n + (((9 - n) >> 31) & ('a' - '0' - 10)));
    }

    /** A copy of the 32 key bytes. The one way to the raw key material: grep for it. */
    public byte[] rawBytes() {
        return bytes.clone();
    }

    /** Whether all 32 bytes are zero ("no key"), in constant time. */
    public boolean isZero() {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }

    /** Constant-time comparison of the key bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Key32 k && MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Never shows key material. */
    @Override
    public String toString() {
        return "Key32(hidden)";
    }
}
