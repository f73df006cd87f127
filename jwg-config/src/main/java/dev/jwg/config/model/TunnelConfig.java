package dev.jwg.config.model;

import dev.jwg.core.crypto.PublicKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One WireGuard tunnel, whichever file it came from: a wg-quick {@code wg0.conf}, or a networkd
 * {@code .netdev} with the {@code .network} that matches it. The one model the parsers produce, the
 * writers consume and the device is configured from.
 *
 * <p>Where the two worlds overlap the values live in one place: keys, port, mark, peers in
 * {@link #iface()} and {@link #peers()}; the netdev's {@code MTUBytes=} in {@link InterfaceConfig#mtu()}.
 * What only networkd has is here ({@link #routeTable()}, {@link #routeMetric()}, {@link #description()})
 * or in {@link #network()}; use {@link #effectiveAddresses()} and {@link #effectiveMtu()} to read across
 * both.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows a private or preshared key.
 *
 * @param name interface name (wg-quick: the file name; networkd: {@code Name=})
 * @param iface the interface settings
 * @param peers peers in file order, distinct public keys
 * @param routeTable networkd {@code [WireGuard] RouteTable=} ({@link RouteTable#OFF} or a table)
 * @param routeMetric networkd {@code [WireGuard] RouteMetric=}
 * @param description networkd {@code [NetDev] Description=}
 * @param network the matching {@code .network} file, if any
 * @param sources the files read, in order (config or netdev first)
 */
public record TunnelConfig(
        String name,
        InterfaceConfig iface,
        List<PeerConfig> peers,
        Optional<RouteTable> routeTable,
        OptionalLong routeMetric,
        Optional<String> description,
        Optional<NetworkConfig> network,
        List<Path> sources) {

    public TunnelConfig {
        Objects.requireNonNull(name, "name");
        if (!Checks.isInterfaceName(name)) {
            throw new IllegalArgumentException("not an interface name");
        }
        Objects.requireNonNull(iface, "iface");
        peers = Checks.copy(peers, "peers");
        Set<PublicKey> seen = new HashSet<>();
        for (PeerConfig p : peers) {
            if (!seen.add(p.publicKey())) {
                throw new IllegalArgumentException("duplicate peer " + p.label());
            }
        }
        Checks.notAuto(routeTable, "networkd");
        Checks.range(routeMetric, 0, Checks.U32_MAX, "routeMetric");
        Objects.requireNonNull(description, "description");
        description.ifPresent(d -> Checks.singleLine(d, "description"));
        Objects.requireNonNull(network, "network");
        sources = Checks.copy(sources, "sources");
    }

    /** The interface addresses: wg-quick {@code Address} followed by the {@code .network}'s addresses. */
    public List<InterfaceAddress> effectiveAddresses() {
        List<InterfaceAddress> all = new ArrayList<>(iface.addresses());
        network.ifPresent(n -> all.addAll(n.interfaceAddresses()));
        return List.copyOf(all);
    }

    /** The MTU to set: the {@code .network}'s {@code [Link] MTUBytes=} wins over the interface's. */
    public OptionalInt effectiveMtu() {
        return network.map(NetworkConfig::mtu).filter(OptionalInt::isPresent).orElse(iface.mtu());
    }

    /** Only what {@code wg setconf} understands, as {@code wg-quick strip} keeps. */
    public TunnelConfig wgOnly() {
        return new TunnelConfig(name, iface.wgOnly(), peers.stream().map(PeerConfig::wgOnly).toList(),
                Optional.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(), sources);
    }

    /** Never shows a private or preshared key (see {@link InterfaceConfig#toString()}, {@link PeerConfig#toString()}). */
    @Override
    public String toString() {
        return "TunnelConfig[name=" + name + ", iface=" + iface + ", peers=" + peers + ", routeTable=" + routeTable
                + ", routeMetric=" + routeMetric + ", description=" + description + ", network=" + network
                + ", sources=" + sources + "]";
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.iface = iface;
        b.peers.addAll(peers);
        b.routeTable = routeTable;
        b.routeMetric = routeMetric;
        b.description = description;
        b.network = network;
        b.sources.addAll(sources);
        return b;
    }

    /** Builds a {@link TunnelConfig}; a {@code null} argument clears an optional value. Not thread-safe. */
    public static final class Builder {
        private String name;
        private InterfaceConfig iface = InterfaceConfig.EMPTY;
        private final List<PeerConfig> peers = new ArrayList<>();
        private Optional<RouteTable> routeTable = Optional.empty();
        private OptionalLong routeMetric = OptionalLong.empty();
        private Optional<String> description = Optional.empty();
        private Optional<NetworkConfig> network = Optional.empty();
        private final List<Path> sources = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name);
        }

        public Builder name(String n) {
            name = Objects.requireNonNull(n);
            return this;
        }

        public Builder iface(InterfaceConfig i) {
            iface = Objects.requireNonNull(i);
            return this;
        }

        public Builder addPeer(PeerConfig p) {
            peers.add(Objects.requireNonNull(p));
            return this;
        }

        public Builder peers(List<PeerConfig> list) {
            peers.clear();
            list.forEach(this::addPeer);
            return this;
        }

        public Builder routeTable(RouteTable t) {
            routeTable = Optional.ofNullable(t);
            return this;
        }

        public Builder routeMetric(OptionalLong m) {
            routeMetric = Objects.requireNonNull(m);
            return this;
        }

        public Builder routeMetric(long m) {
            return routeMetric(OptionalLong.of(m));
        }

        public Builder description(String d) {
            description = Optional.ofNullable(d);
            return this;
        }

        public Builder network(NetworkConfig n) {
            network = Optional.ofNullable(n);
            return this;
        }

        public Builder addSource(Path p) {
            sources.add(Objects.requireNonNull(p));
            return this;
        }

        public Builder sources(List<Path> list) {
            sources.clear();
            list.forEach(this::addSource);
            return this;
        }

        public TunnelConfig build() {
            return new TunnelConfig(name, iface, peers, routeTable, routeMetric, description, network, sources);
        }
    }
}
