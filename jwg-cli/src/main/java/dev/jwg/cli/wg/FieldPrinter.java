package dev.jwg.cli.wg;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.core.routing.IpPrefix;
import java.util.List;
import java.util.Set;

/**
 * The script forms of {@code wg show IF FIELD} ({@code show.c}'s {@code ugly_print} and
 * {@code dump_print}): tab-separated, one line per device or per peer, peers in the daemon's order,
 * each line prefixed with the interface name and a tab for {@code show all} (except {@code endpoints},
 * where the stock wg prints the name only once, before the first peer). Keys are never hidden.
 * Stateless and thread-safe.
 */
final class FieldPrinter {
    /** The fields {@code wg show} accepts after the interface. */
    static final Set<String> FIELDS = Set.of("public-key", "private-key", "listen-port", "fwmark", "peers",
            "preshared-keys", "endpoints", "allowed-ips", "latest-handshakes", "persistent-keepalive", "transfer",
            "dump");

    private FieldPrinter() {}

    /**
     * Appends field {@code field} of {@code device} to {@code out}.
     *
     * @param withInterface whether every line starts with the interface name ({@code show all})
     * @return false, appending nothing, if {@code field} is not one of {@link #FIELDS}
     */
    static boolean print(ShownDevice device, String field, boolean withInterface, EndpointText.Scopes scopes, StringBuilder out) {
        if (!FIELDS.contains(field)) {
            return false;
        }
        DeviceSnapshot d = device.snapshot();
        String prefix = withInterface ? device.name() + "\t" : "";
        switch (field) {
            case "public-key" -> out.append(prefix).append(device.publicKeyBase64().orElse("(none)")).append('\n');
            case "private-key" -> out.append(prefix).append(device.privateKeyBase64().orElse("(none)")).append('\n');
            case "listen-port" -> out.append(prefix).append(d.listenPort()).append('\n');
            case "fwmark" -> out.append(prefix).append(fwmark(d.fwmark())).append('\n');
            case "dump" -> dump(device, prefix, scopes, out);
            default -> {
                // wg 1.0.20210914 prints the interface name once, before the first peer, for endpoints
                // (and so a dangling "name\t" for a device without peers); per peer for the others.
                boolean once = field.equals("endpoints");
                if (once) {
                    out.append(prefix);
                }
                for (PeerSnapshot p : d.peers()) {
                    out.append(once ? "" : prefix).append(p.publicKey().toBase64());
                    switch (field) {
                        case "endpoints" -> out.append('\t').append(ShownDevice.endpoint(p, scopes).orElse("(none)"));
                        case "allowed-ips" -> out.append('\t').append(allowedIps(p.allowedIps(), ' '));
                        case "latest-handshakes" -> out.append('\t').append(Long.toUnsignedString(p.lastHandshakeEpochSec()));
                        case "transfer" -> out.append('\t').append(Long.toUnsignedString(p.rxBytes()))
                                .append('\t').append(Long.toUnsignedString(p.txBytes()));
                        case "persistent-keepalive" -> out.append('\t').append(keepalive(p.persistentKeepalive()));
                        case "preshared-keys" -> out.append('\t').append(ShownDevice.presharedKey(p).orElse("(none)"));
                        default -> { } // peers
                    }
                    out.append('\n');
                }
            }
        }
        return true;
    }

    /**
     * {@code dump}: {@code private-key public-key listen-port fwmark}, then per peer
     * {@code public-key preshared-key endpoint allowed-ips latest-handshake rx tx persistent-keepalive}.
     */
    private static void dump(ShownDevice device, String prefix, EndpointText.Scopes scopes, StringBuilder out) {
        DeviceSnapshot d = device.snapshot();
        out.append(prefix).append(device.privateKeyBase64().orElse("(none)")).append('\t')
                .append(device.publicKeyBase64().orElse("(none)")).append('\t')
                .append(d.listenPort()).append('\t')
                .append(fwmark(d.fwmark())).append('\n');
        for (PeerSnapshot p : d.peers()) {
            out.append(prefix).append(p.publicKey().toBase64()).append('\t')
                    .append(ShownDevice.presharedKey(p).orElse("(none)")).append('\t')
                    .append(ShownDevice.endpoint(p, scopes).orElse("(none)")).append('\t')
                    .append(allowedIps(p.allowedIps(), ',')).append('\t')
                    .append(Long.toUnsignedString(p.lastHandshakeEpochSec())).append('\t')
                    .append(Long.toUnsignedString(p.rxBytes())).append('\t')
                    .append(Long.toUnsignedString(p.txBytes())).append('\t')
                    .append(keepalive(p.persistentKeepalive())).append('\n');
        }
    }

    static String fwmark(int mark) {
        return mark == 0 ? "off" : "0x" + Integer.toHexString(mark);
    }

    private static String keepalive(int seconds) {
        return seconds == 0 ? "off" : Integer.toString(seconds);
    }

    private static String allowedIps(List<IpPrefix> ips, char separator) {
        if (ips.isEmpty()) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder();
        for (IpPrefix p : ips) {
            if (!sb.isEmpty()) {
                sb.append(separator);
            }
            sb.append(ShownDevice.prefix(p));
        }
        return sb.toString();
    }
}
