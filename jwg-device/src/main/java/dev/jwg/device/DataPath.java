package dev.jwg.device;

import dev.jwg.core.tunnel.Node;

/**
 * What the two directions of the data path share: the device, its node, the pool of jobs, and
 * how a prepared job goes on. With {@code workers == null} the reading thread does everything
 * itself (read, crypto, post: no hand-off); otherwise it queues each run on its peer's
 * {@link PeerQueue} in order, then either hands the job to the {@link Workers} and goes back to
 * reading, or, for a job of at most {@link #INLINE_MAX} packets, does its crypto and posting
 * itself: waking a parked worker costs more than sealing a packet or two, and a lone packet (a
 * ping, a keystroke, the first packet after an idle spell) then crosses no thread hand-off. Either
 * way the runs were queued first, so each peer's packets are posted in the order they were read.
 */
abstract class DataPath implements PeerQueue.Poster {
    final Device device;
    final Node node;
    final JobPool pool;
    final Workers workers;

    /** Jobs of at most this many packets are sealed or opened by the reading thread itself. */
    static final int INLINE_MAX = 2;

    DataPath(Device device, Workers workers, int batch, int jobs) {
        this.device = device;
        this.node = device.node();
        this.pool = new JobPool(device.memory(), this, batch, jobs);
        this.workers = workers;
    }

    /** The cryptography of every slot of the job's runs: the part that may run on any thread, in any order. */
    abstract void crypt(Job job);

    /** The peer queue of this direction. */
    abstract PeerQueue queueOf(PeerEndpoint pe);

    /**
     * Hands a job whose runs are ready for crypto on: to the workers, or (no workers, or a job of
     * at most {@link #INLINE_MAX} packets) through crypto and post on this thread. The caller
     * flushes {@code lane} afterwards.
     */
    final void dispatch(Job job, Lane lane) {
        int runs = job.runCount;
        if (runs == 0) {
            pool.release(job);
            return;
        }
        job.unposted.set(runs);
        if (workers == null) {
            crypt(job);
            for (int r = 0; r < runs; r++) {
                post(job.runs[r], lane);
            }
            return;
        }
        for (int r = 0; r < runs; r++) {
            Run run = job.runs[r];
            queueOf(Device.endpointOf(run.peer)).add(run);
        }
        if (job.batch.count() <= INLINE_MAX) {
            work(job, lane);
            return;
        }
        workers.submit(job);
    }

    /** A worker's part: crypto, then each run to its peer queue, which posts what is in order. */
    final void work(Job job, Lane lane) {
        crypt(job);
        int runs = job.runCount;
        for (int r = 0; r < runs; r++) {
            Run run = job.runs[r];
            queueOf(Device.endpointOf(run.peer)).sealed(run, this, lane);
        }
    }

    /** Called at the end of every post: the last run of a job gives the job back to its pool. */
    final void posted(Run run) {
        Job job = run.job;
        if (job.unposted.decrementAndGet() == 0) {
            pool.release(job);
        }
    }
}
