package dev.jwg.config.model;

import dev.jwg.config.uapi.Prefix;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
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
 * @param table {@code Table=}; absent means {@code main}
 */
public record RouteConfig(
        Optional<Prefix> destination,
        Optional<IpAddress> gateway,
        Optional<Boolean> gatewayOnLink,
        Optional<Type> type,
        OptionalLong metric,
        Optional<RouteTable> table) {

    /** The route types jwg supports, with networkd's and iproute2's spelling. */
    public enum Type {
        UNICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW;

        /** {@code unicast}, {@code blackhole}, ...: networkd's {@code Type=} value and iproute2's keyword. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the route sends packets out of the interface (only unicast does). */
        public boolean usesDevice() {
            return this == UNICAST;
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
        if (destination.isPresent() && gateway.isPresent() && destination.get().isIPv4() != gateway.get().isIPv4()) {
            throw new IllegalArgumentException("gateway and destination are of different families");
        }
    }

    public Type effectiveType() {
        return type.orElse(Type.UNICAST);
    }

    /** Whether the route is IPv4: by the destination, else the gateway, else IPv4 (networkd's default). */
    public boolean isIPv4() {
        return destination.map(Prefix::isIPv4).orElseGet(() -> gateway.map(IpAddress::isIPv4).orElse(true));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().destination(destination.orElse(null)).gateway(gateway.orElse(null))
                .gatewayOnLink(gatewayOnLink.orElse(null)).type(type.orElse(null)).metric(metric)
                .table(table.orElse(null));
    }

    /** Builds a {@link RouteConfig}; a {@code null} argument clears a value. Not thread-safe. */
    public static final class Builder {
        private Optional<Prefix> destination = Optional.empty();
        private Optional<IpAddress> gateway = Optional.empty();
        private Optional<Boolean> gatewayOnLink = Optional.empty();
        private Optional<Type> type = Optional.empty();
        private OptionalLong metric = OptionalLong.empty();
        private Optional<RouteTable> table = Optional.empty();

        private Builder() {}

        public Builder destination(Prefix p) {
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
            return new RouteConfig(destination, gateway, gatewayOnLink, type, metric, table);
        }
    }
}
