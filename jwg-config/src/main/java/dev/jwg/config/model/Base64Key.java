package dev.jwg.config.model;

import dev.jwg.config.uapi.Key32;
import java.util.Arrays;
import java.util.Optional;

/**
 * The base64 form of a 32-byte key used by {@code wg}, wg-quick and networkd files: exactly 44
 * characters of the standard alphabet, the last one {@code '='}, and canonical padding (the last data
 * character carries two zero bits), as wireguard-tools' {@code key_from_base64} requires.
 *
 * <p>Both directions run without branches or table lookups on the key characters, so the time taken
 * does not depend on the key. Stateless and thread-safe.
 */
public final class Base64Key {
    /** Length of the base64 form: 44 characters. */
    public static final int LENGTH = 44;

    private Base64Key() {}

    /** Decodes a key; empty if {@code text} is not exactly a canonical 44-character base64 key. */
    public static Optional<Key32> decode(CharSequence text) {
        if (text.length() != LENGTH || text.charAt(LENGTH - 1) != '=') {
            return Optional.empty();
        }
        byte[] out = new byte[Key32.LENGTH];
        int bad = 0;
        for (int g = 0; g < 10; g++) {
            int v = group(text.charAt(4 * g), text.charAt(4 * g + 1), text.charAt(4 * g + 2), text.charAt(4 * g + 3));
            bad |= v >>> 31;
            out[3 * g] = (byte) (v >> 16);
            out[3 * g + 1] = (byte) (v >> 8);
            out[3 * g + 2] = (byte) v;
        }
        // Last group: three data characters; the bits that would form a 33rd byte must be zero.
        int v = group(text.charAt(40), text.charAt(41), text.charAt(42), 'A');
        bad |= (v >>> 31) | (v & 0xff);
        out[30] = (byte) (v >> 16);
        out[31] = (byte) (v >> 8);
        try {
            return bad == 0 ? Optional.of(Key32.of(out)) : Optional.empty();
        } finally {
            Arrays.fill(out, (byte) 0);
        }
    }

    /** The 24 bits of four characters; negative if any character is outside the alphabet. */
    private static int group(char a, char b, char c, char d) {
        return (sextet(a) << 18) | (sextet(b) << 12) | (sextet(c) << 6) | sextet(d);
    }

    /** Value 0..63 of a base64 character, or -1 (all bits set); branch-free in {@code c}. */
    private static int sextet(char ch) {
        int c = ch;
        // Each term is (value + 1) when c is in its range and 0 otherwise; the ranges are disjoint.
        int upper = (((('A' - 1) - c) & (c - ('Z' + 1))) >> 31) & (c - 'A' + 1);
        int lower = (((('a' - 1) - c) & (c - ('z' + 1))) >> 31) & (c - 'a' + 27);
        int digit = (((('0' - 1) - c) & (c - ('9' + 1))) >> 31) & (c - '0' + 53);
        int plus = (((('+' - 1) - c) & (c - ('+' + 1))) >> 31) & 63;
        int slash = (((('/' - 1) - c) & (c - ('/' + 1))) >> 31) & 64;
        return (upper | lower | digit | plus | slash) - 1;
    }

    /** The 44-character base64 form of {@code key}. */
    public static String encode(Key32 key) {
        byte[] b = key.rawBytes();
        try {
            char[] out = new char[LENGTH];
            for (int g = 0; g < 10; g++) {
                encodeGroup(b[3 * g] & 0xff, b[3 * g + 1] & 0xff, b[3 * g + 2] & 0xff, out, 4 * g);
            }
            encodeGroup(b[30] & 0xff, b[31] & 0xff, 0, out, 40);
            out[43] = '=';
            return new String(out);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    private static void encodeGroup(int x, int y, int z, char[] out, int off) {
        out[off] = character(x >> 2);
        out[off + 1] = character(((x << 4) | (y >> 4)) & 63);
        out[off + 2] = character(((y << 2) | (z >> 6)) & 63);
        out[off + 3] = character(z & 63);
    }

    /** The base64 character for {@code v} in 0..63, without a table or a branch. */
    private static char character(int v) {
        return (char) (v + 'A'
                + (((25 - v) >> 8) & 6)
                - (((51 - v) >> 8) & 75)
                - (((61 - v) >> 8) & 15)
                + (((62 - v) >> 8) & 3));
    }
}
