package dev.jwg.cli.wg;

import dev.jwg.config.uapi.AllowedIpChange;
import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.DeviceUpdate;
import dev.jwg.config.uapi.Key32;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.config.uapi.PeerUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code wg syncconf} ({@code setconf.c}'s {@code sync_conf}): turns the setconf request for a file into
 * one that leaves running sessions alone. When both the file and the device have peers,
 * {@code replace_peers} is dropped; each device peer absent from the file is removed
 * ({@code remove=true}, these sections first, in descending public-key order as {@code wg} builds
 * them); a preshared key or persistent keepalive the device has but the file does not mention is
 * explicitly cleared. Everything else of setconf stays (device keys, {@code replace_allowed_ips}).
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
        Map<Key32, PeerSnapshot> running = new HashMap<>();
        runtime.peers().forEach(p -> running.put(p.publicKey(), p));
        Map<Key32, PeerUpdate> inFile = new HashMap<>();
        file.peers().forEach(p -> inFile.putIfAbsent(p.publicKey(), p));

        List<Key32> vanished = new ArrayList<>();
        for (PeerSnapshot p : runtime.peers()) {
            if (!inFile.containsKey(p.publicKey())) {
                vanished.add(p.publicKey());
            }
        }
        vanished.sort(MEMCMP.reversed());

        DeviceUpdate.Builder b = DeviceUpdate.builder();
        file.privateKey().ifPresent(b::privateKey);
        file.listenPort().ifPresent(b::listenPort);
        file.fwmark().ifPresent(b::fwmark);
        for (Key32 k : vanished) {
            b.peer(PeerUpdate.builder(k).remove().build());
        }
        for (PeerUpdate p : file.peers()) {
            PeerSnapshot now = running.get(p.publicKey());
            boolean clearPsk = now != null && !now.presharedKey().isZero() && p.presharedKey().isEmpty();
            boolean clearKeepalive = now != null && now.persistentKeepalive() != 0 && p.persistentKeepalive().isEmpty();
            b.peer(clearPsk || clearKeepalive ? with(p, clearPsk, clearKeepalive) : p);
        }
        return b.build();
    }

    /** {@code memcmp} order of public keys (unsigned bytes). */
    static final Comparator<Key32> MEMCMP = (x, y) -> Arrays.compareUnsigned(x.rawBytes(), y.rawBytes());

    private static PeerUpdate with(PeerUpdate p, boolean clearPsk, boolean clearKeepalive) {
        PeerUpdate.Builder b = PeerUpdate.builder(p.publicKey());
        if (p.remove()) {
            b.remove();
        }
        if (p.updateOnly()) {
            b.updateOnly();
        }
        if (clearPsk) {
            b.presharedKey(Key32.ZERO);
        } else {
            p.presharedKey().ifPresent(b::presharedKey);
        }
        p.endpoint().ifPresent(b::endpoint);
        if (clearKeepalive) {
            b.persistentKeepalive(0);
        } else {
            p.persistentKeepalive().ifPresent(b::persistentKeepalive);
        }
        if (p.replaceAllowedIps()) {
            b.replaceAllowedIps();
        }
        for (AllowedIpChange c : p.allowedIps()) {
            if (c.remove()) {
                b.removeAllowedIp(c.prefix());
            } else {
                b.addAllowedIp(c.prefix());
            }
        }
        return b.build();
    }
}
