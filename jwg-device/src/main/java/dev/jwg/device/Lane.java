package dev.jwg.device;

import dev.jwg.core.tunnel.Peer;
import dev.jwg.core.tunnel.Received;
import dev.jwg.core.tunnel.SendReservation;
import dev.jwg.core.tunnel.Transmit;
import dev.jwg.device.io.PacketBatch;

/**
 * What one thread of the device needs to drive the core: its {@link Transmit} (the core's sends go
 * to the thread's {@link Outbox}; roaming and cookie replies refer to the datagram the thread is
 * processing, {@link #from}), and the out-parameters it reuses. Owned by one thread, never shared.
 */
final class Lane implements Transmit {
    final Outbox out;
    final Received received = new Received();
    final SendReservation reservation = new SendReservation();
    private PacketBatch source;
    private int sourceSlot;

    Lane(Outbox out) {
        this.out = out;
    }

    /** The datagram being processed: slot {@code slot} of {@code batch} (null: none). */
    void from(PacketBatch batch, int slot) {
        this.source = batch;
        this.sourceSlot = slot;
    }

    @Override
    public void authenticated(Peer peer) {
        if (source != null) {
            Device.endpointOf(peer).roam(source, sourceSlot);
        }
    }

    @Override
    public boolean toPeer(Peer peer, byte[] buf, int off, int len) {
        return out.toPeer(peer, buf, off, len);
    }

    @Override
    public void toSource(byte[] buf, int off, int len) {
        if (source != null) {
            out.toSourceOf(source, sourceSlot, buf, off, len);
        }
    }

    @Override
    public void clearSource(Peer peer) {
        Device.endpointOf(peer).clearSource();
    }
}
