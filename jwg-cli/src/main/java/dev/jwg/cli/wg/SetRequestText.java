package dev.jwg.cli.wg;

import dev.jwg.config.uapi.DeviceUpdate;
import dev.jwg.config.uapi.Key32;
import dev.jwg.config.uapi.Prefix;
import dev.jwg.config.uapi.UapiEndpoint;
import dev.jwg.config.uapi.UapiException;
import dev.jwg.config.uapi.UapiSetHandler;

/**
 * A {@link DeviceUpdate} as the body of the set request {@code wg} sends (ipc-uapi.h's
 * {@code userspace_set_device}): the lines after {@code set=1}, in {@code wg}'s order and spelling —
 * addresses as {@code inet_ntop} writes them, endpoints as {@code getnameinfo} does, a removal
 * {@code allowed_ip=-addr/len}. The terminating blank line is not part of the body. Not thread-safe;
 * one request per instance.
 */
final class SetRequestText implements UapiSetHandler {
    private final StringBuilder sb = new StringBuilder();

    private SetRequestText() {}

    /** The body for {@code update}: {@code key=value\n} lines. */
    static String body(DeviceUpdate update) {
        SetRequestText t = new SetRequestText();
        try {
            update.applyTo(t);
        } catch (UapiException e) {
            throw new AssertionError("rendering does not fail", e);
        }
        return t.sb.toString();
    }

    /** The whole request as it goes over the socket: {@code set=1}, the body, a blank line. */
    static String request(DeviceUpdate update) {
        return "set=1\n" + body(update) + "\n";
    }

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
        line("endpoint", InetText.endpoint(endpoint));
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
        line("allowed_ip", InetText.ntop(prefix.address()) + "/" + prefix.bits());
    }

    @Override
    public void removeAllowedIp(Prefix prefix) {
        line("allowed_ip", "-" + InetText.ntop(prefix.address()) + "/" + prefix.bits());
    }

    @Override
    public void endPeer() {}

    @Override
    public void end() {}
}
