package dev.jwg.device;

import dev.jwg.core.tunnel.Peer;
import dev.jwg.core.wire.Messages;
import dev.jwg.device.io.Bind;
import dev.jwg.device.io.DatagramBatch;
import dev.jwg.device.io.Endpoint;
import java.io.IOException;

/**
 * A thread's outgoing datagrams: the core's sends are copied into a batch, which goes to the
 * socket in one call when the thread has finished its input batch (or the outbox is full).
 * Not thread-safe: one per worker thread.
 */
final class Outbox {
    private final Device device;
    private final DatagramBatch batch;

    Outbox(Device device, int capacity) {
        this.device = device;
        this.batch = new DatagramBatch(capacity, dev.jwg.core.Protocol.MAX_MESSAGE_SIZE);
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
        int i = slot();
        System.arraycopy(buf, off, batch.buffer(i), 0, len);
        batch.setPayload(i, 0, len);
        e.writeTo(batch, i);
        return true;
    }

    /** Queues a datagram to slot {@code j} of a received batch's source, from the address it arrived on. */
    void toSourceOf(DatagramBatch received, int j, byte[] buf, int off, int len) {
        int i = slot();
        System.arraycopy(buf, off, batch.buffer(i), 0, len);
        batch.setPayload(i, 0, len);
        System.arraycopy(received.remoteAddress(j), 0, batch.remoteAddress(i), 0, 16);
        batch.setRemote(i, received.family(j), received.remotePort(j));
        System.arraycopy(received.localAddress(j), 0, batch.localAddress(i), 0, 16);
        batch.setLocal(i, received.localFamily(j), received.localIfIndex(j));
    }

    private int slot() {
        if (batch.count() == batch.capacity()) {
            flush();
        }
        int i = batch.count();
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
