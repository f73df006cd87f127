package dev.jwg.device;

import dev.jwg.device.io.PacketMemory;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The jobs (and so the batches) of one data path direction: made on demand up to a limit, then
 * reused. {@link #take} blocks while every job is in flight, which is the data path's flow control:
 * the reading thread waits for the crypto and the sends instead of queueing without bound.
 *
 * <p>Thread-safe: one taker (the path's reading thread), releases from any thread.
 */
final class JobPool {
    private final PacketMemory memory;
    private final DataPath path;
    private final int capacity;
    private final int limit;
    private final ArrayBlockingQueue<Job> free;
    private int made;

    JobPool(PacketMemory memory, DataPath path, int capacity, int limit) {
        this.memory = memory;
        this.path = path;
        this.capacity = capacity;
        this.limit = limit;
        this.free = new ArrayBlockingQueue<>(limit);
    }

    /** A cleared job; blocks while all of them are in flight. */
    Job take() throws InterruptedException {
        Job j = free.poll();
        if (j != null) {
            return j;
        }
        if (made < limit) {
            made++;
            Job job = new Job(memory.newBatch(capacity), this);
            job.path = path;
            return job;
        }
        return free.take();
    }

    /** Gives a job back, cleared. */
    void release(Job j) {
        j.clear();
        free.offer(j);
    }

    /** The most jobs this pool makes. */
    int limit() {
        return limit;
    }
}
