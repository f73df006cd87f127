package dev.jwg.device;

import dev.jwg.device.io.DatagramBatch;
import dev.jwg.device.io.Endpoint;

/**
 * The runtime's per-peer state hung on the core peer: its current endpoint. Roaming replaces the
 * endpoint with the source of the latest authenticated datagram; a new {@link Endpoint} is only
 * allocated when the source actually changed. Thread-safe.
 */
final class PeerEndpoint {
    private volatile Endpoint endpoint;

    Endpoint get() { return endpoint; }

    void set(Endpoint e) { endpoint = e; }

    /** Roams to the source of slot {@code i}, if it differs. */
    void roam(DatagramBatch batch, int i) {
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
}
