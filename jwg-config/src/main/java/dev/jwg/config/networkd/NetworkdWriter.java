package dev.jwg.config.networkd;

import dev.jwg.config.model.AddressConfig;
import dev.jwg.config.model.DnsServer;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.model.MatchCondition;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteConfig;
import dev.jwg.config.model.RuleConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.core.routing.IpPrefix;
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
                key(sb, "AllowedIPs", p.allowedIps().stream().map(IpPrefix::toString).collect(Collectors.joining(",")));
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
        for (MatchCondition c : n.matchConditions()) {
            c.patterns().forEach(p -> key(sb, c.key(), p));
        }
        List<AddressConfig> plain = n.addresses().stream().filter(AddressConfig::isPlain).toList();
        NetworkConfig.LinkSysctls sys = n.sysctls();
        if (!plain.isEmpty() || !n.dns().isEmpty() || !n.domains().isEmpty() || n.ipv4Forwarding().isPresent()
                || n.ipv6Forwarding().isPresent() || !sys.equals(NetworkConfig.LinkSysctls.NONE)) {
            sb.append("\n[Network]\n");
            plain.forEach(a -> key(sb, "Address", a.address().toString()));
            if (!n.dns().isEmpty()) {
                key(sb, "DNS", n.dns().stream().map(DnsServer::toString).collect(Collectors.joining(" ")));
            }
            if (!n.domains().isEmpty()) {
                key(sb, "Domains", String.join(" ", n.domains()));
            }
            n.ipv4Forwarding().ifPresent(b -> key(sb, "IPv4Forwarding", yesNo(b)));
            n.ipv6Forwarding().ifPresent(b -> key(sb, "IPv6Forwarding", yesNo(b)));
            sys.linkLocal().ifPresent(l -> key(sb, "LinkLocalAddressing", l.keyword()));
            sys.ipv6LinkLocalMode().ifPresent(m -> key(sb, "IPv6LinkLocalAddressGenerationMode", m.keyword()));
            sys.ipv6StableSecret().ifPresent(a -> key(sb, "IPv6StableSecretAddress", a.toString()));
            sys.ipv6AcceptRa().ifPresent(b -> key(sb, "IPv6AcceptRA", yesNo(b)));
            sys.ipv6PrivacyExtensions().ifPresent(p -> key(sb, "IPv6PrivacyExtensions", p.keyword()));
            sys.ipv6HopLimit().ifPresent(h -> key(sb, "IPv6HopLimit", Integer.toString(h)));
            sys.ipv6Mtu().ifPresent(m -> key(sb, "IPv6MTUBytes", Integer.toString(m)));
            sys.ipv4ReversePathFilter().ifPresent(r -> key(sb, "IPv4ReversePathFilter", r.keyword()));
            sys.ipv4AcceptLocal().ifPresent(b -> key(sb, "IPv4AcceptLocal", yesNo(b)));
            sys.ipv4RouteLocalnet().ifPresent(b -> key(sb, "IPv4RouteLocalnet", yesNo(b)));
            sys.igmpVersion().ifPresent(v -> key(sb, "MulticastIGMPVersion", v == 0 ? "no" : "v" + v));
        }
        NetworkConfig.LinkSettings l = n.link();
        if (n.mtu().isPresent() || !l.equals(NetworkConfig.LinkSettings.NONE)) {
            sb.append("\n[Link]\n");
            n.mtu().ifPresent(m -> key(sb, "MTUBytes", Integer.toString(m)));
            l.arp().ifPresent(b -> key(sb, "ARP", yesNo(b)));
            l.multicast().ifPresent(b -> key(sb, "Multicast", yesNo(b)));
            l.allMulticast().ifPresent(b -> key(sb, "AllMulticast", yesNo(b)));
            l.promiscuous().ifPresent(b -> key(sb, "Promiscuous", yesNo(b)));
            l.group().ifPresent(g -> key(sb, "Group", Long.toString(g)));
            if (l.unmanaged()) {
                key(sb, "Unmanaged", "yes");
            }
        }
        for (AddressConfig a : n.addresses()) {
            if (a.isPlain()) {
                continue;
            }
            sb.append("\n[Address]\n");
            key(sb, "Address", a.address().toString());
            a.peer().ifPresent(p -> key(sb, "Peer", p.toString()));
            a.broadcast().ifPresent(b -> key(sb, "Broadcast", b.toString()));
            a.label().ifPresent(x -> key(sb, "Label", x));
            if (a.deprecated()) {
                key(sb, "PreferredLifetime", "0");
            }
            a.scope().ifPresent(x -> key(sb, "Scope", x));
            a.routeMetric().ifPresent(m -> key(sb, "RouteMetric", Long.toString(m)));
            a.prefixRoute().ifPresent(b -> key(sb, "AddPrefixRoute", yesNo(b)));
            a.homeAddress().ifPresent(b -> key(sb, "HomeAddress", yesNo(b)));
            a.manageTemporaryAddress().ifPresent(b -> key(sb, "ManageTemporaryAddress", yesNo(b)));
            a.autoJoin().ifPresent(b -> key(sb, "AutoJoin", yesNo(b)));
            a.duplicateAddressDetection().ifPresent(x -> key(sb, "DuplicateAddressDetection", x));
        }
        for (RouteConfig r : n.routes()) {
            sb.append("\n[Route]\n");
            r.destination().ifPresent(d -> key(sb, "Destination", d.toString()));
            r.gateway().ifPresent(g -> key(sb, "Gateway", g.toString()));
            r.gatewayOnLink().ifPresent(b -> key(sb, "GatewayOnLink", yesNo(b)));
            r.source().ifPresent(x -> key(sb, "Source", x.toString()));
            r.preferredSource().ifPresent(x -> key(sb, "PreferredSource", x.toString()));
            r.type().ifPresent(t -> key(sb, "Type", t.keyword()));
            r.scope().ifPresent(x -> key(sb, "Scope", x));
            r.metric().ifPresent(m -> key(sb, "Metric", Long.toString(m)));
            r.table().ifPresent(t -> key(sb, "Table", t.toString()));
            r.protocol().ifPresent(x -> key(sb, "Protocol", x));
            r.mtu().ifPresent(m -> key(sb, "MTUBytes", Integer.toString(m)));
            RouteConfig.Options o = r.options();
            o.ipv6Preference().ifPresent(x -> key(sb, "IPv6Preference", x));
            o.hopLimit().ifPresent(x -> key(sb, "HopLimit", Integer.toString(x)));
            o.initialCongestionWindow().ifPresent(x -> key(sb, "InitialCongestionWindow", Integer.toString(x)));
            o.initialAdvertisedReceiveWindow().ifPresent(x -> key(sb, "InitialAdvertisedReceiveWindow", Integer.toString(x)));
            o.quickAck().ifPresent(b -> key(sb, "QuickAck", yesNo(b)));
            o.fastOpenNoCookie().ifPresent(b -> key(sb, "FastOpenNoCookie", yesNo(b)));
            o.advertisedMss().ifPresent(x -> key(sb, "TCPAdvertisedMaximumSegmentSize", Integer.toString(x)));
            o.congestionControl().ifPresent(x -> key(sb, "TCPCongestionControlAlgorithm", x));
            o.rtoMinMillis().ifPresent(x -> key(sb, "TCPRetransmissionTimeoutSec", x + "ms"));
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
            r.suppressInterfaceGroup().ifPresent(g -> key(sb, "SuppressInterfaceGroup", Long.toString(g)));
            r.family().ifPresent(f -> key(sb, "Family", f.keyword()));
            r.typeOfService().ifPresent(t -> key(sb, "TypeOfService", Integer.toString(t)));
            r.ipProtocol().ifPresent(p -> key(sb, "IPProtocol", Integer.toString(p)));
            r.sourcePort().ifPresent(p -> key(sb, "SourcePort", p.toString()));
            r.destinationPort().ifPresent(p -> key(sb, "DestinationPort", p.toString()));
            r.user().ifPresent(u -> key(sb, "User", u));
            r.l3MasterDevice().ifPresent(b -> key(sb, "L3MasterDevice", yesNo(b)));
            r.goTo().ifPresent(g -> key(sb, "GoTo", Long.toString(g)));
            r.type().filter(t -> t != RuleConfig.Type.GOTO).ifPresent(t -> key(sb, "Type", t.keyword()));
            r.table().ifPresent(t -> key(sb, "Table", t.toString()));
            r.priority().ifPresent(p -> key(sb, "Priority", Long.toString(p)));
        }
        return sb.toString();
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static void key(StringBuilder sb, String key, String value) {
        sb.append(key).append('=').append(value).append('\n');
    }
}
