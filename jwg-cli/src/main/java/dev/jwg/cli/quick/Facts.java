package dev.jwg.cli.quick;

import dev.jwg.config.wgquick.EndpointResolver;
import dev.jwg.core.routing.IpAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a plan depends on besides the configuration, read from the system before anything is changed
 * (by {@link SystemProbe}), so that planning itself is a pure function ({@link WgQuickPlanner},
 * {@link NetworkdPlanner}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param daemon the program (and leading arguments) that creates the interface, the name appended:
 *     {@code bin/jwgd}, as wg-quick runs {@code wireguard-go}
 * @param resolved endpoint host names and the address each resolved to
 * @param routeMtu for each endpoint address with a route, that route's MTU or its device's
 *     ({@code ip route get}), for the automatic MTU
 * @param defaultRouteMtu the default route's MTU or its device's, if there is a default route
 * @param freeTable the first table from 51820 up holding no IPv4 or IPv6 route (full tunnel)
 * @param nft whether {@code nft} is installed (wg-quick's full-tunnel firewall rules)
 * @param resolvconfPrefix present when {@code resolvconf} is installed: the prefix wg-quick puts before
 *     the interface name for its record ({@code tun.} with Debian's resolvconf, else empty)
 * @param resolvectl whether {@code resolvectl} is installed (systemd-resolved), used for DNS when
 *     resolvconf is not
 * @param uids the user names of {@code [RoutingPolicyRule] User=} settings and their UIDs
 */
public record Facts(
        List<String> daemon,
        Map<String, IpAddress> resolved,
        Map<IpAddress, Integer> routeMtu,
        OptionalInt defaultRouteMtu,
        long freeTable,
        boolean nft,
        Optional<String> resolvconfPrefix,
        boolean resolvectl,
        Map<String, Long> uids) {

    /** wg-quick's first full-tunnel table and fwmark. */
    public static final long FIRST_TABLE = 51820;

    public Facts {
        daemon = List.copyOf(daemon);
        if (daemon.isEmpty()) {
            throw new IllegalArgumentException("no daemon");
        }
        resolved = Map.copyOf(resolved);
        routeMtu = Map.copyOf(routeMtu);
        Objects.requireNonNull(defaultRouteMtu);
        Objects.requireNonNull(resolvconfPrefix);
        uids = Map.copyOf(uids);
    }

    /** Facts without resolvectl and user names. */
    public Facts(List<String> daemon, Map<String, IpAddress> resolved, Map<IpAddress, Integer> routeMtu,
            OptionalInt defaultRouteMtu, long freeTable, boolean nft, Optional<String> resolvconfPrefix) {
        this(daemon, resolved, routeMtu, defaultRouteMtu, freeTable, nft, resolvconfPrefix, false, Map.of());
    }

    /** These facts with resolvectl present or not. */
    public Facts withResolvectl(boolean present) {
        return new Facts(daemon, resolved, routeMtu, defaultRouteMtu, freeTable, nft, resolvconfPrefix, present, uids);
    }

    /** These facts with other user names. */
    public Facts withUids(Map<String, Long> names) {
        return new Facts(daemon, resolved, routeMtu, defaultRouteMtu, freeTable, nft, resolvconfPrefix, resolvectl, names);
    }

    /** Resolves from {@link #resolved()} only: planning never asks the network. */
    public EndpointResolver resolver() {
        return host -> {
            IpAddress a = resolved.get(host);
            if (a == null) {
                throw new UnknownHostException(host + " was not resolved beforehand");
            }
            return a;
        };
    }
}
