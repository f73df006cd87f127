package dev.jwg.core.routing;

import java.util.Objects;

/**
 * Parses and formats numeric IPv4 and IPv6 addresses without {@code java.net}, so text never
 * causes a name lookup.
 *
 * <p>Parsing is strict, like {@code inet_pton} and Go's {@code netip}: IPv4 is exactly four
 * decimal octets without leading zeros ({@code 010.0.0.1} is rejected rather than read as octal or
 * decimal); IPv6 is up to eight groups of one to four hex digits with at most one {@code ::} and
 * an optional trailing dotted quad. Zones ({@code fe80::1%eth0}), brackets, whitespace and prefix
 * lengths are rejected.
 *
 * <p>Formatting is canonical (RFC 5952, as Go's {@code netip.Addr.String}): IPv4 as a dotted quad;
 * IPv6 in lowercase without leading zeros, the longest run of two or more zero groups (the
 * leftmost on a tie) written {@code ::}, and IPv4-mapped addresses as {@code ::ffff:a.b.c.d}.
 * Unlike glibc's {@code inet_ntop}, the deprecated IPv4-compatible form {@code ::a.b.c.d} is not
 * used.
 *
 * <p>Static methods only; thread-safe.
 */
public final class IpAddresses {
    private IpAddresses() {}

    /**
     * Parses an IPv4 or IPv6 address.
     *
     * @return a new array of 4 bytes (IPv4) or 16 bytes (IPv6), in network byte order
     * @throws IllegalArgumentException if {@code text} is not a valid numeric address
     */
    public static byte[] parse(String text) {
        Objects.requireNonNull(text, "text");
        return parse(text, text.length());
    }

    /**
     * Parses {@code text[0..end)}. Error messages quote the whole text, as an address if
     * {@code end} is its length, otherwise as a prefix (the rest being {@code /bits}).
     */
    static byte[] parse(String text, int end) {
        if (text.lastIndexOf(':', end - 1) >= 0) {
            return parseV6(text, end);
        }
        int v = parseV4(text, 0, end, end);
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /**
     * Formats the address in {@code addr[off..off+len)} canonically.
     *
     * @param len 4 for IPv4 or 16 for IPv6
     * @throws IllegalArgumentException if {@code len} is neither 4 nor 16
     * @throws IndexOutOfBoundsException if the range does not fit in {@code addr}
     */
    public static String format(byte[] addr, int off, int len) {
        if (len != 4 && len != 16) {
            throw new IllegalArgumentException("address length must be 4 or 16, got " + len);
        }
        Objects.checkFromIndexSize(off, len, addr.length);
        StringBuilder sb = new StringBuilder(len == 4 ? 15 : 39);
        if (len == 4) {
            appendV4(sb, addr, off);
        } else {
            appendV6(sb, addr, off);
        }
        return sb.toString();
    }

    /** Formats a whole 4- or 16-byte address; see {@link #format(byte[], int, int)}. */
    public static String format(byte[] addr) {
        return format(addr, 0, addr.length);
    }

    /** Whether a 16-byte address is IPv4-mapped ({@code ::ffff:0:0/96}); false for any other length. */
    public static boolean isIpv4Mapped(byte[] a) {
        if (a.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /**
     * The C library's {@code inet_ntop} text of a 4- or 16-byte address, which {@code wg} prints. It
     * is the canonical form but for one case: an IPv4-compatible address (the first 96 bits zero, a
     * non-zero seventh group) is written {@code ::a.b.c.d}, as glibc still does.
     */
    public static String formatInetNtop(byte[] addr) {
        if (addr.length != 16 || (addr[12] | addr[13]) == 0) {
            return format(addr);
        }
        for (int i = 0; i < 12; i++) {
            if (addr[i] != 0) {
                return format(addr);
            }
        }
        StringBuilder sb = new StringBuilder(18).append("::");
        appendV4(sb, addr, 12);
        return sb.toString();
    }

    static void appendV4(StringBuilder sb, byte[] a, int off) {
        sb.append(a[off] & 0xFF).append('.').append(a[off + 1] & 0xFF).append('.')
            .append(a[off + 2] & 0xFF).append('.').append(a[off + 3] & 0xFF);
    }

    static void appendV6(StringBuilder sb, byte[] a, int off) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[off + 2 * i] & 0xFF) << 8) | (a[off + 2 * i + 1] & 0xFF);
        }
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xFFFF) {
            sb.append("::ffff:");
            appendV4(sb, a, off + 12);
            return;
        }
        // Longest run of zero groups, leftmost on ties; runs of one group are not compressed.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
    }

    /** Parses {@code s[start..end)} as a dotted quad; {@code addrEnd} is passed to {@link #bad}. */
    private static int parseV4(String s, int start, int end, int addrEnd) {
        int value = 0;
        int octets = 0;
        int i = start;
        while (true) {
            int digitsStart = i;
            int octet = 0;
            while (i < end && i - digitsStart < 4) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            int digits = i - digitsStart;
            if (digits == 0) {
                throw bad(s, addrEnd, "expected a decimal octet at position " + i);
            }
            if (digits > 3 || octet > 255) {
                throw bad(s, addrEnd, "IPv4 octet out of range at position " + digitsStart);
            }
            if (digits > 1 && s.charAt(digitsStart) == '0') {
                throw bad(s, addrEnd, "IPv4 octet with a leading zero at position " + digitsStart);
            }
            value = (value << 8) | octet;
            octets++;
            if (octets == 4) {
                if (i != end) {
                    throw bad(s, addrEnd, "unexpected character '" + s.charAt(i) + "' at position " + i);
                }
                return value;
            }
            if (i == end) {
                throw bad(s, addrEnd, "IPv4 address has only " + octets + " octet" + (octets == 1 ? "" : "s"));
            }
            if (s.charAt(i) != '.') {
                throw bad(s, addrEnd, "unexpected character '" + s.charAt(i) + "' at position " + i);
            }
            i++;
        }
    }

    private static byte[] parseV6(String s, int len) {
        int[] groups = new int[8];
        int n = 0;
        int ellipsis = -1; // index in groups where "::" stands
        int i = 0;
        if (len >= 2 && s.startsWith("::")) {
            ellipsis = 0;
            i = 2;
        } else if (s.startsWith(":")) {
            throw bad(s, len, "IPv6 address cannot start with a single ':'");
        }
        while (i < len) {
            int start = i;
            int value = 0;
            while (i < len) {
                int d = hexValue(s.charAt(i));
                if (d < 0) {
                    break;
                }
                if (i - start == 4) {
                    throw bad(s, len, "IPv6 group longer than 4 hex digits at position " + start);
                }
                value = (value << 4) | d;
                i++;
            }
            if (i < len && s.charAt(i) == '.') {
                if (n > 6) {
                    throw bad(s, len, "too many groups before the embedded IPv4 address");
                }
                int v4 = parseV4(s, start, len, len);
                groups[n++] = v4 >>> 16;
                groups[n++] = v4 & 0xFFFF;
                i = len;
                break;
            }
            if (i == start) {
                char c = i < len ? s.charAt(i) : ' ';
                throw i < len && c == '%'
                    ? bad(s, len, "zones are not allowed")
                    : bad(s, len, "expected a hex group at position " + i);
            }
            if (n == 8) {
                throw bad(s, len, "more than 8 groups");
            }
            groups[n++] = value;
            if (i == len) {
                break;
            }
            char c = s.charAt(i);
            if (c != ':') {
                throw c == '%'
                    ? bad(s, len, "zones are not allowed")
                    : bad(s, len, "unexpected character '" + c + "' at position " + i);
            }
            i++;
            if (i < len && s.charAt(i) == ':') {
                if (ellipsis >= 0) {
                    throw bad(s, len, "more than one '::'");
                }
                ellipsis = n;
                i++;
            } else if (i == len) {
                throw bad(s, len, "IPv6 address cannot end with a single ':'");
            }
        }
        if (ellipsis < 0) {
            if (n != 8) {
                throw bad(s, len, "IPv6 address has " + n + " groups, expected 8");
            }
        } else {
            if (n == 8) {
                throw bad(s, len, "'::' must stand for at least one zero group");
            }
            int tail = n - ellipsis;
            System.arraycopy(groups, ellipsis, groups, 8 - tail, tail);
            for (int k = ellipsis; k < 8 - tail; k++) {
                groups[k] = 0;
            }
        }
        byte[] out = new byte[16];
        for (int k = 0; k < 8; k++) {
            out[2 * k] = (byte) (groups[k] >>> 8);
            out[2 * k + 1] = (byte) groups[k];
        }
        return out;
    }

    /** ASCII hex digit value, or -1 (unlike {@code Character.digit}, no non-ASCII digits). */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static IllegalArgumentException bad(String text, int addrEnd, String reason) {
        String kind = addrEnd == text.length() ? "IP address" : "IP prefix";
        return new IllegalArgumentException("invalid " + kind + " \"" + text + "\": " + reason);
    }
}
