package dev.jwg.config.model;

import dev.jwg.core.routing.IpAddress;
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
 * @param sysctls the other {@code [Network]} settings networkd writes into the link's own kernel settings
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
        Optional<Boolean> ipv6Forwarding,
        LinkSysctls sysctls) {

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

    /**
     * The {@code [Network]} settings networkd writes into the link's own kernel settings
     * ({@code net.ipv4.conf.IF.*} and {@code net.ipv6.conf.IF.*}, docs/networkd.md §2), each empty when
     * the file does not set it. What an absent setting means for the link is the planner's business:
     * this record keeps what the file says. Forwarding is {@link NetworkConfig#ipv4Forwarding()} and
     * {@link NetworkConfig#ipv6Forwarding()}.
     *
     * <p>Immutable and thread-safe.
     *
     * @param linkLocal {@code LinkLocalAddressing=}
     * @param ipv6LinkLocalMode {@code IPv6LinkLocalAddressGenerationMode=}
     * @param ipv6StableSecret {@code IPv6StableSecretAddress=}, an IPv6 address
     * @param ipv6AcceptRa {@code IPv6AcceptRA=} (legacy {@code IPv6AcceptRouterAdvertisements=})
     * @param ipv6PrivacyExtensions {@code IPv6PrivacyExtensions=}
     * @param ipv6HopLimit {@code IPv6HopLimit=}, 1..255
     * @param ipv6Mtu {@code IPv6MTUBytes=}, 1280 and more
     * @param ipv4ReversePathFilter {@code IPv4ReversePathFilter=}
     * @param ipv4AcceptLocal {@code IPv4AcceptLocal=}
     * @param ipv4RouteLocalnet {@code IPv4RouteLocalnet=}
     * @param igmpVersion {@code MulticastIGMPVersion=}: 0 for {@code no}, else the version 1..3
     */
    public record LinkSysctls(Optional<LinkLocal> linkLocal, Optional<AddressGeneration> ipv6LinkLocalMode,
            Optional<IpAddress> ipv6StableSecret, Optional<Boolean> ipv6AcceptRa,
            Optional<PrivacyExtensions> ipv6PrivacyExtensions, OptionalInt ipv6HopLimit, OptionalInt ipv6Mtu,
            Optional<ReversePathFilter> ipv4ReversePathFilter, Optional<Boolean> ipv4AcceptLocal,
            Optional<Boolean> ipv4RouteLocalnet, OptionalInt igmpVersion) {
        /** The smallest IPv6 MTU (RFC 8200). */
        public static final int MIN_IPV6_MTU = 1280;

        /** Nothing set. */
        public static final LinkSysctls NONE = new LinkSysctls(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.empty());

        public LinkSysctls {
            Objects.requireNonNull(linkLocal);
            Objects.requireNonNull(ipv6LinkLocalMode);
            Objects.requireNonNull(ipv6StableSecret);
            if (ipv6StableSecret.isPresent() && ipv6StableSecret.get().isIpv4()) {
                throw new IllegalArgumentException("the stable secret must be an IPv6 address");
            }
            Objects.requireNonNull(ipv6AcceptRa);
            Objects.requireNonNull(ipv6PrivacyExtensions);
            Checks.range(ipv6HopLimit, 1, 255, "ipv6HopLimit");
            Checks.range(ipv6Mtu, MIN_IPV6_MTU, InterfaceConfig.MAX_MTU, "ipv6Mtu");
            Objects.requireNonNull(ipv4ReversePathFilter);
            Objects.requireNonNull(ipv4AcceptLocal);
            Objects.requireNonNull(ipv4RouteLocalnet);
            Checks.range(igmpVersion, 0, 3, "igmpVersion");
        }

        /**
         * Whether the link gets an IPv6 link-local address: only when {@code LinkLocalAddressing=} asks
         * for one. Unset, networkd gives a WireGuard link none, and neither does the kernel's WireGuard
         * (docs/networkd.md §2).
         */
        public boolean ipv6LinkLocal() {
            return linkLocal.map(LinkLocal::ipv6).orElse(false);
        }

        /** {@code LinkLocalAddressing=}: which families get a link-local address. */
        public enum LinkLocal {
            NO("no", false, false),
            YES("yes", true, true),
            IPV4("ipv4", true, false),
            IPV6("ipv6", false, true),
            /** Legacy: IPv6, and IPv4 when DHCPv4 fails. */
            FALLBACK("fallback", true, true),
            /** Legacy: IPv4 when DHCPv4 fails, no IPv6. */
            IPV4_FALLBACK("ipv4-fallback", true, false);

            private final String keyword;
            private final boolean ipv4;
            private final boolean ipv6;

            LinkLocal(String keyword, boolean ipv4, boolean ipv6) {
                this.keyword = keyword;
                this.ipv4 = ipv4;
                this.ipv6 = ipv6;
            }

            /** As networkd writes it. */
            public String keyword() {
                return keyword;
            }

            /** Whether an IPv4 link-local address (169.254.0.0/16) is asked for. */
            public boolean ipv4() {
                return ipv4;
            }

            /** Whether an IPv6 link-local address (fe80::/64) is asked for. */
            public boolean ipv6() {
                return ipv6;
            }

            /** The value for {@code keyword}, or for a boolean ({@code yes}/{@code no} and their spellings). */
            public static Optional<LinkLocal> of(String keyword) {
                return java.util.Arrays.stream(values()).filter(l -> l.keyword.equals(keyword)).findFirst();
            }
        }

        /**
         * {@code IPv6LinkLocalAddressGenerationMode=}: how the kernel makes the IPv6 link-local address,
         * with the value of the link's {@code addr_gen_mode} sysctl.
         */
        public enum AddressGeneration {
            EUI64("eui64", 0), NONE("none", 1), STABLE_PRIVACY("stable-privacy", 2), RANDOM("random", 3);

            private final String keyword;
            private final int sysctl;

            AddressGeneration(String keyword, int sysctl) {
                this.keyword = keyword;
                this.sysctl = sysctl;
            }

            public String keyword() {
                return keyword;
            }

            /** The value of {@code net.ipv6.conf.IF.addr_gen_mode}. */
            public int sysctl() {
                return sysctl;
            }

            public static Optional<AddressGeneration> of(String keyword) {
                return java.util.Arrays.stream(values()).filter(m -> m.keyword.equals(keyword)).findFirst();
            }
        }

        /**
         * {@code IPv6PrivacyExtensions=}, with the value of the link's {@code use_tempaddr} sysctl
         * ({@code kernel}: none, the kernel's value stays).
         */
        public enum PrivacyExtensions {
            NO("no", 0), PREFER_PUBLIC("prefer-public", 1), YES("yes", 2), KERNEL("kernel", -1);

            private final String keyword;
            private final int sysctl;

            PrivacyExtensions(String keyword, int sysctl) {
                this.keyword = keyword;
                this.sysctl = sysctl;
            }

            public String keyword() {
                return keyword;
            }

            /** The value of {@code net.ipv6.conf.IF.use_tempaddr}; empty for {@link #KERNEL}. */
            public OptionalInt sysctl() {
                return this == KERNEL ? OptionalInt.empty() : OptionalInt.of(sysctl);
            }

            public static Optional<PrivacyExtensions> of(String keyword) {
                return java.util.Arrays.stream(values()).filter(p -> p.keyword.equals(keyword)).findFirst();
            }
        }

        /** {@code IPv4ReversePathFilter=}, with the value of the link's {@code rp_filter} sysctl. */
        public enum ReversePathFilter {
            NO("no"), STRICT("strict"), LOOSE("loose");

            private final String keyword;

            ReversePathFilter(String keyword) {
                this.keyword = keyword;
            }

            public String keyword() {
                return keyword;
            }

            /** The value of {@code net.ipv4.conf.IF.rp_filter}: 0, 1 or 2. */
            public int sysctl() {
                return ordinal();
            }

            public static Optional<ReversePathFilter> of(String keyword) {
                return java.util.Arrays.stream(values()).filter(r -> r.keyword.equals(keyword)).findFirst();
            }
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
        Objects.requireNonNull(sysctls, "sysctls");
    }

    /** A search domain, or a routing-only domain {@code ~name}, or {@code ~.} (all queries). */
    public static boolean isDomain(String d) {
        if (d.equals("~.")) {
            return true;
        }
        return HostPort.isDnsName(d.startsWith("~") ? d.substring(1) : d);
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
        b.sysctls = sysctls;
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
        private LinkSysctls sysctls = LinkSysctls.NONE;

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

        public Builder sysctls(LinkSysctls s) {
            sysctls = Objects.requireNonNull(s);
            return this;
        }

        public NetworkConfig build() {
            return new NetworkConfig(matchNames, matchConditions, addresses, dns, domains, mtu, routes, rules, link,
                    ipv4Forwarding, ipv6Forwarding, sysctls);
        }
    }
}
