package dev.jwg.config.model;

import dev.jwg.core.routing.IpAddress;
import dev.jwg.core.routing.IpPrefix;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One networkd {@code [Route]} section.
 *
 * <p>Immutable and thread-safe.
 *
 * @param destination {@code Destination=}; written without a length it is a full-length host route.
 *     Absent: networkd installs the route for the whole address space of its family (a default
 *     route), the family taken from the gateway, IPv4 without one
 * @param gateway {@code Gateway=}, same family as the destination
 * @param gatewayOnLink {@code GatewayOnLink=}
 * @param type {@code Type=}; absent means {@link Type#UNICAST}
 * @param metric {@code Metric=}, 0..4294967295
 * @param table {@code Table=}; absent means {@code main} (for local, broadcast and anycast routes the
 *     kernel's {@code local} table, as ip(8) and networkd choose it)
 * @param source {@code Source=}: the source prefix the route is for (IPv6 source routing), same family
 * @param preferredSource {@code PreferredSource=}: the source address for packets using the route
 * @param scope {@code Scope=}: {@code global}, {@code site}, {@code link}, {@code host} or {@code nowhere}
 * @param mtu {@code MTUBytes=}: the route's MTU
 * @param protocol {@code Protocol=}: {@code kernel}, {@code boot}, {@code static}, {@code ra},
 *     {@code dhcp} or a number 0..255
 * @param options the route's other attributes ({@link Options})
 */
public record RouteConfig(
        Optional<IpPrefix> destination,
        Optional<IpAddress> gateway,
        Optional<Boolean> gatewayOnLink,
        Optional<Type> type,
        OptionalLong metric,
        Optional<RouteTable> table,
        Optional<IpPrefix> source,
        Optional<IpAddress> preferredSource,
        Optional<String> scope,
        OptionalInt mtu,
        Optional<String> protocol,
        Options options) {

    /** {@code Scope=} values, as networkd and ip(8) spell them. */
    public static final List<String> SCOPES = List.of("global", "site", "link", "host", "nowhere");
    /** {@code Protocol=} names, as networkd and ip(8) spell them. */
    public static final List<String> PROTOCOLS = List.of("kernel", "boot", "static", "ra", "dhcp");

    /**
     * The attributes of a {@code [Route]} that tune TCP and IPv6 for the route, each one ip(8) sets.
     *
     * @param ipv6Preference {@code IPv6Preference=}: {@code low}, {@code medium} or {@code high}
     * @param hopLimit {@code HopLimit=}, 1..255
     * @param initialCongestionWindow {@code InitialCongestionWindow=}, 1..1023 segments
     * @param initialAdvertisedReceiveWindow {@code InitialAdvertisedReceiveWindow=}, 1..1023 segments
     * @param quickAck {@code QuickAck=}
     * @param fastOpenNoCookie {@code FastOpenNoCookie=}
     * @param advertisedMss {@code TCPAdvertisedMaximumSegmentSize=}, 1..65535 bytes
     * @param congestionControl {@code TCPCongestionControlAlgorithm=}, a kernel algorithm name
     * @param rtoMinMillis {@code TCPRetransmissionTimeoutSec=}, in milliseconds
     */
    public record Options(Optional<String> ipv6Preference, OptionalInt hopLimit, OptionalInt initialCongestionWindow,
            OptionalInt initialAdvertisedReceiveWindow, Optional<Boolean> quickAck, Optional<Boolean> fastOpenNoCookie,
            OptionalInt advertisedMss, Optional<String> congestionControl, OptionalLong rtoMinMillis) {
        /** Nothing set. */
        public static final Options NONE = new Options(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty(),
                OptionalLong.empty());
        /** {@code IPv6Preference=} values. */
        public static final List<String> PREFERENCES = List.of("low", "medium", "high");

        public Options {
            Objects.requireNonNull(ipv6Preference);
            if (ipv6Preference.isPresent() && !PREFERENCES.contains(ipv6Preference.get())) {
                throw new IllegalArgumentException("not a route preference");
            }
            Checks.range(hopLimit, 1, 255, "hopLimit");
            Checks.range(initialCongestionWindow, 1, 1023, "initialCongestionWindow");
            Checks.range(initialAdvertisedReceiveWindow, 1, 1023, "initialAdvertisedReceiveWindow");
            Objects.requireNonNull(quickAck);
            Objects.requireNonNull(fastOpenNoCookie);
            Checks.range(advertisedMss, 1, 65535, "advertisedMss");
            Objects.requireNonNull(congestionControl);
            if (congestionControl.isPresent() && !isAlgorithm(congestionControl.get())) {
                throw new IllegalArgumentException("not a congestion control algorithm name");
            }
            Checks.range(rtoMinMillis, 1, Checks.U32_MAX, "rtoMinMillis");
        }

        /** A TCP congestion control algorithm name: 1..15 lower-case letters, digits, {@code _} or {@code -}. */
        public static boolean isAlgorithm(String s) {
            return s.matches("[a-z0-9_-]{1,15}");
        }
    }

    /** The route types the kernel supports, with networkd's and iproute2's spelling. */
    public enum Type {
        UNICAST, LOCAL, BROADCAST, ANYCAST, MULTICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW;

        /** {@code unicast}, {@code blackhole}, ...: networkd's {@code Type=} value and iproute2's keyword. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Whether the route is bound to the interface, and goes when it goes: all but blackhole,
         * unreachable, prohibit and throw, which have no device.
         */
        public boolean usesDevice() {
            return this != BLACKHOLE && this != UNREACHABLE && this != PROHIBIT && this != THROW;
        }

        /** The type for a keyword; empty if unknown or unsupported. */
        public static Optional<Type> of(String keyword) {
            for (Type t : values()) {
                if (t.keyword().equals(keyword)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    public RouteConfig {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(gatewayOnLink, "gatewayOnLink");
        Objects.requireNonNull(type, "type");
        Checks.range(metric, 0, Checks.U32_MAX, "metric");
        Objects.requireNonNull(table, "table");
        if (table.isPresent() && !table.get().isTable()) {
            throw new IllegalArgumentException("a route table must be a number or a name");
        }
        if (destination.isPresent() && gateway.isPresent() && destination.get().isIpv4() != gateway.get().isIpv4()) {
            throw new IllegalArgumentException("gateway and destination are of different families");
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(preferredSource, "preferredSource");
        Objects.requireNonNull(scope, "scope");
        if (scope.isPresent() && !SCOPES.contains(scope.get())) {
            throw new IllegalArgumentException("not a route scope");
        }
        Checks.range(mtu, 1, 0xffff_ffffL, "mtu");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(protocol, "protocol");
        if (protocol.isPresent() && !isProtocol(protocol.get())) {
            throw new IllegalArgumentException("not a route protocol");
        }
        boolean v4 = destination.map(IpPrefix::isIpv4).or(() -> gateway.map(IpAddress::isIpv4))
                .or(() -> preferredSource.map(IpAddress::isIpv4)).or(() -> source.map(IpPrefix::isIpv4)).orElse(true);
        if (source.isPresent() && source.get().isIpv4() != v4 || preferredSource.isPresent() && preferredSource.get().isIpv4() != v4) {
            throw new IllegalArgumentException("Source=/PreferredSource= are of another family than the route");
        }
    }

    /** A {@code Protocol=} value: a name of {@link #PROTOCOLS} or a decimal 0..255. */
    public static boolean isProtocol(String p) {
        return PROTOCOLS.contains(p) || ConfigValues.decimal(p, 255, false) >= 0;
    }

    public Type effectiveType() {
        return type.orElse(Type.UNICAST);
    }

    /**
     * Whether the route is IPv4: by the destination, else the gateway, else the preferred source or
     * source, else IPv4 (networkd's default).
     */
    public boolean isIpv4() {
        return destination.map(IpPrefix::isIpv4).or(() -> gateway.map(IpAddress::isIpv4))
                .or(() -> preferredSource.map(IpAddress::isIpv4)).or(() -> source.map(IpPrefix::isIpv4)).orElse(true);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().destination(destination.orElse(null)).gateway(gateway.orElse(null))
                .gatewayOnLink(gatewayOnLink.orElse(null)).type(type.orElse(null)).metric(metric)
                .table(table.orElse(null)).source(source.orElse(null)).preferredSource(preferredSource.orElse(null))
                .scope(scope.orElse(null)).mtu(mtu).protocol(protocol.orElse(null)).options(options);
    }

    /** Builds a {@link RouteConfig}; a {@code null} argument clears a value. Not thread-safe. */
    public static final class Builder {
        private Optional<IpPrefix> destination = Optional.empty();
        private Optional<IpAddress> gateway = Optional.empty();
        private Optional<Boolean> gatewayOnLink = Optional.empty();
        private Optional<Type> type = Optional.empty();
        private OptionalLong metric = OptionalLong.empty();
        private Optional<RouteTable> table = Optional.empty();
        private Optional<IpPrefix> source = Optional.empty();
        private Optional<IpAddress> preferredSource = Optional.empty();
        private Optional<String> scope = Optional.empty();
        private OptionalInt mtu = OptionalInt.empty();
        private Optional<String> protocol = Optional.empty();
        private Options options = Options.NONE;

        private Builder() {}

        public Builder options(Options o) {
            options = Objects.requireNonNull(o);
            return this;
        }

        public Builder source(IpPrefix p) {
            source = Optional.ofNullable(p);
            return this;
        }

        public Builder preferredSource(IpAddress a) {
            preferredSource = Optional.ofNullable(a);
            return this;
        }

        public Builder scope(String s) {
            scope = Optional.ofNullable(s);
            return this;
        }

        public Builder mtu(OptionalInt m) {
            mtu = Objects.requireNonNull(m);
            return this;
        }

        public Builder protocol(String p) {
            protocol = Optional.ofNullable(p);
            return this;
        }

        public Builder destination(IpPrefix p) {
            destination = Optional.ofNullable(p);
            return this;
        }

        public Builder gateway(IpAddress a) {
            gateway = Optional.ofNullable(a);
            return this;
        }

        public Builder gatewayOnLink(Boolean b) {
            gatewayOnLink = Optional.ofNullable(b);
            return this;
        }

        public Builder type(Type t) {
            type = Optional.ofNullable(t);
            return this;
        }

        public Builder metric(OptionalLong m) {
            metric = Objects.requireNonNull(m);
            return this;
        }

        public Builder metric(long m) {
            return metric(OptionalLong.of(m));
        }

        public Builder table(RouteTable t) {
            table = Optional.ofNullable(t);
            return this;
        }

        public RouteConfig build() {
            return new RouteConfig(destination, gateway, gatewayOnLink, type, metric, table, source, preferredSource,
                    scope, mtu, protocol, options);
        }
    }
}
