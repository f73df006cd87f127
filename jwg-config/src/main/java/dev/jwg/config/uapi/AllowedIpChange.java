package dev.jwg.config.uapi;

import dev.jwg.core.routing.IpPrefix;
import java.util.Objects;

/**
 * One {@code allowed_ip} line of a set request: {@code allowed_ip=10.0.0.0/24} adds,
 * {@code allowed_ip=-10.0.0.0/24} removes. Immutable.
 *
 * @param remove whether the line removes the prefix ({@code -} form)
 * @param prefix the prefix, as written
 */
public record AllowedIpChange(boolean remove, IpPrefix prefix) {
    public AllowedIpChange {
        Objects.requireNonNull(prefix);
    }

    public static AllowedIpChange add(IpPrefix prefix) {
        return new AllowedIpChange(false, prefix);
    }

    public static AllowedIpChange remove(IpPrefix prefix) {
        return new AllowedIpChange(true, prefix);
    }

    /**
     * An {@code allowed_ip} value's prefix, {@code s[from..]}, as Go's {@code netip.ParsePrefix} reads
     * it, which wireguard-go uses: a literal address without zone, {@code /} (required here, unlike in
     * configuration files), and a decimal length without sign or leading zero. Host bits are kept as
     * written. Null if malformed.
     */
    static IpPrefix parsePrefix(String s, int from) {
        if (s.indexOf('/', from) < 0) {
            return null;
        }
        try {
            return IpPrefix.parseAsWritten(s.substring(from));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The value as written on the wire: {@code 10.0.0.0/24} or {@code -10.0.0.0/24}. */
    public String wireValue() {
        return remove ? "-" + prefix : prefix.toString();
    }
}
