package dev.jwg.cli.wg;

import dev.jwg.config.uapi.AllowedIpChange;
import dev.jwg.core.crypto.KeyFormatException;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpAddress;
import dev.jwg.core.routing.IpPrefix;
import java.util.List;
import java.util.Locale;

/**
 * The value parsers of wireguard-tools' {@code config.c}, shared by {@code wg set} arguments and
 * configuration files, with {@code wg}'s acceptance rules and error messages (C's {@code strtoul}
 * semantics included). Each failure is a {@link WgFailure} whose message is {@code wg}'s.
 * Stateless and thread-safe.
 */
final class WgValues {
    private WgValues() {}

    /**
     * C's {@code strtoul}: leading whitespace, an optional sign, for base 16 an optional {@code 0x};
     * the digits that follow. Returns the value as unsigned 64 bits (saturated on overflow, negated
     * for {@code -}); {@code 0} when there are no digits.
     */
    static long strtoul(String s, int base) {
        return scan(s, base)[0];
    }

    /** Whether {@link #strtoul} consumes all of {@code s} ({@code *end == '\0'}). */
    static boolean isFullyParsed(String s, int base) {
        return scan(s, base)[1] == s.length();
    }

    /** {value, end index}. */
    private static long[] scan(String s, int base) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (base == 16 && i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) | 0x20) == 'x'
                && i + 2 < n && digit(s.charAt(i + 2), 16) >= 0) {
            i += 2;
        }
        int start = i;
        long value = 0;
        boolean overflow = false;
        while (i < n && digit(s.charAt(i), base) >= 0) {
            int d = digit(s.charAt(i), base);
            long limit = Long.divideUnsigned(-1L - d, base);
            if (Long.compareUnsigned(value, limit) > 0) {
                overflow = true;
            } else {
                value = value * base + d;
            }
            i++;
        }
        if (i == start) {
            return new long[] {0, 0}; // no conversion: end points at the beginning
        }
        if (overflow) {
            return new long[] {-1L, i};
        }
        return new long[] {negative ? -value : value, i};
    }

    private static int digit(char c, int base) {
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 99;
        return d < base ? d : -1;
    }

    /** C's {@code isspace} in the C locale. */
    static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    static boolean isDigit(String s) {
        return !s.isEmpty() && s.charAt(0) >= '0' && s.charAt(0) <= '9';
    }

    /** All whitespace removed, as {@code wg} does to {@code allowed-ips} and to configuration lines. */
    static String stripSpaces(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (!isSpace(s.charAt(i))) {
                sb.append(s.charAt(i));
            }
        }
        return sb.toString();
    }

    /** {@code listen-port}: a number or a UDP service name, resolved as {@code getaddrinfo(NULL, value)} does. */
    static int port(String value, Services services) throws WgFailure {
        if (value.isEmpty()) {
            throw new WgFailure("Unable to parse empty port");
        }
        if (isFullyParsed(value, 10) && strtoul(value, 10) > 65535) {
            throw new WgFailure("Port must be 0..65535: `" + value + "'");
        }
        return service(value, services).orElseThrow(
                () -> new WgFailure("Servname not supported for ai_socktype: `" + value + "'"));
    }

    /**
     * glibc's service lookup for a UDP socket: a number when it consumes the whole text, else a name
     * in the services database.
     *
     * <p>Stricter than glibc, which truncates a number to 16 bits ({@code wg set wg0 listen-port 70000}
     * listens on 4464): a number above 65535 is refused, as jwg's file parsers refuse it, so that a
     * typo never silently selects some other port.
     */
    static java.util.OptionalInt service(String value, Services services) {
        if (isFullyParsed(value, 10)) {
            long num = strtoul(value, 10);
            return num >= 0 && num <= 65535 ? java.util.OptionalInt.of((int) num) : java.util.OptionalInt.empty();
        }
        return services.udpPort(value);
    }

    /** {@code fwmark}: {@code off}, or a decimal or {@code 0x} hex 32-bit number. */
    static int fwmark(String value) throws WgFailure {
        if (value.toLowerCase(Locale.ROOT).equals("off")) {
            return 0;
        }
        if (isDigit(value)) {
            int base = value.length() > 2 && value.charAt(0) == '0' && value.charAt(1) == 'x' ? 16 : 10;
            long v = strtoul(value, base);
            if (isFullyParsed(value, base) && Long.compareUnsigned(v, 0xffff_ffffL) <= 0) {
                return (int) v;
            }
        }
        throw new WgFailure("Fwmark is neither 0/off nor 0-0xffffffff: `" + value + "'");
    }

    /** {@code persistent-keepalive}: {@code off} or 0..65535 seconds. */
    static int persistentKeepalive(String value) throws WgFailure {
        if (value.toLowerCase(Locale.ROOT).equals("off")) {
            return 0;
        }
        if (isDigit(value)) {
            long v = strtoul(value, 10);
            if (isFullyParsed(value, 10) && Long.compareUnsigned(v, 65535) <= 0) {
                return (int) v;
            }
        }
        throw new WgFailure("Persistent keepalive interval is neither 0/off nor 1-65535: `" + value + "'");
    }

    /** A base64 public key given on the command line or in a file (not secret, so echoed on error). */
    static PublicKey key(String value) throws WgFailure {
        try {
            return PublicKey.fromBase64(value);
        } catch (KeyFormatException e) {
            throw new WgFailure("Key is not the correct length or format: `" + value + "'");
        }
    }

    /**
     * The allowed-IPs of one {@code allowed-ips} argument or {@code AllowedIPs} line (whitespace
     * already removed): comma-separated {@code addr[/cidr]}, a missing length meaning the full one.
     * As current wireguard-tools, an entry prefixed with {@code +} is added and one prefixed with
     * {@code -} removed incrementally; either prefix anywhere in the value turns off the replacement
     * of the peer's list. Entries are appended to {@code into}; nonzero host bits draw {@code wg}'s
     * warning on {@code warnings}.
     *
     * @return whether the peer's list is to be replaced (no {@code +}/{@code -} entry)
     */
    static boolean allowedIps(String value, List<AllowedIpChange> into, java.io.PrintStream warnings) throws WgFailure {
        boolean replace = true;
        if (value.isEmpty()) {
            return true;
        }
        for (String raw : value.split(",", -1)) {
            String entry = raw;
            boolean remove = false;
            if (entry.startsWith("-") || entry.startsWith("+")) {
                remove = entry.charAt(0) == '-';
                replace = false;
                entry = entry.substring(1);
            }
            int slash = entry.indexOf('/');
            String ip = slash < 0 ? entry : entry.substring(0, slash);
            String mask = slash < 0 ? null : entry.substring(slash + 1);
            byte[] address = address(ip);
            int max = address.length * 8;
            int cidr = max;
            if (mask != null) {
                long c = isDigit(mask) ? strtoul(mask, 10) : -1;
                if (!isDigit(mask) || !isFullyParsed(mask, 10) || Long.compareUnsigned(c, max) > 0) {
                    throw new WgFailure("AllowedIP is not in the correct format: `" + entry + "'");
                }
                cidr = (int) c;
            }
            IpPrefix prefix = IpPrefix.ofAsWritten(address, cidr);
            if (!prefix.masked().equals(prefix)) {
                warnings.println("Warning: AllowedIP has nonzero host part: " + ip + "/" + mask);
            }
            into.add(remove ? AllowedIpChange.remove(prefix) : AllowedIpChange.add(prefix));
        }
        return replace;
    }

    /** {@code inet_pton}: IPv6 when the text has a colon, IPv4 (dotted quad) otherwise. */
    private static byte[] address(String ip) throws WgFailure {
        try {
            byte[] a = IpAddress.parse(ip).bytes();
            if ((a.length == 16) == (ip.indexOf(':') >= 0)) {
                return a;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new WgFailure("Unable to parse IP address: `" + ip + "'");
    }
}
