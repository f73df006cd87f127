package dev.jwg.device;

import dev.jwg.core.Clock;

/** The real clock: {@code System.nanoTime()} and the wall clock. Stateless and thread-safe. */
public final class SystemClock implements Clock {
    public static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {}

    @Override
    public long nanoTime() { return System.nanoTime(); }

    @Override
    public long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
