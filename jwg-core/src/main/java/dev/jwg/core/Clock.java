package dev.jwg.core;

/**
 * The only source of time the protocol core sees. Production code passes a clock backed by
 * {@code System.nanoTime()} and the wall clock; tests pass a fake clock they advance by hand.
 *
 * <p>Implementations must be safe to call from any thread.
 */
public interface Clock {

    /** Monotonic time in nanoseconds, for timers and ages. Only differences are meaningful. */
    long nanoTime();

    /**
     * Wall-clock time in nanoseconds since the Unix epoch. Used only where the protocol puts
     * wall-clock time on the wire or in reports: TAI64N timestamps and the last-handshake time.
     */
    long epochNanos();
}
