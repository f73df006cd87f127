package dev.jwg.core.tunnel;

import dev.jwg.core.Protocol;
import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.TransportAead;
import dev.jwg.core.replay.ReplayWindow;

/**
 * One transport session's keys (docs/protocol.md §1.6, §3.2): a send and a receive cipher, the
 * send counter, the replay window, the indices and the creation time.
 *
 * <p>The ciphers come from the node's {@link AeadBackend} and may hold native memory: every keypair
 * that leaves the previous/current/next slots is {@link #destroy() destroyed}, which wipes both keys
 * and releases that memory at once (a backend with native state also frees it when a keypair is
 * collected undestroyed, but only as a safety net).
 *
 * <p>Mutable; every access happens under the owning {@link Peer}'s lock.
 */
final class Keypair {
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
    boolean destroyed;

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
