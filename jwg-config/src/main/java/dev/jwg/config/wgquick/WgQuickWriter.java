package dev.jwg.config.wgquick;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import dev.jwg.config.model.HostPort;
import dev.jwg.config.model.InterfaceAddress;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.uapi.DeviceUpdate;
import dev.jwg.config.uapi.PeerUpdate;
import dev.jwg.config.uapi.UapiEndpoint;
import dev.jwg.config.uapi.UapiSetText;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.routing.IpAddress;
import dev.jwg.core.routing.IpPrefix;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes a {@link TunnelConfig} in the forms {@code wg} and wg-quick understand, symmetric with
 * {@link WgQuickParser}: for a configuration parsed from a wg-quick file,
 * {@code parse(toWgQuickString(c))} equals {@code c}.
 *
 * <ul>
 *   <li>{@link #toWgQuickString}: the full wg-quick file. Only {@link TunnelConfig#iface()} and the peers
 *       are written; networkd-only values (key file paths, route tables and metrics, the
 *       {@code .network}) have no wg-quick key and are left out — {@code dev.jwg.config.Convert}
 *       translates them.
 *   <li>{@link #toWgString}: only the keys {@code wg} knows, what {@code wg-quick strip} prints.
 *   <li>{@link #toUapiSet} / {@link #toUapiAddConf}: the UAPI request {@code wg setconf} /
 *       {@code wg addconf} would send for the file (docs/protocol.md §4.4).
 * </ul>
 *
 * <p>The output contains private and preshared keys: treat it as a secret. Stateless and thread-safe.
 */
public final class WgQuickWriter {
    private WgQuickWriter() {}

    /** The complete wg-quick file. */
    public static String toWgQuickString(TunnelConfig c) {
        InterfaceConfig i = c.iface();
        StringBuilder sb = new StringBuilder("[Interface]\n");
        writeWgInterface(sb, i);
        if (!i.addresses().isEmpty()) {
            key(sb, "Address", join(i.addresses(), InterfaceAddress::toString));
        }
        if (!i.dnsServers().isEmpty() || !i.dnsSearch().isEmpty()) {
            List<String> dns = new ArrayList<>();
            i.dnsServers().forEach(a -> dns.add(a.toString()));
            dns.addAll(i.dnsSearch());
            key(sb, "DNS", String.join(", ", dns));
        }
        i.mtu().ifPresent(m -> key(sb, "MTU", Integer.toString(m)));
        i.table().ifPresent(t -> key(sb, "Table", t.toString()));
        if (i.saveConfig()) {
            key(sb, "SaveConfig", "true");
        }
        i.preUp().forEach(h -> key(sb, "PreUp", h));
        i.postUp().forEach(h -> key(sb, "PostUp", h));
        i.preDown().forEach(h -> key(sb, "PreDown", h));
        i.postDown().forEach(h -> key(sb, "PostDown", h));
        writePeers(sb, c.peers());
        return sb.toString();
    }

    /** The file without wg-quick's keys, as {@code wg-quick strip} prints it for {@code wg syncconf}. */
    public static String toWgString(TunnelConfig c) {
        StringBuilder sb = new StringBuilder("[Interface]\n");
        writeWgInterface(sb, c.iface());
        writePeers(sb, c.peers());
        return sb.toString();
    }

    private static void writeWgInterface(StringBuilder sb, InterfaceConfig i) {
        i.privateKey().ifPresent(k -> key(sb, "PrivateKey", k.toBase64()));
        i.listenPort().ifPresent(p -> key(sb, "ListenPort", Integer.toString(p)));
        i.fwMark().ifPresent(m -> key(sb, "FwMark", m == 0 ? "off" : Long.toString(m)));
    }

    private static void writePeers(StringBuilder sb, List<PeerConfig> peers) {
        for (PeerConfig p : peers) {
            sb.append("\n[Peer]\n");
            key(sb, "PublicKey", p.publicKey().toBase64());
            p.presharedKey().ifPresent(k -> key(sb, "PresharedKey", k.toBase64()));
            if (!p.allowedIps().isEmpty()) {
                key(sb, "AllowedIPs", join(p.allowedIps(), IpPrefix::toString));
            }
            p.endpoint().ifPresent(e -> key(sb, "Endpoint", e.toString()));
            p.persistentKeepalive().ifPresent(k -> key(sb, "PersistentKeepalive", k == 0 ? "off" : Integer.toString(k)));
        }
    }

    private static void key(StringBuilder sb, String key, String value) {
        sb.append(key).append(" = ").append(value).append('\n');
    }

    private static <T> String join(List<T> list, Function<T, String> f) {
        return list.stream().map(f).collect(Collectors.joining(", "));
    }

    /**
     * The request {@code wg setconf} sends for this configuration: {@code replace_peers=true}; always
     * {@code private_key} (all zeros if absent), {@code listen_port} (0 if absent) and {@code fwmark}
     * (0 if absent); every peer with {@code replace_allowed_ips=true}. Host names in endpoints are
     * resolved with {@code resolver}.
     *
     * @throws ConfigException {@link ConfigError#ENDPOINT_UNRESOLVED} if a host name does not resolve
     */
    public static DeviceUpdate toSetConf(TunnelConfig c, EndpointResolver resolver) throws ConfigException {
        InterfaceConfig i = c.iface();
        DeviceUpdate.Builder d = DeviceUpdate.builder()
                .privateKey(i.privateKey().orElse(PrivateKey.ZERO))
                .listenPort(i.listenPort().orElse(0))
                .fwmark((int) i.fwMark().orElse(0))
                .replacePeers();
        return addPeers(c, d, resolver);
    }

    /**
     * The request {@code wg addconf} sends (what wg-quick uses): the device keys present in the
     * file only, no {@code replace_peers}, every peer with {@code replace_allowed_ips=true}.
     */
    public static DeviceUpdate toAddConf(TunnelConfig c, EndpointResolver resolver) throws ConfigException {
        InterfaceConfig i = c.iface();
        DeviceUpdate.Builder d = DeviceUpdate.builder();
        i.privateKey().ifPresent(d::privateKey);
        i.listenPort().ifPresent(d::listenPort);
        i.fwMark().ifPresent(m -> d.fwmark((int) m));
        return addPeers(c, d, resolver);
    }

    private static DeviceUpdate addPeers(TunnelConfig c, DeviceUpdate.Builder d, EndpointResolver resolver)
            throws ConfigException {
        for (PeerConfig p : c.peers()) {
            PeerUpdate.Builder b = PeerUpdate.builder(p.publicKey());
            p.presharedKey().ifPresent(b::presharedKey);
            if (p.endpoint().isPresent()) {
                b.endpoint(resolve(c, p.endpoint().get(), resolver));
            }
            p.persistentKeepalive().ifPresent(b::persistentKeepalive);
            b.replaceAllowedIps();
            p.allowedIps().forEach(b::addAllowedIp);
            d.peer(b.build());
        }
        return d.build();
    }

    /** {@link #toSetConf} as request text, {@code set=1\n ... \n\n}. */
    public static String toUapiSet(TunnelConfig c, EndpointResolver resolver) throws ConfigException {
        return render(toSetConf(c, resolver));
    }

    /** {@link #toAddConf} as request text. */
    public static String toUapiAddConf(TunnelConfig c, EndpointResolver resolver) throws ConfigException {
        return render(toAddConf(c, resolver));
    }

    private static String render(DeviceUpdate u) {
        return UapiSetText.request(u);
    }

    private static UapiEndpoint resolve(TunnelConfig c, HostPort e, EndpointResolver resolver) throws ConfigException {
        String host = e.host();
        if (e.isLiteral()) {
            // The literal was validated; UapiEndpoint also folds IPv4-mapped IPv6 to IPv4.
            return UapiEndpoint.parse(e.toString()).orElseThrow(() -> unresolved(c, e, "not usable in the UAPI", null));
        }
        IpAddress a;
        try {
            a = resolver.resolve(host);
        } catch (UnknownHostException ex) {
            throw unresolved(c, e, "cannot resolve " + host, ex);
        }
        String text = a.isIpv4() ? a + ":" + e.port() : "[" + a + "]:" + e.port();
        return UapiEndpoint.parse(text).orElseThrow(() -> unresolved(c, e, host + " resolved to an unusable address", null));
    }

    private static ConfigException unresolved(TunnelConfig c, HostPort e, String detail, Throwable cause) {
        String file = c.sources().isEmpty() ? c.name() + ".conf" : ConfigFiles.baseName(c.sources().get(0));
        return new ConfigException(file, 0, "Endpoint", ConfigError.ENDPOINT_UNRESOLVED, detail, cause);
    }

}
