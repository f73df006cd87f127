package dev.jwg.device;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * wireguard-go's log levels, chosen with {@code LOG_LEVEL}: {@code verbose} (alias {@code debug}),
 * {@code error} (the default) and {@code silent}. Errors and warnings are written at {@code error}
 * and {@code verbose}, debug lines at {@code verbose} only.
 *
 * <p>Two formats. {@link Format#PLAIN} lines look like wireguard-go's:
 * {@code DEBUG: (wg0) 2026/11/24 09:30:00 peer(AbCd…WxYz) - Sending handshake initiation}.
 * {@link Format#JOURNAL}, for systemd's journal, starts each line with its syslog priority and
 * leaves the time to the journal: {@code <3>ERROR: (wg0) Failed to ...}, {@code <4>WARNING: ...},
 * {@code <7>DEBUG: ...}; journald files the line under that priority and strips the prefix.
 *
 * <p>One line per event: line breaks and other control characters in a message are written as
 * escapes ({@code \n}), so a message with untrusted text cannot forge lines. Never pass secrets:
 * peers are shown by their {@code toString()} short form, {@code peer(AbCd…WxYz)}. Thread-safe.
 */
public final class Log {
    public enum Level { SILENT, ERROR, VERBOSE }

    /** How lines are written: wireguard-go's plain lines, or with journald priority prefixes. */
    public enum Format { PLAIN, JOURNAL }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    private final Level level;
    private final String name;
    private final PrintStream out;
    private final Format format;

    /** A log of {@link Format#PLAIN} lines. */
    public Log(Level level, String name, PrintStream out) {
        this(level, name, out, Format.PLAIN);
    }

    public Log(Level level, String name, PrintStream out, Format format) {
        this.level = level;
        this.name = name;
        this.out = out;
        this.format = format;
    }

    /** From {@code LOG_LEVEL}: verbose|debug, error (default), silent. */
    public static Level levelFromEnv(String value) {
        if (value == null) {
            return Level.ERROR;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "verbose", "debug" -> Level.VERBOSE;
            case "silent" -> Level.SILENT;
            default -> Level.ERROR;
        };
    }

    /**
     * The format for a daemon's standard output: {@code JWG_LOG_FORMAT=journal|plain} when set,
     * else {@link Format#JOURNAL} when {@code JOURNAL_STREAM} (which systemd sets for a service,
     * {@code DEVICE:INODE} of the journal's socket) names the stream {@code fd} is, as systemd asks
     * programs to check before they write priority prefixes; else {@link Format#PLAIN}.
     *
     * @param fd the standard output or error as a path, {@code /proc/self/fd/1}
     */
    public static Format formatFromEnv(String logFormat, String journalStream, Path fd) {
        if (logFormat != null && !logFormat.isBlank()) {
            return logFormat.trim().equalsIgnoreCase("journal") ? Format.JOURNAL : Format.PLAIN;
        }
        if (journalStream == null || journalStream.isBlank()) {
            return Format.PLAIN;
        }
        int colon = journalStream.indexOf(':');
        try {
            long dev = Long.parseLong(journalStream.substring(0, colon).trim());
            long ino = Long.parseLong(journalStream.substring(colon + 1).trim());
            Object d = Files.getAttribute(fd, "unix:dev");
            Object i = Files.getAttribute(fd, "unix:ino");
            return d instanceof Long dl && i instanceof Long il && dl == dev && il == ino ? Format.JOURNAL : Format.PLAIN;
        } catch (IOException | RuntimeException e) {
            return Format.PLAIN; // malformed, or the stream cannot be examined: plain lines are safe anywhere
        }
    }

    public Format format() { return format; }

    public boolean verboseEnabled() { return level == Level.VERBOSE; }

    /** A debug line (syslog priority 7), written only at {@code LOG_LEVEL=verbose}. */
    public void verbose(String fmt, Object... args) {
        if (level == Level.VERBOSE) {
            print(7, "DEBUG", fmt, args);
        }
    }

    /**
     * Something went wrong by itself and was handled, which an operator should know about even
     * without verbose logging (priority 4): a peer's endpoint re-resolved to a new address, say.
     */
    public void warn(String fmt, Object... args) {
        if (level != Level.SILENT) {
            print(4, "WARNING", fmt, args);
        }
    }

    /** An error (priority 3). */
    public void error(String fmt, Object... args) {
        if (level != Level.SILENT) {
            print(3, "ERROR", fmt, args);
        }
    }

    private void print(int priority, String tag, String fmt, Object... args) {
        String msg = oneLine(args.length == 0 ? fmt : String.format(fmt, args));
        String line = format == Format.JOURNAL
                ? "<" + priority + ">" + tag + ": (" + name + ") " + msg
                : tag + ": (" + name + ") " + LocalDateTime.now().format(TIME) + " " + msg;
        synchronized (out) {
            out.println(line);
        }
    }

    /** {@code s} with line breaks and other control characters (tab aside) escaped. */
    static String oneLine(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                switch (c) {
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    default -> sb.append(String.format("\\x%02x", (int) c));
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
