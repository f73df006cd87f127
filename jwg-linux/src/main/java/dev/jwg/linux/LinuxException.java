package dev.jwg.linux;

import java.io.IOException;

/**
 * A failed Linux system call: the call's name and the {@code errno} it left, with the C library's
 * message, e.g. {@code "sendmmsg: Network is unreachable (errno 101)"}. Callers that must react to a
 * specific failure (the UAPI layer answers {@code errno=98} for a port in use) compare
 * {@link #errno()} with the constants in {@link Errno}.
 *
 * <p>Immutable.
 */
public final class LinuxException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public LinuxException(String call, int errno) {
        super(call + ": " + Libc.strerror(errno) + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }

    /** The name of the failed call, e.g. {@code "bind"} or {@code "ioctl(TUNSETIFF)"}. */
    public String call() {
        return call;
    }
}
