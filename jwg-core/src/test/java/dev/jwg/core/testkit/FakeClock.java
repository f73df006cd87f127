package dev.jwg.core.testkit;

import dev.jwg.core.Clock;

/** A clock tests advance by hand. Starts at an arbitrary non-zero monotonic time and wall time 1700000000 s. */
public final class FakeClock implements Clock {
    private long nanos = 1_000_000_000_000L;
    private long epochOffset = 1_700_000_000_000_000_000L - nanos;

    @Override
    public synchronized long nanoTime() { return nanos; }

    @Override
    public synchronized long epochNanos() { return nanos + epochOffset; }

    public synchronized void advanceNanos(long n) { nanos += n; }

    public void advanceMillis(long ms) { advanceNanos(ms * 1_000_000L); }

    public void advanceSeconds(double s) { advanceNanos((long) (s * 1e9)); }

    /** Moves the wall clock without touching monotonic time (a clock step). */
    public synchronized void stepWallClock(long n) { epochOffset += n; }
}
