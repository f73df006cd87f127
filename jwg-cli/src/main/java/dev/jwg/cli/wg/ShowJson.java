package dev.jwg.cli.wg;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.core.routing.IpPrefix;
import java.util.List;
import java.util.Optional;

/**
 * {@code jwg show ... --json}, an extension of {@code wg}: what {@code show} prints, as JSON with
 * fixed key names, for scripts. {@code show IF --json} prints one device object, {@code show [all]
 * --json} an array of them, {@code show interfaces --json} an array of names. With a field,
 * {@code show IF FIELD --json} prints the device object cut down to the keys that field shows (with
 * {@code interface}, and each peer's {@code publicKey} to say whose values they are), and
 * {@code show all FIELD --json} an array of those. The schema (README, "jwg show --json"):
 *
 * <pre>
 * {
 *   "interface": "wg0",
 *   "publicKey": "base64" | null,      (null when there is no private key)
 *   "hasPrivateKey": true,
 *   "privateKey": "base64" | null,     (only with WG_HIDE_KEYS=never, or for private-key and dump)
 *   "listenPort": 51820,               (0 = none)
 *   "fwmark": 0,                       (0 = off)
 *   "peers": [
 *     {
 *       "publicKey": "base64",
 *       "hasPresharedKey": false,
 *       "presharedKey": "base64" | null, (only with WG_HIDE_KEYS=never, or for preshared-keys and dump)
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
 * Field by field ({@link #shape}): {@code public-key} → publicKey; {@code private-key} → privateKey;
 * {@code listen-port} → listenPort; {@code fwmark} → fwmark; {@code peers} → peers[publicKey];
 * {@code preshared-keys} → peers[publicKey, presharedKey]; {@code endpoints} → peers[publicKey,
 * endpoint]; {@code allowed-ips} → peers[publicKey, allowedIps]; {@code latest-handshakes} →
 * peers[publicKey, latestHandshake]; {@code transfer} → peers[publicKey, transferRx, transferTx];
 * {@code persistent-keepalive} → peers[publicKey, persistentKeepalive]; {@code dump} → every key,
 * privateKey and presharedKey included (null when there is none), as {@code dump} prints them.
 * Peers are in the daemon's order; numbers are unsigned decimal integers. Stateless and thread-safe.
 */
final class ShowJson {
    private ShowJson() {}

    /** Whether a secret key is written: never, when present and WG_HIDE_KEYS=never, or always (null when absent). */
    enum Secret { OMIT, IF_SHOWN, ALWAYS }

    /** Which keys a device object has. */
    record Shape(boolean publicKey, boolean hasPrivateKey, Secret privateKey, boolean listenPort, boolean fwmark,
            boolean peers, boolean hasPresharedKey, Secret presharedKey, boolean endpoint, boolean allowedIps,
            boolean latestHandshake, boolean latestHandshakeNsec, boolean transfer, boolean persistentKeepalive) {
        static final Shape FULL = new Shape(true, true, Secret.IF_SHOWN, true, true, true, true, Secret.IF_SHOWN, true, true,
                true, true, true, true);
        static final Shape NONE = new Shape(false, false, Secret.OMIT, false, false, false, false, Secret.OMIT, false,
                false, false, false, false, false);
    }

    /** The shape for {@code show IF FIELD --json}, or for the whole device when {@code field} is null; empty for an unknown field. */
    static java.util.Optional<Shape> shape(String field) {
        Shape n = Shape.NONE;
        if (field == null) {
            return java.util.Optional.of(Shape.FULL);
        }
        Shape s = switch (field) {
            case "public-key" -> new Shape(true, false, Secret.OMIT, false, false, false, false, Secret.OMIT, false, false, false, false, false, false);
            case "private-key" -> new Shape(false, false, Secret.ALWAYS, false, false, false, false, Secret.OMIT, false, false, false, false, false, false);
            case "listen-port" -> new Shape(false, false, Secret.OMIT, true, false, false, false, Secret.OMIT, false, false, false, false, false, false);
            case "fwmark" -> new Shape(false, false, Secret.OMIT, false, true, false, false, Secret.OMIT, false, false, false, false, false, false);
            case "peers" -> new Shape(false, false, Secret.OMIT, false, false, true, false, Secret.OMIT, false, false, false, false, false, false);
            case "preshared-keys" -> new Shape(false, false, Secret.OMIT, false, false, true, false, Secret.ALWAYS, false, false, false, false, false, false);
            case "endpoints" -> new Shape(false, false, Secret.OMIT, false, false, true, false, Secret.OMIT, true, false, false, false, false, false);
            case "allowed-ips" -> new Shape(false, false, Secret.OMIT, false, false, true, false, Secret.OMIT, false, true, false, false, false, false);
            case "latest-handshakes" -> new Shape(false, false, Secret.OMIT, false, false, true, false, Secret.OMIT, false, false, true, false, false, false);
            case "transfer" -> new Shape(false, false, Secret.OMIT, false, false, true, false, Secret.OMIT, false, false, false, false, true, false);
            case "persistent-keepalive" -> new Shape(false, false, Secret.OMIT, false, false, true, false, Secret.OMIT, false, false, false, false, false, true);
            case "dump" -> new Shape(true, true, Secret.ALWAYS, true, true, true, true, Secret.ALWAYS, true, true, true, true, true, true);
            default -> n;
        };
        return s == n ? java.util.Optional.empty() : java.util.Optional.of(s);
    }

    /** One whole device object (no trailing newline); nested lines are indented by {@code indent}. */
    static void device(ShownDevice device, boolean showKeys, EndpointText.Scopes scopes, String indent, StringBuilder sb) {
        device(device, Shape.FULL, showKeys, scopes, indent, sb);
    }

    /** One device object of {@code shape} (no trailing newline); nested lines are indented by {@code indent}. */
    static void device(ShownDevice device, Shape shape, boolean showKeys, EndpointText.Scopes scopes, String indent, StringBuilder sb) {
        DeviceSnapshot d = device.snapshot();
        String in = indent + "  ";
        List<String> members = new java.util.ArrayList<>();
        members.add("\"interface\": " + string(device.name()));
        if (shape.publicKey()) {
            members.add("\"publicKey\": " + device.publicKeyBase64().map(ShowJson::string).orElse("null"));
        }
        if (shape.hasPrivateKey()) {
            members.add("\"hasPrivateKey\": " + d.privateKey().isPresent());
        }
        if (written(shape.privateKey(), showKeys, d.privateKey().isPresent())) {
            members.add("\"privateKey\": " + device.privateKeyBase64().map(ShowJson::string).orElse("null"));
        }
        if (shape.listenPort()) {
            members.add("\"listenPort\": " + d.listenPort());
        }
        if (shape.fwmark()) {
            members.add("\"fwmark\": " + Integer.toUnsignedString(d.fwmark()));
        }
        if (shape.peers()) {
            StringBuilder ps = new StringBuilder("\"peers\": [");
            List<PeerSnapshot> peers = d.peers();
            for (int i = 0; i < peers.size(); i++) {
                ps.append(i == 0 ? "\n" : ",\n").append(in).append("  ");
                peer(peers.get(i), shape, showKeys, scopes, in + "  ", ps);
            }
            ps.append(peers.isEmpty() ? "" : "\n" + in).append(']');
            members.add(ps.toString());
        }
        sb.append("{\n");
        for (int i = 0; i < members.size(); i++) {
            sb.append(in).append(members.get(i)).append(i + 1 < members.size() ? ",\n" : "\n");
        }
        sb.append(indent).append('}');
    }

    private static boolean written(Secret mode, boolean showKeys, boolean present) {
        return mode == Secret.ALWAYS || (mode == Secret.IF_SHOWN && showKeys && present);
    }

    private static void peer(PeerSnapshot p, Shape shape, boolean showKeys, EndpointText.Scopes scopes, String indent, StringBuilder sb) {
        String in = indent + "  ";
        Optional<String> psk = ShownDevice.presharedKey(p);
        List<String> members = new java.util.ArrayList<>();
        members.add("\"publicKey\": " + string(p.publicKey().toBase64()));
        if (shape.hasPresharedKey()) {
            members.add("\"hasPresharedKey\": " + psk.isPresent());
        }
        if (written(shape.presharedKey(), showKeys, psk.isPresent())) {
            members.add("\"presharedKey\": " + psk.map(ShowJson::string).orElse("null"));
        }
        if (shape.endpoint()) {
            members.add("\"endpoint\": " + ShownDevice.endpoint(p, scopes).map(ShowJson::string).orElse("null"));
        }
        if (shape.allowedIps()) {
            StringBuilder a = new StringBuilder("\"allowedIps\": [");
            List<IpPrefix> ips = p.allowedIps();
            for (int i = 0; i < ips.size(); i++) {
                a.append(i == 0 ? "" : ", ").append(string(ShownDevice.prefix(ips.get(i))));
            }
            members.add(a.append(']').toString());
        }
        if (shape.latestHandshake()) {
            members.add("\"latestHandshake\": " + Long.toUnsignedString(p.lastHandshakeEpochSec()));
        }
        if (shape.latestHandshakeNsec()) {
            members.add("\"latestHandshakeNsec\": " + p.lastHandshakeNsec());
        }
        if (shape.transfer()) {
            members.add("\"transferRx\": " + Long.toUnsignedString(p.rxBytes()));
            members.add("\"transferTx\": " + Long.toUnsignedString(p.txBytes()));
        }
        if (shape.persistentKeepalive()) {
            members.add("\"persistentKeepalive\": " + p.persistentKeepalive());
        }
        sb.append("{\n");
        for (int i = 0; i < members.size(); i++) {
            sb.append(in).append(members.get(i)).append(i + 1 < members.size() ? ",\n" : "\n");
        }
        sb.append(indent).append('}');
    }

    /** An array of whole devices. */
    static void devices(List<ShownDevice> devices, boolean showKeys, EndpointText.Scopes scopes, StringBuilder sb) {
        devices(devices, Shape.FULL, showKeys, scopes, sb);
    }

    /** An array of device objects of {@code shape}. */
    static void devices(List<ShownDevice> devices, Shape shape, boolean showKeys, EndpointText.Scopes scopes, StringBuilder sb) {
        sb.append('[');
        for (int i = 0; i < devices.size(); i++) {
            sb.append(i == 0 ? "\n  " : ",\n  ");
            device(devices.get(i), shape, showKeys, scopes, "  ", sb);
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
