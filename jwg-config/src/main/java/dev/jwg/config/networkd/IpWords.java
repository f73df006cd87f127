package dev.jwg.config.networkd;

import dev.jwg.config.model.AddressConfig;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.RouteConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.RuleConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * The ip(8) arguments that express the {@code .network} settings jwg applies: what {@code jwg up} runs
 * for a networkd tunnel and what {@code jwg convert} writes as PostUp lines, from one place. Each
 * method returns the words after {@code ip -4|-6 address add}, {@code ip -4|-6 route add},
 * {@code ip -4|-6 rule add} or {@code ip link set}. Stateless and thread-safe.
 */
public final class IpWords {
    private IpWords() {}

    /**
     * {@code ADDRESS [peer P] [broadcast B] [label L] [scope S] [metric M] [noprefixroute] [home]
     * [mngtmpaddr] [autojoin] [nodad] [preferred_lft 0] dev DEV}.
     */
    public static List<String> address(AddressConfig a, String dev) {
        List<String> w = new ArrayList<>(List.of(a.address().toString()));
        a.peer().ifPresent(p -> w.addAll(List.of("peer", p.toString())));
        a.broadcast().ifPresent(b -> w.addAll(List.of("broadcast", b.toString())));
        a.label().ifPresent(l -> w.addAll(List.of("label", l)));
        a.scope().ifPresent(s -> w.addAll(List.of("scope", s)));
        a.routeMetric().ifPresent(m -> w.addAll(List.of("metric", Long.toString(m))));
        if (!a.prefixRoute().orElse(true)) {
            w.add("noprefixroute");
        }
        if (a.homeAddress().orElse(false)) {
            w.add("home");
        }
        if (a.manageTemporaryAddress().orElse(false)) {
            w.add("mngtmpaddr");
        }
        if (a.autoJoin().orElse(false)) {
            w.add("autojoin");
        }
        String dad = a.duplicateAddressDetection().orElse("ipv6");
        if (!a.isIpv4() && (dad.equals("none") || dad.equals("ipv4"))) {
            w.add("nodad");
        }
        if (a.deprecated()) {
            w.addAll(List.of("preferred_lft", "0"));
        }
        w.addAll(List.of("dev", dev));
        return w;
    }

    /**
     * {@code [TYPE] DEST [from SRC] [via GW] [dev DEV] [onlink] [src PREF] [scope S] [proto P]
     * [metric M] [mtu N] [advmss N] [rto_min Tms] [hoplimit N] [initcwnd N] [initrwnd N] [quickack B]
     * [congctl NAME] [pref P] [fastopen_no_cookie B] [table T]}. A missing destination is the whole address space of the route's
     * family, as networkd installs it, written {@code 0.0.0.0/0} / {@code ::/0}, or {@code default}
     * with {@code defaultWord}.
     */
    public static List<String> route(RouteConfig r, String dev, boolean defaultWord) {
        List<String> w = new ArrayList<>();
        RouteConfig.Type type = r.effectiveType();
        if (type != RouteConfig.Type.UNICAST) {
            w.add(type.keyword());
        }
        w.add(r.destination().map(d -> d.masked().toString())
                .orElse(defaultWord ? "default" : r.isIpv4() ? "0.0.0.0/0" : "::/0"));
        r.source().ifPresent(s -> w.addAll(List.of("from", s.masked().toString())));
        r.gateway().ifPresent(g -> w.addAll(List.of("via", g.toString())));
        if (type.usesDevice()) {
            w.addAll(List.of("dev", dev));
        }
        if (r.gatewayOnLink().orElse(false)) {
            w.add("onlink");
        }
        r.preferredSource().ifPresent(s -> w.addAll(List.of("src", s.toString())));
        r.scope().ifPresent(s -> w.addAll(List.of("scope", s)));
        r.protocol().ifPresent(p -> w.addAll(List.of("proto", p)));
        r.metric().ifPresent(m -> w.addAll(List.of("metric", Long.toString(m))));
        r.mtu().ifPresent(m -> w.addAll(List.of("mtu", Integer.toString(m))));
        RouteConfig.Options o = r.options();
        o.advertisedMss().ifPresent(m -> w.addAll(List.of("advmss", Integer.toString(m))));
        o.rtoMinMillis().ifPresent(m -> w.addAll(List.of("rto_min", m + "ms")));
        o.hopLimit().ifPresent(h -> w.addAll(List.of("hoplimit", Integer.toString(h))));
        o.initialCongestionWindow().ifPresent(n -> w.addAll(List.of("initcwnd", Integer.toString(n))));
        o.initialAdvertisedReceiveWindow().ifPresent(n -> w.addAll(List.of("initrwnd", Integer.toString(n))));
        o.quickAck().ifPresent(b -> w.addAll(List.of("quickack", b ? "1" : "0")));
        o.congestionControl().ifPresent(c -> w.addAll(List.of("congctl", c)));
        o.ipv6Preference().ifPresent(p -> w.addAll(List.of("pref", p)));
        o.fastOpenNoCookie().ifPresent(b -> w.addAll(List.of("fastopen_no_cookie", b ? "1" : "0")));
        r.table().ifPresent(t -> w.addAll(List.of("table", t.toString())));
        return w;
    }

    /**
     * {@code [not] [from P] [to P] [tos T] [fwmark V[/M]] [iif X] [oif X] [priority N] [ipproto P]
     * [sport R] [dport R] [uidrange A-B] [l3mdev] (goto N | nop | TYPE | lookup T)
     * [suppress_prefixlength N] [suppress_ifgroup G]}.
     *
     * @param uids turns a {@code User=} value into {@code A-B}
     */
    public static List<String> rule(RuleConfig r, UnaryOperator<String> uids) {
        List<String> w = new ArrayList<>();
        if (r.invert().orElse(false)) {
            w.add("not");
        }
        r.from().ifPresent(p -> w.addAll(List.of("from", p.masked().toString())));
        r.to().ifPresent(p -> w.addAll(List.of("to", p.masked().toString())));
        r.typeOfService().ifPresent(t -> w.addAll(List.of("tos", String.format("0x%02x", t)))); // ip reads tos as hex
        r.firewallMark().ifPresent(m -> w.addAll(List.of("fwmark", m.toString())));
        r.incomingInterface().ifPresent(s -> w.addAll(List.of("iif", s)));
        r.outgoingInterface().ifPresent(s -> w.addAll(List.of("oif", s)));
        r.priority().ifPresent(p -> w.addAll(List.of("priority", Long.toString(p))));
        r.ipProtocol().ifPresent(p -> w.addAll(List.of("ipproto", Integer.toString(p))));
        r.sourcePort().ifPresent(p -> w.addAll(List.of("sport", p.toString())));
        r.destinationPort().ifPresent(p -> w.addAll(List.of("dport", p.toString())));
        r.user().ifPresent(u -> w.addAll(List.of("uidrange", uids.apply(u))));
        boolean l3mdev = r.l3MasterDevice().orElse(false);
        if (l3mdev) {
            w.add("l3mdev");
        }
        if (r.goTo().isPresent()) {
            w.addAll(List.of("goto", Long.toString(r.goTo().getAsLong())));
        } else if (r.type().isPresent()) {
            w.add(r.type().get().keyword());
        } else if (!l3mdev || r.table().isPresent()) {
            w.addAll(List.of("lookup", r.table().orElse(RouteTable.MAIN).toString()));
        }
        r.suppressPrefixLength().ifPresent(s -> w.addAll(List.of("suppress_prefixlength", Integer.toString(s))));
        r.suppressInterfaceGroup().ifPresent(g -> w.addAll(List.of("suppress_ifgroup", Long.toString(g))));
        return w;
    }

    /** A numeric {@code User=} value as {@code A-B}; a user name unchanged (the caller resolves it). */
    public static String numericUids(String user) {
        return RuleConfig.uidRange(user).map(r -> r[0] + "-" + r[1]).orElse(user);
    }

    /**
     * {@code [mtu M] [arp on|off] [multicast on|off] [allmulticast on|off] [promisc on|off] [group G]}:
     * the {@code [Link]} settings, for one {@code ip link set} with the MTU.
     */
    public static List<String> link(NetworkConfig.LinkSettings l, OptionalInt mtu) {
        List<String> w = new ArrayList<>();
        mtu.ifPresent(m -> w.addAll(List.of("mtu", Integer.toString(m))));
        l.arp().ifPresent(b -> w.addAll(List.of("arp", onOff(b))));
        l.multicast().ifPresent(b -> w.addAll(List.of("multicast", onOff(b))));
        l.allMulticast().ifPresent(b -> w.addAll(List.of("allmulticast", onOff(b))));
        l.promiscuous().ifPresent(b -> w.addAll(List.of("promisc", onOff(b))));
        l.group().ifPresent(g -> w.addAll(List.of("group", Long.toString(g))));
        return w;
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }
}
