package dev.jwg.config.uapi;

/**
 * A UAPI request failed; the server answers {@code errno=}{@link #errno()}. Thrown by the codec for
 * malformed input and by a {@link UapiSetHandler} that could not apply a value (e.g.
 * {@link UapiErrno#EADDRINUSE}); the codec passes handler-raised exceptions through unchanged.
 *
 * <p>The message never contains key material. Immutable.
 */
public final class UapiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final int line;

    /**
     * @param errno the negative errno to answer, one of {@link UapiErrno}
     * @param reason a human-readable reason, for logs
     */
    public UapiException(int errno, String reason) {
        this(errno, 0, reason, null);
    }

    /**
     * @param errno the negative errno to answer
     * @param line the 1-based line number within the request ({@code set=1} is line 1), or 0 if unknown
     * @param reason a human-readable reason, for logs
     * @param cause the underlying failure, or {@code null}
     */
    public UapiException(int errno, int line, String reason, Throwable cause) {
        super(reason, cause);
        if (errno >= 0) {
            throw new IllegalArgumentException("UAPI errors are negative errno values: " + errno);
        }
        this.errno = errno;
        this.line = line;
    }

    /** The negative errno to answer with, e.g. {@link UapiErrno#EINVAL}. */
    public int errno() {
        return errno;
    }

    /** The 1-based line of the request that failed ({@code set=1} is line 1), or 0 when not tied to a line. */
    public int line() {
        return line;
    }

    /** The reason without the errno and line decoration. */
    public String reason() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        return UapiErrno.name(errno) + (line > 0 ? " at line " + line : "") + ": " + super.getMessage();
    }
}
