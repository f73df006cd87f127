package dev.jwg.config.uapi;

import dev.jwg.core.routing.IpAddresses;

/**
 * Strict textual IP addresses for the UAPI values, read and written by jwg-core's {@link IpAddresses}
 * (no {@code java.net}, which would accept host names, octal and short forms): what Go's
 * {@code netip.ParseAddr} accepts, which is what wireguard-go accepts, and Go's
 * {@code netip.Addr.String()} form. This class only adapts it to the UAPI parsers, which answer
 * {@code null} rather than throw.
 *
 * <p>Stateless; package-private helper of {@link Prefix} and {@link UapiEndpoint}.
 */
final class IpText {
    private IpText() {}

    /** Parses an IPv4 or IPv6 literal without zone; {@code null} if not exactly one. */
    static byte[] parseAddress(String s, int from, int to) {
        try {
            return IpAddresses.parse(s.substring(from, to));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Parses {@code a.b.c.d}: four decimal fields 0–255, no leading zeros; {@code null} otherwise. */
    static byte[] parseIPv4(String s, int from, int to) {
        byte[] a = parseAddress(s, from, to);
        return a != null && a.length == 4 ? a : null;
    }

    /** Parses an IPv6 literal (no zone, no brackets), a trailing dotted quad allowed; {@code null} if malformed. */
    static byte[] parseIPv6(String s, int from, int to) {
        byte[] a = parseAddress(s, from, to);
        return a != null && a.length == 16 ? a : null;
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

    /**
     * Appends the Go {@code netip.Addr.String()} form of a 4- or 16-byte address: RFC 5952 for IPv6
     * (lowercase, the first longest run of two or more zero groups compressed) and
     * {@code ::ffff:a.b.c.d} for IPv4-mapped IPv6.
     */
    static StringBuilder format(byte[] a, StringBuilder sb) {
        return sb.append(IpAddresses.format(a));
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
