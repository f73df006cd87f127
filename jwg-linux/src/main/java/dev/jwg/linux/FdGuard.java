package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes file descriptors only once no thread is inside a system call on them, so that a
 * descriptor number is never reused under a blocked reader. Every I/O method brackets its calls
 * with {@link #enter()} / {@link #exit()}; {@link #close} marks the resource closed, runs the
 * wake-up action (an eventfd write that makes a blocked {@code poll} return) and leaves the
 * release to the last thread that exits.
 *
 * <p>Thread-safe and lock-free.
 */
final class FdGuard {
    private static final int CLOSED = Integer.MIN_VALUE;

    /** Sign bit: closed. Remaining bits: threads inside. */
    private final AtomicInteger state = new AtomicInteger();
    private final Runnable release;
    private final Runnable wake;

    /** A guard whose {@link #close()} wakes nobody; {@code release} runs once, when closed and idle. */
    FdGuard(Runnable release) {
        this(release, () -> { });
    }

    private FdGuard(Runnable release, Runnable wake) {
        this.release = release;
        this.wake = wake;
    }

    /**
     * The guard of a descriptor whose blocked calls also {@code poll} an eventfd: {@link #close()}
     * signals {@code wakeFd}; the release closes both descriptors and then {@code arena}.
     */
    static FdGuard of(int fd, int wakeFd, Arena arena) {
        return new FdGuard(() -> {
            Libc.closeQuietly(fd);
            Libc.closeQuietly(wakeFd);
            arena.close();
        }, () -> {
            try (Arena temp = Arena.ofConfined()) {
                Libc.signal(Libc.newCallState(temp), wakeFd, temp.allocate(JAVA_LONG));
            }
        });
    }

    /** Returns false when closed; otherwise the caller must call {@link #exit()} later. */
    boolean enter() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    void exit() {
        if (state.decrementAndGet() == CLOSED) {
            release.run();
        }
    }

    boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** {@link #close(Runnable)} with this guard's own wake-up (the eventfd signal of {@link #of}). */
    boolean close() {
        return close(wake);
    }

    /**
     * Marks closed and runs {@code wake} while the descriptors are still guaranteed open; the
     * release runs here or in the last thread to exit. Returns false when already closed.
     */
    boolean close(Runnable wake) {
        if (!enter()) {
            return false;
        }
        boolean first = false;
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                break;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                first = true;
                break;
            }
        }
        try {
            if (first) {
                wake.run();
            }
        } finally {
            exit();
        }
        return first;
    }
}
