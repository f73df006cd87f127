package dev.jwg.device;

import dev.jwg.core.tunnel.Peer;
import dev.jwg.core.wire.Messages;
import dev.jwg.device.io.Bind;
import dev.jwg.device.io.Endpoint;
import dev.jwg.device.io.PacketBatch;
import java.io.IOException;

/**
 * A thread's outgoing control datagrams: what the core sends through {@link dev.jwg.core.tunnel.Transmit}
 * (handshake messages, cookie replies, keepalives, packets that waited for a session) is copied into
 * a batch, which goes to the socket in one call when the thread has finished its work (or the outbox
 * is full). Data packets do not come through here: they are sent from the batch they were read into.
 * Not thread-safe: one per thread.
 */
final class Outbox {
    private final Device device;
    private final PacketBatch batch;

    Outbox(Device device, PacketBatch batch) {
        this.device = device;
        this.batch = batch;
    }

    /** Queues {@code buf[off, off+len)} for the peer's endpoint; false (dropped) when it has none. */
    boolean toPeer(Peer peer, byte[] buf, int off, int len) {
        if (!(peer.attachment() instanceof PeerEndpoint pe)) {
            return false;
        }
        Endpoint e = pe.get();
        if (e == null) {
            return false;
        }
        if (buf[off] == Messages.TYPE_INITIATION) {
            device.counters().countInitiationSent();
        }
        e.writeTo(batch, slot(buf, off, len));
        return true;
    }

    /** Queues a datagram to slot {@code j} of a received batch's source, from the address it arrived on. */
    void toSourceOf(PacketBatch received, int j, byte[] buf, int off, int len) {
        int i = slot(buf, off, len);
        System.arraycopy(received.remoteAddress(j), 0, batch.remoteAddress(i), 0, 16);
        batch.setRemote(i, received.family(j), received.remotePort(j));
        System.arraycopy(received.localAddress(j), 0, batch.localAddress(i), 0, 16);
        batch.setLocal(i, received.localFamily(j), received.localIfIndex(j));
    }

    private int slot(byte[] buf, int off, int len) {
        if (batch.count() == batch.capacity()) {
            flush();
        }
        int i = batch.count();
        batch.put(i, buf, off, len);
        batch.setCount(i + 1);
        return i;
    }

    /** Sends everything queued. Socket failures are logged; the datagrams are dropped. */
    void flush() {
        if (batch.count() == 0) {
            return;
        }
        Bind bind = device.bind();
        try {
            if (bind != null) {
                bind.send(batch);
            }
        } catch (IOException e) {
            device.log().error("Failed to send data packets: %s", e.getMessage());
        } finally {
            batch.clear();
        }
    }
}
