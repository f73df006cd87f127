package dev.jwg.config.uapi;

import dev.jwg.core.crypto.PrivateKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything one set request asks for, collected ({@link DeviceUpdateCollector}) rather than applied
 * line by line. Convenient for tests and simple users; a device should apply a request through
 * {@link UapiSetHandler} to get wireguard-go's exact partial-application semantics. Immutable.
 *
 * @param privateKey {@code private_key}; all zeros = remove the private key
 * @param listenPort {@code listen_port}, 0..65535
 * @param fwmark {@code fwmark}, unsigned 32-bit
 * @param replacePeers {@code replace_peers=true}
 * @param peers the peer sections, in order
 */
public record DeviceUpdate(
        Optional<PrivateKey> privateKey,
        OptionalInt listenPort,
        OptionalInt fwmark,
        boolean replacePeers,
        List<PeerUpdate> peers) {

    public DeviceUpdate {
        Objects.requireNonNull(privateKey);
        Objects.requireNonNull(fwmark);
        if (listenPort.isPresent() && (listenPort.getAsInt() < 0 || listenPort.getAsInt() > 0xffff)) {
            throw new IllegalArgumentException("listen port out of range");
        }
        peers = List.copyOf(peers);
    }

    /**
     * Parses a complete set request as a client sends it, {@code "set=1\n" … "\n"}.
     *
     * @throws UapiException at the first bad line, or {@link UapiErrno#EINVAL} if the text is not a set request
     */
    public static DeviceUpdate parse(String setRequest) throws UapiException {
        UapiRequestReader reader = new UapiRequestReader(
                new ByteArrayInputStream(setRequest.getBytes(StandardCharsets.ISO_8859_1)));
        try {
            if (!(reader.next() instanceof UapiRequest.Set)) {
                throw new UapiException(UapiErrno.EINVAL, 1, "not a set request", null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with an in-memory stream
        }
        return reader.readSet();
    }

    /**
     * Replays this update into a handler in the order {@code wg} sends it: device keys, replace_peers,
     * then per peer public_key, remove (and nothing else), update_only, preshared_key, endpoint,
     * persistent_keepalive_interval, replace_allowed_ips, allowed_ip lines. Lets a device apply an
     * update from another source (e.g. a configuration file) through its one UAPI handler.
     */
    public void applyTo(UapiSetHandler h) throws UapiException {
        if (privateKey.isPresent()) {
            h.setPrivateKey(privateKey.get());
        }
        if (listenPort.isPresent()) {
            h.setListenPort(listenPort.getAsInt());
        }
        if (fwmark.isPresent()) {
            h.setFwmark(fwmark.getAsInt());
        }
        if (replacePeers) {
            h.replacePeers();
        }
        for (PeerUpdate p : peers) {
            h.beginPeer(p.publicKey());
            if (p.remove()) {
                h.removePeer();
                h.endPeer();
                continue;
            }
            if (p.updateOnly()) {
                h.updateOnly();
            }
            if (p.presharedKey().isPresent()) {
                h.setPresharedKey(p.presharedKey().get());
            }
            if (p.endpoint().isPresent()) {
                h.setEndpoint(p.endpoint().get());
            }
            if (p.persistentKeepalive().isPresent()) {
                h.setPersistentKeepalive(p.persistentKeepalive().getAsInt());
            }
            if (p.replaceAllowedIps()) {
                h.replaceAllowedIps();
            }
            for (AllowedIpChange c : p.allowedIps()) {
                if (c.remove()) {
                    h.removeAllowedIp(c.prefix());
                } else {
                    h.addAllowedIp(c.prefix());
                }
            }
            h.endPeer();
        }
        h.end();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link DeviceUpdate}. Not thread-safe. */
    public static final class Builder {
        private Optional<PrivateKey> privateKey = Optional.empty();
        private OptionalInt listenPort = OptionalInt.empty();
        private OptionalInt fwmark = OptionalInt.empty();
        private boolean replacePeers;
        private final List<PeerUpdate> peers = new ArrayList<>();

        private Builder() {}

        /** All zeros removes the key. */
        public Builder privateKey(PrivateKey key) {
            privateKey = Optional.of(key);
            return this;
        }

        public Builder listenPort(int port) {
            if (port < 0 || port > 0xffff) {
                throw new IllegalArgumentException("listen port out of range: " + port);
            }
            listenPort = OptionalInt.of(port);
            return this;
        }

        /** Unsigned 32-bit; 0 removes the mark. */
        public Builder fwmark(int mark) {
            fwmark = OptionalInt.of(mark);
            return this;
        }

        public Builder replacePeers() {
            replacePeers = true;
            return this;
        }

        public Builder peer(PeerUpdate peer) {
            peers.add(Objects.requireNonNull(peer));
            return this;
        }

        public DeviceUpdate build() {
            return new DeviceUpdate(privateKey, listenPort, fwmark, replacePeers, peers);
        }
    }
}
