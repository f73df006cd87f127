package dev.jwg.cli.quick;

import dev.jwg.config.model.HostPort;
import dev.jwg.config.model.InterfaceAddress;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.core.routing.IpAddress;
import dev.jwg.core.routing.IpPrefix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small pure helpers shared by the planners: families, prefixes, the kernel's own routes. Stateless. */
final class Routing {
    /** The link-local network the kernel routes on every IPv6-enabled link, the TUN included. */
    static final IpPrefix LINK_LOCAL_V6 = IpPrefix.parseAsWritten("fe80::/64");

    private Routing() {}

    /** {@code -4} or {@code -6}, as wg-quick passes the family to ip(8). */
    static String family(boolean v4) {
        return v4 ? "-4" : "-6";
    }

    static String family(IpPrefix p) {
        return family(p.isIpv4());
    }

    /**
     * The distinct allowed IPs of all peers, host bits cleared (as {@code wg show allowed-ips} prints
     * them), in the order wg-quick adds their routes: {@code sort -nr -k 2 -t /}, i.e. longest prefix
     * first and, among equal lengths, GNU sort's reversed last-resort comparison of the whole text.
     */
    static List<IpPrefix> wgQuickRouteOrder(Collection<PeerConfig> peers) {
        LinkedHashSet<IpPrefix> all = new LinkedHashSet<>();
        for (PeerConfig p : peers) {
            for (IpPrefix a : p.allowedIps()) {
                all.add(a.masked());
            }
        }
        List<IpPrefix> out = new ArrayList<>(all);
        out.sort(Comparator.comparingInt(IpPrefix::bits).reversed()
                .thenComparing(Comparator.comparing(IpPrefix::toString).reversed()));
        return out;
    }

    /**
     * The routes the kernel adds to the main table through the link for its addresses once it is up:
     * each address's network unless it is a full-length address, and IPv6 link-local.
     */
    static List<IpPrefix> kernelRoutes(List<InterfaceAddress> addresses) {
        List<IpPrefix> out = new ArrayList<>();
        for (InterfaceAddress a : addresses) {
            if (a.prefixLength() < a.address().bitLength()) {
                out.add(a.network());
            }
        }
        out.add(LINK_LOCAL_V6);
        return out;
    }

    /** Whether {@code outer} contains {@code inner} (same family, not longer, same leading bits). */
    static boolean covers(IpPrefix outer, IpPrefix inner) {
        if (outer.isIpv4() != inner.isIpv4() || outer.bits() > inner.bits()) {
            return false;
        }
        return IpPrefix.ofAsWritten(inner.address(), outer.bits()).masked().equals(outer.masked());
    }

    /** Whether the table is the main table, by name or number (254). */
    static boolean isMain(RouteTable t) {
        return (t instanceof RouteTable.Named(String n) && n.equals("main"))
                || (t instanceof RouteTable.Id(long id) && id == 254);
    }

    /**
     * The address to send to for a peer's endpoint, as wg-quick reads it from {@code wg show endpoints}:
     * the literal, or what the name resolved to; empty for a scoped IPv6 address (wg-quick's pattern
     * skips those) or an unresolved name.
     */
    static Optional<IpAddress> endpointAddress(HostPort e, Map<String, IpAddress> resolved) {
        if (e.isLiteral()) {
            return e.zone().isPresent() ? Optional.empty() : e.literalAddress();
        }
        return Optional.ofNullable(resolved.get(e.host()));
    }
}
