package dev.jwg.device;

import dev.jwg.device.io.Endpoint;
import dev.jwg.device.io.PacketBatch;

/**
 * The runtime's per-peer state hung on the core peer: its current endpoint, and the order of its
 * runs in flight in each direction ({@link PeerQueue}). Roaming replaces the endpoint with the
 * source of the latest authenticated datagram; a new {@link Endpoint} is only allocated when the
 * source actually changed. Thread-safe, except the run markers, which only the reading thread of
 * their direction uses.
 */
final class PeerEndpoint {
    private volatile Endpoint endpoint;
    /** When a configuration last set the endpoint (epoch nanoseconds), 0 if never ({@link Device#endpointConfiguredAt}). */
    volatile long configuredAt;
    /** The peer's runs on their way to the network, and to the TUN. */
    final PeerQueue outbound = new PeerQueue();
    final PeerQueue inbound = new PeerQueue();
    // Job.group's markers: the grouping stamp and run index of this peer's run in the batch being grouped.
    private long outStamp = -1;
    private int outRun;
    private long inStamp = -1;
    private int inRun;

    Endpoint get() { return endpoint; }

    void set(Endpoint e) { endpoint = e; }

    /** Roams to the source of slot {@code i}, if it differs. */
    void roam(PacketBatch batch, int i) {
        Endpoint e = endpoint;
        if (e == null || !e.matches(batch, i)) {
            endpoint = Endpoint.from(batch, i);
        }
    }

    void clearSource() {
        Endpoint e = endpoint;
        if (e != null && e.localFamily() != 0) {
            endpoint = e.withoutSource();
        }
    }

    /** The peer's run in the grouping {@code stamp}, or -1. */
    int runIn(long stamp, boolean outbound) {
        if (outbound) {
            return outStamp == stamp ? outRun : -1;
        }
        return inStamp == stamp ? inRun : -1;
    }

    void markRun(long stamp, int run, boolean outbound) {
        if (outbound) {
            outStamp = stamp;
            outRun = run;
        } else {
            inStamp = stamp;
            inRun = run;
        }
    }
}
