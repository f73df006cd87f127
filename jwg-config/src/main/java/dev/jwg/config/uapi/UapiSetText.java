package dev.jwg.config.uapi;

import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;
import java.util.function.Function;

/**
 * Renders a {@link DeviceUpdate} as the text of a set request, in the order and spelling of
 * wireguard-tools' {@code userspace_set_device} (ipc-uapi.h): {@code set=1}, one {@code key=value}
 * line per handler call, then the blank line. How endpoints and prefixes are spelled is the
 * caller's choice: Go {@code netip} style by default, {@code inet_ntop} style for the jwg CLI,
 * which mirrors {@code wg} byte for byte. Not thread-safe; one request per instance.
 */
public final class UapiSetText implements UapiSetHandler {
    private final StringBuilder sb = new StringBuilder();
    private final Function<UapiEndpoint, String> endpoints;
    private final Function<IpPrefix, String> prefixes;

    private UapiSetText(Function<UapiEndpoint, String> endpoints, Function<IpPrefix, String> prefixes) {
        this.endpoints = endpoints;
        this.prefixes = prefixes;
    }

    /** The whole request ({@code set=1}, the lines, the blank line), with netip-style addresses. */
    public static String request(DeviceUpdate update) {
        return "set=1\n" + body(update, UapiEndpoint::toString, IpPrefix::toString) + "\n";
    }

    /** The lines after {@code set=1}, without the terminating blank line, addresses spelled as given. */
    public static String body(DeviceUpdate update, Function<UapiEndpoint, String> endpoints, Function<IpPrefix, String> prefixes) {
        UapiSetText t = new UapiSetText(endpoints, prefixes);
        try {
            update.applyTo(t);
        } catch (UapiException e) {
            throw new AssertionError("rendering does not fail", e);
        }
        return t.sb.toString();
    }

    private void line(String key, String value) {
        sb.append(key).append('=').append(value).append('\n');
    }

    @Override
    public void setPrivateKey(PrivateKey key) {
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
    public void beginPeer(PublicKey publicKey) {
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
    public void setPresharedKey(PresharedKey presharedKey) {
        line("preshared_key", presharedKey.toHex());
    }

    @Override
    public void setEndpoint(UapiEndpoint endpoint) {
        line("endpoint", endpoints.apply(endpoint));
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
    public void addAllowedIp(IpPrefix prefix) {
        line("allowed_ip", prefixes.apply(prefix));
    }

    @Override
    public void removeAllowedIp(IpPrefix prefix) {
        line("allowed_ip", "-" + prefixes.apply(prefix));
    }

    @Override
    public void endPeer() {}

    @Override
    public void end() {}
}
