package dev.jwg.core.tunnel;

/**
 * What {@link Peer#reserveSend} handed out for a run of packets: the keypair to seal them with and
 * {@link #count()} consecutive counters from {@link #first()}, one per packet, in the order the
 * packets must leave. Mutable and reused: owned by one thread, filled by each call.
 */
public final class SendReservation {
    Keypair keypair;
    long first;
    int count;

    /** The keypair of the reserved counters, or null when none were reserved. */
    public Keypair keypair() { return keypair; }

    /** The first reserved counter (unsigned). */
    public long first() { return first; }

    /** How many counters were reserved. */
    public int count() { return count; }

    void clear() {
        keypair = null;
        first = 0;
        count = 0;
    }
}
