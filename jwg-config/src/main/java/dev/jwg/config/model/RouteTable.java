package dev.jwg.config.model;

import java.util.Locale;
import java.util.Objects;

/**
 * A routing table as named in the files: wg-quick's {@code Table=} ({@code auto}, {@code off}, a
 * number or a name), networkd's {@code RouteTable=} ({@code off}, a number or a name) and the
 * {@code Table=} of {@code [Route]} and {@code [RoutingPolicyRule]} (a number or a name).
 *
 * <p>Names are those of {@code /etc/iproute2/rt_tables} or networkd.conf {@code RouteTable=}
 * ({@code main}, {@code local}, {@code default} are predefined); they are kept as written and not
 * resolved. Immutable and thread-safe.
 */
public sealed interface RouteTable {
    /** Largest table number, as in the kernel (u32). */
    long MAX_ID = 0xffff_ffffL;

    /** wg-quick's default: routes in the main table, plus the full-tunnel rules for a /0. */
    RouteTable AUTO = new Auto();
    /** No routes at all. */
    RouteTable OFF = new Off();
    /** The main table (254) by its name. */
    RouteTable MAIN = new Named("main");

    /** wg-quick {@code Table = auto}. */
    record Auto() implements RouteTable {
        @Override
        public String toString() {
            return "auto";
        }
    }

    /** {@code off}: add no routes. */
    record Off() implements RouteTable {
        @Override
        public String toString() {
            return "off";
        }
    }

    /**
     * A table by number.
     *
     * @param id 1..4294967295
     */
    record Id(long id) implements RouteTable {
        public Id {
            if (id < 1 || id > MAX_ID) {
                throw new IllegalArgumentException("table number must be 1..4294967295");
            }
        }

        @Override
        public String toString() {
            return Long.toString(id);
        }
    }

    /**
     * A table by name.
     *
     * @param name letters, digits, {@code _ . -}, not all digits, at most 64 characters, not {@code auto}/{@code off}
     */
    record Named(String name) implements RouteTable {
        public Named {
            Objects.requireNonNull(name);
            if (!isName(name)) {
                throw new IllegalArgumentException("not a routing table name");
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Whether this is a real table (a number or a name), not {@code auto} or {@code off}. */
    default boolean isTable() {
        return this instanceof Id || this instanceof Named;
    }

    /**
     * Parses a table: {@code auto} and {@code off} (case-insensitive) if allowed, a decimal number
     * 1..4294967295 without leading zeros, or a name.
     *
     * @throws IllegalArgumentException with a human reason if not accepted
     */
    static RouteTable parse(String text, boolean allowAuto, boolean allowOff) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("auto")) {
            if (!allowAuto) {
                throw new IllegalArgumentException("'auto' is not allowed here");
            }
            return AUTO;
        }
        if (lower.equals("off")) {
            if (!allowOff) {
                throw new IllegalArgumentException("'off' is not allowed here");
            }
            return OFF;
        }
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (text.length() > 10 || (text.length() > 1 && text.charAt(0) == '0')) {
                throw new IllegalArgumentException("table number must be 1..4294967295");
            }
            return new Id(Long.parseLong(text));
        }
        if (!isName(text)) {
            throw new IllegalArgumentException("not a table number or name");
        }
        return new Named(text);
    }

    private static boolean isName(String s) {
        if (s.isEmpty() || s.length() > 64 || s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("auto") || lower.equals("off")) {
            return false;
        }
        return s.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == '-');
    }
}
