package dev.jwg.config.uapi;

/**
 * Strict textual IP addresses, without {@code java.net} (which would accept host names, octal and
 * short forms). Accepts exactly what Go's {@code netip.ParseAddr} accepts, which is what
 * wireguard-go accepts: dotted-quad IPv4 with no leading zeros; IPv6 with 1–4 hex digits per group,
 * at most one {@code ::} standing for at least one zero group, and an optional trailing dotted quad.
 * Formats as Go's {@code netip.Addr.String()}: RFC 5952 for IPv6 (lowercase, the first longest run
 * of two or more zero groups compressed) and {@code ::ffff:a.b.c.d} for IPv4-mapped IPv6.
 *
 * <p>Stateless; package-private helper of {@link Prefix} and {@link UapiEndpoint}.
 */
final class IpText {
    private IpText() {}

    /** Parses an IPv4 or IPv6 literal without zone; {@code null} if not exactly one. */
    static byte[] parseAddress(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                return parseIPv4(s, from, to);
            }
            if (c == ':') {
                return parseIPv6(s, from, to);
            }
        }
        return null;
    }

    /** Parses {@code a.b.c.d}: four decimal fields 0–255, no leading zeros; {@code null} otherwise. */
    static byte[] parseIPv4(String s, int from, int to) {
        byte[] out = new byte[4];
        if (!parseIPv4Into(s, from, to, out, 0)) {
            return null;
        }
        return out;
    }

    private static boolean parseIPv4Into(String s, int from, int to, byte[] out, int off) {
        int field = 0;
        int value = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return false; // leading zero
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return false;
                }
            } else if (c == '.') {
                if (digits == 0 || field == 3) {
                    return false;
                }
                out[off + field++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return false;
            }
        }
        if (digits == 0 || field != 3) {
            return false;
        }
        out[off + 3] = (byte) value;
        return true;
    }

    /** Parses an IPv6 literal (no zone, no brackets); {@code null} if malformed. */
    static byte[] parseIPv6(String s, int from, int to) {
        byte[] out = new byte[16];
        int n = 0; // bytes filled
        int ellipsis = -1; // byte offset of "::"
        int i = from;
        if (to - from >= 2 && s.charAt(from) == ':' && s.charAt(from + 1) == ':') {
            ellipsis = 0;
            i = from + 2;
            if (i == to) {
                return out; // "::"
            }
        }
        while (i < to) {
            // One group of 1..4 hex digits, or a trailing dotted quad.
            int start = i;
            int value = 0;
            while (i < to && i - start < 5) {
                int d = hexValue(s.charAt(i));
                if (d < 0) {
                    break;
                }
                value = (value << 4) | d;
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4) {
                return null;
            }
            if (i < to && s.charAt(i) == '.') {
                // Embedded IPv4 must be last and must fit.
                if (n > 12 || !parseIPv4Into(s, start, to, out, n)) {
                    return null;
                }
                n += 4;
                i = to;
                break;
            }
            if (n == 16) {
                return null; // too many groups
            }
            out[n++] = (byte) (value >> 8);
            out[n++] = (byte) value;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (ellipsis >= 0) {
                    return null; // second "::"
                }
                ellipsis = n;
                i++;
                if (i == to) {
                    break;
                }
            } else if (i == to) {
                return null; // trailing single ':'
            }
        }
        if (n < 16) {
            if (ellipsis < 0) {
                return null; // too short
            }
            int shift = 16 - n;
            for (int j = n - 1; j >= ellipsis; j--) {
                out[j + shift] = out[j];
            }
            for (int j = ellipsis; j < ellipsis + shift; j++) {
                out[j] = 0;
            }
        } else if (ellipsis >= 0) {
            return null; // "::" must stand for at least one zero group
        }
        return out;
    }

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

    /** Whether a 16-byte address is IPv4-mapped ({@code ::ffff:0:0/96}). */
    static boolean isIPv4Mapped(byte[] a) {
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

    /** Appends the Go {@code netip.Addr.String()} form of a 4- or 16-byte address. */
    static StringBuilder format(byte[] a, StringBuilder sb) {
        if (a.length == 4) {
            return formatIPv4(a, 0, sb);
        }
        if (isIPv4Mapped(a)) {
            return formatIPv4(a, 12, sb.append("::ffff:"));
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int g = 0; g < 8; g++) {
            int end = g;
            while (end < 8 && group(a, end) == 0) {
                end++;
            }
            if (end - g >= 2 && end - g > bestLen) {
                bestStart = g;
                bestLen = end - g;
            }
        }
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                sb.append("::");
                g += bestLen - 1;
                continue;
            }
            if (g > 0 && g != bestStart + bestLen) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(a, g)));
        }
        return sb;
    }

    private static int group(byte[] a, int g) {
        return ((a[2 * g] & 0xff) << 8) | (a[2 * g + 1] & 0xff);
    }

    private static StringBuilder formatIPv4(byte[] a, int off, StringBuilder sb) {
        return sb.append(a[off] & 0xff).append('.').append(a[off + 1] & 0xff).append('.')
                .append(a[off + 2] & 0xff).append('.').append(a[off + 3] & 0xff);
    }

    /**
     * Parses an unsigned decimal as Go's {@code strconv.ParseUint(s, 10, …)}: ASCII digits only (no sign,
     * no underscores), at least one, leading zeros allowed, value at most {@code max}; -1 otherwise.
     */
    static long parseUnsigned(String s, int from, int to, long max) {
        if (from >= to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value > max) {
                return -1;
            }
        }
        return value;
    }
}
