package dev.jwg.config.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What a networkd {@code .network} file (with its drop-ins) says about a WireGuard link: the settings
 * jwg applies. Settings networkd knows that do nothing for a WireGuard link are not kept (the parser
 * notes them).
 *
 * <p>Immutable and thread-safe.
 *
 * @param matchNames {@code [Match] Name=} patterns, one per element, a leading {@code !} negating
 *     (see {@link NameGlob})
 * @param matchConditions the other {@code [Match]} settings jwg evaluates
 * @param addresses {@code [Network] Address=} and {@code [Address]} sections, in file order
 * @param dns {@code [Network] DNS=}
 * @param domains {@code [Network] Domains=}: search domains, {@code ~name} routing-only domains
 * @param mtu {@code [Link] MTUBytes=}
 * @param routes {@code [Route]} sections (and {@code [Network] Gateway=}) in order
 * @param rules {@code [RoutingPolicyRule]} sections in order
 * @param link the other {@code [Link]} settings
 * @param ipv4Forwarding {@code [Network] IPv4Forwarding=} (or the IPv4 part of {@code IPForward=})
 * @param ipv6Forwarding {@code [Network] IPv6Forwarding=} (or the IPv6 part of {@code IPForward=})
 */
public record NetworkConfig(
        List<String> matchNames,
        List<MatchCondition> matchConditions,
        List<AddressConfig> addresses,
        List<DnsServer> dns,
        List<String> domains,
        OptionalInt mtu,
        List<RouteConfig> routes,
        List<RuleConfig> rules,
        LinkSettings link,
        Optional<Boolean> ipv4Forwarding,
        Optional<Boolean> ipv6Forwarding) {

    /**
     * The {@code [Link]} settings besides {@code MTUBytes=} that ip(8) sets on any link.
     *
     * @param arp {@code ARP=}
     * @param multicast {@code Multicast=}
     * @param allMulticast {@code AllMulticast=}
     * @param promiscuous {@code Promiscuous=}
     * @param group {@code Group=}, 0..2147483647
     * @param unmanaged {@code Unmanaged=yes}: networkd leaves the link alone, and so does jwg
     */
    public record LinkSettings(Optional<Boolean> arp, Optional<Boolean> multicast, Optional<Boolean> allMulticast,
            Optional<Boolean> promiscuous, OptionalLong group, boolean unmanaged) {
        /** Nothing set. */
        public static final LinkSettings NONE = new LinkSettings(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalLong.empty(), false);

        public LinkSettings {
            Objects.requireNonNull(arp);
            Objects.requireNonNull(multicast);
            Objects.requireNonNull(allMulticast);
            Objects.requireNonNull(promiscuous);
            Checks.range(group, 0, Integer.MAX_VALUE, "group");
        }
    }

    public NetworkConfig {
        matchNames = Checks.copy(matchNames, "matchNames");
        for (String p : matchNames) {
            if (!NameGlob.isValidPattern(p)) {
                throw new IllegalArgumentException("not a valid Name= pattern");
            }
        }
        matchConditions = Checks.copy(matchConditions, "matchConditions");
        addresses = Checks.copy(addresses, "addresses");
        dns = Checks.copy(dns, "dns");
        domains = Checks.copy(domains, "domains");
        for (String d : domains) {
            if (!isDomain(d)) {
                throw new IllegalArgumentException("not a domain");
            }
        }
        Checks.range(mtu, InterfaceConfig.MIN_MTU, InterfaceConfig.MAX_MTU, "mtu");
        routes = Checks.copy(routes, "routes");
        rules = Checks.copy(rules, "rules");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(ipv4Forwarding, "ipv4Forwarding");
        Objects.requireNonNull(ipv6Forwarding, "ipv6Forwarding");
    }

    /** A search domain, or a routing-only domain {@code ~name}, or {@code ~.} (all queries). */
    public static boolean isDomain(String d) {
        if (d.equals("~.")) {
            return true;
        }
        return Endpoint.isDnsName(d.startsWith("~") ? d.substring(1) : d);
    }

    /**
     * Whether networkd would apply this file to the WireGuard interface {@code ifname}: its
     * {@code Name=} patterns select the name and every other {@code [Match]} setting is satisfied by a
     * WireGuard link. A file with no {@code Name=} and no other setting matches nothing (networkd
     * ignores such a file and asks for {@code Name=*}).
     */
    public boolean matches(String ifname) {
        if (matchNames.isEmpty() && matchConditions.isEmpty()) {
            return false;
        }
        return NameGlob.matchesAll(matchNames, ifname) && matchConditions.stream().allMatch(MatchCondition::matchesWireGuard);
    }

    /** The addresses without their options. */
    public List<InterfaceAddress> interfaceAddresses() {
        return addresses.stream().map(AddressConfig::address).toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.matchNames.addAll(matchNames);
        b.matchConditions.addAll(matchConditions);
        b.addresses.addAll(addresses);
        b.dns.addAll(dns);
        b.domains.addAll(domains);
        b.mtu = mtu;
        b.routes.addAll(routes);
        b.rules.addAll(rules);
        b.link = link;
        b.ipv4Forwarding = ipv4Forwarding;
        b.ipv6Forwarding = ipv6Forwarding;
        return b;
    }

    /** Builds a {@link NetworkConfig}. Not thread-safe. */
    public static final class Builder {
        private final List<String> matchNames = new ArrayList<>();
        private final List<MatchCondition> matchConditions = new ArrayList<>();
        private final List<AddressConfig> addresses = new ArrayList<>();
        private final List<DnsServer> dns = new ArrayList<>();
        private final List<String> domains = new ArrayList<>();
        private OptionalInt mtu = OptionalInt.empty();
        private final List<RouteConfig> routes = new ArrayList<>();
        private final List<RuleConfig> rules = new ArrayList<>();
        private LinkSettings link = LinkSettings.NONE;
        private Optional<Boolean> ipv4Forwarding = Optional.empty();
        private Optional<Boolean> ipv6Forwarding = Optional.empty();

        private Builder() {}

        public Builder addMatchName(String pattern) {
            matchNames.add(Objects.requireNonNull(pattern));
            return this;
        }

        public Builder clearMatchNames() {
            matchNames.clear();
            return this;
        }

        /** Adds patterns to the setting {@code key}, after those it has. */
        public Builder addMatchPatterns(String key, List<String> patterns) {
            List<String> all = new ArrayList<>();
            matchConditions.stream().filter(c -> c.key().equals(key)).findFirst().ifPresent(c -> all.addAll(c.patterns()));
            all.addAll(patterns);
            clearMatch(key);
            matchConditions.add(new MatchCondition(key, all));
            return this;
        }

        /** Removes the setting {@code key} (an empty assignment). */
        public Builder clearMatch(String key) {
            matchConditions.removeIf(c -> c.key().equals(key));
            return this;
        }

        public Builder addAddress(InterfaceAddress a) {
            return addAddress(AddressConfig.of(a));
        }

        public Builder addAddress(AddressConfig a) {
            addresses.add(Objects.requireNonNull(a));
            return this;
        }

        public Builder clearAddresses() {
            addresses.clear();
            return this;
        }

        public Builder addDns(DnsServer s) {
            dns.add(Objects.requireNonNull(s));
            return this;
        }

        public Builder addDns(IpAddress a) {
            return addDns(DnsServer.of(a));
        }

        public Builder clearDns() {
            dns.clear();
            return this;
        }

        public Builder addDomain(String d) {
            domains.add(Objects.requireNonNull(d));
            return this;
        }

        public Builder clearDomains() {
            domains.clear();
            return this;
        }

        public Builder mtu(OptionalInt m) {
            mtu = Objects.requireNonNull(m);
            return this;
        }

        public Builder mtu(int m) {
            return mtu(OptionalInt.of(m));
        }

        public Builder addRoute(RouteConfig r) {
            routes.add(Objects.requireNonNull(r));
            return this;
        }

        public Builder routes(List<RouteConfig> list) {
            routes.clear();
            list.forEach(this::addRoute);
            return this;
        }

        public Builder addRule(RuleConfig r) {
            rules.add(Objects.requireNonNull(r));
            return this;
        }

        public Builder rules(List<RuleConfig> list) {
            rules.clear();
            list.forEach(this::addRule);
            return this;
        }

        public Builder link(LinkSettings l) {
            link = Objects.requireNonNull(l);
            return this;
        }

        public Builder ipv4Forwarding(Boolean b) {
            ipv4Forwarding = Optional.ofNullable(b);
            return this;
        }

        public Builder ipv6Forwarding(Boolean b) {
            ipv6Forwarding = Optional.ofNullable(b);
            return this;
        }

        public NetworkConfig build() {
            return new NetworkConfig(matchNames, matchConditions, addresses, dns, domains, mtu, routes, rules, link,
                    ipv4Forwarding, ipv6Forwarding);
        }
    }
}
