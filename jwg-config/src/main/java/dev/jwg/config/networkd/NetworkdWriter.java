package dev.jwg.config.networkd;

import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.model.IpAddress;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteConfig;
import dev.jwg.config.model.RuleConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.uapi.Prefix;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes networkd files from the model, symmetric with {@link NetdevParser} and {@link NetworkParser}:
 * parsing the output gives back the same {@link TunnelConfig} / {@link NetworkConfig}.
 *
 * <p>A key that came from a key file is written as {@code PrivateKeyFile=} / {@code PresharedKeyFile=},
 * never inline. Otherwise the {@code .netdev} contains the private key: install it mode 0640, owner
 * root, group systemd-network. wg-quick-only values (DNS, hooks, Table, SaveConfig, addresses of
 * {@link InterfaceConfig}) are not written here; {@code dev.jwg.config.Convert} maps them.
 * Stateless and thread-safe.
 */
public final class NetworkdWriter {
    private NetworkdWriter() {}

    /** The {@code .netdev} file. */
    public static String toNetdevString(TunnelConfig c) {
        InterfaceConfig i = c.iface();
        StringBuilder sb = new StringBuilder("[NetDev]\n");
        key(sb, "Name", c.name());
        key(sb, "Kind", "wireguard");
        i.mtu().ifPresent(m -> key(sb, "MTUBytes", Integer.toString(m)));
        c.description().ifPresent(d -> key(sb, "Description", d));
        sb.append("\n[WireGuard]\n");
        if (i.privateKeyFile().isPresent()) {
            key(sb, "PrivateKeyFile", i.privateKeyFile().get().toString());
        } else {
            i.privateKey().ifPresent(k -> key(sb, "PrivateKey", k.toBase64()));
        }
        i.listenPort().ifPresent(p -> key(sb, "ListenPort", p == 0 ? "auto" : Integer.toString(p)));
        i.fwMark().ifPresent(m -> key(sb, "FirewallMark", Long.toString(m)));
        c.routeTable().ifPresent(t -> key(sb, "RouteTable", t.toString()));
        c.routeMetric().ifPresent(m -> key(sb, "RouteMetric", Long.toString(m)));
        for (PeerConfig p : c.peers()) {
            sb.append("\n[WireGuardPeer]\n");
            key(sb, "PublicKey", p.publicKey().toBase64());
            if (p.presharedKeyFile().isPresent()) {
                key(sb, "PresharedKeyFile", p.presharedKeyFile().get().toString());
            } else {
                p.presharedKey().ifPresent(k -> key(sb, "PresharedKey", k.toBase64()));
            }
            if (!p.allowedIps().isEmpty()) {
                key(sb, "AllowedIPs", p.allowedIps().stream().map(Prefix::toString).collect(Collectors.joining(",")));
            }
            p.endpoint().ifPresent(e -> key(sb, "Endpoint", e.toString()));
            p.persistentKeepalive().ifPresent(k -> key(sb, "PersistentKeepalive", k == 0 ? "off" : Integer.toString(k)));
            p.routeTable().ifPresent(t -> key(sb, "RouteTable", t.toString()));
            p.routeMetric().ifPresent(m -> key(sb, "RouteMetric", Long.toString(m)));
        }
        return sb.toString();
    }

    /** The {@code .network} file. One {@code Name=} line per pattern keeps each pattern's own {@code !}. */
    public static String toNetworkString(NetworkConfig n) {
        StringBuilder sb = new StringBuilder("[Match]\n");
        n.matchNames().forEach(p -> key(sb, "Name", p));
        if (!n.addresses().isEmpty() || !n.dns().isEmpty() || !n.domains().isEmpty()) {
            sb.append("\n[Network]\n");
            n.addresses().forEach(a -> key(sb, "Address", a.toString()));
            if (!n.dns().isEmpty()) {
                key(sb, "DNS", join(n.dns()));
            }
            if (!n.domains().isEmpty()) {
                key(sb, "Domains", String.join(" ", n.domains()));
            }
        }
        n.mtu().ifPresent(m -> sb.append("\n[Link]\n").append("MTUBytes=").append(m).append('\n'));
        for (RouteConfig r : n.routes()) {
            sb.append("\n[Route]\n");
            r.destination().ifPresent(d -> key(sb, "Destination", d.toString()));
            r.gateway().ifPresent(g -> key(sb, "Gateway", g.toString()));
            r.gatewayOnLink().ifPresent(b -> key(sb, "GatewayOnLink", yesNo(b)));
            r.type().ifPresent(t -> key(sb, "Type", t.keyword()));
            r.metric().ifPresent(m -> key(sb, "Metric", Long.toString(m)));
            r.table().ifPresent(t -> key(sb, "Table", t.toString()));
        }
        for (RuleConfig r : n.rules()) {
            sb.append("\n[RoutingPolicyRule]\n");
            r.from().ifPresent(p -> key(sb, "From", p.toString()));
            r.to().ifPresent(p -> key(sb, "To", p.toString()));
            r.incomingInterface().ifPresent(s -> key(sb, "IncomingInterface", s));
            r.outgoingInterface().ifPresent(s -> key(sb, "OutgoingInterface", s));
            r.firewallMark().ifPresent(m -> key(sb, "FirewallMark", m.toString()));
            r.invert().ifPresent(b -> key(sb, "InvertRule", yesNo(b)));
            r.suppressPrefixLength().ifPresent(s -> key(sb, "SuppressPrefixLength", Integer.toString(s)));
            r.family().ifPresent(f -> key(sb, "Family", f.keyword()));
            r.type().ifPresent(t -> key(sb, "Type", t.keyword()));
            r.table().ifPresent(t -> key(sb, "Table", t.toString()));
            r.priority().ifPresent(p -> key(sb, "Priority", Long.toString(p)));
        }
        return sb.toString();
    }

    private static String join(List<IpAddress> list) {
        return list.stream().map(IpAddress::toString).collect(Collectors.joining(" "));
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static void key(StringBuilder sb, String key, String value) {
        sb.append(key).append('=').append(value).append('\n');
    }
}
