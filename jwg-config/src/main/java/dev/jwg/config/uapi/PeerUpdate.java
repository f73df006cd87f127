package dev.jwg.config.uapi;

import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The changes one peer section of a set request makes, in the normalised form a
 * {@link DeviceUpdateCollector} builds (see there for what normalising loses). Immutable.
 *
 * @param publicKey the peer ({@code public_key})
 * @param remove {@code remove=true}: remove the peer
 * @param updateOnly {@code update_only=true}: do not create the peer
 * @param presharedKey {@code preshared_key}; all zeros = no preshared key
 * @param endpoint {@code endpoint}
 * @param persistentKeepalive {@code persistent_keepalive_interval}, 0..65535 seconds, 0 = off
 * @param replaceAllowedIps {@code replace_allowed_ips=true}: drop the peer's allowed IPs before the changes
 * @param allowedIps the {@code allowed_ip} lines, in order
 */
public record PeerUpdate(
        PublicKey publicKey,
        boolean remove,
        boolean updateOnly,
        Optional<PresharedKey> presharedKey,
        Optional<UapiEndpoint> endpoint,
        OptionalInt persistentKeepalive,
        boolean replaceAllowedIps,
        List<AllowedIpChange> allowedIps) {

    public PeerUpdate {
        Objects.requireNonNull(publicKey);
        Objects.requireNonNull(presharedKey);
        Objects.requireNonNull(endpoint);
        if (persistentKeepalive.isPresent()
                && (persistentKeepalive.getAsInt() < 0 || persistentKeepalive.getAsInt() > 0xffff)) {
            throw new IllegalArgumentException("persistent keepalive out of range");
        }
        allowedIps = List.copyOf(allowedIps);
    }

    /** A builder for the peer with this public key. */
    public static Builder builder(PublicKey publicKey) {
        return new Builder(publicKey);
    }

    /** Builds a {@link PeerUpdate}. Not thread-safe. */
    public static final class Builder {
        private final PublicKey publicKey;
        private boolean remove;
        private boolean updateOnly;
        private Optional<PresharedKey> presharedKey = Optional.empty();
        private Optional<UapiEndpoint> endpoint = Optional.empty();
        private OptionalInt persistentKeepalive = OptionalInt.empty();
        private boolean replaceAllowedIps;
        private final List<AllowedIpChange> allowedIps = new ArrayList<>();

        private Builder(PublicKey publicKey) {
            this.publicKey = Objects.requireNonNull(publicKey);
        }

        public Builder remove() {
            remove = true;
            return this;
        }

        public Builder updateOnly() {
            updateOnly = true;
            return this;
        }

        public Builder presharedKey(PresharedKey key) {
            presharedKey = Optional.of(key);
            return this;
        }

        public Builder endpoint(UapiEndpoint e) {
            endpoint = Optional.of(e);
            return this;
        }

        public Builder persistentKeepalive(int seconds) {
            if (seconds < 0 || seconds > 0xffff) {
                throw new IllegalArgumentException("persistent keepalive out of range: " + seconds);
            }
            persistentKeepalive = OptionalInt.of(seconds);
            return this;
        }

        /** Sets {@code replaceAllowedIps} and drops the changes added so far, which it would undo. */
        public Builder replaceAllowedIps() {
            replaceAllowedIps = true;
            allowedIps.clear();
            return this;
        }

        public Builder addAllowedIp(IpPrefix p) {
            allowedIps.add(AllowedIpChange.add(p));
            return this;
        }

        public Builder removeAllowedIp(IpPrefix p) {
            allowedIps.add(AllowedIpChange.remove(p));
            return this;
        }

        public PeerUpdate build() {
            return new PeerUpdate(publicKey, remove, updateOnly, presharedKey, endpoint, persistentKeepalive,
                    replaceAllowedIps, allowedIps);
        }
    }
}
