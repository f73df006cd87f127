package dev.jwg.config.uapi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code '\n'}-terminated lines from a byte stream with a hard length limit, buffering like
 * Go's {@code bufio.Reader}. Memory use is fixed at construction whatever the input. Bytes map 1:1 to
 * chars (ISO-8859-1), so no input can fail to decode; anything outside ASCII simply fails validation
 * later.
 *
 * <p>Not thread-safe; package-private helper of {@link UapiRequestReader}.
 */
final class UapiLineReader {
    /** What {@link #read()} found. */
    enum Status {
        /** A complete line; its text (without {@code '\n'}) is in {@link #line()}. */
        LINE,
        /** End of stream after some bytes but before {@code '\n'}; the bytes are in {@link #line()}. */
        PARTIAL,
        /** End of stream before any byte of a new line. */
        EOF,
        /** More than the limit before {@code '\n'}; the bytes read so far are consumed and dropped. */
        TOO_LONG
    }

    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int lim;
    private final byte[] lineBuf;
    private int lineLen;

    UapiLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.lineBuf = new byte[maxLineBytes];
    }

    /** Reads the next line; at most {@code maxLineBytes + 1} bytes are consumed. */
    Status read() throws IOException {
        lineLen = 0;
        while (true) {
            if (pos == lim && !fill()) {
                return lineLen == 0 ? Status.EOF : Status.PARTIAL;
            }
            while (pos < lim) {
                byte b = buf[pos++];
                if (b == '\n') {
                    return Status.LINE;
                }
                if (lineLen == lineBuf.length) {
                    return Status.TOO_LONG;
                }
                lineBuf[lineLen++] = b;
            }
        }
    }

    /** The next byte, or -1 at end of stream. */
    int readByte() throws IOException {
        if (pos == lim && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n == 0) { // breaks InputStream's contract; fall back to the single-byte read, which blocks
            int b = in.read();
            if (b < 0) {
                return false;
            }
            buf[0] = (byte) b;
            n = 1;
        }
        if (n < 0) {
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    /** The text of the last line read. */
    String line() {
        return new String(lineBuf, 0, lineLen, StandardCharsets.ISO_8859_1);
    }

    /** Whether the last line read is exactly the given ASCII text (no allocation). */
    boolean lineEquals(String ascii) {
        if (lineLen != ascii.length()) {
            return false;
        }
        for (int i = 0; i < lineLen; i++) {
            if (lineBuf[i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The last line, shortened and escaped, for logs. */
    String excerpt() {
        return escape(new String(lineBuf, 0, Math.min(lineLen, 65), StandardCharsets.ISO_8859_1));
    }

    /**
     * Untrusted text made safe to log: at most 64 characters (then {@code ...}), anything but printable
     * ASCII, and {@code \} and {@code "}, as {@code \xNN}.
     */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(s.length(), 64);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
                sb.append(c);
            } else {
                sb.append(String.format("\\x%02x", (int) c));
            }
        }
        return s.length() > n ? sb.append("...").toString() : sb.toString();
    }
}
