package dev.jwg.config.uapi;

import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link UapiSetHandler} that collects a set request into a {@link DeviceUpdate} instead of applying
 * it. It normalises: a repeated device or peer value keeps the last one; {@code replace_allowed_ips}
 * drops the {@code allowed_ip} changes collected before it in the same section (when applied line by
 * line, those additions could first take prefixes away from other peers — the collected form does not
 * reproduce that). Sections are kept in order, even for a public key seen twice.
 *
 * <p>{@link #result()} may be called at any time, e.g. after a {@link UapiException}, to see what was
 * accepted so far (the peer section in progress included). Not thread-safe.
 */
public final class DeviceUpdateCollector implements UapiSetHandler {
    private final DeviceUpdate.Builder device = DeviceUpdate.builder();
    private final List<PeerUpdate> done = new ArrayList<>();
    private PeerUpdate.Builder peer;

    @Override
    public void setPrivateKey(PrivateKey key) {
        device.privateKey(key);
    }

    @Override
    public void setListenPort(int port) {
        device.listenPort(port);
    }

    @Override
    public void setFwmark(int mark) {
        device.fwmark(mark);
    }

    @Override
    public void replacePeers() {
        device.replacePeers();
    }

    @Override
    public void beginPeer(PublicKey publicKey) {
        closePeer();
        peer = PeerUpdate.builder(publicKey);
    }

    @Override
    public void removePeer() {
        peer.remove();
    }

    @Override
    public void updateOnly() {
        peer.updateOnly();
    }

    @Override
    public void setPresharedKey(PresharedKey presharedKey) {
        peer.presharedKey(presharedKey);
    }

    @Override
    public void setEndpoint(UapiEndpoint endpoint) {
        peer.endpoint(endpoint);
    }

    @Override
    public void setPersistentKeepalive(int seconds) {
        peer.persistentKeepalive(seconds);
    }

    @Override
    public void replaceAllowedIps() {
        peer.replaceAllowedIps();
    }

    @Override
    public void addAllowedIp(IpPrefix prefix) {
        peer.addAllowedIp(prefix);
    }

    @Override
    public void removeAllowedIp(IpPrefix prefix) {
        peer.removeAllowedIp(prefix);
    }

    @Override
    public void endPeer() {
        closePeer();
    }

    @Override
    public void end() {
        closePeer();
    }

    private void closePeer() {
        if (peer != null) {
            done.add(peer.build());
            peer = null;
        }
    }

    /** The update collected so far, including the peer section in progress. */
    public DeviceUpdate result() {
        DeviceUpdate d = device.build();
        List<PeerUpdate> peers = new ArrayList<>(done);
        if (peer != null) {
            peers.add(peer.build());
        }
        return new DeviceUpdate(d.privateKey(), d.listenPort(), d.fwmark(), d.replacePeers(), peers);
    }
}
