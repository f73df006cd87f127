package dev.jwg.config.networkd;

import dev.jwg.config.model.ConfigValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Value syntaxes of systemd's conf-parser used by the netdev and network parsers. Stateless. */
final class NetworkdValues {
    static final long U32_MAX = 0xffff_ffffL;

    private NetworkdValues() {}

    /** systemd's {@code parse_boolean}: 1/yes/y/true/t/on and 0/no/n/false/f/off, any case. */
    static Optional<Boolean> bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "1", "yes", "y", "true", "t", "on" -> Optional.of(true);
            case "0", "no", "n", "false", "f", "off" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** A decimal without leading zeros (so never octal), 0..max; -1 otherwise. */
    static long decimal(String s, long max) {
        return ConfigValues.decimal(s, max, false);
    }

    /** A u32 written in decimal or as {@code 0x} hex (at most 8 digits); -1 otherwise. */
    static long u32(String s) {
        if (s.length() > 2 && (s.startsWith("0x") || s.startsWith("0X"))) {
            return ConfigValues.hex(s.substring(2), 8);
        }
        return decimal(s, U32_MAX);
    }

    /** systemd's {@code parse_size} base 1024 for MTUBytes: an integer with optional K, M or G; -1 otherwise. */
    static long size(String s) {
        long mult = 1;
        String digits = s;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> mult = 1024;
                case 'M' -> mult = 1024 * 1024;
                case 'G' -> mult = 1024 * 1024 * 1024;
                default -> mult = 1;
            }
            if (mult != 1) {
                digits = s.substring(0, s.length() - 1).strip();
            }
        }
        long v = decimal(digits, U32_MAX);
        return v < 0 || v * mult > U32_MAX ? -1 : v * mult;
    }

    /** Words separated by commas and/or whitespace, empty words dropped. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.split("[,\\s]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** Words separated by whitespace only. */
    static List<String> spaceWords(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * systemd's {@code parse_sec} for a value that must be whole milliseconds: one or more
     * {@code NUMBER[UNIT]} with units us, ms, s, min, h (and their long forms), a bare number being
     * seconds; -1 if malformed or not a whole number of milliseconds.
     */
    static long millis(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*([0-9]+)\\s*([a-z]*)").matcher(s);
        long micros = 0;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                return -1;
            }
            long n = decimal(m.group(1).length() > 1 ? m.group(1).replaceFirst("^0+(?=.)", "") : m.group(1), 1L << 40);
            long unit = switch (m.group(2)) {
                case "us", "usec" -> 1;
                case "ms", "msec" -> 1_000;
                case "", "s", "sec", "second", "seconds" -> 1_000_000;
                case "m", "min", "minute", "minutes" -> 60_000_000L;
                case "h", "hr", "hour", "hours" -> 3_600_000_000L;
                default -> -1;
            };
            if (n < 0 || unit < 0) {
                return -1;
            }
            micros += n * unit;
            at = m.end();
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }
        return s.isBlank() || micros % 1000 != 0 ? -1 : micros / 1000;
    }
}
