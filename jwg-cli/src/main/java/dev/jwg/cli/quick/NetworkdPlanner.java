package dev.jwg.cli.quick;

import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.InterfaceAddress;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.RuleConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.uapi.Prefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What {@code jwg up X.netdev} does: what systemd-networkd would do for the {@code .netdev} and its
 * {@code .network} (wireguard-facts §6), as ip(8) commands, in wg-quick's manner:
 *
 * <ol>
 *   <li>start the daemon; the {@code [WireGuard]}/{@code [WireGuardPeer]} settings over UAPI
 *       (private key, port, FirewallMark, peers with preshared keys, endpoints, keepalive, allowed IPs);
 *   <li>the {@code .network}'s addresses; {@code MTUBytes=} and link up;
 *   <li>{@code RouteTable=}: a route for every allowed IP of the peers concerned into that table, with
 *       {@code RouteMetric=} (per peer, else the netdev's);
 *   <li>each {@code [Route]}: Destination (absent: the default route of the gateway's family, IPv4 without
 *       one), Gateway ({@code onlink} with {@code GatewayOnLink=}), Type, Metric, Table;
 *   <li>each {@code [RoutingPolicyRule]}, once per family it applies to.
 * </ol>
 * Rules, and routes that are not through the link (blackhole, unreachable, prohibit, throw), are
 * recorded to be removed by {@code jwg down}; everything else goes with the link. DNS settings are not
 * applied (networkd hands them to systemd-resolved); the plan says so.
 *
 * <p>A pure function of the configuration and {@link Facts}. Stateless and thread-safe.
 */
public final class NetworkdPlanner {
    private NetworkdPlanner() {}

    /**
     * The plan for bringing {@code c} up.
     *
     * @param source the {@code .netdev} as the user named it, shown in the {@code wg addconf} line
     * @throws ConfigException if an endpoint name is missing from {@link Facts#resolved()}
     */
    public static Plan plan(TunnelConfig c, String source, Facts f) throws ConfigException {
        String ifname = c.name();
        NetworkConfig n = c.network().orElse(NetworkConfig.builder().build());
        List<Step> steps = new ArrayList<>();
        steps.add(WgQuickPlanner.startDaemon(ifname, f));
        steps.add(WgQuickPlanner.addconf(c, source, f));
        List<InterfaceAddress> addresses = c.effectiveAddresses();
        for (InterfaceAddress a : addresses) {
            steps.add(WgQuickPlanner.addAddress(a, ifname));
        }
        List<String> up = new ArrayList<>(List.of("ip", "link", "set"));
        c.effectiveMtu().ifPresent(m -> up.addAll(List.of("mtu", Integer.toString(m))));
        up.addAll(List.of("up", "dev", ifname));
        steps.add(new Step.Run(SysCommand.of(up)));
        if (!n.dns().isEmpty() || !n.domains().isEmpty()) {
            steps.add(new Step.Note("DNS=/Domains= not applied: systemd-networkd hands them to systemd-resolved, "
                    + "which jwg does not configure"));
        }

        // RouteTable=: routes for the peers' allowed IPs. A route equal to one the kernel adds for an
        // address (main table, the kernel's metric) already exists and is skipped, as wg-quick skips it.
        Set<List<String>> seen = new HashSet<>();
        List<Prefix> kernel = Routing.kernelRoutes(addresses);
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
            List<String> spec = routeSpec(r, ifname);
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
                    List<String> spec = ruleSpec(r);
                    String fam = Routing.family(v4);
                    steps.add(new Step.Run(SysCommand.of(concat(List.of("ip", fam, "rule", "add"), spec)),
                            Undo.of(Undo.Kind.RULE, concat(List.of("ip", fam, "rule", "delete"), spec))));
                }
            }
        }
        return new Plan(ifname, steps);
    }

    /**
     * ip(8) words for a {@code [Route]}: {@code [TYPE] DEST [via GW] [dev IF] [onlink] [metric M] [table T]}.
     * A missing Destination is the whole address space of the route's family, as networkd installs it.
     */
    static List<String> routeSpec(RouteConfig r, String ifname) {
        List<String> w = new ArrayList<>();
        RouteConfig.Type type = r.effectiveType();
        if (type != RouteConfig.Type.UNICAST) {
            w.add(type.keyword());
        }
        w.add(r.destination().map(d -> d.masked().toString()).orElse(r.isIPv4() ? "0.0.0.0/0" : "::/0"));
        r.gateway().ifPresent(g -> w.addAll(List.of("via", g.toString())));
        if (type.usesDevice()) {
            w.addAll(List.of("dev", ifname));
        }
        if (r.gatewayOnLink().orElse(false)) {
            w.add("onlink");
        }
        r.metric().ifPresent(m -> w.addAll(List.of("metric", Long.toString(m))));
        r.table().ifPresent(t -> w.addAll(List.of("table", t.toString())));
        return w;
    }

    /**
     * ip(8) words for a {@code [RoutingPolicyRule]}: {@code [not] [from P] [to P] [fwmark V[/M]] [iif X]
     * [oif X] [priority N] (TYPE | lookup T [suppress_prefixlength N])}, as {@code dev.jwg.config.Convert}
     * writes them.
     */
    static List<String> ruleSpec(RuleConfig r) {
        List<String> w = new ArrayList<>();
        if (r.invert().orElse(false)) {
            w.add("not");
        }
        r.from().ifPresent(p -> w.addAll(List.of("from", p.masked().toString())));
        r.to().ifPresent(p -> w.addAll(List.of("to", p.masked().toString())));
        r.firewallMark().ifPresent(m -> w.addAll(List.of("fwmark", m.toString())));
        r.incomingInterface().ifPresent(s -> w.addAll(List.of("iif", s)));
        r.outgoingInterface().ifPresent(s -> w.addAll(List.of("oif", s)));
        r.priority().ifPresent(p -> w.addAll(List.of("priority", Long.toString(p))));
        if (r.type().isPresent()) {
            w.add(r.type().get().keyword());
        } else {
            w.addAll(List.of("lookup", r.table().orElse(RouteTable.MAIN).toString()));
        }
        r.suppressPrefixLength().ifPresent(s -> w.addAll(List.of("suppress_prefixlength", Integer.toString(s))));
        return w;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
