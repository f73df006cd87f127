package dev.jwg.cli.wg;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.DeviceUpdate;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.config.uapi.PeerUpdate;
import dev.jwg.core.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code wg syncconf} ({@code setconf.c}'s {@code sync_conf}, as in wireguard-tools 1.0.20210914): turns
 * the setconf request for a file into one that leaves running sessions alone. When both the file and
 * the device have peers, {@code replace_peers} is dropped and each device peer absent from the file is
 * removed ({@code remove=true}; these sections come first, in descending public-key order, as
 * {@code wg} prepends them while walking the sorted keys). Everything else of setconf stays (device
 * keys, {@code replace_allowed_ips}). Like that {@code wg}, a preshared key or persistent keepalive the
 * file no longer mentions is left as it is on the device (later wireguard-tools clear them).
 * Stateless and thread-safe.
 */
final class SyncConf {
    private SyncConf() {}

    /** Whether {@link #apply} needs the device state (it does not when the file has no peers). */
    static boolean needsRuntime(DeviceUpdate file) {
        return !file.peers().isEmpty();
    }

    /**
     * @param file the setconf request for the file ({@code replace_peers} set)
     * @param runtime the device's current state
     */
    static DeviceUpdate apply(DeviceUpdate file, DeviceSnapshot runtime) {
        if (file.peers().isEmpty() || runtime.peers().isEmpty()) {
            return file;
        }
        Set<PublicKey> inFile = new HashSet<>();
        file.peers().forEach(p -> inFile.add(p.publicKey()));
        List<PublicKey> vanished = new ArrayList<>();
        for (PeerSnapshot p : runtime.peers()) {
            if (!inFile.contains(p.publicKey())) {
                vanished.add(p.publicKey());
            }
        }
        vanished.sort(MEMCMP.reversed());

        DeviceUpdate.Builder b = DeviceUpdate.builder();
        file.privateKey().ifPresent(b::privateKey);
        file.listenPort().ifPresent(b::listenPort);
        file.fwmark().ifPresent(b::fwmark);
        for (PublicKey k : vanished) {
            b.peer(PeerUpdate.builder(k).remove().build());
        }
        file.peers().forEach(b::peer);
        return b.build();
    }

    /** {@code memcmp} order of public keys (unsigned bytes). */
    static final Comparator<PublicKey> MEMCMP = (x, y) -> Arrays.compareUnsigned(x.bytes(), y.bytes());
}
