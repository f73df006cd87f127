package dev.jwg.config.uapi;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads UAPI operations from one connection, the way wireguard-go's {@code IpcHandle} does
 * (docs/protocol.md §4.2): an operation line {@code get=1} or {@code set=1}; after {@code get=1} the very
 * next byte must be {@code '\n'}; after {@code set=1} key/value lines up to a blank line or the end of
 * the stream, parsed by {@link #readSet(UapiSetHandler)}.
 *
 * <p>Hostile input cannot make it allocate more than its fixed buffers: lines longer than
 * {@code maxLineBytes} and requests longer than {@code maxLinesPerRequest} are refused with
 * {@link UapiErrno#EIO}, as wireguard-go refuses lines beyond its 64 KiB scanner buffer. The defaults
 * (4096 bytes, 2^20 lines) are far above anything {@code wg} sends — its longest line is an endpoint
 * of under 80 bytes, and the kernel's netns test 18 sends one peer with 130,560 allowed IPs.
 *
 * <p>After a failed {@code set}, the stream stands just after the failing line; the next
 * {@link #next()} reads whatever follows as an operation line, which normally makes it an
 * {@link UapiRequest.InvalidOperation} and ends the connection — wireguard-go behaves the same way.
 *
 * <p>Not thread-safe: one reader per connection, used by one thread.
 */
public final class UapiRequestReader {
    /** Default limit on the length of one line, without its {@code '\n'}. */
    public static final int DEFAULT_MAX_LINE_BYTES = 4096;
    /** Default limit on the number of key/value lines in one {@code set} request. */
    public static final int DEFAULT_MAX_LINES_PER_REQUEST = 1 << 20;

    private final UapiLineReader lines;
    private final int maxLinesPerRequest;
    private boolean setPending;

    /** A reader with the default limits. The stream need not be buffered. */
    public UapiRequestReader(InputStream in) {
        this(in, DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_LINES_PER_REQUEST);
    }

    public UapiRequestReader(InputStream in, int maxLineBytes, int maxLinesPerRequest) {
        if (maxLineBytes < 128 || maxLinesPerRequest < 1) {
            throw new IllegalArgumentException("limits too small");
        }
        this.lines = new UapiLineReader(in, maxLineBytes);
        this.maxLinesPerRequest = maxLinesPerRequest;
    }

    /**
     * Reads the next operation.
     *
     * @throws IOException if the stream fails (close the connection)
     * @throws IllegalStateException if the previous result was {@link UapiRequest.Set} and its lines
     *     were not read with {@link #readSet}
     */
    public UapiRequest next() throws IOException {
        if (setPending) {
            throw new IllegalStateException("the lines of the previous set request were not read");
        }
        switch (lines.read()) {
            case EOF, PARTIAL -> {
                return new UapiRequest.EndOfStream();
            }
            case TOO_LONG -> {
                return new UapiRequest.InvalidOperation(lines.excerpt());
            }
            case LINE -> {
                if (lines.lineEquals("set=1")) {
                    setPending = true;
                    return new UapiRequest.Set();
                }
                if (lines.lineEquals("get=1")) {
                    int b = lines.readByte();
                    if (b < 0) {
                        return new UapiRequest.EndOfStream();
                    }
                    if (b != '\n') {
                        // wireguard-go consumes exactly this one byte, answers, and reads on.
                        return new UapiRequest.Rejected(UapiErrno.EINVAL, "get=1 not followed by an empty line");
                    }
                    return new UapiRequest.Get();
                }
                return new UapiRequest.InvalidOperation(lines.excerpt());
            }
        }
        throw new AssertionError();
    }

    /**
     * Reads the lines of the {@code set} request just returned by {@link #next()}, calling
     * {@code handler} for each as it is read (see {@link UapiSetHandler} for the contract).
     *
     * @throws UapiException with {@link UapiErrno#EINVAL}, {@link UapiErrno#EPROTO} or
     *     {@link UapiErrno#EIO} at the first bad line, or whatever the handler threw; calls made
     *     before it stand
     * @throws IllegalStateException if {@link #next()} did not just return {@link UapiRequest.Set}
     */
    public void readSet(UapiSetHandler handler) throws UapiException {
        if (!setPending) {
            throw new IllegalStateException("no set request to read");
        }
        setPending = false;
        UapiSetParser.parse(lines, maxLinesPerRequest, handler);
    }

    /**
     * Reads the lines of the {@code set} request just returned by {@link #next()} into a
     * {@link DeviceUpdate}. On error, what was read is lost; use {@link #readSet(UapiSetHandler)} with
     * a {@link DeviceUpdateCollector} to keep it.
     */
    public DeviceUpdate readSet() throws UapiException {
        DeviceUpdateCollector collector = new DeviceUpdateCollector();
        readSet(collector);
        return collector.result();
    }
}
