package dev.jwg.device;

import dev.jwg.core.tunnel.Peer;

/**
 * The slots {@code from..to-1} of a {@link Job}'s batch that belong to one peer, contiguous after
 * the job grouped its slots by peer. The unit of per-peer order: a peer's runs are posted (sent,
 * or checked and written to the TUN) in the order they were queued ({@link PeerQueue}), whichever
 * worker finished their cryptography first. Mutable; owned by its job, reused with it.
 */
final class Run {
    final Job job;
    Peer peer;
    int from;
    int to;
    /** The peer queue's link to the run queued after this one; guarded by that queue's lock. */
    Run next;
    /** The cryptography of this run's job is done; guarded by the peer queue's lock. */
    boolean sealed;

    Run(Job job) {
        this.job = job;
    }

    void reset(Peer peer, int from) {
        this.peer = peer;
        this.from = from;
        this.to = from;
        this.next = null;
        this.sealed = false;
    }
}
