package dev.jwg.config.wgquick;

import dev.jwg.config.uapi.Key32;
import dev.jwg.config.uapi.Prefix;
import dev.jwg.config.uapi.UapiEndpoint;
import dev.jwg.config.uapi.UapiSetHandler;

/**
 * Renders the calls of a set request as the request text, in the order and spelling of wireguard-tools'
 * {@code userspace_set_device} (ipc-uapi.h): {@code set=1}, then one {@code key=value} line per call,
 * then the blank line. Not thread-safe; one request per instance.
 */
final class UapiSetText implements UapiSetHandler {
    private final StringBuilder sb = new StringBuilder("set=1\n");

    private void line(String key, String value) {
        sb.append(key).append('=').append(value).append('\n');
    }

    @Override
    public void setPrivateKey(Key32 key) {
        line("private_key", key.toHex());
    }

    @Override
    public void setListenPort(int port) {
        line("listen_port", Integer.toString(port));
    }

    @Override
    public void setFwmark(int mark) {
        line("fwmark", Integer.toUnsignedString(mark));
    }

    @Override
    public void replacePeers() {
        line("replace_peers", "true");
    }

    @Override
    public void beginPeer(Key32 publicKey) {
        line("public_key", publicKey.toHex());
    }

    @Override
    public void removePeer() {
        line("remove", "true");
    }

    @Override
    public void updateOnly() {
        line("update_only", "true");
    }

    @Override
    public void setPresharedKey(Key32 presharedKey) {
        line("preshared_key", presharedKey.toHex());
    }

    @Override
    public void setEndpoint(UapiEndpoint endpoint) {
        line("endpoint", endpoint.toString());
    }

    @Override
    public void setPersistentKeepalive(int seconds) {
        line("persistent_keepalive_interval", Integer.toString(seconds));
    }

    @Override
    public void replaceAllowedIps() {
        line("replace_allowed_ips", "true");
    }

    @Override
    public void addAllowedIp(Prefix prefix) {
        line("allowed_ip", prefix.toString());
    }

    @Override
    public void removeAllowedIp(Prefix prefix) {
        line("allowed_ip", "-" + prefix);
    }

    @Override
    public void endPeer() {}

    @Override
    public void end() {
        sb.append('\n');
    }

    String text() {
        return sb.toString();
    }
}
