package dev.jwg.device;

import dev.jwg.core.tunnel.Verdict;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one device counts for its operators (the metrics endpoint, {@link dev.jwg.device.metrics}):
 * handshake messages sent and sessions established, cookie replies, dropped packets by the core's
 * {@link Verdict} (and the device's own drop, a full handshake queue), and the batches the data
 * threads move.
 *
 * <p>Counting never slows the data path: every counter is a {@link LongAdder} (one cell per
 * contending thread, no lock, no allocation once its cells exist), incremented once per batch or
 * once per rare event (a drop, a handshake message). Reads ({@code sum}) take no lock either, so a
 * scraper never holds up a data thread. Values only grow. Thread-safe.
 */
public final class DeviceCounters {
    /** Which data thread a batch went through. */
    public enum Path {
        /** Packets read from the TUN device to be encrypted and sent. */
        TUN_READ,
        /** Datagrams received from the UDP socket to be decrypted. */
        UDP_RECEIVE
    }

    private static final Verdict[] VERDICTS = Verdict.values();
    private final LongAdder[] drops = new LongAdder[VERDICTS.length];
    private final LongAdder handshakeQueueFull = new LongAdder();
    private final LongAdder initiationsSent = new LongAdder();
    private final LongAdder completedAsInitiator = new LongAdder();
    private final LongAdder completedAsResponder = new LongAdder();
    private final LongAdder cookieRepliesSent = new LongAdder();
    private final LongAdder[] batches = {new LongAdder(), new LongAdder()};
    private final LongAdder[] batchPackets = {new LongAdder(), new LongAdder()};

    public DeviceCounters() {
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new LongAdder();
        }
    }

    /** Counts a packet the core dropped; verdicts that are not drops are ignored. */
    void countDrop(Verdict v) {
        if (v.isDrop()) {
            drops[v.ordinal()].increment();
        }
    }

    /** Counts a handshake message dropped because the handshake queue was full (a flood). */
    void countHandshakeQueueFull() { handshakeQueueFull.increment(); }

    /** Counts a handshake initiation handed to the socket (first tries and retries alike). */
    void countInitiationSent() { initiationsSent.increment(); }

    /**
     * Counts what the handshake thread did with one message of {@code type}
     * ({@link dev.jwg.core.wire.Messages}): a session derived from a response (we initiated) or from
     * an initiation (we responded), a cookie reply sent, or a drop.
     */
    void countHandshake(int type, Verdict v) {
        switch (v) {
            case HANDSHAKE -> (type == dev.jwg.core.wire.Messages.TYPE_RESPONSE ? completedAsInitiator : completedAsResponder).increment();
            case COOKIE_SENT -> cookieRepliesSent.increment();
            default -> countDrop(v);
        }
    }

    /** Counts one batch of {@code packets} moved by {@code path}'s thread. */
    void countBatch(Path path, int packets) {
        batches[path.ordinal()].increment();
        batchPackets[path.ordinal()].add(packets);
    }

    /** Packets the core dropped with {@code v} (0 for a verdict that is not a drop). */
    public long dropped(Verdict v) {
        return v.isDrop() ? drops[v.ordinal()].sum() : 0;
    }

    public long handshakeQueueFullDrops() { return handshakeQueueFull.sum(); }

    public long initiationsSent() { return initiationsSent.sum(); }

    /** Sessions derived from a handshake response: handshakes we initiated that completed. */
    public long handshakesCompletedAsInitiator() { return completedAsInitiator.sum(); }

    /** Sessions derived from an initiation we answered. */
    public long handshakesCompletedAsResponder() { return completedAsResponder.sum(); }

    public long cookieRepliesSent() { return cookieRepliesSent.sum(); }

    public long batches(Path path) { return batches[path.ordinal()].sum(); }

    public long batchPackets(Path path) { return batchPackets[path.ordinal()].sum(); }
}
