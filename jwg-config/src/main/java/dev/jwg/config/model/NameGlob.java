package dev.jwg.config.model;

import java.util.List;

/**
 * networkd's {@code [Match] Name=} test: shell globs ({@code fnmatch(3)} without flags: {@code *},
 * {@code ?}, {@code [...]} with {@code !}/{@code ^} negation and ranges, {@code \} escapes) over the
 * interface name. A pattern starting with {@code !} is a negative pattern. A name matches a list when
 * no negative pattern matches it and, if the list has positive patterns, at least one of them does;
 * an empty list matches everything (systemd's {@code net_condition_test_strv}).
 *
 * <p>Stateless and thread-safe.
 */
public final class NameGlob {
    private NameGlob() {}

    /**
     * Whether {@code pattern} (with an optional leading {@code !}) is acceptable: 1..127 printable ASCII
     * characters after the {@code !}, none of {@code / : %}, not only digits, not "." or ".." (systemd's
     * {@code ifname_valid_full} for alternative names).
     */
    public static boolean isValidPattern(String pattern) {
        String p = pattern.startsWith("!") ? pattern.substring(1) : pattern;
        if (p.isEmpty() || p.length() > 127 || p.equals(".") || p.equals("..")
                || p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return p.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '/' && c != ':' && c != '%');
    }

    /**
     * Whether {@code name} matches the pattern list, as described in the class comment; a {@code null}
     * name (a property the link does not have) matches only a list without positive patterns.
     */
    public static boolean matchesAll(List<String> patterns, String name) {
        boolean positive = false;
        boolean matched = false;
        for (String p : patterns) {
            boolean invert = p.startsWith("!");
            String glob = invert ? p.substring(1) : p;
            if (!invert) {
                positive = true;
            }
            if (name != null && matches(glob, name)) {
                if (invert) {
                    return false;
                }
                matched = true;
            }
        }
        return !positive || matched;
    }

    /** {@code fnmatch(glob, name, 0) == 0}. */
    public static boolean matches(String glob, String name) {
        int p = 0;
        int n = 0;
        int starP = -1;
        int starN = -1;
        while (n < name.length()) {
            if (p < glob.length()) {
                char c = glob.charAt(p);
                if (c == '*') {
                    starP = ++p;
                    starN = n;
                    continue;
                }
                int next = matchOne(glob, p, name.charAt(n));
                if (next >= 0) {
                    p = next;
                    n++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP;
            n = ++starN;
        }
        while (p < glob.length() && glob.charAt(p) == '*') {
            p++;
        }
        return p == glob.length();
    }

    /** If the element of {@code glob} at {@code p} matches {@code c}, the index after it; else -1. */
    private static int matchOne(String glob, int p, char c) {
        char g = glob.charAt(p);
        if (g == '?') {
            return p + 1;
        }
        if (g == '\\' && p + 1 < glob.length()) {
            return glob.charAt(p + 1) == c ? p + 2 : -1;
        }
        if (g == '[') {
            int end = bracketEnd(glob, p);
            if (end < 0) {
                return c == '[' ? p + 1 : -1; // unterminated: a literal '['
            }
            return bracketMatches(glob, p + 1, end, c) ? end + 1 : -1;
        }
        return g == c ? p + 1 : -1;
    }

    /** Index of the ']' closing the bracket expression opened at {@code open}, or -1. */
    private static int bracketEnd(String glob, int open) {
        int i = open + 1;
        if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            i++;
        }
        if (i < glob.length() && glob.charAt(i) == ']') {
            i++; // a leading ']' is literal
        }
        for (; i < glob.length(); i++) {
            char g = glob.charAt(i);
            if (g == '\\') {
                i++;
            } else if (g == ']') {
                return i;
            }
        }
        return -1;
    }

    private static boolean bracketMatches(String glob, int from, int end, char c) {
        boolean negate = glob.charAt(from) == '!' || glob.charAt(from) == '^';
        int i = negate ? from + 1 : from;
        boolean found = false;
        boolean first = true;
        while (i < end) {
            char lo = glob.charAt(i);
            if (lo == '\\' && i + 1 < end) {
                lo = glob.charAt(++i);
            } else if (lo == ']' && !first) {
                break;
            }
            first = false;
            i++;
            char hi = lo;
            if (i + 1 < end && glob.charAt(i) == '-') {
                hi = glob.charAt(i + 1);
                if (hi == '\\' && i + 2 < end) {
                    hi = glob.charAt(i + 2);
                    i++;
                }
                i += 2;
            }
            if (c >= lo && c <= hi) {
                found = true;
            }
        }
        return found != negate;
    }
}
