package dev.jwg.cli.wg;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.routing.IpAddresses;
import dev.jwg.core.routing.IpPrefix;
import java.util.Optional;

/**
 * A device as {@code wg} holds it after a get: the interface name, the snapshot, and the public key
 * {@code wg} derives from the private key. Immutable.
 *
 * @param name the interface name as the user gave it or as listed
 * @param snapshot the get response
 */
record ShownDevice(String name, DeviceSnapshot snapshot) {

    /** The device's public key in base64, when it has a private key. */
    Optional<String> publicKeyBase64() {
        return snapshot.privateKey().map(k -> k.publicKey().toBase64());
    }

    /** The private key in base64, when there is one. Secret. */
    Optional<String> privateKeyBase64() {
        return snapshot.privateKey().map(PrivateKey::toBase64);
    }

    /** The preshared key in base64, or empty when the peer has none (all zeros). Secret. */
    static Optional<String> presharedKey(PeerSnapshot p) {
        return p.presharedKey().isZero() ? Optional.empty() : Optional.of(p.presharedKey().toBase64());
    }

    /** {@code addr/len} with {@code inet_ntop}'s address text. */
    static String prefix(IpPrefix p) {
        return IpAddresses.formatInetNtop(p.address()) + "/" + p.bits();
    }

    /** The peer's endpoint as {@code wg} prints it, if known. */
    static Optional<String> endpoint(PeerSnapshot p, EndpointText.Scopes scopes) {
        return p.endpoint().map(e -> EndpointText.canonicalEndpoint(e, scopes));
    }
}
