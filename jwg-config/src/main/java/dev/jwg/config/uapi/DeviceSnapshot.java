package dev.jwg.config.uapi;

import dev.jwg.core.crypto.PrivateKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of a device as a get response reports it, taken by the device at one instant.
 * Immutable; the peer list is copied.
 *
 * @param privateKey the device's (clamped) private key; absent or all zeros = none, line omitted
 * @param listenPort the port actually bound, 0..65535; 0 = line omitted
 * @param fwmark unsigned 32-bit; 0 = line omitted
 * @param peers the peers, in the order to print
 */
public record DeviceSnapshot(Optional<PrivateKey> privateKey, int listenPort, int fwmark, List<PeerSnapshot> peers) {
    public DeviceSnapshot {
        Objects.requireNonNull(privateKey);
        if (listenPort < 0 || listenPort > 0xffff) {
            throw new IllegalArgumentException("listen port out of range");
        }
        peers = List.copyOf(peers);
    }
}
