package dev.jwg.config.model;

import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One peer: wg's {@code [Peer]} keys and networkd's {@code [WireGuardPeer]}.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows the preshared key (the public key is
 * shown abbreviated, as {@code wg} logs peers).
 *
 * @param publicKey the peer's public key
 * @param presharedKey from {@code PresharedKey=} or read from {@link #presharedKeyFile()}
 * @param presharedKeyFile networkd {@code PresharedKeyFile=}: absolute path the key was read from
 * @param allowedIps in order, host bits as written
 * @param endpoint as written; a host name is resolved only when applied
 * @param persistentKeepalive seconds 0..65535, 0 = off
 * @param routeTable networkd per-peer {@code RouteTable=} ({@link RouteTable#OFF} or a table)
 * @param routeMetric networkd per-peer {@code RouteMetric=}, 0..4294967295
 */
public record PeerConfig(
        PublicKey publicKey,
        Optional<PresharedKey> presharedKey,
        Optional<Path> presharedKeyFile,
        List<IpPrefix> allowedIps,
        Optional<HostPort> endpoint,
        OptionalInt persistentKeepalive,
        Optional<RouteTable> routeTable,
        OptionalLong routeMetric) {

    public PeerConfig {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(presharedKey, "presharedKey");
        Checks.absolute(presharedKeyFile, "presharedKeyFile");
        allowedIps = Checks.copy(allowedIps, "allowedIps");
        Objects.requireNonNull(endpoint, "endpoint");
        Checks.range(persistentKeepalive, 0, 65535, "persistentKeepalive");
        Checks.notAuto(routeTable, "peer");
        Checks.range(routeMetric, 0, Checks.U32_MAX, "routeMetric");
    }

    /** Only what {@code wg setconf} understands (no key file paths, no networkd route settings). */
    public PeerConfig wgOnly() {
        return new PeerConfig(publicKey, presharedKey, Optional.empty(), allowedIps, endpoint, persistentKeepalive,
                Optional.empty(), OptionalLong.empty());
    }

    /** {@code peer(AbCd…WxYz)}: the first and last four characters of the base64 public key. */
    public String label() {
        return "peer(" + publicKey.shortForm() + ")";
    }

    /** Never shows the preshared key. */
    @Override
    public String toString() {
        return "PeerConfig[" + label() + ", presharedKey=" + (presharedKey.isPresent() ? "(hidden)" : "none")
                + presharedKeyFile.map(p -> ", presharedKeyFile=" + p).orElse("")
                + ", allowedIps=" + allowedIps + ", endpoint=" + endpoint.map(HostPort::toString).orElse("none")
                + ", persistentKeepalive=" + persistentKeepalive + ", routeTable=" + routeTable
                + ", routeMetric=" + routeMetric + "]";
    }

    public static Builder builder(PublicKey publicKey) {
        return new Builder(publicKey);
    }

    public Builder toBuilder() {
        Builder b = new Builder(publicKey);
        b.presharedKey = presharedKey;
        b.presharedKeyFile = presharedKeyFile;
        b.allowedIps.addAll(allowedIps);
        b.endpoint = endpoint;
        b.persistentKeepalive = persistentKeepalive;
        b.routeTable = routeTable;
        b.routeMetric = routeMetric;
        return b;
    }

    /** Builds a {@link PeerConfig}; a {@code null} argument clears an optional value. Not thread-safe. */
    public static final class Builder {
        private PublicKey publicKey;
        private Optional<PresharedKey> presharedKey = Optional.empty();
        private Optional<Path> presharedKeyFile = Optional.empty();
        private final List<IpPrefix> allowedIps = new ArrayList<>();
        private Optional<HostPort> endpoint = Optional.empty();
        private OptionalInt persistentKeepalive = OptionalInt.empty();
        private Optional<RouteTable> routeTable = Optional.empty();
        private OptionalLong routeMetric = OptionalLong.empty();

        private Builder(PublicKey publicKey) {
            this.publicKey = Objects.requireNonNull(publicKey);
        }

        public Builder publicKey(PublicKey key) {
            publicKey = Objects.requireNonNull(key);
            return this;
        }

        public Builder presharedKey(PresharedKey key) {
            presharedKey = Optional.ofNullable(key);
            return this;
        }

        public Builder presharedKeyFile(Path file) {
            presharedKeyFile = Optional.ofNullable(file);
            return this;
        }

        public Builder addAllowedIp(IpPrefix p) {
            allowedIps.add(Objects.requireNonNull(p));
            return this;
        }

        public Builder allowedIps(List<IpPrefix> list) {
            allowedIps.clear();
            list.forEach(this::addAllowedIp);
            return this;
        }

        public Builder endpoint(HostPort e) {
            endpoint = Optional.ofNullable(e);
            return this;
        }

        public Builder persistentKeepalive(OptionalInt seconds) {
            persistentKeepalive = Objects.requireNonNull(seconds);
            return this;
        }

        public Builder persistentKeepalive(int seconds) {
            return persistentKeepalive(OptionalInt.of(seconds));
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

        public PeerConfig build() {
            return new PeerConfig(publicKey, presharedKey, presharedKeyFile, allowedIps, endpoint, persistentKeepalive,
                    routeTable, routeMetric);
        }
    }
}
