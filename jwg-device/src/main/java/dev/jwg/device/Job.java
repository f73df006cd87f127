package dev.jwg.device;

import dev.jwg.core.tunnel.Keypair;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.device.io.PacketBatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link PacketBatch} in flight through a data path, with what the stages learn about each slot
 * on the way: its peer, the keypair and counter it is sealed or opened with, the result of opening,
 * and the slots grouped into per-peer {@link Run}s. A job belongs to its path's pool and goes back
 * there, cleared, when its last run was posted.
 *
 * <p>Mutable. Handed from the reading thread to a crypto worker and then to whichever threads post
 * its runs, always through a queue or lock that orders memory; the run counter is atomic.
 */
final class Job {
    final PacketBatch batch;
    final Peer[] peers;
    final Keypair[] keypairs;
    final long[] counters;
    final int[] results;
    final Run[] runs;
    int runCount;
    /** Runs not posted yet; the job is released when it reaches 0. */
    final AtomicInteger unposted = new AtomicInteger();
    /** The pool this job returns to. */
    final JobPool pool;
    /** The direction this job goes through. */
    DataPath path;
    /** The interface MTU when the job was prepared (padding is clamped to it). */
    int mtu;
    /** For grouping: the run index of each slot. */
    final int[] runOf;

    Job(PacketBatch batch, JobPool pool) {
        int n = batch.capacity();
        this.batch = batch;
        this.pool = pool;
        this.peers = new Peer[n];
        this.keypairs = new Keypair[n];
        this.counters = new long[n];
        this.results = new int[n];
        this.runOf = new int[n];
        this.runs = new Run[n];
        for (int i = 0; i < n; i++) {
            runs[i] = new Run(this);
        }
    }

    /**
     * Groups the first {@code n} slots into runs of one peer each, contiguous and in order of first
     * appearance, keeping the order of each peer's slots; slots without a peer (dropped) are left
     * out. {@code stamp} is a number no earlier grouping of this thread used, so that a peer's
     * last-run marker ({@link PeerEndpoint#markRun}) from an earlier batch is recognised as stale.
     * Allocation-free; O(n).
     */
    void group(int n, long stamp, boolean outbound) {
        runCount = 0;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            Peer p = peers[i];
            if (p == null) {
                runOf[i] = -1;
                continue;
            }
            PeerEndpoint pe = Device.endpointOf(p);
            int r = pe.runIn(stamp, outbound);
            if (r < 0) {
                r = runCount++;
                runs[r].reset(p, 0);
                pe.markRun(stamp, r, outbound);
            }
            runs[r].to++; // size for now
            runOf[i] = r;
            kept++;
        }
        // Where each run starts once grouped: in order of first appearance.
        int start = 0;
        for (int r = 0; r < runCount; r++) {
            int size = runs[r].to;
            runs[r].from = start;
            runs[r].to = start;
            start += size;
        }
        // Target position of every slot; slots without a peer go behind the runs.
        int tail = kept;
        for (int i = 0; i < n; i++) {
            int r = runOf[i];
            runOf[i] = r < 0 ? tail++ : runs[r].to++;
        }
        // Move each slot to its target by following cycles: every swap puts one slot in place.
        for (int i = 0; i < n; i++) {
            while (runOf[i] != i) {
                int j = runOf[i];
                swap(i, j);
            }
        }
    }

    private void swap(int i, int j) {
        batch.swap(i, j);
        Peer p = peers[i];
        peers[i] = peers[j];
        peers[j] = p;
        Keypair k = keypairs[i];
        keypairs[i] = keypairs[j];
        keypairs[j] = k;
        long c = counters[i];
        counters[i] = counters[j];
        counters[j] = c;
        int t = results[i];
        results[i] = results[j];
        results[j] = t;
        t = runOf[i];
        runOf[i] = runOf[j];
        runOf[j] = t;
    }

    /** Empties the job for its next batch: no references to peers or keys are kept. */
    void clear() {
        int n = batch.count();
        for (int i = 0; i < n; i++) {
            peers[i] = null;
            keypairs[i] = null;
        }
        for (int r = 0; r < runCount; r++) {
            runs[r].peer = null;
            runs[r].next = null;
        }
        runCount = 0;
        batch.clear();
    }
}
