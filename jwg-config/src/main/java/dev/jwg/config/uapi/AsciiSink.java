package dev.jwg.config.uapi;

import dev.jwg.core.crypto.KeyBytes;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Buffered ASCII output of {@code key=value} lines with no per-line allocation for numbers and keys.
 * Not thread-safe; package-private helper of the writers.
 */
final class AsciiSink {
    private final OutputStream out;
    private final byte[] buf = new byte[8192];
    private int len;

    AsciiSink(OutputStream out) {
        this.out = out;
    }

    private void ensure(int n) throws IOException {
        if (len + n > buf.length) {
            out.write(buf, 0, len);
            len = 0;
        }
    }

    /** Appends ASCII text (characters ≥ 0x80 are the caller's bug). */
    AsciiSink text(CharSequence s) throws IOException {
        int i = 0;
        while (i < s.length()) {
            ensure(1);
            int n = Math.min(s.length() - i, buf.length - len);
            for (int j = 0; j < n; j++) {
                buf[len++] = (byte) s.charAt(i++);
            }
        }
        return this;
    }

    AsciiSink key(UapiKey k) throws IOException {
        return text(k.wireName()).ch('=');
    }

    AsciiSink ch(char c) throws IOException {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    AsciiSink newline() throws IOException {
        return ch('\n');
    }

    /** Unsigned 64-bit decimal. */
    AsciiSink unsigned(long v) throws IOException {
        if (v < 0) { // 2^63 and above
            long q = Long.divideUnsigned(v, 10);
            unsigned(q);
            return ch((char) ('0' + (v - q * 10)));
        }
        int n = 1;
        for (long t = v / 10; t != 0; t /= 10) {
            n++;
        }
        ensure(n);
        for (int p = len + n - 1; p >= len; p--) {
            buf[p] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += n;
        return this;
    }

    /** A key's 64 lowercase hex digits, without making a string of them. */
    AsciiSink hex(KeyBytes k) throws IOException {
        ensure(KeyBytes.HEX_LEN);
        k.writeHex(buf, len);
        len += KeyBytes.HEX_LEN;
        return this;
    }

    /** Writes out the buffer and flushes the stream. */
    void flush() throws IOException {
        out.write(buf, 0, len);
        len = 0;
        out.flush();
    }
}
