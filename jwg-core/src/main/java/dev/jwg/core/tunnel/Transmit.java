package dev.jwg.core.tunnel;

/**
 * How the core asks its caller to act on the network. The core calls these synchronously, while
 * it processes a packet or a tick; a buffer passed in is only valid during the call, so the
 * caller copies what it keeps. Implementations are owned by one thread (the runtime keeps one per
 * worker, which knows the source of the datagram being processed).
 */
public interface Transmit {

    /**
     * A message that authenticates as coming from {@code peer} arrived: move the peer's endpoint
     * to the datagram's source (roaming, docs/protocol.md §3.9). Called before anything is sent in
     * reply during the same call.
     */
    void authenticated(Peer peer);

    /**
     * Send {@code buf[off, off+len)} to the peer's current endpoint. Returns false when it could
     * not even be queued (the peer has no endpoint yet): such bytes do not count as sent (docs/protocol.md §3.11).
     */
    boolean toPeer(Peer peer, byte[] buf, int off, int len);

    /** Send {@code buf[off, off+len)} back to the source of the datagram being processed (cookie replies). */
    void toSource(byte[] buf, int off, int len);

    /**
     * Forget the sticky local source address of the peer's endpoint (handshake retry and the
     * new-handshake timer do this, docs/protocol.md §3.3).
     */
    default void clearSource(Peer peer) {}
}
