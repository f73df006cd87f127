package dev.jwg.config.uapi;

import java.util.Objects;

/**
 * One {@code allowed_ip} line of a set request: {@code allowed_ip=10.0.0.0/24} adds,
 * {@code allowed_ip=-10.0.0.0/24} removes. Immutable.
 *
 * @param remove whether the line removes the prefix ({@code -} form)
 * @param prefix the prefix, as written
 */
public record AllowedIpChange(boolean remove, Prefix prefix) {
    public AllowedIpChange {
        Objects.requireNonNull(prefix);
    }

    public static AllowedIpChange add(Prefix prefix) {
        return new AllowedIpChange(false, prefix);
    }

    public static AllowedIpChange remove(Prefix prefix) {
        return new AllowedIpChange(true, prefix);
    }

    /** The value as written on the wire: {@code 10.0.0.0/24} or {@code -10.0.0.0/24}. */
    public String wireValue() {
        return remove ? "-" + prefix : prefix.toString();
    }
}
