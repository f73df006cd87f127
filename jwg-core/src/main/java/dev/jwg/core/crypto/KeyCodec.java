package dev.jwg.core.crypto;

import dev.jwg.core.crypto.KeyFormatException.Reason;
import java.util.Arrays;

/**
 * Constant-time base64 and hex codecs for 32-byte keys, and the all-zero test.
 *
 * <p>"Constant-time" means the work done and the memory touched depend only on the length of the
 * input, never on the key bytes or characters: characters are mapped to values with arithmetic masks
 * instead of table look-ups or branches, and errors are accumulated and examined once at the end (a
 * failed parse may reveal which kind of error it was, never where it was or what the key is).
 *
 * <p>Base64 is RFC 4648 with the standard alphabet: a 32-byte key is 43 data characters and one
 * {@code '='}; the last data character carries 4 key bits and 2 padding bits that must be zero, as
 * wireguard-tools {@code key_from_base64} requires. Hex is produced in lowercase; both cases are
 * accepted, like {@code wg} and wireguard-go.
 */
final class KeyCodec {
    private KeyCodec() {}

    static final int KEY_LEN = 32;
    static final int BASE64_LEN = 44;
    static final int HEX_LEN = 64;

    static byte[] decodeBase64(CharSequence s) throws KeyFormatException {
        if (s.length() != BASE64_LEN) {
            throw new KeyFormatException(Reason.BASE64_LENGTH);
        }
        byte[] out = new byte[KEY_LEN];
        int bad = 0; // sign bit set once any character was outside the alphabet
        int o = 0;
        for (int i = 0; i < 40; i += 4) {
            int a = b64Value(s.charAt(i));
            int b = b64Value(s.charAt(i + 1));
            int c = b64Value(s.charAt(i + 2));
            int d = b64Value(s.charAt(i + 3));
            bad |= a | b | c | d;
            int v = a << 18 | b << 12 | c << 6 | d;
            out[o++] = (byte) (v >>> 16);
            out[o++] = (byte) (v >>> 8);
            out[o++] = (byte) v;
        }
        int a = b64Value(s.charAt(40));
        int b = b64Value(s.charAt(41));
        int c = b64Value(s.charAt(42));
        bad |= a | b | c;
        int v = a << 12 | b << 6 | c;
        out[o++] = (byte) (v >>> 10);
        out[o] = (byte) (v >>> 2);
        int padBits = c & 3;
        boolean padChar = s.charAt(43) == '=';
        if (bad < 0) {
            Arrays.fill(out, (byte) 0);
            throw new KeyFormatException(Reason.BASE64_ALPHABET);
        }
        if (!padChar || padBits != 0) {
            Arrays.fill(out, (byte) 0);
            throw new KeyFormatException(Reason.BASE64_PADDING);
        }
        return out;
    }

    static String encodeBase64(byte[] key) {
        char[] out = new char[BASE64_LEN];
        int o = 0;
        for (int i = 0; i < 30; i += 3) {
            int v = (key[i] & 0xff) << 16 | (key[i + 1] & 0xff) << 8 | (key[i + 2] & 0xff);
            out[o++] = b64Char(v >>> 18);
            out[o++] = b64Char((v >>> 12) & 63);
            out[o++] = b64Char((v >>> 6) & 63);
            out[o++] = b64Char(v & 63);
        }
        int v = (key[30] & 0xff) << 8 | (key[31] & 0xff);
        out[o++] = b64Char(v >>> 10);
        out[o++] = b64Char((v >>> 4) & 63);
        out[o++] = b64Char((v << 2) & 63);
        out[o] = '=';
        String s = new String(out);
        Arrays.fill(out, '\0');
        return s;
    }

    static byte[] decodeHex(CharSequence s) throws KeyFormatException {
        if (s.length() != HEX_LEN) {
            throw new KeyFormatException(Reason.HEX_LENGTH);
        }
        byte[] out = new byte[KEY_LEN];
        int bad = 0;
        for (int i = 0; i < KEY_LEN; i++) {
            int hi = hexValue(s.charAt(2 * i));
            int lo = hexValue(s.charAt(2 * i + 1));
            bad |= hi | lo;
            out[i] = (byte) (hi << 4 | lo);
        }
        if (bad < 0) {
            Arrays.fill(out, (byte) 0);
            throw new KeyFormatException(Reason.HEX_ALPHABET);
        }
        return out;
    }

    static String encodeHex(byte[] key) {
        char[] out = new char[HEX_LEN];
        for (int i = 0; i < KEY_LEN; i++) {
            out[2 * i] = hexChar((key[i] >>> 4) & 15);
            out[2 * i + 1] = hexChar(key[i] & 15);
        }
        String s = new String(out);
        Arrays.fill(out, '\0');
        return s;
    }

    /** Writes the 64 lowercase hex digits as ASCII bytes into {@code dst} at {@code off}, making no string. */
    static void encodeHex(byte[] key, byte[] dst, int off) {
        for (int i = 0; i < KEY_LEN; i++) {
            dst[off + 2 * i] = (byte) hexChar((key[i] >>> 4) & 15);
            dst[off + 2 * i + 1] = (byte) hexChar(key[i] & 15);
        }
    }

    /** True if every byte is zero; time independent of the content. */
    static boolean isZero(byte[] key) {
        int acc = 0;
        for (byte b : key) {
            acc |= b;
        }
        return acc == 0;
    }

    /** -1 (all bits) if {@code lo <= c <= hi}, else 0, without branching. Valid for 0 <= c, lo, hi < 2^30. */
    private static int inRange(int c, int lo, int hi) {
        return ((lo - 1 - c) & (c - hi - 1)) >> 31;
    }

    /** Value 0..63 of a standard-alphabet base64 character, or -1. */
    static int b64Value(int c) {
        return -1
                + (inRange(c, 'A', 'Z') & (c - 'A' + 1))
                + (inRange(c, 'a', 'z') & (c - 'a' + 26 + 1))
                + (inRange(c, '0', '9') & (c - '0' + 52 + 1))
                + (inRange(c, '+', '+') & (62 + 1))
                + (inRange(c, '/', '/') & (63 + 1));
    }

    /** Standard-alphabet base64 character of a 6-bit value. */
    static char b64Char(int v) {
        // Start in 'A'..'Z' and shift into the next range each time v passes a boundary:
        // 26 → 'a' (+6), 52 → '0' (−75), 62 → '+' (−15), 63 → '/' (+3).
        int c = 'A' + v;
        c += ((25 - v) >> 8) & 6;
        c -= ((51 - v) >> 8) & 75;
        c -= ((61 - v) >> 8) & 15;
        c += ((62 - v) >> 8) & 3;
        return (char) c;
    }

    /** Value 0..15 of a hex digit (either case), or -1. */
    static int hexValue(int c) {
        return -1
                + (inRange(c, '0', '9') & (c - '0' + 1))
                + (inRange(c, 'a', 'f') & (c - 'a' + 10 + 1))
                + (inRange(c, 'A', 'F') & (c - 'A' + 10 + 1));
    }

    /** Lowercase hex digit of a 4-bit value. */
    static char hexChar(int n) {
        // n < 10: '0' + n = 87 + n − 39;  n >= 10: 'a' + n − 10 = 87 + n.
        return (char) (87 + n + (((n - 10) >> 8) & -39));
    }
}
