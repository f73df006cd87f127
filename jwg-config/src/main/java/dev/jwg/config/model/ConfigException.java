package dev.jwg.config.model;

import java.util.Objects;

/**
 * A configuration file was refused. Carries where ({@link #file()}, {@link #line()}, {@link #key()})
 * and why ({@link #reason()}); the message has the form {@code 80-wg0.netdev:10: PublicKey: not a
 * valid base64 key} (the line and key parts are left out when there is none).
 *
 * <p>The message never contains key material: parsers never echo the value of a key-bearing setting,
 * nor the content of a key file. Immutable.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String key;
    private final ConfigError reason;
    private final String detail;

    /**
     * @param file base name of the file ({@code wg0.conf}), never a directory
     * @param line 1-based line number, or 0 when not tied to a line
     * @param key the setting concerned ({@code PublicKey}), or empty
     * @param reason why
     * @param detail human explanation; {@code null} for {@link ConfigError#description()}
     */
    public ConfigException(String file, int line, String key, ConfigError reason, String detail) {
        this(file, line, key, reason, detail, null);
    }

    public ConfigException(String file, int line, String key, ConfigError reason, String detail, Throwable cause) {
        super(null, cause);
        if (line < 0) {
            throw new IllegalArgumentException("negative line");
        }
        this.file = Objects.requireNonNull(file);
        this.line = line;
        this.key = Objects.requireNonNull(key);
        this.reason = Objects.requireNonNull(reason);
        this.detail = detail == null || detail.isEmpty() ? reason.description() : detail;
    }

    /** The file's base name, e.g. {@code wg0.conf} or {@code 80-wg0.netdev}. */
    public String file() {
        return file;
    }

    /** 1-based line number, 0 if the problem is not tied to a line. */
    public int line() {
        return line;
    }

    /** The key concerned ({@code PublicKey}), or an empty string. */
    public String key() {
        return key;
    }

    public ConfigError reason() {
        return reason;
    }

    /** The human part of the message, without file, line and key. */
    public String detail() {
        return detail;
    }

    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (!key.isEmpty()) {
            sb.append(key).append(": ");
        }
        return sb.append(detail).toString();
    }
}
