package dev.jwg.config.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Invariant checks shared by the model records. Stateless. */
final class Checks {
    static final long U32_MAX = 0xffff_ffffL;

    private Checks() {}

    static void range(OptionalInt v, long min, long max, String what) {
        Objects.requireNonNull(v, what);
        if (v.isPresent() && (v.getAsInt() < min || v.getAsInt() > max)) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max);
        }
    }

    static void range(OptionalLong v, long min, long max, String what) {
        Objects.requireNonNull(v, what);
        if (v.isPresent() && (v.getAsLong() < min || v.getAsLong() > max)) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max);
        }
    }

    /** A present path must be absolute (a networkd key file). */
    static void absolute(Optional<Path> path, String what) {
        Objects.requireNonNull(path, what);
        if (path.isPresent() && !path.get().isAbsolute()) {
            throw new IllegalArgumentException(what + " must be absolute");
        }
    }

    /** A networkd route table (of a tunnel or of a peer) is off or a table, never wg-quick's auto. */
    static void notAuto(Optional<RouteTable> routeTable, String whose) {
        Objects.requireNonNull(routeTable, "routeTable");
        if (routeTable.isPresent() && routeTable.get() instanceof RouteTable.Auto) {
            throw new IllegalArgumentException("a " + whose + " route table cannot be auto");
        }
    }

    /** An immutable copy with no null element. */
    static <T> List<T> copy(List<T> list, String what) {
        Objects.requireNonNull(list, what);
        return List.copyOf(list);
    }

    /**
     * A value that must survive a trip through a line-based file: no line breaks or other control
     * characters (tab allowed), no surrounding whitespace (files trim it), no trailing backslash
     * (systemd would read a line continuation).
     */
    static String singleLine(String s, String what) {
        Objects.requireNonNull(s, what);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new IllegalArgumentException(what + " must be a single line without control characters");
            }
        }
        if (!s.equals(s.strip())) {
            throw new IllegalArgumentException(what + " must not start or end with whitespace");
        }
        if (s.endsWith("\\")) {
            throw new IllegalArgumentException(what + " must not end with a backslash");
        }
        return s;
    }

    /** A Linux interface name: 1..15 bytes, printable ASCII without {@code / : %} or whitespace, not "." or "..". */
    static boolean isInterfaceName(String s) {
        if (s.isEmpty() || s.length() > 15 || s.equals(".") || s.equals("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '/' || c == ':' || c == '%') {
                return false;
            }
        }
        return true;
    }
}
