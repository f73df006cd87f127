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
import dev.jwg.config.uapi.Prefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What {@code jwg up X.netdev} does: what systemd-networkd would do for the {@code .netdev} and its
 * {@code .network} (docs/networkd.md), as ip(8) commands ({@link IpWords}), in wg-quick's manner:
 *
 * <ol>
 *   <li>start the daemon; the {@code [WireGuard]}/{@code [WireGuardPeer]} settings over UAPI
 *       (private key, port, FirewallMark, peers with preshared keys, endpoints, keepalive, allowed IPs);
 *   <li>the {@code .network}'s addresses with their {@code [Address]} options; {@code MTUBytes=} and
 *       the other {@code [Link]} settings, and link up; per-interface forwarding;
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
 * with the link.
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
        List<AddressConfig> addresses = new ArrayList<>();
        c.iface().addresses().forEach(a -> addresses.add(AddressConfig.of(a)));
        addresses.addAll(n.addresses());
        for (AddressConfig a : addresses) {
            steps.add(new Step.Run(SysCommand.of(concat(List.of("ip", Routing.family(a.isIPv4()), "address", "add"),
                    IpWords.address(a, ifname)))));
        }
        List<String> up = new ArrayList<>(List.of("ip", "link", "set"));
        up.addAll(IpWords.link(n.link(), c.effectiveMtu()));
        up.addAll(List.of("up", "dev", ifname));
        steps.add(new Step.Run(SysCommand.of(up)));
        n.ipv4Forwarding().ifPresent(b -> steps.add(new Step.Run(
                SysCommand.of("sysctl", "-q", "-w", "net.ipv4.conf." + ifname + ".forwarding=" + (b ? 1 : 0)))));
        n.ipv6Forwarding().ifPresent(b -> steps.add(new Step.Run(
                SysCommand.of("sysctl", "-q", "-w", "net.ipv6.conf." + ifname + ".forwarding=" + (b ? 1 : 0)))));
        steps.addAll(DnsSteps.steps(ifname, n.dns(), n.domains(), false, f, noDns));

        // RouteTable=: routes for the peers' allowed IPs. A route equal to one the kernel adds for an
        // address (main table, the kernel's metric) already exists and is skipped, as wg-quick skips it.
        Set<List<String>> seen = new HashSet<>();
        List<Prefix> kernel = Routing.kernelRoutes(addresses.stream()
                .filter(a -> a.peer().isEmpty() && a.prefixRoute().orElse(true) && a.routeMetric().isEmpty())
                .map(AddressConfig::address).toList());
        for (PeerConfig p : c.peers()) {
            RouteTable table = p.routeTable().or(c::routeTable).orElse(RouteTable.OFF);
            if (!table.isTable()) {
                continue;
            }
            OptionalLong metric = p.routeMetric().isPresent() ? p.routeMetric() : c.routeMetric();
            for (Prefix a : p.allowedIps()) {
                Prefix m = a.masked();
                List<String> argv = new ArrayList<>(List.of("ip", Routing.family(m), "route", "add", m.toString(),
                        "dev", ifname, "table", table.toString()));
                metric.ifPresent(v -> argv.addAll(List.of("metric", Long.toString(v))));
                long kernelMetric = m.isIPv4() ? 0 : 256;
                long effective = metric.orElse(m.isIPv4() ? 0 : 1024);
                boolean kernelHasIt = Routing.isMain(table) && effective == kernelMetric && kernel.contains(m);
                if (!kernelHasIt && seen.add(argv)) {
                    steps.add(new Step.Run(SysCommand.of(argv)));
                }
            }
        }

        for (RouteConfig r : n.routes()) {
            List<String> spec = IpWords.route(r, ifname, false);
            String fam = Routing.family(r.isIPv4());
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
