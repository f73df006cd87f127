package dev.jwg.cli.wg;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.config.uapi.Prefix;
import java.util.List;
import java.util.Optional;

/**
 * {@code jwg show ... --json}, an extension of {@code wg}: the same information as {@code dump}, as a
 * JSON document with a fixed shape, for scripts. {@code show IF --json} prints one device object,
 * {@code show [all] --json} an array of them, {@code show interfaces --json} an array of names.
 *
 * <pre>
 * {
 *   "interface": "wg0",
 *   "publicKey": "base64" | null,      (null when there is no private key)
 *   "hasPrivateKey": true,
 *   "privateKey": "base64",            (only with WG_HIDE_KEYS=never)
 *   "listenPort": 51820,               (0 = none)
 *   "fwmark": 0,                       (0 = off)
 *   "peers": [
 *     {
 *       "publicKey": "base64",
 *       "hasPresharedKey": false,
 *       "presharedKey": "base64",      (only with WG_HIDE_KEYS=never, when there is one)
 *       "endpoint": "192.0.2.1:51820" | null,
 *       "allowedIps": ["10.0.0.2/32", "fd00::2/128"],
 *       "latestHandshake": 1700000000, (Unix seconds, 0 = never)
 *       "latestHandshakeNsec": 0,
 *       "transferRx": 0,               (bytes received)
 *       "transferTx": 0,               (bytes sent)
 *       "persistentKeepalive": 25      (seconds, 0 = off)
 *     }
 *   ]
 * }
 * </pre>
 * Peers are in the daemon's order; numbers are unsigned decimal integers. Stateless and thread-safe.
 */
final class ShowJson {
    private ShowJson() {}

    /** One device object (no trailing newline); nested lines are indented by {@code indent}. */
    static void device(Device device, boolean showKeys, InetText.Scopes scopes, String indent, StringBuilder sb) {
        DeviceSnapshot d = device.snapshot();
        String in = indent + "  ";
        sb.append("{\n");
        sb.append(in).append("\"interface\": ").append(string(device.name())).append(",\n");
        sb.append(in).append("\"publicKey\": ").append(device.publicKeyBase64().map(ShowJson::string).orElse("null"))
                .append(",\n");
        sb.append(in).append("\"hasPrivateKey\": ").append(d.privateKey().isPresent()).append(",\n");
        if (showKeys && d.privateKey().isPresent()) {
            sb.append(in).append("\"privateKey\": ").append(string(device.privateKeyBase64().orElseThrow())).append(",\n");
        }
        sb.append(in).append("\"listenPort\": ").append(d.listenPort()).append(",\n");
        sb.append(in).append("\"fwmark\": ").append(Integer.toUnsignedString(d.fwmark())).append(",\n");
        sb.append(in).append("\"peers\": [");
        List<PeerSnapshot> peers = d.peers();
        for (int i = 0; i < peers.size(); i++) {
            sb.append(i == 0 ? "\n" : ",\n").append(in).append("  ");
            peer(peers.get(i), showKeys, scopes, in + "  ", sb);
        }
        sb.append(peers.isEmpty() ? "" : "\n" + in).append("]\n");
        sb.append(indent).append('}');
    }

    private static void peer(PeerSnapshot p, boolean showKeys, InetText.Scopes scopes, String indent, StringBuilder sb) {
        String in = indent + "  ";
        Optional<String> psk = Device.presharedKey(p);
        sb.append("{\n");
        sb.append(in).append("\"publicKey\": ").append(string(p.publicKey().toBase64())).append(",\n");
        sb.append(in).append("\"hasPresharedKey\": ").append(psk.isPresent()).append(",\n");
        if (showKeys && psk.isPresent()) {
            sb.append(in).append("\"presharedKey\": ").append(string(psk.get())).append(",\n");
        }
        sb.append(in).append("\"endpoint\": ").append(Device.endpoint(p, scopes).map(ShowJson::string).orElse("null"))
                .append(",\n");
        sb.append(in).append("\"allowedIps\": [");
        List<Prefix> ips = p.allowedIps();
        for (int i = 0; i < ips.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(string(Device.prefix(ips.get(i))));
        }
        sb.append("],\n");
        sb.append(in).append("\"latestHandshake\": ").append(Long.toUnsignedString(p.lastHandshakeEpochSec())).append(",\n");
        sb.append(in).append("\"latestHandshakeNsec\": ").append(p.lastHandshakeNsec()).append(",\n");
        sb.append(in).append("\"transferRx\": ").append(Long.toUnsignedString(p.rxBytes())).append(",\n");
        sb.append(in).append("\"transferTx\": ").append(Long.toUnsignedString(p.txBytes())).append(",\n");
        sb.append(in).append("\"persistentKeepalive\": ").append(p.persistentKeepalive()).append('\n');
        sb.append(indent).append('}');
    }

    /** An array of devices. */
    static void devices(List<Device> devices, boolean showKeys, InetText.Scopes scopes, StringBuilder sb) {
        sb.append('[');
        for (int i = 0; i < devices.size(); i++) {
            sb.append(i == 0 ? "\n  " : ",\n  ");
            device(devices.get(i), showKeys, scopes, "  ", sb);
        }
        sb.append(devices.isEmpty() ? "]\n" : "\n]\n");
    }

    /** An array of interface names. */
    static void names(List<String> names, StringBuilder sb) {
        sb.append('[');
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(string(names.get(i)));
        }
        sb.append("]\n");
    }

    /** A JSON string literal. */
    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
