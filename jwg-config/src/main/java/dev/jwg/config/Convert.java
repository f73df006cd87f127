package dev.jwg.config;

import dev.jwg.config.model.AddressConfig;
import dev.jwg.config.model.DnsServer;
import dev.jwg.config.model.InterfaceAddress;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.RuleConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.IpWords;
import dev.jwg.config.networkd.NetworkdWriter;
import dev.jwg.config.wgquick.WgQuickParser;
import dev.jwg.config.wgquick.WgQuickWriter;
import dev.jwg.core.routing.IpPrefix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Converts a tunnel between wg-quick and systemd-networkd, mapping what maps and listing, as warnings,
 * what does not.
 *
 * <p>wg-quick → networkd: keys, ListenPort, FwMark → FirewallMark, MTU → {@code [NetDev] MTUBytes=},
 * peers, Address → {@code [Network] Address=}, DNS → {@code DNS=}/{@code Domains=} (for systemd-resolved).
 * Table: {@code off} → {@code RouteTable=off}; a table → that table; {@code auto} → {@code RouteTable=main},
 * or, when a peer has a /0, wg-quick's full tunnel expressed in networkd terms (docs/protocol.md §5.5
 * and docs/networkd.md): {@code FirewallMark=}/{@code RouteTable=} the mark (FwMark or 51820) and two
 * {@code [RoutingPolicyRule]}s, {@code not fwmark M lookup M} and {@code lookup main suppress_prefixlength 0}.
 * Not mapped (warned): Pre/Post hooks, SaveConfig, wg-quick's full-tunnel firewall rules.
 *
 * <p>networkd → wg-quick: the same keys back; {@code [Link] MTUBytes=} wins over the netdev's; a full
 * tunnel as produced above is recognised and becomes {@code Table} auto; everything else networkd
 * would do to routing becomes PostUp/PostDown commands: peer routes with per-peer or metric settings
 * ({@code ip route add … dev %i table T metric M}), {@code [Route]} sections ({@code ip route add}, and
 * {@code ip route del} on PostDown for routes that do not go away with the link) and
 * {@code [RoutingPolicyRule]} sections ({@code ip rule add} / {@code ip rule del}). Key files become
 * {@code PostUp = wg set %i private-key FILE} so no secret is copied into the new file.
 *
 * <p>Stateless and thread-safe.
 */
public final class Convert {
    /** wg-quick's first full-tunnel table and mark. */
    public static final long DEFAULT_FULL_TUNNEL_TABLE = 51820;
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=+@,-]+");

    private Convert() {}

    /**
     * A tunnel as networkd files.
     *
     * @param config the converted model, as {@link dev.jwg.config.networkd.NetworkdLoader} would load it
     * @param netdev the {@code .netdev} text
     * @param network the {@code .network} text
     * @param warnings what could not be expressed, in human words, one per item
     */
    public record NetworkdFiles(TunnelConfig config, String netdev, String network, List<String> warnings) {
        public NetworkdFiles {
            Objects.requireNonNull(config);
            Objects.requireNonNull(netdev);
            Objects.requireNonNull(network);
            warnings = List.copyOf(warnings);
        }

        /** Never shows the file texts, which may hold the private key. */
        @Override
        public String toString() {
            return "NetworkdFiles[" + config.name() + ", warnings=" + warnings + "]";
        }
    }

    /**
     * A tunnel as a wg-quick file.
     *
     * @param config the converted model, as {@link dev.jwg.config.wgquick.WgQuickParser} would parse it
     * @param text the file text
     * @param warnings what could not be expressed, in human words, one per item
     */
    public record WgQuickFile(TunnelConfig config, String text, List<String> warnings) {
        public WgQuickFile {
            Objects.requireNonNull(config);
            Objects.requireNonNull(text);
            warnings = List.copyOf(warnings);
        }

        /** Never shows the file text, which may hold keys. */
        @Override
        public String toString() {
            return "WgQuickFile[" + config.name() + ", warnings=" + warnings + "]";
        }
    }

    /** wg-quick (or any tunnel) → {@code .netdev} + {@code .network}. */
    public static NetworkdFiles wgQuickToNetworkd(TunnelConfig c) {
        List<String> warnings = new ArrayList<>();
        InterfaceConfig i = c.iface();
        InterfaceConfig.Builder netdevIface = InterfaceConfig.builder()
                .privateKey(i.privateKey().orElse(null)).privateKeyFile(i.privateKeyFile().orElse(null))
                .listenPort(i.listenPort()).fwMark(i.fwMark()).mtu(c.effectiveMtu());
        NetworkConfig.Builder net = c.network().map(NetworkConfig::toBuilder)
                .orElseGet(() -> NetworkConfig.builder().addMatchName(c.name()));
        net.mtu(OptionalInt.empty()); // the MTU goes to [NetDev] MTUBytes=
        i.addresses().forEach(net::addAddress);
        i.dnsServers().forEach(net::addDns);
        i.dnsSearch().forEach(net::addDomain);
        if (!i.dnsServers().isEmpty() || !i.dnsSearch().isEmpty()) {
            warnings.add("DNS is written as [Network] DNS=/Domains=, which only systemd-resolved applies "
                    + "(wg-quick used resolvconf)");
        }

        Optional<RouteTable> routeTable = c.routeTable();
        if (routeTable.isEmpty()) {
            RouteTable table = i.table().orElse(RouteTable.AUTO);
            if (table instanceof RouteTable.Auto) {
                boolean v4 = hasDefault(c, true);
                boolean v6 = hasDefault(c, false);
                if (v4 || v6) {
                    long mark = i.fwMark().orElse(0) != 0 ? i.fwMark().getAsLong() : DEFAULT_FULL_TUNNEL_TABLE;
                    RouteTable t = new RouteTable.Id(mark);
                    netdevIface.fwMark(mark);
                    routeTable = Optional.of(t);
                    RuleConfig.Family family = v4 && v6 ? RuleConfig.Family.BOTH
                            : v4 ? RuleConfig.Family.IPV4 : RuleConfig.Family.IPV6;
                    net.addRule(RuleConfig.builder().firewallMark(new RuleConfig.Mark(mark, OptionalLong.empty()))
                            .invert(true).table(t).family(family).build());
                    net.addRule(RuleConfig.builder().table(RouteTable.MAIN).suppressPrefixLength(0).family(family).build());
                    if (!i.dnsServers().isEmpty()) {
                        // wg-quick's resolvconf -x makes the tunnel's servers exclusive; resolved's equivalent:
                        net.addDomain("~.");
                        warnings.add("full tunnel with DNS: Domains=~. added so systemd-resolved sends every "
                                + "query to the tunnel's servers");
                    }
                    warnings.add("full tunnel: expressed as FirewallMark=" + mark + ", RouteTable=" + mark
                            + " and two [RoutingPolicyRule] sections"
                            + (i.fwMark().orElse(0) == 0 ? " (wg-quick would pick the first free table from 51820)" : "")
                            + "; wg-quick's firewall rules (anti-spoofing, conntrack mark restore) and "
                            + "net.ipv4.conf.all.src_valid_mark=1 are not reproduced");
                } else {
                    routeTable = Optional.of(RouteTable.MAIN);
                }
            } else {
                routeTable = Optional.of(table);
            }
        }
        hooks(warnings, "PreUp", i.preUp());
        hooks(warnings, "PostUp", i.postUp());
        hooks(warnings, "PreDown", i.preDown());
        hooks(warnings, "PostDown", i.postDown());
        if (i.saveConfig()) {
            warnings.add("SaveConfig = true has no networkd equivalent: the files are not rewritten on shutdown");
        }
        if (i.privateKey().isPresent() && i.privateKeyFile().isEmpty()) {
            warnings.add("the .netdev holds the private key: install it mode 0640, owner root, group systemd-network, "
                    + "or move the key to a file and use PrivateKeyFile=");
        }
        TunnelConfig out = TunnelConfig.builder(c.name()).iface(netdevIface.build()).peers(c.peers())
                .routeTable(routeTable.orElse(null)).routeMetric(c.routeMetric()).description(c.description().orElse(null))
                .network(net.build()).build();
        return new NetworkdFiles(out, NetworkdWriter.toNetdevString(out), NetworkdWriter.toNetworkString(out.network().get()),
                warnings);
    }

    private static void hooks(List<String> warnings, String key, List<String> hooks) {
        if (!hooks.isEmpty()) {
            warnings.add(key + " is not converted: networkd runs no hooks (" + hooks.size()
                    + (hooks.size() == 1 ? " command)" : " commands)"));
        }
    }

    private static boolean hasDefault(TunnelConfig c, boolean v4) {
        return c.peers().stream().flatMap(p -> p.allowedIps().stream())
                .anyMatch(p -> p.bits() == 0 && p.isIpv4() == v4);
    }

    /** networkd (or any tunnel) → wg-quick file. */
    public static WgQuickFile networkdToWgQuick(TunnelConfig c) {
        List<String> warnings = new ArrayList<>();
        if (!WgQuickParser.isValidInterfaceName(c.name())) {
            warnings.add("interface name '" + c.name() + "' cannot name a wg-quick file ([a-zA-Z0-9_=+.-]{1,15}.conf): "
                    + "rename the interface");
        }
        InterfaceConfig i = c.iface();
        NetworkConfig n = c.network().orElse(NetworkConfig.builder().build());
        List<InterfaceAddress> plain = new ArrayList<>(i.addresses());
        n.addresses().stream().filter(AddressConfig::isPlain).map(AddressConfig::address).forEach(plain::add);
        InterfaceConfig.Builder b = i.toBuilder().privateKeyFile(null).clearHooks()
                .addresses(plain).mtu(c.effectiveMtu());
        List<String> postUp = new ArrayList<>();
        List<String> postDown = new ArrayList<>();

        // Keys kept in files stay there: wg-quick's documented idiom sets them after the interface is up.
        if (i.privateKeyFile().isPresent()) {
            b.privateKey(null);
            postUp.add("wg set %i private-key " + shellQuote(i.privateKeyFile().get().toString()));
        }
        List<PeerConfig> peers = new ArrayList<>();
        for (PeerConfig p : c.peers()) {
            PeerConfig.Builder pb = p.toBuilder().presharedKeyFile(null).routeTable(null).routeMetric(OptionalLong.empty());
            if (p.presharedKeyFile().isPresent()) {
                pb.presharedKey(null);
                postUp.add("wg set %i peer " + p.publicKey().toBase64() + " preshared-key "
                        + shellQuote(p.presharedKeyFile().get().toString()));
            }
            peers.add(pb.build());
        }
        if (!postUp.isEmpty()) {
            warnings.add("keys stay in their files: PostUp runs 'wg set' to load them, so the interface "
                    + "comes up briefly without them");
        }

        // LinkLocalAddressing=no or ipv4: wg-quick brings the link up before any PostUp, so the kernel has
        // made the TUN's link-local address already; it is removed, and configured fe80:: addresses added back
        NetworkConfig.LinkSysctls sys = n.sysctls();
        if (sys.linkLocal().isPresent() && !sys.ipv6LinkLocal()) {
            postUp.add("sysctl -q net.ipv6.conf.%i.addr_gen_mode=1");
            postUp.add("ip -6 address flush dev %i scope link");
            plain.stream().filter(Convert::isLinkLocal).forEach(a -> postUp.add("ip -6 address add " + a + " dev %i"));
        }
        if (sys.ipv6LinkLocal() && (sys.ipv6LinkLocalMode().isPresent() || sys.ipv6StableSecret().isPresent())) {
            warnings.add("IPv6LinkLocalAddressGenerationMode= and IPv6StableSecretAddress= are not converted: wg-quick "
                    + "brings the link up before any PostUp runs, so the kernel has made its link-local address by then");
        }

        // [Address] sections with options, [Link] settings and forwarding, applied after the link is up
        for (AddressConfig a : n.addresses()) {
            if (!a.isPlain()) {
                postUp.add("ip " + family(a.isIpv4()) + " address add " + String.join(" ", IpWords.address(a, "%i")));
            }
        }
        List<String> link = IpWords.link(n.link(), OptionalInt.empty());
        if (!link.isEmpty()) {
            postUp.add("ip link set dev %i " + String.join(" ", link));
        }
        n.ipv4Forwarding().ifPresent(f -> postUp.add("sysctl -q net.ipv4.conf.%i.forwarding=" + (f ? 1 : 0)));
        n.ipv6Forwarding().ifPresent(f -> postUp.add("sysctl -q net.ipv6.conf.%i.forwarding=" + (f ? 1 : 0)));
        sys.ipv6AcceptRa().ifPresent(r -> postUp.add("sysctl -q net.ipv6.conf.%i.accept_ra="
                + (r && sys.ipv6LinkLocal() ? 2 : 0)));
        sys.ipv6PrivacyExtensions().ifPresent(x -> x.sysctl()
                .ifPresent(v -> postUp.add("sysctl -q net.ipv6.conf.%i.use_tempaddr=" + v)));
        sys.ipv6HopLimit().ifPresent(h -> postUp.add("sysctl -q net.ipv6.conf.%i.hop_limit=" + h));
        sys.ipv6Mtu().ifPresent(m -> postUp.add("sysctl -q net.ipv6.conf.%i.mtu="
                + Math.min(m, c.effectiveMtu().orElse(m))));
        sys.ipv4ReversePathFilter().ifPresent(r -> postUp.add("sysctl -q net.ipv4.conf.%i.rp_filter=" + r.sysctl()));
        sys.ipv4AcceptLocal().ifPresent(x -> postUp.add("sysctl -q net.ipv4.conf.%i.accept_local=" + (x ? 1 : 0)));
        sys.ipv4RouteLocalnet().ifPresent(x -> postUp.add("sysctl -q net.ipv4.conf.%i.route_localnet=" + (x ? 1 : 0)));
        sys.igmpVersion().ifPresent(v -> postUp.add("sysctl -q net.ipv4.conf.%i.force_igmp_version=" + v));

        // DNS
        for (DnsServer d : n.dns()) {
            b.addDnsServer(d.address());
            if (!d.isPlain()) {
                warnings.add("DNS server " + d + " is written as " + d.address()
                        + ": wg-quick's DNS takes addresses only (no port, interface or server name)");
            }
        }
        for (String d : n.domains()) {
            if (d.equals("~.")) {
                continue; // wg-quick's resolvconf -x already makes the tunnel's servers exclusive
            }
            if (d.startsWith("~")) {
                warnings.add("routing-only domain " + d + " is dropped: wg-quick has no routing domains");
            } else {
                b.addDnsSearch(d);
            }
        }

        // Routes for the peers' AllowedIPs, and the rules.
        List<RuleConfig> rules = new ArrayList<>(n.rules());
        if (isFullTunnel(c, rules)) {
            b.table(null).fwMark(i.fwMark());
        } else if (c.routeMetric().isEmpty()
                && c.peers().stream().allMatch(p -> p.routeTable().isEmpty() && p.routeMetric().isEmpty())) {
            b.table(c.routeTable().orElse(RouteTable.OFF));
        } else {
            b.table(RouteTable.OFF);
            for (PeerConfig p : c.peers()) {
                RouteTable t = p.routeTable().or(c::routeTable).orElse(RouteTable.OFF);
                if (!t.isTable()) {
                    continue;
                }
                OptionalLong metric = p.routeMetric().isPresent() ? p.routeMetric() : c.routeMetric();
                for (IpPrefix a : p.allowedIps()) {
                    postUp.add("ip " + family(a.isIpv4()) + " route add " + a.masked() + " dev %i table " + t
                            + (metric.isPresent() ? " metric " + metric.getAsLong() : ""));
                }
            }
        }
        tableNames(warnings, b.build().table());

        for (RouteConfig r : n.routes()) {
            String spec = String.join(" ", IpWords.route(r, "%i", true));
            postUp.add("ip " + family(r.isIpv4()) + " route add " + spec);
            if (!r.effectiveType().usesDevice()) {
                postDown.add("ip " + family(r.isIpv4()) + " route del " + spec);
            }
            tableNames(warnings, r.table());
        }
        for (RuleConfig r : rules) {
            RuleConfig.Family f = r.effectiveFamily();
            for (boolean v4 : new boolean[] {true, false}) {
                if (v4 ? f.includesIPv4() : f.includesIPv6()) {
                    String spec = String.join(" ", IpWords.rule(r, Convert::shellUids));
                    postUp.add("ip " + family(v4) + " rule add " + spec);
                    postDown.add("ip " + family(v4) + " rule del " + spec);
                }
            }
            tableNames(warnings, r.table());
        }

        i.preUp().forEach(b::addPreUp);
        i.postUp().forEach(b::addPostUp);
        postUp.forEach(b::addPostUp);
        i.preDown().forEach(b::addPreDown);
        i.postDown().forEach(b::addPostDown);
        postDown.forEach(b::addPostDown);

        TunnelConfig out = TunnelConfig.builder(c.name()).iface(b.build()).peers(peers)
                .sources(List.of(Path.of(c.name() + ".conf"))).build();
        String text = WgQuickWriter.toWgQuickString(out);
        if (c.description().isPresent()) {
            text = "# " + c.description().get() + "\n" + text;
        }
        return new WgQuickFile(out, text, warnings);
    }

    /**
     * Whether the netdev and network are wg-quick's full tunnel as {@link #wgQuickToNetworkd} writes it:
     * FirewallMark M, RouteTable M, no metrics or per-peer tables, a /0 in some peer, and for the families
     * with a /0 exactly the two rules. If so, removes those rules from {@code rules}.
     */
    private static boolean isFullTunnel(TunnelConfig c, List<RuleConfig> rules) {
        long mark = c.iface().fwMark().orElse(0);
        if (mark == 0 || !c.routeTable().equals(Optional.of(new RouteTable.Id(mark))) || c.routeMetric().isPresent()
                || c.peers().stream().anyMatch(p -> p.routeTable().isPresent() || p.routeMetric().isPresent())) {
            return false;
        }
        boolean v4 = hasDefault(c, true);
        boolean v6 = hasDefault(c, false);
        if (!v4 && !v6) {
            return false;
        }
        RuleConfig.Family family = v4 && v6 ? RuleConfig.Family.BOTH : v4 ? RuleConfig.Family.IPV4 : RuleConfig.Family.IPV6;
        RuleConfig notMarked = RuleConfig.builder().firewallMark(new RuleConfig.Mark(mark, OptionalLong.empty()))
                .invert(true).table(new RouteTable.Id(mark)).family(family).build();
        RuleConfig suppress = RuleConfig.builder().table(RouteTable.MAIN).suppressPrefixLength(0).family(family).build();
        if (!rules.contains(notMarked) || !rules.contains(suppress)) {
            return false;
        }
        rules.remove(notMarked);
        rules.remove(suppress);
        return true;
    }

    private static void tableNames(List<String> warnings, Optional<RouteTable> t) {
        if (t.isPresent() && t.get() instanceof RouteTable.Named(String name)
                && !name.equals("main") && !name.equals("default") && !name.equals("local")) {
            String w = "routing table name '" + name + "' must also be defined in /etc/iproute2/rt_tables for ip(8)";
            if (!warnings.contains(w)) {
                warnings.add(w);
            }
        }
    }

    /** Whether {@code a} is an IPv6 link-local address (fe80::/10). */
    private static boolean isLinkLocal(InterfaceAddress a) {
        byte[] b = a.address().bytes();
        return b.length == 16 && (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80;
    }

    private static String family(boolean v4) {
        return v4 ? "-4" : "-6";
    }

    /** A {@code User=} value for a PostUp line: numeric as it is, a user name looked up by the shell. */
    private static String shellUids(String user) {
        if (RuleConfig.uidRange(user).isPresent()) {
            return IpWords.numericUids(user);
        }
        String id = "$(id -u " + shellQuote(user) + ")";
        return id + "-" + id;
    }

    private static String shellQuote(String s) {
        return SHELL_SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
