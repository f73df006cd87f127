package dev.jwg.config.networkd;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The systemd unit-file syntax shared by {@code .netdev} and {@code .network} files, as systemd's
 * {@code conf-parser.c} reads it:
 *
 * <ul>
 *   <li>Lines are trimmed; empty lines and lines starting with {@code #} or {@code ;} are comments.
 *       There are no end-of-line comments: {@code Key=a # b} has the value {@code a # b}.
 *   <li>A line ending in an unescaped backslash continues on the next line; the backslash becomes a
 *       space; comment lines inside a continuation are skipped. A logical line is reported at the
 *       number of its first physical line.
 *   <li>{@code [Section]} headers; names are case-sensitive.
 *   <li>{@code Key=Value}: split at the first {@code =}, both sides trimmed; keys are case-sensitive.
 * </ul>
 *
 * Stateless.
 */
final class UnitFile {
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");

    private UnitFile() {}

    /**
     * Whether a key or section name may appear in an error message: a short identifier, which a
     * pasted base64 key (44 characters ending in '=') can never be.
     */
    static boolean isEchoable(String name) {
        return KEY_NAME.matcher(name).matches();
    }

    /** One meaningful line. */
    sealed interface Item permits Header, Assignment {
        int line();
    }

    /** {@code [name]} on {@code line}. */
    record Header(String name, int line) implements Item {}

    /** {@code key=value} on {@code line}. */
    record Assignment(String key, String value, int line) implements Item {}

    /**
     * Splits {@code text} into headers and assignments.
     *
     * @param lenient skip malformed lines instead of failing (for scanning files that may not be ours)
     * @throws ConfigException {@link ConfigError#SYNTAX} for a malformed line (never when lenient)
     */
    static List<Item> lex(String file, String text, boolean lenient) throws ConfigException {
        String[] lines = ConfigFiles.lines(text);
        List<Item> items = new ArrayList<>();
        StringBuilder continuation = null;
        int startLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (ConfigFiles.controlCharacter(l) >= 0) {
                if (lenient) {
                    continue;
                }
                throw new ConfigException(file, i + 1, "", ConfigError.SYNTAX, "control character in line");
            }
            String trimmed = l.strip();
            if (continuation != null) {
                if (!trimmed.isEmpty() && (trimmed.charAt(0) == '#' || trimmed.charAt(0) == ';')) {
                    continue;
                }
                continuation.append(l);
            } else {
                if (trimmed.isEmpty() || trimmed.charAt(0) == '#' || trimmed.charAt(0) == ';') {
                    continue;
                }
                continuation = new StringBuilder(l);
                startLine = i + 1;
            }
            if (endsEscaped(continuation)) {
                continuation.setCharAt(continuation.length() - 1, ' ');
                if (i + 1 < lines.length) {
                    continue;
                }
            }
            Item item = item(file, continuation.toString().strip(), startLine, lenient);
            if (item != null) {
                items.add(item);
            }
            continuation = null;
        }
        if (continuation != null) { // a continuation followed only by comment lines
            Item item = item(file, continuation.toString().strip(), startLine, lenient);
            if (item != null) {
                items.add(item);
            }
        }
        return items;
    }

    /** Whether the text ends in an odd number of backslashes. */
    private static boolean endsEscaped(CharSequence s) {
        int n = 0;
        for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    private static Item item(String file, String l, int line, boolean lenient) throws ConfigException {
        if (l.isEmpty()) {
            return null;
        }
        if (l.charAt(0) == '[') {
            if (l.length() < 3 || l.charAt(l.length() - 1) != ']') {
                if (lenient) {
                    return null;
                }
                throw new ConfigException(file, line, "", ConfigError.SYNTAX, "malformed section header");
            }
            return new Header(l.substring(1, l.length() - 1), line);
        }
        int eq = l.indexOf('=');
        String key = eq < 0 ? "" : l.substring(0, eq).strip();
        if (!KEY_NAME.matcher(key).matches()) {
            if (lenient) {
                return null;
            }
            // Do not echo the line: it might be a pasted key.
            throw new ConfigException(file, line, "", ConfigError.SYNTAX, "expected [Section] or Key=Value");
        }
        return new Assignment(key, l.substring(eq + 1).strip(), line);
    }
}
