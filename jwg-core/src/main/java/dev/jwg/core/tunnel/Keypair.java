package dev.jwg.core.tunnel;

import dev.jwg.core.Protocol;
import dev.jwg.core.crypto.TransportCipher;
import dev.jwg.core.replay.ReplayWindow;

/**
 * One transport session's keys (wireguard-facts §1.6, §3.2): a send and a receive cipher, the
 * send counter, the replay window, the indices and the creation time.
 *
 * <p>Mutable; every access happens under the owning {@link Peer}'s lock.
 */
final class Keypair {
    final Peer peer;
    final TransportCipher sender;
    final TransportCipher receiver;
    final ReplayWindow replay = new ReplayWindow();
    final boolean initiator;
    final long created;
    final int localIndex;
    final int remoteIndex;
    /** Next counter to send; unsigned. Set to REJECT_AFTER_MESSAGES to stop sending on this keypair. */
    long sendCounter;
    boolean destroyed;

    Keypair(Peer peer, byte[] sendKey, byte[] receiveKey, boolean initiator, long created, int localIndex, int remoteIndex) {
        this.peer = peer;
        this.sender = new TransportCipher(sendKey);
        this.receiver = new TransportCipher(receiveKey);
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
