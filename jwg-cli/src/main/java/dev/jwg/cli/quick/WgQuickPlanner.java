package dev.jwg.cli.quick;

import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.DnsServer;
import dev.jwg.config.model.InterfaceAddress;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.wgquick.WgQuickWriter;
import dev.jwg.core.routing.IpAddress;
import dev.jwg.core.routing.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@code jwg up} does for a wg-quick configuration: the commands of Linux wg-quick's
 * {@code cmd_up}, in its order (docs/protocol.md §5.4–5.6), with jwgd instead of a kernel interface:
 *
 * <ol>
 *   <li>PreUp hooks, before the interface exists (as wg-quick runs them before {@code add_if});
 *       start the daemon ({@code add_if});
 *   <li>the configuration over UAPI with {@code wg addconf} semantics ({@code set_config});
 *   <li>each Address; MTU (explicit or automatic) and link up; DNS through resolvconf;
 *   <li>a route for every allowed IP, longest first: none with {@code Table = off}; into the table
 *       with {@code Table = N}; wg-quick's full tunnel for a /0 with {@code Table = auto}; otherwise into
 *       the main table unless a route through the link already covers it;
 *   <li>PostUp hooks.
 * </ol>
 *
 * <p>A pure function of the configuration and {@link Facts}. Stateless and thread-safe.
 */
public final class WgQuickPlanner {
    /** wg-quick subtracts this from the path MTU: IPv6 (40) + UDP (8) + WireGuard (32) overhead. */
    static final int OVERHEAD = 80;
    /** wg-quick's MTU when no route tells one. */
    static final int FALLBACK_MTU = 1500;

    private WgQuickPlanner() {}

    /**
     * The plan for bringing {@code c} up.
     *
     * @param source the configuration as the user named it, shown in the {@code wg addconf} line
     * @throws ConfigException if an endpoint name is missing from {@link Facts#resolved()}
     */
    public static Plan plan(TunnelConfig c, String source, Facts f) throws ConfigException, QuickException {
        return plan(c, source, f, false);
    }

    /**
     * The plan for bringing {@code c} up.
     *
     * @param noDns {@code --no-dns}: leave DNS alone, with a note
     * @throws QuickException if DNS is set and there is nothing to apply it with ({@link DnsSteps})
     */
    public static Plan plan(TunnelConfig c, String source, Facts f, boolean noDns) throws ConfigException, QuickException {
        return new Run(c, f, noDns).plan(source);
    }

    /** The automatic MTU: smallest route MTU toward the endpoints, else the default route's, else 1500; minus 80. */
    static int autoMtu(TunnelConfig c, Facts f) {
        OptionalInt smallest = OptionalInt.empty();
        for (PeerConfig p : c.peers()) {
            if (p.endpoint().isEmpty()) {
                continue;
            }
            Optional<IpAddress> a = Routing.endpointAddress(p.endpoint().get(), f.resolved());
            Integer mtu = a.map(f.routeMtu()::get).orElse(null);
            if (mtu != null && mtu > 0 && (smallest.isEmpty() || mtu < smallest.getAsInt())) {
                smallest = OptionalInt.of(mtu);
            }
        }
        int base = smallest.isPresent() ? smallest.getAsInt() : f.defaultRouteMtu().orElse(FALLBACK_MTU);
        return (base > 0 ? base : FALLBACK_MTU) - OVERHEAD;
    }

    /** The {@code [#]} text for sending the configuration: what a shell user would type for the same effect. */
    static String addconfLine(String ifname, String source) {
        return "wg addconf " + ifname + " <(jwg strip " + source + ")";
    }

    /** wg-quick's {@code add_if} counterpart: start the daemon; deleting the link undoes it. */
    static Step startDaemon(String ifname, Facts f) {
        List<String> argv = new ArrayList<>(f.daemon());
        argv.add(ifname);
        return new Step.Run(SysCommand.of(argv), Undo.of(Undo.Kind.LINK, "ip", "link", "delete", "dev", ifname));
    }

    /** The UAPI set step with {@code wg addconf} semantics, endpoints resolved from the facts. */
    static Step addconf(TunnelConfig c, String source, Facts f) throws ConfigException {
        String text = WgQuickWriter.toUapiAddConf(c, f.resolver());
        String body = text.substring("set=1\n".length(), text.length() - 1);
        return new Step.UapiSet(addconfLine(c.name(), source), body);
    }

    static Step addAddress(InterfaceAddress a, String ifname) {
        return new Step.Run(SysCommand.of("ip", Routing.family(a.isIpv4()), "address", "add", a.toString(), "dev", ifname));
    }

    static List<Step> hooks(List<String> hooks, String ifname) {
        return hooks.stream().<Step>map(h -> new Step.Hook(h.replace("%i", ifname))).toList();
    }

    /** One plan under construction. */
    private static final class Run {
        private final TunnelConfig c;
        private final InterfaceConfig i;
        private final String ifname;
        private final Facts f;
        private final boolean noDns;
        private final List<Step> steps = new ArrayList<>();
        /** The full-tunnel table/fwmark once known: the configured FwMark, or the one set by the plan. */
        private long mark;

        Run(TunnelConfig c, Facts f, boolean noDns) {
            this.noDns = noDns;
            this.c = c;
            this.i = c.iface();
            this.ifname = c.name();
            this.f = f;
            this.mark = i.fwMark().orElse(0);
        }

        Plan plan(String source) throws ConfigException, QuickException {
            steps.addAll(hooks(i.preUp(), ifname));
            steps.add(startDaemon(ifname, f));
            steps.add(addconf(c, source, f));
            for (InterfaceAddress a : i.addresses()) {
                steps.add(addAddress(a, ifname));
            }
            int mtu = i.mtu().orElseGet(() -> autoMtu(c, f));
            run("ip", "link", "set", "mtu", Integer.toString(mtu), "up", "dev", ifname);
            dns();
            routes();
            steps.addAll(hooks(i.postUp(), ifname));
            return new Plan(ifname, steps);
        }

        /** wg-quick's {@code set_dns}: only when there are servers; exclusive, as its {@code resolvconf -x}. */
        private void dns() throws QuickException {
            if (i.dnsServers().isEmpty()) {
                return; // wg-quick's set_dns: search domains alone are not applied
            }
            steps.addAll(DnsSteps.steps(ifname, i.dnsServers().stream().map(DnsServer::of).toList(), i.dnsSearch(),
                    true, f, noDns));
        }

        private void routes() {
            RouteTable table = i.table().orElse(RouteTable.AUTO);
            if (table instanceof RouteTable.Off) {
                return;
            }
            List<IpPrefix> present = new ArrayList<>(Routing.kernelRoutes(i.addresses()));
            for (IpPrefix p : Routing.wgQuickRouteOrder(c.peers())) {
                String fam = Routing.family(p);
                if (table.isTable()) {
                    run("ip", fam, "route", "add", p.toString(), "dev", ifname, "table", table.toString());
                } else if (p.bits() == 0) {
                    fullTunnel(p);
                } else if (present.stream().noneMatch(r -> Routing.covers(r, p))) {
                    run("ip", fam, "route", "add", p.toString(), "dev", ifname);
                    present.add(p);
                }
            }
        }

        /** wg-quick's {@code add_default} for one family (docs/protocol.md §5.5). */
        private void fullTunnel(IpPrefix p) {
            boolean v4 = p.isIpv4();
            String fam = Routing.family(v4);
            if (mark == 0) {
                mark = f.freeTable();
                steps.add(new Step.UapiSet("wg set " + ifname + " fwmark " + mark, "fwmark=" + mark + "\n"));
            }
            String t = Long.toString(mark);
            run("ip", fam, "route", "add", p.toString(), "dev", ifname, "table", t);
            rule(fam, "not", "fwmark", t, "table", t);
            rule(fam, "table", "main", "suppress_prefixlength", "0");
            if (v4) {
                run("sysctl", "-q", "net.ipv4.conf.all.src_valid_mark=1");
            }
            String pf = v4 ? "ip" : "ip6";
            if (f.nft()) {
                steps.add(new Step.Run(SysCommand.of("nft", "-f", "/dev/stdin").withStdin(nftScript(v4)),
                        Undo.of(Undo.Kind.FIREWALL, "nft", "delete", "table", pf, nftTable())));
            } else {
                steps.add(new Step.Note("nft is not installed: wg-quick's full-tunnel firewall rules for " + pf
                        + " (anti-spoofing, conntrack mark restore) are not added"));
            }
        }

        private String nftTable() {
            return "wg-quick-" + ifname;
        }

        /** wg-quick's nftables script for one family, to the byte. */
        private String nftScript(boolean v4) {
            String pf = v4 ? "ip" : "ip6";
            String t = nftTable();
            StringBuilder sb = new StringBuilder();
            sb.append("add table ").append(pf).append(' ').append(t).append('\n');
            sb.append("add chain ").append(pf).append(' ').append(t)
                    .append(" preraw { type filter hook prerouting priority -300; }\n");
            sb.append("add chain ").append(pf).append(' ').append(t)
                    .append(" premangle { type filter hook prerouting priority -150; }\n");
            sb.append("add chain ").append(pf).append(' ').append(t)
                    .append(" postmangle { type filter hook postrouting priority -150; }\n");
            for (InterfaceAddress a : i.addresses()) {
                if (a.isIpv4() == v4) {
                    sb.append("add rule ").append(pf).append(' ').append(t).append(" preraw iifname != \"").append(ifname)
                            .append("\" ").append(pf).append(" daddr ").append(a.address())
                            .append(" fib saddr type != local drop\n");
                }
            }
            sb.append("add rule ").append(pf).append(' ').append(t).append(" postmangle meta l4proto udp mark ")
                    .append(mark).append(" ct mark set mark \n");
            sb.append("add rule ").append(pf).append(' ').append(t)
                    .append(" premangle meta l4proto udp meta mark set ct mark \n");
            return sb.toString();
        }

        private void rule(String fam, String... spec) {
            List<String> add = new ArrayList<>(List.of("ip", fam, "rule", "add"));
            List<String> del = new ArrayList<>(List.of("ip", fam, "rule", "delete"));
            add.addAll(List.of(spec));
            del.addAll(List.of(spec));
            steps.add(new Step.Run(SysCommand.of(add), Undo.of(Undo.Kind.RULE, del)));
        }

        private void run(String... argv) {
            steps.add(new Step.Run(SysCommand.of(argv)));
        }
    }
}
