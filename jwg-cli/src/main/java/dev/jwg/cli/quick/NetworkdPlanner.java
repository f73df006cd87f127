package dev.jwg.cli.quick;

import dev.jwg.config.model.AddressConfig;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.RuleConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.IpWords;
import dev.jwg.core.Protocol;
import dev.jwg.core.routing.IpPrefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What {@code jwg up X.netdev} does: what systemd-networkd would do for the {@code .netdev} and its
 * {@code .network} (docs/networkd.md), as ip(8) commands ({@link IpWords}), in wg-quick's manner:
 *
 * <ol>
 *   <li>start the daemon; the {@code [WireGuard]}/{@code [WireGuardPeer]} settings over UAPI
 *       (private key, port, FirewallMark, peers with preshared keys, endpoints, keepalive, allowed IPs);
 *   <li>the link's own kernel settings ({@link #sysctlsBeforeUp}), before it has addresses and is up:
 *       no IPv6 link-local address unless {@code LinkLocalAddressing=} asks for one, router
 *       advertisements ignored unless {@code IPv6AcceptRA=} asks for them, and the other
 *       {@code [Network]} sysctls the file sets;
 *   <li>the {@code .network}'s addresses with their {@code [Address]} options; {@code MTUBytes=} and
 *       the other {@code [Link]} settings, and link up; per-interface forwarding and
 *       {@code IPv6MTUBytes=};
 *   <li>DNS ({@link DnsSteps});
 *   <li>{@code RouteTable=}: a route for every allowed IP of the peers concerned into that table, with
 *       {@code RouteMetric=} (per peer, else the netdev's);
 *   <li>each {@code [Route]}: Destination (absent: the default route of the route's family), Source,
 *       Gateway ({@code onlink} with {@code GatewayOnLink=}), PreferredSource, Scope, Protocol, Type,
 *       Metric, MTUBytes, Table;
 *   <li>each {@code [RoutingPolicyRule]}, once per family it applies to.
 * </ol>
 * Rules, routes that are not through the link (blackhole, unreachable, prohibit, throw) and
 * systemd-resolved's link settings are recorded to be removed by {@code jwg down}; everything else goes
 * with the link, the per-link sysctls included (their directories under {@code /proc/sys/net} are the
 * link's).
 *
 * <p>A pure function of the configuration and {@link Facts}. Stateless and thread-safe.
 */
public final class NetworkdPlanner {
    private NetworkdPlanner() {}

    /** The plan for bringing {@code c} up, DNS included. */
    public static Plan plan(TunnelConfig c, String source, Facts f) throws ConfigException, QuickException {
        return plan(c, source, f, false);
    }

    /**
     * The plan for bringing {@code c} up.
     *
     * @param source the {@code .netdev} as the user named it, shown in the {@code wg addconf} line
     * @param noDns {@code --no-dns}: leave DNS alone, with a note
     * @throws ConfigException if an endpoint name is missing from {@link Facts#resolved()}
     * @throws QuickException if DNS is set and there is nothing to apply it with
     */
    public static Plan plan(TunnelConfig c, String source, Facts f, boolean noDns) throws ConfigException, QuickException {
        String ifname = c.name();
        NetworkConfig n = c.network().orElse(NetworkConfig.builder().build());
        List<Step> steps = new ArrayList<>();
        steps.add(WgQuickPlanner.startDaemon(ifname, f));
        steps.add(WgQuickPlanner.addconf(c, source, f));
        steps.addAll(sysctlsBeforeUp(ifname, c.network()));
        List<AddressConfig> addresses = new ArrayList<>();
        c.iface().addresses().forEach(a -> addresses.add(AddressConfig.of(a)));
        addresses.addAll(n.addresses());
        for (AddressConfig a : addresses) {
            steps.add(new Step.Run(SysCommand.of(concat(List.of("ip", Routing.family(a.isIpv4()), "address", "add"),
                    IpWords.address(a, ifname)))));
        }
        List<String> up = new ArrayList<>(List.of("ip", "link", "set"));
        up.addAll(IpWords.link(n.link(), c.effectiveMtu()));
        up.addAll(List.of("up", "dev", ifname));
        steps.add(new Step.Run(SysCommand.of(up)));
        n.ipv4Forwarding().ifPresent(b -> steps.add(sysctl(false, ifname, "forwarding", b ? 1 : 0)));
        n.ipv6Forwarding().ifPresent(b -> steps.add(sysctl(true, ifname, "forwarding", b ? 1 : 0)));
        n.sysctls().ipv6Mtu().ifPresent(m -> steps.add(ipv6Mtu(ifname, m, c.effectiveMtu().orElse(Protocol.DEFAULT_MTU))));
        steps.addAll(DnsSteps.steps(ifname, n.dns(), n.domains(), false, f, noDns));

        // RouteTable=: routes for the peers' allowed IPs. A route equal to one the kernel adds for an
        // address (main table, the kernel's metric) already exists and is skipped, as wg-quick skips it.
        Set<List<String>> seen = new HashSet<>();
        List<IpPrefix> kernel = Routing.kernelRoutes(addresses.stream()
                .filter(a -> a.peer().isEmpty() && a.prefixRoute().orElse(true) && a.routeMetric().isEmpty())
                .map(AddressConfig::address).toList());
        for (PeerConfig p : c.peers()) {
            RouteTable table = p.routeTable().or(c::routeTable).orElse(RouteTable.OFF);
            if (!table.isTable()) {
                continue;
            }
            OptionalLong metric = p.routeMetric().isPresent() ? p.routeMetric() : c.routeMetric();
            for (IpPrefix a : p.allowedIps()) {
                IpPrefix m = a.masked();
                List<String> argv = new ArrayList<>(List.of("ip", Routing.family(m), "route", "add", m.toString(),
                        "dev", ifname, "table", table.toString()));
                metric.ifPresent(v -> argv.addAll(List.of("metric", Long.toString(v))));
                long kernelMetric = m.isIpv4() ? 0 : 256;
                long effective = metric.orElse(m.isIpv4() ? 0 : 1024);
                boolean kernelHasIt = Routing.isMain(table) && effective == kernelMetric && kernel.contains(m);
                if (!kernelHasIt && seen.add(argv)) {
                    steps.add(new Step.Run(SysCommand.of(argv)));
                }
            }
        }

        for (RouteConfig r : n.routes()) {
            List<String> spec = IpWords.route(r, ifname, false);
            String fam = Routing.family(r.isIpv4());
            SysCommand add = SysCommand.of(concat(List.of("ip", fam, "route", "add"), spec));
            if (r.effectiveType().usesDevice()) {
                steps.add(new Step.Run(add)); // through the link: gone with it
            } else {
                steps.add(new Step.Run(add, Undo.of(Undo.Kind.ROUTE, concat(List.of("ip", fam, "route", "delete"), spec))));
            }
        }

        for (RuleConfig r : n.rules()) {
            RuleConfig.Family family = r.effectiveFamily();
            for (boolean v4 : new boolean[] {true, false}) {
                if (v4 ? family.includesIPv4() : family.includesIPv6()) {
                    List<String> spec = IpWords.rule(r, u -> uids(u, f));
                    String fam = Routing.family(v4);
                    steps.add(new Step.Run(SysCommand.of(concat(List.of("ip", fam, "rule", "add"), spec)),
                            Undo.of(Undo.Kind.RULE, concat(List.of("ip", fam, "rule", "delete"), spec))));
                }
            }
        }
        return new Plan(ifname, steps);
    }

    /**
     * The link's kernel settings written before it has addresses and goes up, so that none of them is
     * late (docs/networkd.md §2): the IPv6 link-local address mode, as the kernel makes the address when
     * the link goes up; {@code accept_ra}, before the kernel would solicit a router; {@code use_tempaddr},
     * which temporary addresses of {@code ManageTemporaryAddress=} follow when they are added.
     *
     * <ul>
     *   <li>No IPv6 link-local address ({@code addr_gen_mode} none) unless {@code LinkLocalAddressing=}
     *       asks for one, also when no {@code .network} matches: networkd configures none on a WireGuard
     *       link and the kernel's WireGuard makes none, where the kernel would give the TUN a random one.
     *       Asked for: {@code IPv6StableSecretAddress=} ({@code stable_secret}, which makes the mode
     *       stable-privacy) and {@code IPv6LinkLocalAddressGenerationMode=}, stable-privacy without a
     *       secret becoming random; neither set, the kernel's choice for a TUN (random).
     *   <li>With a {@code .network}: {@code accept_ra} 0, as networkd always leaves the kernel's handling
     *       of router advertisements off; {@code IPv6AcceptRA=yes} with a link-local address: 2, the
     *       kernel accepting them (networkd would run its own client).
     *   <li>What the file sets: {@code use_tempaddr}, {@code hop_limit}, {@code rp_filter},
     *       {@code accept_local}, {@code route_localnet}, {@code force_igmp_version}.
     * </ul>
     */
    static List<Step> sysctlsBeforeUp(String ifname, Optional<NetworkConfig> network) {
        NetworkConfig.LinkSysctls s = network.map(NetworkConfig::sysctls).orElse(NetworkConfig.LinkSysctls.NONE);
        List<Step> steps = new ArrayList<>();
        if (!s.ipv6LinkLocal()) {
            steps.add(sysctl(true, ifname, "addr_gen_mode", NetworkConfig.LinkSysctls.AddressGeneration.NONE.sysctl()));
        } else {
            s.ipv6StableSecret().ifPresent(a -> steps.add(sysctl(true, ifname, "stable_secret", a.toString())));
            s.ipv6LinkLocalMode().ifPresent(m -> steps.add(sysctl(true, ifname, "addr_gen_mode",
                    m == NetworkConfig.LinkSysctls.AddressGeneration.STABLE_PRIVACY && s.ipv6StableSecret().isEmpty()
                            ? NetworkConfig.LinkSysctls.AddressGeneration.RANDOM.sysctl() : m.sysctl())));
        }
        if (network.isPresent()) {
            steps.add(sysctl(true, ifname, "accept_ra", s.ipv6LinkLocal() && s.ipv6AcceptRa().orElse(false) ? 2 : 0));
        }
        s.ipv6PrivacyExtensions().ifPresent(p -> p.sysctl().ifPresent(v -> steps.add(sysctl(true, ifname, "use_tempaddr", v))));
        s.ipv6HopLimit().ifPresent(h -> steps.add(sysctl(true, ifname, "hop_limit", h)));
        s.ipv4ReversePathFilter().ifPresent(r -> steps.add(sysctl(false, ifname, "rp_filter", r.sysctl())));
        s.ipv4AcceptLocal().ifPresent(b -> steps.add(sysctl(false, ifname, "accept_local", b ? 1 : 0)));
        s.ipv4RouteLocalnet().ifPresent(b -> steps.add(sysctl(false, ifname, "route_localnet", b ? 1 : 0)));
        s.igmpVersion().ifPresent(v -> steps.add(sysctl(false, ifname, "force_igmp_version", v)));
        return steps;
    }

    /**
     * {@code IPv6MTUBytes=} once the link has its MTU: at most that MTU, as networkd lowers it; none on a
     * link whose MTU is below 1280, which has no IPv6.
     */
    private static Step ipv6Mtu(String ifname, int wanted, int linkMtu) {
        if (linkMtu < NetworkConfig.LinkSysctls.MIN_IPV6_MTU) {
            return new Step.Note("IPv6MTUBytes=" + wanted + " not applied: the link's MTU " + linkMtu
                    + " is below 1280, so it has no IPv6");
        }
        return sysctl(true, ifname, "mtu", Math.min(wanted, linkMtu));
    }

    private static Step sysctl(boolean ipv6, String ifname, String key, long value) {
        return sysctl(ipv6, ifname, key, Long.toString(value));
    }

    /**
     * {@code sysctl -q -w net.ipv4.conf.IF.KEY=VALUE}; for IPv6 with {@code -e}, which skips a key the
     * link does not have: a kernel without IPv6, or a link whose MTU is below 1280, has no
     * {@code net.ipv6.conf.IF}, and networkd skips IPv6 settings then too. With {@code /} as separator
     * when the name has a dot, as sysctl(8) reads a name with {@code /} as a path.
     */
    static Step sysctl(boolean ipv6, String ifname, String key, String value) {
        String family = ipv6 ? "ipv6" : "ipv4";
        String sep = ifname.contains(".") ? "/" : ".";
        String name = String.join(sep, "net", family, "conf", ifname, key);
        List<String> argv = new ArrayList<>(List.of("sysctl", "-q"));
        if (ipv6) {
            argv.add("-e");
        }
        argv.addAll(List.of("-w", name + "=" + value));
        return new Step.Run(SysCommand.of(argv));
    }

    /** A {@code User=} value as {@code A-B}: numeric as written, a name by the UID looked up beforehand. */
    private static String uids(String user, Facts f) {
        if (RuleConfig.uidRange(user).isPresent()) {
            return IpWords.numericUids(user);
        }
        Long uid = f.uids().get(user);
        if (uid == null) {
            throw new IllegalStateException("user " + user + " was not looked up beforehand");
        }
        return uid + "-" + uid;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
