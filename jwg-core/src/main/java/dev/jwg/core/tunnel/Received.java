package dev.jwg.core.tunnel;

/**
 * The out-parameter of {@link Node#decapsulate}: for {@link Verdict#DELIVER} the decrypted packet is
 * at {@code buffer[offset, offset+length)} of the caller's buffer and came from {@link #peer}.
 * Reused across calls so that the data path allocates nothing. Mutable, not thread-safe.
 */
public final class Received {
    Peer peer;
    int offset;
    int length;
    int family;

    public Peer peer() { return peer; }

    public int offset() { return offset; }

    public int length() { return length; }

    /** 4 or 6 for a delivered packet, else 0. */
    public int family() { return family; }

    void reset() {
        peer = null;
        offset = 0;
        length = 0;
        family = 0;
    }
}
