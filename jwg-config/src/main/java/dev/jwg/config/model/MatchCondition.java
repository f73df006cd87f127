package dev.jwg.config.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code [Match]} setting of a {@code .network} file other than {@code Name=}, with its glob
 * patterns ({@link NameGlob} rules: a leading {@code !} negates). networkd compares each with a
 * property of the link; a WireGuard link's are fixed, so the answer is the same for every WireGuard
 * interface ({@link #matchesWireGuard()}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the setting, one of {@link #KEYS}
 * @param patterns its patterns, one per element, not empty
 */
public record MatchCondition(String key, List<String> patterns) {
    /** The settings, in the order networkd documents them. */
    public static final List<String> KEYS = List.of("MACAddress", "PermanentMACAddress", "Path", "Driver", "Type",
            "Kind", "WLANInterfaceType", "SSID", "BSSID", "Property");

    public MatchCondition {
        Objects.requireNonNull(key);
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException("not a [Match] setting jwg evaluates: " + key);
        }
        patterns = Checks.copy(patterns, "patterns");
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("no pattern");
        }
        for (String p : patterns) {
            Checks.singleLine(p, "pattern");
            if (p.isEmpty() || p.chars().anyMatch(c -> c == ' ' || c == '\t')) {
                throw new IllegalArgumentException("a pattern is one word");
            }
        }
    }

    /**
     * The link's value for {@code key}: a WireGuard link's type, kind and driver are {@code wireguard};
     * it has no hardware address, device path, wireless type, SSID or udev property jwg could know.
     */
    public static Optional<String> wireGuardValue(String key) {
        return switch (key) {
            case "Type", "Kind", "Driver" -> Optional.of("wireguard");
            default -> Optional.empty();
        };
    }

    /** Whether a WireGuard link satisfies this setting. */
    public boolean matchesWireGuard() {
        return NameGlob.matchesAll(patterns, wireGuardValue(key).orElse(null));
    }
}
