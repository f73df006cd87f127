package dev.jwg.device;

/**
 * One peer's runs of one direction in the order they were queued, posted in that order: a worker
 * that finishes a run's cryptography marks it sealed, and whichever thread finds the head sealed
 * posts it and every sealed run behind it. So no thread waits for another, posting needs no thread
 * of its own, and one peer's packets leave (or reach the TUN) in the order they came, while the
 * runs of different peers are posted in parallel. This is the per-peer order the kernel's
 * WireGuard and wireguard-go keep while spreading the cryptography over all cores.
 *
 * <p>Thread-safe: a short lock guards the list; posts run outside it, one at a time per queue.
 */
final class PeerQueue {
    /** What posting a run means (send it, or deliver it to the TUN); runs on the posting thread. */
    interface Poster {
        void post(Run run, Lane lane);
    }

    private Run head;
    private Run tail;
    private boolean posting;

    /** Appends a run; called by the reading thread, in the order the runs must be posted. */
    synchronized void add(Run run) {
        run.next = null;
        run.sealed = false;
        if (tail == null) {
            head = run;
        } else {
            tail.next = run;
        }
        tail = run;
    }

    /**
     * Marks {@code run} sealed and posts every sealed run from the head on, unless another thread
     * is posting this queue already (it will find this run when it gets there).
     */
    void sealed(Run run, Poster poster, Lane lane) {
        synchronized (this) {
            run.sealed = true;
            if (posting) {
                return;
            }
            posting = true;
        }
        for (;;) {
            Run r;
            synchronized (this) {
                r = head;
                if (r == null || !r.sealed) {
                    posting = false;
                    return;
                }
                head = r.next;
                if (head == null) {
                    tail = null;
                }
                r.next = null;
            }
            try {
                poster.post(r, lane);
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    posting = false;
                }
                throw e;
            }
        }
    }
}
