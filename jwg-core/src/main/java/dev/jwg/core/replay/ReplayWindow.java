package dev.jwg.core.replay;

import dev.jwg.core.Protocol;
import java.util.Arrays;

/**
 * Rejects replayed transport messages by remembering which message counters inside a sliding
 * window have already been received (RFC 6479 "bitmap without shifts"; docs/protocol.md §3.7).
 *
 * <p>The bitmap is a ring of {@value #RING_BLOCKS} blocks of 64 bits. The window covers the
 * highest counter accepted so far and the {@value #WINDOW_SIZE} counters below it; one block is
 * kept spare so that moving forward only ever zeroes whole blocks, never shifts bits. Layout and
 * window size match wireguard-go: counter 0 is usable from a fresh window, and counters at or above
 * {@link Protocol#REJECT_AFTER_MESSAGES} are always rejected.
 *
 * <p>Counters are unsigned 64-bit values carried in a {@code long}. A fresh instance is an empty
 * window ready to use. {@link #validate} does not allocate.
 *
 * <p><b>Not thread-safe</b>: one window belongs to one receiving keypair, and the caller must
 * serialise calls (the receive path validates a keypair's packets in order, after decryption).
 */
public final class ReplayWindow {

    private static final int BLOCK_BITS_LOG = 6;
    private static final int BLOCK_BITS = 1 << BLOCK_BITS_LOG;
    /** Number of 64-bit blocks in the ring. */
    public static final int RING_BLOCKS = 128;
    /** Counters this far below the highest accepted one are still accepted once: (128 − 1) × 64. */
    public static final int WINDOW_SIZE = (RING_BLOCKS - 1) * BLOCK_BITS;

    private static final int BLOCK_MASK = RING_BLOCKS - 1;
    private static final int BIT_MASK = BLOCK_BITS - 1;

    /** Highest counter accepted so far (0 also when nothing was accepted yet; bit 0 tells them apart). */
    private long last;
    private final long[] ring = new long[RING_BLOCKS];

    /** Creates an empty window. */
    public ReplayWindow() {}

    /**
     * Checks a received message counter and, if it is acceptable, records it.
     *
     * @param counter the unsigned 64-bit counter of an authenticated message
     * @return {@code true} if the counter is below {@link Protocol#REJECT_AFTER_MESSAGES}, not older
     *     than the window and not seen before (it is now recorded); {@code false} to drop the message
     */
    public boolean validate(long counter) {
        if (Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
            return false;
        }
        long block = counter >>> BLOCK_BITS_LOG;
        if (Long.compareUnsigned(counter, last) > 0) {
            // Move forward: zero the blocks between the old head and the new one (at most the ring).
            long current = last >>> BLOCK_BITS_LOG;
            long steps = block - current; // >= 0 and below 2^58: both counters are below 2^64
            if (steps > RING_BLOCKS) {
                steps = RING_BLOCKS;
            }
            for (long i = 1; i <= steps; i++) {
                ring[(int) ((current + i) & BLOCK_MASK)] = 0;
            }
            last = counter;
        } else if (Long.compareUnsigned(last - counter, WINDOW_SIZE) > 0) {
            return false; // too old (last >= counter here; the difference is unsigned)
        }
        int index = (int) (block & BLOCK_MASK);
        long bit = 1L << (counter & BIT_MASK);
        long old = ring[index];
        ring[index] = old | bit;
        return (old & bit) == 0;
    }

    /** Forgets every counter: the window becomes empty again, as after construction. */
    public void reset() {
        last = 0;
        Arrays.fill(ring, 0);
    }
}
