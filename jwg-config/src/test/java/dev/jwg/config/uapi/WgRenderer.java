package dev.jwg.config.uapi;

import dev.jwg.core.crypto.PrivateKey;
import java.util.HexFormat;

/**
 * Renders set requests the way wireguard-tools' {@code userspace_set_device} (ipc-uapi.h) does, written
 * independently of the production code from docs/protocol.md §4.4: {@code set=1}, private_key,
 * listen_port, fwmark, replace_peers, then per peer public_key (and only remove=true if removing),
 * update_only, preshared_key, endpoint, persistent_keepalive_interval, replace_allowed_ips,
 * allowed_ip lines ({@code -} for removal), and a blank line.
 */
final class WgRenderer {
    private WgRenderer() {}

    private static final HexFormat HEX = HexFormat.of();

    /** What {@code wg set}/{@code wg addconf} send for exactly the items present in the update. */
    static String set(DeviceUpdate u) {
        StringBuilder sb = new StringBuilder("set=1\n");
        u.privateKey().ifPresent(k -> sb.append("private_key=").append(HEX.formatHex(k.secretBytes())).append('\n'));
        u.listenPort().ifPresent(p -> sb.append("listen_port=").append(p).append('\n'));
        u.fwmark().ifPresent(m -> sb.append("fwmark=").append(Integer.toUnsignedString(m)).append('\n'));
        if (u.replacePeers()) {
            sb.append("replace_peers=true\n");
        }
        for (PeerUpdate p : u.peers()) {
            sb.append("public_key=").append(HEX.formatHex(p.publicKey().bytes())).append('\n');
            if (p.remove()) {
                sb.append("remove=true\n");
                continue;
            }
            if (p.updateOnly()) {
                sb.append("update_only=true\n");
            }
            p.presharedKey().ifPresent(k -> sb.append("preshared_key=").append(HEX.formatHex(k.secretBytes())).append('\n'));
            p.endpoint().ifPresent(e -> sb.append("endpoint=").append(endpoint(e)).append('\n'));
            p.persistentKeepalive().ifPresent(s -> sb.append("persistent_keepalive_interval=").append(s).append('\n'));
            if (p.replaceAllowedIps()) {
                sb.append("replace_allowed_ips=true\n");
            }
            for (AllowedIpChange c : p.allowedIps()) {
                sb.append("allowed_ip=").append(c.remove() ? "-" : "").append(InetNtop.format(c.prefix().address()))
                        .append('/').append(c.prefix().bits()).append('\n');
            }
        }
        return sb.append('\n').toString();
    }

    /**
     * What {@code wg setconf} sends for a configuration file: replace_peers, and private_key,
     * listen_port, fwmark always (zero when absent from the file); each peer with replace_allowed_ips.
     * The update must describe a file: no remove/update_only, and every peer replacing its allowed IPs.
     */
    static String setconf(DeviceUpdate file) {
        DeviceUpdate.Builder b = DeviceUpdate.builder()
                .privateKey(file.privateKey().orElse(PrivateKey.ZERO))
                .listenPort(file.listenPort().orElse(0))
                .fwmark(file.fwmark().orElse(0))
                .replacePeers();
        file.peers().forEach(b::peer);
        return set(b.build());
    }

    /** getnameinfo(NI_NUMERICHOST) style, as ipc-uapi.h prints endpoints. */
    private static String endpoint(UapiEndpoint e) {
        String host = InetNtop.format(e.address()) + e.zone().map(z -> "%" + z).orElse("");
        return (e.isIpv4() ? host : "[" + host + "]") + ":" + e.port();
    }
}
