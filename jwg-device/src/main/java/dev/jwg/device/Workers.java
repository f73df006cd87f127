package dev.jwg.device;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * The crypto workers: {@code n} threads that take jobs of both directions from one queue, seal or
 * open every packet of a job, and hand its runs to their peers' queues, which post them in order
 * ({@link DataPath#work}). A job is the unit of work: consecutive batches of one busy peer go to
 * different workers and are sealed in parallel, so one tunnel uses every core; a job's runs of
 * different peers are posted in parallel too.
 *
 * <p>Thread-safe. The queue holds at most every job of both pools, so submitting never blocks.
 */
final class Workers {
    private final Device device;
    private final ArrayBlockingQueue<Job> queue;
    private final Thread[] threads;

    Workers(Device device, int n, int queueCapacity) {
        this.device = device;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            threads[i] = Thread.ofPlatform().name(device.name() + "-crypto-" + i).daemon().unstarted(this::loop);
        }
    }

    int size() {
        return threads.length;
    }

    void start() {
        for (Thread t : threads) {
            t.start();
        }
    }

    void interrupt() {
        for (Thread t : threads) {
            t.interrupt();
        }
    }

    void submit(Job job) {
        if (!queue.offer(job)) {
            throw new IllegalStateException("crypto queue full"); // cannot happen: it holds every job
        }
    }

    private void loop() {
        Lane lane = device.newLane();
        try {
            while (!device.isClosed()) {
                Job job = queue.take();
                try {
                    job.path.work(job, lane);
                } catch (RuntimeException e) {
                    device.log().error("Crypto worker failure: %s", e);
                }
                lane.out.flush();
            }
        } catch (InterruptedException e) {
            // closing
        }
    }
}
