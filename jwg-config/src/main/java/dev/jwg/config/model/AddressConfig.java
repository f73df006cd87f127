package dev.jwg.config.model;

import dev.jwg.core.routing.IpAddress;
import dev.jwg.core.routing.IpPrefix;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An address of the {@code .network} file with the options of its {@code [Address]} section
 * (systemd.network(5)); an address from {@code [Network] Address=} has none. Each option is one that
 * {@code ip address add} can express.
 *
 * <p>Immutable and thread-safe.
 *
 * @param address {@code Address=}
 * @param peer {@code Peer=}: the other end of a point-to-point link, same family
 * @param broadcast {@code Broadcast=} as an address (IPv4)
 * @param label {@code Label=} (IPv4), 1..15 characters
 * @param deprecated {@code PreferredLifetime=0}: the address is not used for new connections
 * @param scope {@code Scope=}: {@code global}, {@code link}, {@code host} or a number 0..255
 * @param routeMetric {@code RouteMetric=}: metric of the prefix route
 * @param prefixRoute {@code AddPrefixRoute=} (the legacy {@code PrefixRoute=} is its negation)
 * @param homeAddress {@code HomeAddress=} (IPv6)
 * @param manageTemporaryAddress {@code ManageTemporaryAddress=} (IPv6)
 * @param autoJoin {@code AutoJoin=}
 * @param duplicateAddressDetection {@code DuplicateAddressDetection=}: {@code ipv4}, {@code ipv6},
 *     {@code both} or {@code none}
 */
public record AddressConfig(
        InterfaceAddress address,
        Optional<IpPrefix> peer,
        Optional<IpAddress> broadcast,
        Optional<String> label,
        boolean deprecated,
        Optional<String> scope,
        OptionalLong routeMetric,
        Optional<Boolean> prefixRoute,
        Optional<Boolean> homeAddress,
        Optional<Boolean> manageTemporaryAddress,
        Optional<Boolean> autoJoin,
        Optional<String> duplicateAddressDetection) {

    /** The values of {@code DuplicateAddressDetection=}. */
    public static final List<String> DAD_VALUES = List.of("ipv4", "ipv6", "both", "none");

    public AddressConfig {
        Objects.requireNonNull(address);
        Objects.requireNonNull(peer);
        if (peer.isPresent() && peer.get().isIpv4() != address.isIpv4()) {
            throw new IllegalArgumentException("Peer= and Address= are of different families");
        }
        Objects.requireNonNull(broadcast);
        if (broadcast.isPresent() && (!address.isIpv4() || !broadcast.get().isIpv4())) {
            throw new IllegalArgumentException("a broadcast address is IPv4 only");
        }
        Objects.requireNonNull(label);
        label.ifPresent(l -> {
            if (!isLabel(l)) {
                throw new IllegalArgumentException("not an address label");
            }
        });
        Objects.requireNonNull(scope);
        scope.ifPresent(s -> {
            if (!isScope(s)) {
                throw new IllegalArgumentException("not an address scope");
            }
        });
        Checks.range(routeMetric, 0, Checks.U32_MAX, "routeMetric");
        Objects.requireNonNull(prefixRoute);
        Objects.requireNonNull(homeAddress);
        Objects.requireNonNull(manageTemporaryAddress);
        Objects.requireNonNull(autoJoin);
        Objects.requireNonNull(duplicateAddressDetection);
        duplicateAddressDetection.ifPresent(d -> {
            if (!DAD_VALUES.contains(d)) {
                throw new IllegalArgumentException("not a DuplicateAddressDetection= value");
            }
        });
    }

    /** An address without options. */
    public static AddressConfig of(InterfaceAddress a) {
        return builder(a).build();
    }

    /** Whether no option is set: the address fits {@code [Network] Address=}. */
    public boolean isPlain() {
        return equals(of(address));
    }

    public boolean isIpv4() {
        return address.isIpv4();
    }

    /** 1..15 printable characters without white space, as the kernel takes a label (IFNAMSIZ). */
    public static boolean isLabel(String s) {
        return !s.isEmpty() && s.length() <= 15 && s.chars().allMatch(c -> c > ' ' && c < 0x7f);
    }

    /** {@code global}, {@code link}, {@code host} or a decimal 0..255. */
    public static boolean isScope(String s) {
        return s.equals("global") || s.equals("link") || s.equals("host") || ConfigValues.decimal(s, 255, false) >= 0;
    }

    public static Builder builder(InterfaceAddress a) {
        return new Builder(a);
    }

    /** Builds an {@link AddressConfig}; a {@code null} argument clears a value. Not thread-safe. */
    public static final class Builder {
        private InterfaceAddress address;
        private IpPrefix peer;
        private IpAddress broadcast;
        private String label;
        private boolean deprecated;
        private String scope;
        private OptionalLong routeMetric = OptionalLong.empty();
        private Boolean prefixRoute;
        private Boolean homeAddress;
        private Boolean manageTemporaryAddress;
        private Boolean autoJoin;
        private String dad;

        private Builder(InterfaceAddress a) {
            this.address = Objects.requireNonNull(a);
        }

        public Builder address(InterfaceAddress a) {
            address = Objects.requireNonNull(a);
            return this;
        }

        public Builder peer(IpPrefix p) {
            peer = p;
            return this;
        }

        public Builder broadcast(IpAddress b) {
            broadcast = b;
            return this;
        }

        public Builder label(String l) {
            label = l;
            return this;
        }

        public Builder deprecated(boolean d) {
            deprecated = d;
            return this;
        }

        public Builder scope(String s) {
            scope = s;
            return this;
        }

        public Builder routeMetric(OptionalLong m) {
            routeMetric = Objects.requireNonNull(m);
            return this;
        }

        public Builder prefixRoute(Boolean b) {
            prefixRoute = b;
            return this;
        }

        public Builder homeAddress(Boolean b) {
            homeAddress = b;
            return this;
        }

        public Builder manageTemporaryAddress(Boolean b) {
            manageTemporaryAddress = b;
            return this;
        }

        public Builder autoJoin(Boolean b) {
            autoJoin = b;
            return this;
        }

        public Builder duplicateAddressDetection(String d) {
            dad = d;
            return this;
        }

        public AddressConfig build() {
            return new AddressConfig(address, Optional.ofNullable(peer), Optional.ofNullable(broadcast),
                    Optional.ofNullable(label), deprecated, Optional.ofNullable(scope), routeMetric,
                    Optional.ofNullable(prefixRoute), Optional.ofNullable(homeAddress),
                    Optional.ofNullable(manageTemporaryAddress), Optional.ofNullable(autoJoin), Optional.ofNullable(dad));
        }
    }
}
