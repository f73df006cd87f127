package dev.jwg.config.model;

import dev.jwg.core.routing.IpAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer endpoint as written in a file: {@code 192.0.2.7:51820}, {@code [2001:db8::7]:51820},
 * {@code [fe80::1%eth0]:51820} or {@code vpn.example.com:51820}. A host name is kept as given and
 * resolved only when the configuration is applied ({@code wg} and networkd do the same).
 *
 * <p>Accepted: an IPv4 literal or a DNS name (labels of letters, digits, {@code -} and {@code _},
 * at most 253 characters), or an IPv6 literal with optional zone in brackets; then {@code :} and a
 * decimal port 1..65535 without leading zeros. Refused, with a reason: an unbracketed IPv6 address,
 * a service name instead of a port number, port 0.
 *
 * <p>Immutable and thread-safe.
 *
 * @param host the host as written, without brackets: a literal address (IPv6 possibly with
 *     {@code %zone}) or a name
 * @param port 1..65535
 */
public record HostPort(String host, int port) {
    private static final int MAX_NAME = 253;

    public HostPort {
        Objects.requireNonNull(host);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535");
        }
        checkHost(host);
    }

    /**
     * Parses {@code host:port} / {@code [v6]:port}.
     *
     * @throws IllegalArgumentException with a human reason if malformed
     */
    public static HostPort parse(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' after the IPv6 address");
            }
            if (close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("missing ':port' after ']'");
            }
            host = text.substring(1, close);
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException("brackets are only for IPv6 addresses");
            }
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("missing ':port'");
            }
            host = text.substring(0, colon);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("an IPv6 endpoint must be written [address]:port");
            }
            port = text.substring(colon + 1);
        }
        return new HostPort(host, parsePort(port));
    }

    private static int parsePort(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("missing port number");
        }
        if (!s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("the port must be a number (service names are not supported)");
        }
        if (s.length() > 5 || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new IllegalArgumentException("port must be 1..65535 without leading zeros");
        }
        int p = Integer.parseInt(s);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port must be 1..65535");
        }
        return p;
    }

    private static void checkHost(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host");
        }
        if (host.indexOf(':') >= 0) {
            int percent = host.indexOf('%');
            String addr = percent < 0 ? host : host.substring(0, percent);
            if (percent >= 0 && !isZone(host.substring(percent + 1))) {
                throw new IllegalArgumentException("bad IPv6 zone");
            }
            try {
                IpAddress.parse(addr); // contains ':', so only an IPv6 literal can pass
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an IPv6 address");
            }
            return;
        }
        if (looksNumeric(host)) {
            try {
                IpAddress.parse(host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an IPv4 address");
            }
            return;
        }
        if (!isDnsName(host)) {
            throw new IllegalArgumentException("not an IP address or host name");
        }
    }

    private static boolean looksNumeric(String host) {
        return host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    }

    private static boolean isZone(String z) {
        if (z.isEmpty() || z.length() > 15) {
            return false;
        }
        return z.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '/' && c != ':' && c != '%' && c != '[' && c != ']');
    }

    /** Letters, digits, '-', '_' in dot-separated labels of 1..63; an optional final dot. */
    static boolean isDnsName(String s) {
        if (s.isEmpty() || s.length() > MAX_NAME) {
            return false;
        }
        String t = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (t.isEmpty()) {
            return false;
        }
        for (String label : t.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the host is a literal address (no name resolution needed). */
    public boolean isLiteral() {
        return host.indexOf(':') >= 0 || looksNumeric(host);
    }

    /** The literal address, without zone, if the host is one. */
    public Optional<IpAddress> literalAddress() {
        if (!isLiteral()) {
            return Optional.empty();
        }
        int percent = host.indexOf('%');
        return Optional.of(IpAddress.parse(percent < 0 ? host : host.substring(0, percent)));
    }

    /** The IPv6 zone ({@code eth0} of {@code [fe80::1%eth0]:51820}), if any. */
    public Optional<String> zone() {
        int percent = host.indexOf('%');
        return percent < 0 ? Optional.empty() : Optional.of(host.substring(percent + 1));
    }

    /** {@code host:port}, IPv6 in brackets: the text as it was written. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
