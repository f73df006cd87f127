package dev.jwg.config.uapi;

import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one peer as a get response reports it. Immutable; the allowed-IPs list is copied.
 *
 * @param publicKey the peer's public key
 * @param presharedKey the preshared key, {@link PresharedKey#ZERO} when none (printed either way)
 * @param endpoint the current endpoint in wire form ({@code 192.0.2.1:51820}, {@code [2001:db8::1]:51820};
 *     see {@link UapiEndpoint#toString()}), if known; printable ASCII without spaces
 * @param lastHandshakeEpochSec Unix seconds of the last completed handshake, 0 if none; not negative
 * @param lastHandshakeNsec nanoseconds part, 0..999,999,999
 * @param txBytes bytes sent, unsigned 64-bit
 * @param rxBytes bytes received, unsigned 64-bit
 * @param persistentKeepalive seconds, 0..65535, 0 = off
 * @param allowedIps the peer's allowed IPs, in the order to print
 */
public record PeerSnapshot(
        PublicKey publicKey,
        PresharedKey presharedKey,
        Optional<String> endpoint,
        long lastHandshakeEpochSec,
        long lastHandshakeNsec,
        long txBytes,
        long rxBytes,
        int persistentKeepalive,
        List<IpPrefix> allowedIps) {

    public PeerSnapshot {
        Objects.requireNonNull(publicKey);
        Objects.requireNonNull(presharedKey);
        endpoint.ifPresent(PeerSnapshot::checkEndpoint);
        if (lastHandshakeEpochSec < 0) {
            throw new IllegalArgumentException("negative handshake time"); // wg refuses numbers with a sign
        }
        if (lastHandshakeNsec < 0 || lastHandshakeNsec > 999_999_999L) {
            throw new IllegalArgumentException("handshake nanoseconds out of range");
        }
        if (persistentKeepalive < 0 || persistentKeepalive > 0xffff) {
            throw new IllegalArgumentException("persistent keepalive out of range");
        }
        allowedIps = List.copyOf(allowedIps);
    }

    /** A value in the response must not be able to break the line structure. */
    private static void checkEndpoint(String e) {
        if (e.isEmpty() || e.length() > 128) {
            throw new IllegalArgumentException("bad endpoint text length");
        }
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("endpoint text must be printable ASCII");
            }
        }
    }
}
