package dev.jwg.cli.wg;

import static dev.jwg.cli.wg.Terminal.FG_CYAN;
import static dev.jwg.cli.wg.Terminal.FG_RED;
import static dev.jwg.cli.wg.Terminal.RESET;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The human forms of the pretty {@code show} output, as wireguard-tools' {@code show.c} writes them,
 * colour escapes included (see {@link Terminal#strip}): durations ({@code 1 minute, 30 seconds}),
 * handshake ages ({@code Now}, {@code … ago}), keepalive intervals ({@code every 25 seconds}) and
 * byte counts ({@code 1.23 KiB}). Stateless and thread-safe.
 */
final class HumanUnits {
    private static final long MINUTE = 60;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long YEAR = 365 * DAY;

    private HumanUnits() {}

    /**
     * {@code pretty_time}: years (of 365 days), days, hours, minutes, seconds, each only when not 0,
     * joined by {@code ", "}; empty for 0. {@code seconds} is unsigned.
     */
    static String duration(long seconds) {
        long left = seconds;
        long years = Long.divideUnsigned(left, YEAR);
        left = Long.remainderUnsigned(left, YEAR);
        long days = left / DAY;
        left %= DAY;
        long hours = left / HOUR;
        left %= HOUR;
        long minutes = left / MINUTE;
        long secs = left % MINUTE;
        StringBuilder sb = new StringBuilder();
        unit(sb, years, "year");
        unit(sb, days, "day");
        unit(sb, hours, "hour");
        unit(sb, minutes, "minute");
        unit(sb, secs, "second");
        return sb.toString();
    }

    private static void unit(StringBuilder sb, long n, String name) {
        if (n == 0) {
            return;
        }
        if (!sb.isEmpty()) {
            sb.append(", ");
        }
        sb.append(Long.toUnsignedString(n)).append(' ').append(FG_CYAN).append(name).append(n == 1 ? "" : "s")
                .append(RESET);
    }

    /** {@code ago}: how long ago the handshake at Unix second {@code then} was, seen at {@code now}. */
    static String ago(long then, long now) {
        if (now == then) {
            return "Now";
        }
        if (now < then) {
            return "(" + FG_RED + "System clock wound backward; connection problems may ensue." + RESET + ")";
        }
        return duration(now - then) + " ago";
    }

    /** {@code every}: a persistent keepalive interval. */
    static String every(int seconds) {
        return "every " + duration(seconds);
    }

    /**
     * {@code bytes}: below 1024 the exact count in B, else KiB, MiB, GiB or TiB with two decimals,
     * rounded as glibc's {@code printf("%.2f")} rounds the exact binary value (ties to even).
     * {@code b} is unsigned.
     */
    static String bytes(long b) {
        if (Long.compareUnsigned(b, 1024L) < 0) {
            return b + " " + FG_CYAN + "B" + RESET;
        }
        double d = unsignedToDouble(b);
        String unit;
        if (Long.compareUnsigned(b, 1L << 20) < 0) {
            d /= 1024;
            unit = "KiB";
        } else if (Long.compareUnsigned(b, 1L << 30) < 0) {
            d /= 1024 * 1024;
            unit = "MiB";
        } else if (Long.compareUnsigned(b, 1L << 40) < 0) {
            d /= 1024 * 1024 * 1024;
            unit = "GiB";
        } else {
            d = d / (1024 * 1024 * 1024) / 1024;
            unit = "TiB";
        }
        return twoDecimals(d) + " " + FG_CYAN + unit + RESET;
    }

    /** {@code printf("%.2f", d)} for a finite non-negative {@code d}: exact value, ties to even. */
    static String twoDecimals(double d) {
        return new BigDecimal(d).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** C's conversion of a {@code uint64_t} to {@code double} (round to nearest, ties to even). */
    static double unsignedToDouble(long v) {
        if (v >= 0) {
            return v;
        }
        // Halve, keeping the lost bit as a sticky bit so the rounding stays correct, then double.
        return ((v >>> 1) | (v & 1)) * 2.0;
    }
}
