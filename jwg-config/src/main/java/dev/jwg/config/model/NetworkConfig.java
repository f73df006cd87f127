package dev.jwg.config.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The parts of a networkd {@code .network} file that concern a WireGuard link.
 *
 * <p>Immutable and thread-safe.
 *
 * @param matchNames {@code [Match] Name=} patterns, one per element, a leading {@code !} negating
 *     (see {@link NameGlob})
 * @param addresses {@code [Network] Address=} and {@code [Address] Address=}, in file order
 * @param dns {@code [Network] DNS=}
 * @param domains {@code [Network] Domains=}: search domains, {@code ~name} routing-only domains
 * @param mtu {@code [Link] MTUBytes=}
 * @param routes {@code [Route]} sections in order
 * @param rules {@code [RoutingPolicyRule]} sections in order
 */
public record NetworkConfig(
        List<String> matchNames,
        List<InterfaceAddress> addresses,
        List<IpAddress> dns,
        List<String> domains,
        OptionalInt mtu,
        List<RouteConfig> routes,
        List<RuleConfig> rules) {

    public NetworkConfig {
        matchNames = Checks.copy(matchNames, "matchNames");
        for (String p : matchNames) {
            if (!NameGlob.isValidPattern(p)) {
                throw new IllegalArgumentException("not a valid Name= pattern");
            }
        }
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
    }

    /** A search domain, or a routing-only domain {@code ~name}, or {@code ~.} (all queries). */
    public static boolean isDomain(String d) {
        if (d.equals("~.")) {
            return true;
        }
        return Endpoint.isDnsName(d.startsWith("~") ? d.substring(1) : d);
    }

    /** Whether this file's {@code [Match] Name=} patterns select {@code ifname}. */
    public boolean matches(String ifname) {
        return NameGlob.matchesAll(matchNames, ifname);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.matchNames.addAll(matchNames);
        b.addresses.addAll(addresses);
        b.dns.addAll(dns);
        b.domains.addAll(domains);
        b.mtu = mtu;
        b.routes.addAll(routes);
        b.rules.addAll(rules);
        return b;
    }

    /** Builds a {@link NetworkConfig}. Not thread-safe. */
    public static final class Builder {
        private final List<String> matchNames = new ArrayList<>();
        private final List<InterfaceAddress> addresses = new ArrayList<>();
        private final List<IpAddress> dns = new ArrayList<>();
        private final List<String> domains = new ArrayList<>();
        private OptionalInt mtu = OptionalInt.empty();
        private final List<RouteConfig> routes = new ArrayList<>();
        private final List<RuleConfig> rules = new ArrayList<>();

        private Builder() {}

        public Builder addMatchName(String pattern) {
            matchNames.add(Objects.requireNonNull(pattern));
            return this;
        }

        public Builder clearMatchNames() {
            matchNames.clear();
            return this;
        }

        public Builder addAddress(InterfaceAddress a) {
            addresses.add(Objects.requireNonNull(a));
            return this;
        }

        public Builder clearAddresses() {
            addresses.clear();
            return this;
        }

        public Builder addDns(IpAddress a) {
            dns.add(Objects.requireNonNull(a));
            return this;
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

        public NetworkConfig build() {
            return new NetworkConfig(matchNames, addresses, dns, domains, mtu, routes, rules);
        }
    }
}
