package dev.jwg.core.tunnel;

import dev.jwg.core.Protocol;
import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.TransportAead;
import dev.jwg.core.replay.ReplayWindow;
import dev.jwg.core.wire.Messages;
import dev.jwg.core.wire.TransportData;
import java.nio.ByteBuffer;

/**
 * One transport session's keys (docs/protocol.md §1.6, §3.2): a send and a receive cipher, the
 * send counter, the replay window, the indices and the creation time.
 *
 * <p>The ciphers come from the node's {@link AeadBackend} and may hold native memory: every keypair
 * that leaves the previous/current/next slots is {@link #destroy() destroyed}, which wipes both keys
 * and releases that memory at once (a backend with native state also frees it when a keypair is
 * collected undestroyed, but only as a safety net).
 *
 * <p>The runtime holds keypairs only as opaque handles of the data path: {@link Peer#reserveSend}
 * hands one out with a range of counters, {@link Node#transportKeypair} finds the one a received
 * message is for, and {@link #seal} and {@link #open} do the cryptography with it on any thread, in
 * parallel, without the peer's lock.
 *
 * <p>Thread-safety: {@link #seal}, {@link #open} and {@link #peer} may be called from any thread at
 * any time (a keypair destroyed meanwhile makes them fail, and the packet is dropped); everything
 * else happens under the owning {@link Peer}'s lock.
 */
public final class Keypair {
    final Peer peer;
    final TransportAead sender;
    final TransportAead receiver;
    final ReplayWindow replay = new ReplayWindow();
    final boolean initiator;
    final long created;
    final int localIndex;
    final int remoteIndex;
    /** Next counter to send; unsigned. Set to REJECT_AFTER_MESSAGES to stop sending on this keypair. */
    long sendCounter;
    volatile boolean destroyed;

    /** Keys the two directions with copies of {@code sendKey} and {@code receiveKey}; the caller wipes its arrays. */
    Keypair(Peer peer, AeadBackend aead, byte[] sendKey, byte[] receiveKey, boolean initiator, long created,
            int localIndex, int remoteIndex) {
        this.peer = peer;
        TransportAead send = aead.newTransportAead(sendKey);
        try {
            this.receiver = aead.newTransportAead(receiveKey);
        } catch (RuntimeException e) {
            send.destroy();
            throw e;
        }
        this.sender = send;
        this.initiator = initiator;
        this.created = created;
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
    }

    /** The peer this keypair belongs to. */
    public Peer peer() { return peer; }

    /**
     * Turns the IP packet at {@code buf[off, off+len)} into transport message {@code counter} in place:
     * the 16-byte header is written in front of it (at {@code off - 16}), zero padding behind it (to a
     * multiple of 16, clamped to {@code mtu}, docs/protocol.md §1.11) and the packet and padding are
     * sealed, followed by the tag. The buffer needs 16 bytes of room before {@code off} and 31 after
     * the packet. Lock-free and thread-safe; {@code counter} must come from {@link Peer#reserveSend}.
     *
     * @return the message length (it starts at {@code off - 16}), or -1 when the keypair was destroyed
     *     meanwhile (the packet is dropped)
     */
    public int seal(long counter, ByteBuffer buf, int off, int len, int mtu) {
        int padded = len + Peer.paddingSize(len, mtu);
        for (int i = off + len; i < off + padded; i++) {
            buf.put(i, (byte) 0);
        }
        TransportData.writeHeader(buf, off - Messages.TRANSPORT_HEADER_SIZE, remoteIndex, counter);
        int sealed = sender.seal(counter, buf, off, padded);
        return sealed < 0 ? -1 : Messages.TRANSPORT_HEADER_SIZE + sealed;
    }

    /**
     * Decrypts the transport message at {@code buf[off, off+len)} (header included) in place: the
     * plaintext (padded packet) replaces the ciphertext at {@code off + 16}. Nothing else is checked
     * here (replay, expiry, the inner packet: {@link Node#receiveOpened}, in arrival order). Lock-free
     * and thread-safe.
     *
     * @return the plaintext length, or -1 when the message does not authenticate under this keypair
     *     (or the keypair was destroyed meanwhile)
     */
    public int open(ByteBuffer buf, int off, int len) {
        long counter = TransportData.counter(buf, off);
        return receiver.open(counter, buf, off + Messages.TRANSPORT_HEADER_SIZE, len - Messages.TRANSPORT_HEADER_SIZE);
    }

    /** Usable for sending now: not destroyed, younger than REJECT_AFTER_TIME, counter below REJECT_AFTER_MESSAGES. */
    boolean canSend(long now) {
        return !destroyed && now - created < Protocol.REJECT_AFTER_TIME
                && Long.compareUnsigned(sendCounter, Protocol.REJECT_AFTER_MESSAGES) < 0;
    }

    /** Usable for receiving now (the counter limit is enforced by the replay window). */
    boolean canReceive(long now) {
        return !destroyed && now - created < Protocol.REJECT_AFTER_TIME;
    }

    /** Wipes both keys and releases the ciphers' resources; the keypair can no longer send or receive. Idempotent. */
    void destroy() {
        if (!destroyed) {
            destroyed = true;
            sender.destroy();
            receiver.destroy();
        }
    }

    @Override
    public String toString() {
        return "Keypair[local=" + Integer.toUnsignedString(localIndex) + ", initiator=" + initiator + "]";
    }
}
