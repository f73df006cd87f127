package dev.jwg.device;

import dev.jwg.core.tunnel.Keypair;
import dev.jwg.core.tunnel.Verdict;
import dev.jwg.core.wire.Messages;
import dev.jwg.device.io.Bind;
import dev.jwg.device.io.PacketBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * The receive path: datagrams from the UDP socket to the TUN.
 *
 * <pre>
 *  UDP receiver thread                   crypto: a worker, or the receiver  post: in each peer's order
 *  ─────────────────────────────────     ───────────────────────────────    ────────────────────────────────
 *  take a free job (blocks while all     Keypair.open of every transport    PeerQueue: whoever finds the
 *   are in flight: flow control)         slot, in place (any thread, any    peer's head run opened checks
 *  recvmmsg: datagrams into the batch    order, no lock)                    each packet under the peer's
 *   (the one copy: GRO buffers cut                                          lock (Node.receiveOpened:
 *   into datagrams)                                                         expiry, replay, roaming, timers,
 *  per slot: transport message? its                                         key confirmation, inner length,
 *   keypair by receiver index (lock-                                        allowed-IPs source) and writes
 *   free); handshake or cookie: a copy                                      the packets to the TUN from the
 *   to the handshake queue, off the                                         batch (TCP segments coalesced);
 *   data path                                                               the job's last run gives the
 *  group the slots by peer into runs                                        batch back to the pool
 *  runs to their PeerQueues, job to the
 *   workers (or crypto and post here)
 * </pre>
 *
 * Nothing on this path allocates per packet, and a datagram is copied once (by the receive).
 */
final class ReceivePath extends DataPath {
    private long stamp;

    ReceivePath(Device device, Workers workers, int batch, int jobs) {
        super(device, workers, batch, jobs);
    }

    @Override
    PeerQueue queueOf(PeerEndpoint pe) {
        return pe.inbound;
    }

    /** The UDP receiver thread's loop. */
    void run() {
        Lane lane = device.newLane();
        int failures = 0;
        try {
            while (!device.isClosed()) {
                Bind b = device.bind();
                if (b == null) {
                    LockSupport.park(this); // the device unparks when it opens the socket, and to close
                    continue;
                }
                Job job = pool.take();
                int n;
                try {
                    n = b.receive(job.batch);
                    failures = 0;
                } catch (IOException e) {
                    pool.release(job);
                    if (b != device.bind() || device.isClosed()) {
                        continue;
                    }
                    if (++failures > 10) {
                        device.log().error("Failed to receive packets: %s", e.getMessage());
                        LockSupport.parkNanos(100_000_000L);
                    }
                    continue;
                }
                if (n < 0) {
                    pool.release(job);
                    if (b == device.bind() && !device.isClosed()) {
                        LockSupport.parkNanos(10_000_000L);
                    }
                    continue;
                }
                device.counters().countBatch(DeviceCounters.Path.UDP_RECEIVE, n);
                classify(job, n);
                dispatch(job, lane);
                lane.out.flush();
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /**
     * Finds each transport message's keypair, queues handshake messages, groups the rest by peer.
     * A method of its own, as {@link SendPath}'s prepare.
     */
    private void classify(Job job, int n) {
        PacketBatch b = job.batch;
        ByteBuffer mem = b.memory();
        for (int i = 0; i < n; i++) {
            int off = b.offset(i);
            int len = b.length(i);
            int type = Messages.typeOf(mem, off, len);
            Keypair kp = null;
            if (type == Messages.TYPE_TRANSPORT) {
                kp = node.transportKeypair(mem, off, len);
                if (kp == null) {
                    dropped(len > dev.jwg.core.Protocol.MAX_MESSAGE_SIZE ? Verdict.DROP_MALFORMED : Verdict.DROP_UNKNOWN_INDEX);
                }
            } else if (type != 0) {
                device.queueHandshake(b, i);
            } else {
                device.counters().countDrop(Verdict.DROP_MALFORMED);
            }
            job.keypairs[i] = kp;
            job.peers[i] = kp == null ? null : kp.peer();
            if (kp == null) {
                b.set(i, off, 0);
            }
        }
        job.group(n, ++stamp, false);
    }

    private void dropped(Verdict v) {
        device.counters().countDrop(v);
        if (device.log().verboseEnabled()) {
            device.log().verbose("Dropped transport packet: %s", v);
        }
    }

    @Override
    void crypt(Job job) {
        PacketBatch b = job.batch;
        ByteBuffer mem = b.memory();
        for (int r = 0; r < job.runCount; r++) {
            Run run = job.runs[r];
            for (int i = run.from; i < run.to; i++) {
                job.results[i] = job.keypairs[i].open(mem, b.offset(i), b.length(i));
            }
        }
    }

    /** Checks a run's packets in order and writes what they carried to the TUN, from the batch. */
    @Override
    public void post(Run run, Lane lane) {
        try {
            Job job = run.job;
            PacketBatch b = job.batch;
            ByteBuffer mem = b.memory();
            int delivered = 0;
            for (int i = run.from; i < run.to; i++) {
                int off = b.offset(i);
                lane.from(b, i);
                Verdict v = node.receiveOpened(job.keypairs[i], mem, off, b.length(i), job.results[i], lane, lane.received);
                if (v == Verdict.DELIVER) {
                    b.set(i, lane.received.offset(), lane.received.length());
                    delivered++;
                } else {
                    b.set(i, off, 0);
                    if (v.isDrop()) {
                        dropped(v);
                    }
                }
            }
            lane.from(null, 0);
            if (delivered > 0) {
                device.writeTun(b, run.from, run.to);
            }
        } catch (RuntimeException e) {
            device.log().error("Receive failure: %s", e);
        } finally {
            posted(run);
        }
    }
}

