package dev.jwg.cli.wg;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.core.routing.IpPrefix;
import java.util.List;

/**
 * {@code wg showconf IF} ({@code showconf.c}): the running configuration as a file {@code wg setconf}
 * reads back — {@code [Interface]} with ListenPort, FwMark, PrivateKey; a blank line; the peers in the
 * daemon's order separated by blank lines. Contains secrets. Stateless and thread-safe.
 */
final class ShowConf {
    private ShowConf() {}

    static String render(ShownDevice device, EndpointText.Scopes scopes) {
        DeviceSnapshot d = device.snapshot();
        StringBuilder sb = new StringBuilder("[Interface]\n");
        if (d.listenPort() != 0) {
            sb.append("ListenPort = ").append(d.listenPort()).append('\n');
        }
        if (d.fwmark() != 0) {
            sb.append("FwMark = 0x").append(Integer.toHexString(d.fwmark())).append('\n');
        }
        device.privateKeyBase64().ifPresent(k -> sb.append("PrivateKey = ").append(k).append('\n'));
        sb.append('\n');
        List<PeerSnapshot> peers = d.peers();
        for (int i = 0; i < peers.size(); i++) {
            PeerSnapshot p = peers.get(i);
            sb.append("[Peer]\nPublicKey = ").append(p.publicKey().toBase64()).append('\n');
            ShownDevice.presharedKey(p).ifPresent(k -> sb.append("PresharedKey = ").append(k).append('\n'));
            if (!p.allowedIps().isEmpty()) {
                sb.append("AllowedIPs = ");
                for (int j = 0; j < p.allowedIps().size(); j++) {
                    IpPrefix a = p.allowedIps().get(j);
                    sb.append(j == 0 ? "" : ", ").append(ShownDevice.prefix(a));
                }
                sb.append('\n');
            }
            ShownDevice.endpoint(p, scopes).ifPresent(e -> sb.append("Endpoint = ").append(e).append('\n'));
            if (p.persistentKeepalive() != 0) {
                sb.append("PersistentKeepalive = ").append(p.persistentKeepalive()).append('\n');
            }
            if (i + 1 < peers.size()) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
