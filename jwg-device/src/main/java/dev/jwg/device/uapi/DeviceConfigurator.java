package dev.jwg.device.uapi;

import dev.jwg.config.uapi.UapiEndpoint;
import dev.jwg.config.uapi.UapiErrno;
import dev.jwg.config.uapi.UapiException;
import dev.jwg.config.uapi.UapiSetHandler;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;
import dev.jwg.core.tunnel.Node;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.device.Device;
import dev.jwg.device.io.Endpoint;
import java.io.IOException;
import java.util.Optional;

/**
 * Applies a UAPI {@code set} request to a device line by line, with wireguard-go's semantics
 * (docs/protocol.md §3.10, §4.3): a peer is created at its {@code public_key} line, our own public
 * key is ignored with its section, {@code remove} and {@code update_only} make the rest of the
 * section inert, and a persistent keepalive switched on goes out when the section ends (after its
 * endpoint is known). One instance per request; not thread-safe.
 */
final class DeviceConfigurator implements UapiSetHandler {
    private final Device device;
    private final Node node;
    private Peer peer;
    private PublicKey peerKey;
    private boolean inert;
    private boolean created;
    private int pendingKeepalive = -1;

    DeviceConfigurator(Device device) {
        this.device = device;
        this.node = device.node();
    }

    @Override
    public void setPrivateKey(PrivateKey key) {
        node.setPrivateKey(key.isZero() ? null : key.clamped());
    }

    @Override
    public void setListenPort(int port) throws UapiException {
        try {
            device.setListenPort(port);
        } catch (IOException e) {
            throw new UapiException(UapiErrno.EADDRINUSE, "listen_port " + port + ": " + e.getMessage());
        }
    }

    @Override
    public void setFwmark(int mark) throws UapiException {
        try {
            device.setFwmark(mark);
        } catch (IOException e) {
            throw new UapiException(UapiErrno.EADDRINUSE, "fwmark: " + e.getMessage());
        }
    }

    @Override
    public void replacePeers() {
        node.removeAllPeers();
    }

    @Override
    public void beginPeer(PublicKey publicKey) {
        peerKey = publicKey;
        pendingKeepalive = -1;
        boolean existed = node.peer(peerKey).isPresent();
        Optional<Peer> p = node.addPeer(peerKey, device.configTransmit());
        peer = p.orElse(null);
        inert = peer == null;
        created = !existed && peer != null;
    }

    @Override
    public void removePeer() {
        if (!inert) {
            node.removePeer(peerKey);
            inert = true;
        }
    }

    @Override
    public void updateOnly() {
        if (!inert && created) {
            node.removePeer(peerKey);
            inert = true;
        }
    }

    @Override
    public void setPresharedKey(PresharedKey key) {
        if (!inert) {
            peer.setPresharedKey(key);
        }
    }

    @Override
    public void setEndpoint(UapiEndpoint endpoint) {
        if (!inert) {
            byte[] a = endpoint.address();
            device.setEndpoint(peer, new Endpoint(a.length == 4 ? 4 : 6, a, endpoint.port(), 0, null, 0));
        }
    }

    @Override
    public void setPersistentKeepalive(int seconds) {
        if (!inert) {
            pendingKeepalive = seconds;
        }
    }

    @Override
    public void replaceAllowedIps() {
        if (!inert) {
            node.allowedIps().removeByPeer(peer);
        }
    }

    @Override
    public void addAllowedIp(IpPrefix prefix) {
        if (!inert) {
            node.allowedIps().insert(prefix, peer); // the table masks host bits
        }
    }

    @Override
    public void removeAllowedIp(IpPrefix prefix) {
        if (!inert) {
            node.allowedIps().remove(prefix, peer);
        }
    }

    @Override
    public void endPeer() {
        if (!inert && pendingKeepalive >= 0) {
            peer.setPersistentKeepalive(pendingKeepalive, device.configTransmit());
        }
        peer = null;
        peerKey = null;
        inert = false;
        created = false;
        pendingKeepalive = -1;
    }

    /**
     * After the request: the static-static DH of each new peer (or of every peer, after a new
     * private key), one X25519 operation each, computed on all cores rather than one by one as the
     * peers were added; a large {@code wg addconf} spends most of its time here. Then, without
     * holding up the answer, the handshake thread prepares the first initiation of each peer with an
     * endpoint whenever no handshake message waits.
     */
    @Override
    public void end() {
        node.peers().parallelStream().forEach(Peer::precomputeHandshake);
        device.prepareInitiationsSoon();
    }
}
