package dev.jwg.config.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Reads a configuration file as text for the parsers: bounded size, strict UTF-8 (a leading byte-order
 * mark is dropped). Stateless and thread-safe.
 */
public final class ConfigFiles {
    /** Largest configuration file accepted: 1 MiB (a hub with thousands of peers fits easily). */
    public static final int MAX_FILE_BYTES = 1 << 20;

    private ConfigFiles() {}

    /** The base name of {@code path} for error messages. */
    public static String baseName(Path path) {
        Path f = path.getFileName();
        return f == null ? path.toString() : f.toString();
    }

    /**
     * Reads {@code path} as UTF-8 text.
     *
     * @throws ConfigException {@link ConfigError#FILE_UNREADABLE}, {@link ConfigError#FILE_TOO_LARGE}
     *     or {@link ConfigError#BAD_ENCODING}
     */
    public static String read(Path path) throws ConfigException {
        String name = baseName(path);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new ConfigException(name, 0, "", ConfigError.FILE_UNREADABLE,
                    "cannot read the file: " + reason(e), e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ConfigException(name, 0, "", ConfigError.FILE_TOO_LARGE,
                    "file larger than " + MAX_FILE_BYTES + " bytes");
        }
        return decode(name, bytes);
    }

    /**
     * Why an I/O operation on a file failed, in words as {@code strerror} gives them ("Permission
     * denied", "No such file or directory", "Is a directory"), never a Java exception name.
     */
    public static String reason(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String m = e.getMessage();
        if (e instanceof IOException && m != null && !m.isBlank() && !m.contains("Exception")) {
            // The JDK's messages for a failed read or open are strerror's ("Is a directory").
            int colon = m.lastIndexOf(": ");
            return colon >= 0 && colon + 2 < m.length() ? m.substring(colon + 2) : m;
        }
        return "Input/output error";
    }

    /** Decodes file content as strict UTF-8, dropping a leading byte-order mark. */
    public static String decode(String fileName, byte[] bytes) throws ConfigException {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            int line = 1;
            // Point at the first line that fails on its own.
            for (int i = 0, start = 0; i <= bytes.length; i++) {
                if (i == bytes.length || bytes[i] == '\n') {
                    if (!validUtf8(bytes, start, i)) {
                        break;
                    }
                    line++;
                    start = i + 1;
                }
            }
            throw new ConfigException(fileName, line, "", ConfigError.BAD_ENCODING, null);
        }
    }

    private static boolean validUtf8(byte[] b, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Index of the first control character other than tab in {@code line}, or -1. */
    public static int controlCharacter(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Splits text into lines: {@code \n} ends a line, a {@code \r} before it is dropped; a final line
     * without {@code \n} counts.
     */
    public static String[] lines(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("\r")) {
                lines[i] = lines[i].substring(0, lines[i].length() - 1);
            }
        }
        if (lines.length > 0 && lines[lines.length - 1].isEmpty()) {
            String[] shorter = new String[lines.length - 1];
            System.arraycopy(lines, 0, shorter, 0, shorter.length);
            return shorter;
        }
        return lines;
    }
}
