package dev.jwg.device;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * wireguard-go's two log levels: {@code verbose} (alias {@code debug}) and {@code error}, plus
 * {@code silent}; chosen with {@code LOG_LEVEL}. Lines look like wireguard-go's:
 * {@code DEBUG: (wg0) 2026/11/24 09:30:00 peer(AbCd…WxYz) - Sending handshake initiation}.
 * Never pass secrets: peers are shown by their {@code toString()} short form. Thread-safe.
 */
public final class Log {
    public enum Level { SILENT, ERROR, VERBOSE }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    private final Level level;
    private final String name;
    private final PrintStream out;

    public Log(Level level, String name, PrintStream out) {
        this.level = level;
        this.name = name;
        this.out = out;
    }

    /** From {@code LOG_LEVEL}: verbose|debug, error (default), silent. */
    public static Level levelFromEnv(String value) {
        if (value == null) {
            return Level.ERROR;
        }
        return switch (value.trim().toLowerCase()) {
            case "verbose", "debug" -> Level.VERBOSE;
            case "silent" -> Level.SILENT;
            default -> Level.ERROR;
        };
    }

    public boolean verboseEnabled() { return level == Level.VERBOSE; }

    public void verbose(String fmt, Object... args) {
        if (level == Level.VERBOSE) {
            print("DEBUG", fmt, args);
        }
    }

    public void error(String fmt, Object... args) {
        if (level != Level.SILENT) {
            print("ERROR", fmt, args);
        }
    }

    private void print(String tag, String fmt, Object... args) {
        String msg = args.length == 0 ? fmt : String.format(fmt, args);
        synchronized (out) {
            out.println(tag + ": (" + name + ") " + LocalDateTime.now().format(TIME) + " " + msg);
        }
    }
}
