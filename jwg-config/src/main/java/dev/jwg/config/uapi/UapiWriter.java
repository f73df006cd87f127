package dev.jwg.config.uapi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The status response: {@code errno=N\n\n}, the whole answer to a set request (and to a
 * {@link UapiRequest.Rejected} operation). Stateless and thread-safe.
 */
public final class UapiWriter {
    private UapiWriter() {}

    /**
     * The response text for {@code errno}: 0 on success, a negative {@link UapiErrno} value on failure.
     *
     * @throws IllegalArgumentException if {@code errno} is positive ({@code wg} would print "Unknown error")
     */
    public static String errno(int errno) {
        if (errno > 0) {
            throw new IllegalArgumentException("UAPI errno values are 0 or negative: " + errno);
        }
        return "errno=" + errno + "\n\n";
    }

    /** Writes {@link #errno(int)} and flushes. */
    public static void writeErrno(OutputStream out, int errno) throws IOException {
        out.write(errno(errno).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
