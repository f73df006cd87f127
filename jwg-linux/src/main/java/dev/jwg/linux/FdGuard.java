package dev.jwg.linux;

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

    FdGuard(Runnable release) {
        this.release = release;
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
