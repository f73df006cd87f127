package dev.jwg.device;

import dev.jwg.core.tunnel.Keypair;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.core.tunnel.SendReservation;
import dev.jwg.device.io.Bind;
import dev.jwg.device.io.Endpoint;
import dev.jwg.device.io.PacketBatch;
import dev.jwg.device.io.TunDevice;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The send path: IP packets from the TUN to the peers' UDP endpoints.
 *
 * <pre>
 *  TUN reader thread                     crypto: a worker, or the reader    post: in each peer's order
 *  ─────────────────────────────────     ───────────────────────────────    ────────────────────────────────
 *  take a free job (blocks while all     Keypair.seal of every reserved     PeerQueue: whoever finds the
 *   are in flight: flow control)         slot, in place: header before      peer's head run sealed writes
 *  TUN read: packets into the batch      the packet, padding and tag        the endpoint into its slots and
 *   (the one copy: super-packets split   after (any thread, any order,      sends them from the batch (UDP
 *   into MTU-sized slots)                no lock)                           GSO: one system call per run);
 *  route each slot (allowed IPs);                                           the job's last run gives the
 *   none: ICMP unreachable to the TUN                                       batch back to the pool
 *  group the slots by peer into runs
 *  per run, under the peer's lock:
 *   reserve counters (Peer.reserveSend);
 *   no session: stage a copy, handshake
 *  runs to their PeerQueues, job to the
 *   workers (or crypto and post here)
 * </pre>
 *
 * Nothing on this path allocates per packet, and a packet is copied once (by the TUN read).
 */
final class SendPath extends DataPath {
    private final TunDevice tun;
    /** Stamps of Job.group on this path's thread. */
    private long stamp;

    SendPath(Device device, TunDevice tun, Workers workers, int batch, int jobs) {
        super(device, workers, batch, jobs);
        this.tun = tun;
    }

    @Override
    PeerQueue queueOf(PeerEndpoint pe) {
        return pe.outbound;
    }

    /** The TUN reader thread's loop. */
    void run() {
        Lane lane = device.newLane();
        PacketBatch icmp = device.memory().newBatch(1);
        byte[] scratch = new byte[Icmp.SCRATCH];
        int failures = 0;
        try {
            while (!device.isClosed()) {
                Job job = pool.take();
                int n;
                try {
                    n = tun.read(job.batch);
                    failures = 0;
                } catch (IOException e) {
                    pool.release(job);
                    if (device.isClosed() || ++failures > 10) {
                        device.log().error("Failed to read packet from TUN device: %s", e.getMessage());
                        break;
                    }
                    continue;
                }
                if (n < 0) {
                    pool.release(job);
                    if (!device.isClosed()) {
                        device.log().verbose("TUN device %s is gone", device.name());
                    }
                    break;
                }
                device.counters().countBatch(DeviceCounters.Path.TUN_READ, n);
                prepare(job, n, lane, icmp, scratch);
                lane.out.flush();
                dispatch(job, lane);
                lane.out.flush();
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            device.stopped();
        }
    }

    /**
     * Routes the {@code n} packets the TUN read, groups them by peer and reserves their counters (or
     * stages them). A method of its own (not the body of the reader's loop) so that it is compiled
     * like any other: a loop that runs once per idle packet would wait for on-stack replacement, and
     * code compiled for another device (the {@link Warmup}'s) is used at once.
     */
    private void prepare(Job job, int n, Lane lane, PacketBatch icmp, byte[] scratch) {
        PacketBatch b = job.batch;
        ByteBuffer mem = b.memory();
        boolean routed = false;
        for (int i = 0; i < n; i++) {
            int off = b.offset(i);
            int len = b.length(i);
            Peer p = node.route(mem, off, len);
            job.peers[i] = p;
            if (p == null) {
                int answer = Icmp.unreachable(mem, off, len, scratch);
                if (answer > 0) {
                    icmp.put(0, scratch, 0, answer);
                    icmp.setCount(1);
                    device.writeTun(icmp);
                }
                b.set(i, off, 0);
            } else {
                routed = true;
            }
        }
        if (routed && !device.isUp()) {
            // The TUN only hands us packets while the interface is up: don't drop
            // the first packets because the netlink event has not arrived yet.
            device.setLinkUp(true);
        }
        job.group(n, ++stamp, true);
        job.mtu = node.mtu();
        SendReservation res = lane.reservation;
        int kept = 0;
        for (int r = 0; r < job.runCount; r++) {
            Run run = job.runs[r];
            Peer p = run.peer;
            int k = p.reserveSend(run.to - run.from, res, lane);
            Keypair kp = res.keypair();
            long counter = res.first();
            int end = run.from + k;
            for (int i = run.from; i < end; i++) {
                job.keypairs[i] = kp;
                job.counters[i] = counter++;
            }
            for (int i = end; i < run.to; i++) {
                p.stage(mem, b.offset(i), b.length(i), lane);
                b.set(i, b.offset(i), 0);
            }
            run.to = end;
            if (k > 0) {
                job.runs[r] = job.runs[kept];
                job.runs[kept++] = run;
            }
        }
        job.runCount = kept;
    }

    @Override
    void crypt(Job job) {
        PacketBatch b = job.batch;
        ByteBuffer mem = b.memory();
        int mtu = job.mtu;
        for (int r = 0; r < job.runCount; r++) {
            Run run = job.runs[r];
            for (int i = run.from; i < run.to; i++) {
                int off = b.offset(i);
                int total = job.keypairs[i].seal(job.counters[i], mem, off, b.length(i), mtu);
                if (total < 0) {
                    b.set(i, off, 0); // the keypair was retired meanwhile: dropped
                } else {
                    b.set(i, off - dev.jwg.core.wire.Messages.TRANSPORT_HEADER_SIZE, total);
                }
            }
        }
    }

    /** Sends a sealed run to its peer's current endpoint, straight from the batch. */
    @Override
    public void post(Run run, Lane lane) {
        try {
            PacketBatch b = run.job.batch;
            Endpoint e = Device.endpointOf(run.peer).get();
            Bind bind = device.bind();
            if (e == null || bind == null) {
                return; // no endpoint yet, or the interface went down: dropped
            }
            long bytes = 0;
            for (int i = run.from; i < run.to; i++) {
                int len = b.length(i);
                if (len > 0) {
                    e.writeTo(b, i);
                    bytes += len;
                }
            }
            if (bytes > 0) {
                run.peer.addTxBytes(bytes);
                bind.send(b, run.from, run.to);
            }
        } catch (IOException e) {
            if (!device.isClosed()) {
                device.log().error("Failed to send data packets: %s", e.getMessage());
            }
        } catch (RuntimeException e) {
            device.log().error("Send failure: %s", e);
        } finally {
            posted(run);
        }
    }
}

