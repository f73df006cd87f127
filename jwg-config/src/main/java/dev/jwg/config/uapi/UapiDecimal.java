package dev.jwg.config.uapi;

/**
 * Unsigned decimals as wireguard-go reads UAPI numbers (Go's {@code strconv.ParseUint(s, 10, …)}):
 * ASCII digits only (no sign, no underscores), at least one, leading zeros allowed. Stateless.
 */
final class UapiDecimal {
    private UapiDecimal() {}

    /** The value of {@code s[from, to)} if it is such a decimal of at most {@code max}; -1 otherwise. */
    static long parse(String s, int from, int to, long max) {
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
