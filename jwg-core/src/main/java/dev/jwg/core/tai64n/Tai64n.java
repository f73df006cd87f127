package dev.jwg.core.tai64n;

import java.util.Arrays;
import java.util.Objects;

/**
 * The 12-byte TAI64N timestamp of the handshake initiation (docs/protocol.md §1.8): bytes 0–7 are
 * the big-endian TAI64 label {@code 0x400000000000000A + unixSeconds}, bytes 8–11 the big-endian
 * nanoseconds within that second.
 *
 * <p>Like the kernel and wireguard-go, the low 24 bits of the nanosecond field are cleared (about
 * 16.8 ms of granularity) so the timestamp does not leak a precise clock. Timestamps compare as
 * unsigned big-endian byte strings, which orders them by time.
 *
 * <p>Static methods only; stateless and thread-safe. Wall-clock time is passed in by the caller
 * (see {@link dev.jwg.core.Clock#epochNanos()}).
 */
public final class Tai64n {
    private Tai64n() {}

    /** Length of a TAI64N timestamp in bytes. */
    public static final int LENGTH = 12;

    /** TAI64 label of the Unix epoch: 2^62 plus the 10 s TAI−UTC offset of 1970. */
    private static final long BASE = 0x4000_0000_0000_000AL;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Cleared nanosecond bits ("whitening"): 2^24 ns is the largest power of two ≤ 1e9 / 50. */
    private static final int WHITENER_MASK = 0xFF_FFFF;

    /**
     * Returns a new 12-byte timestamp for the given wall-clock time.
     *
     * @param epochNanos nanoseconds since 1970-01-01T00:00:00Z (may be negative)
     */
    public static byte[] fromEpochNanos(long epochNanos) {
        byte[] out = new byte[LENGTH];
        write(epochNanos, out, 0);
        return out;
    }

    /**
     * Writes the 12-byte timestamp for the given wall-clock time into {@code out[off..off+12)}.
     *
     * @throws IndexOutOfBoundsException if the range does not fit in {@code out}
     */
    public static void write(long epochNanos, byte[] out, int off) {
        Objects.checkFromIndexSize(off, LENGTH, out.length);
        long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        int nanos = (int) Math.floorMod(epochNanos, NANOS_PER_SECOND) & ~WHITENER_MASK;
        long label = BASE + seconds;
        for (int i = 0; i < 8; i++) {
            out[off + i] = (byte) (label >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[off + 8 + i] = (byte) (nanos >>> (24 - 8 * i));
        }
    }

    /**
     * Compares two timestamps as unsigned big-endian byte strings: negative, zero or positive as
     * {@code a} is older than, equal to or newer than {@code b}.
     *
     * @throws IllegalArgumentException if either array is not {@value #LENGTH} bytes long
     */
    public static int compare(byte[] a, byte[] b) {
        checkLength(a);
        checkLength(b);
        return Arrays.compareUnsigned(a, b);
    }

    /** Whether {@code a} is strictly newer than {@code b}, the responder's replay rule for initiations. */
    public static boolean isAfter(byte[] a, byte[] b) {
        return compare(a, b) > 0;
    }

    private static void checkLength(byte[] t) {
        if (t.length != LENGTH) {
            throw new IllegalArgumentException("TAI64N timestamp must be " + LENGTH + " bytes, got " + t.length);
        }
    }
}
