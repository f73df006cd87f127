package dev.jwg.config.model;

import java.util.Objects;

/**
 * A remark about a configuration file that was loaded all the same: an unknown section or key, which
 * is skipped as systemd-networkd skips it ({@link Severity#WARNING}), or a key networkd knows that jwg
 * accepts without applying it ({@link Severity#NOTE}). Located like a {@link ConfigException}:
 * {@code 85-wg0.network:7: Foo: unknown key in [Network], ignored}.
 *
 * <p>Immutable and thread-safe. The text never holds key material: parsers only quote values of keys
 * that cannot carry a secret.
 *
 * @param file base name of the file
 * @param line 1-based line, or 0 when the remark is about the whole file
 * @param key the key concerned, or empty
 * @param severity how much the user should care
 * @param text the human part
 */
public record ConfigNote(String file, int line, String key, Severity severity, String text) {
    /** How much the user should care. */
    public enum Severity {
        /** Something in the file is ignored that the user probably meant to have an effect. */
        WARNING,
        /** A setting that does nothing for a WireGuard link under jwg, said in one line. */
        NOTE
    }

    public ConfigNote {
        Objects.requireNonNull(file);
        if (line < 0) {
            throw new IllegalArgumentException("negative line");
        }
        Objects.requireNonNull(key);
        Objects.requireNonNull(severity);
        Objects.requireNonNull(text);
    }

    /** {@code file:line: key: text}, the line and key parts left out when there is none. */
    public String message() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (!key.isEmpty()) {
            sb.append(key).append(": ");
        }
        return sb.append(text).toString();
    }

    /** {@code warning: MESSAGE} or {@code note: MESSAGE}. */
    @Override
    public String toString() {
        return (severity == Severity.WARNING ? "warning: " : "note: ") + message();
    }
}
