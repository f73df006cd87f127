package dev.jwg.cli.wg;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import dev.jwg.config.model.HostPort;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.uapi.DeviceUpdate;
import dev.jwg.config.uapi.UapiEndpoint;
import dev.jwg.config.wgquick.EndpointResolver;
import dev.jwg.config.wgquick.WgQuickParser;
import dev.jwg.config.wgquick.WgQuickWriter;
import dev.jwg.core.routing.IpAddresses;
import dev.jwg.core.routing.IpPrefix;
import dev.jwg.linux.Errno;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The configuration file of {@code wg setconf}, {@code addconf} and {@code syncconf}: read from any
 * path (also {@code /dev/stdin} or {@code <(...)}), parsed by {@link WgQuickParser}, refused if it
 * holds wg-quick keys (as {@code wg} refuses them), endpoint host names resolved as {@code wg}
 * resolves them, then turned into the request {@code wg} sends ({@link WgQuickWriter#toSetConf} /
 * {@link WgQuickWriter#toAddConf}). Errors name the file as given and the line. Stateless and
 * thread-safe.
 */
final class ConfFile {
    /** The {@code [Interface]} keys only wg-quick understands, lower case. */
    private static final Set<String> WG_QUICK_KEYS = Set.of("address", "dns", "mtu", "table", "preup", "postup",
            "predown", "postdown", "saveconfig");

    private ConfFile() {}

    /** The two request shapes. */
    enum Mode {
        /** {@code setconf}, and the base of {@code syncconf}: replace everything. */
        SET,
        /** {@code addconf}: only what the file says. */
        ADD
    }

    /**
     * Loads {@code path} and renders the request.
     *
     * @throws WgFailure with {@code wg}'s or the parser's message (file and line), then
     *     {@code Configuration parsing error}
     */
    static DeviceUpdate load(WgContext cx, String path, Mode mode) throws WgFailure {
        return loadWithNames(cx, path, mode).update();
    }

    /**
     * A loaded file: the request, and the endpoints it gave as host names by peer (base64 public
     * key to {@code HOST:PORT} as written), for {@link EndpointNamesFile}.
     *
     * @param update the UAPI request
     * @param names the peers whose endpoint is a host name
     * @param peers every peer of the file (base64 public keys)
     */
    record Loaded(DeviceUpdate update, java.util.Map<String, String> names, Set<String> peers) {}

    /** {@link #load}, also telling which endpoints were host names. */
    static Loaded loadWithNames(WgContext cx, String path, Mode mode) throws WgFailure {
        TunnelConfig config = parse(path);
        java.util.Map<String, String> names = new java.util.LinkedHashMap<>();
        Set<String> peers = new java.util.LinkedHashSet<>();
        for (PeerConfig p : config.peers()) {
            peers.add(p.publicKey().toBase64());
            if (p.endpoint().isPresent() && !p.endpoint().get().isLiteral()) {
                names.put(p.publicKey().toBase64(), p.endpoint().get().toString());
            }
        }
        for (PeerConfig p : config.peers()) {
            for (IpPrefix a : p.allowedIps()) {
                if (!a.masked().equals(a)) {
                    cx.err().println("Warning: AllowedIP has nonzero host part: " + ShownDevice.prefix(a));
                }
            }
        }
        config = resolveEndpoints(cx, config);
        try {
            return new Loaded(mode == Mode.SET ? WgQuickWriter.toSetConf(config, EndpointResolver.numericOnly())
                    : WgQuickWriter.toAddConf(config, EndpointResolver.numericOnly()), names, peers);
        } catch (ConfigException e) {
            throw failure(path, e);
        }
    }

    /** Reads and parses the file; every failure names {@code path} as given. */
    static TunnelConfig parse(String path) throws WgFailure {
        String text;
        try {
            text = ConfigFiles.read(Path.of(path));
        } catch (InvalidPathException e) {
            throw new WgFailure("fopen: " + Errno.text(Errno.ENOENT));
        } catch (ConfigException e) {
            if (e.reason() == ConfigError.FILE_UNREADABLE && e.getCause() instanceof IOException io) {
                throw new WgFailure("fopen: " + Errno.text(IoErrno.of(io, Path.of(path))));
            }
            throw failure(path, e);
        }
        TunnelConfig config;
        try {
            // Any file name will do for wg: the name only matters to wg-quick.
            config = WgQuickParser.parse("wg0.conf", text);
        } catch (ConfigException e) {
            throw failure(path, e);
        }
        if (config.iface().hasWgQuickKeys()) {
            int line = wgQuickKeyLine(text);
            throw failure(path, new ConfigException(path, line, "", ConfigError.UNKNOWN_KEY,
                    "wg-quick key, which wg does not understand (strip it with `wg-quick strip`)"));
        }
        return config;
    }

    private static WgFailure failure(String path, ConfigException e) {
        ConfigException named = new ConfigException(path, e.line(), e.key(), e.reason(), e.detail());
        return new WgFailure(named.getMessage() + "\nConfiguration parsing error");
    }

    /** The first line holding a wg-quick key in {@code [Interface]}, 0 if none is found. */
    private static int wgQuickKeyLine(String text) {
        String[] lines = ConfigFiles.lines(text);
        boolean inInterface = false;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            int hash = l.indexOf('#');
            String compact = WgValues.stripSpaces(hash < 0 ? l : l.substring(0, hash)).toLowerCase(Locale.ROOT);
            if (compact.startsWith("[")) {
                inInterface = compact.equals("[interface]");
                continue;
            }
            int eq = compact.indexOf('=');
            if (inInterface && eq > 0 && WG_QUICK_KEYS.contains(compact.substring(0, eq))) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Every endpoint resolved to a literal, as {@code wg} resolves them while reading the file. */
    private static TunnelConfig resolveEndpoints(WgContext cx, TunnelConfig config) throws WgFailure {
        EndpointResolution resolution = cx.endpoints();
        List<PeerConfig> peers = new ArrayList<>();
        for (PeerConfig p : config.peers()) {
            if (p.endpoint().isEmpty()) {
                peers.add(p);
                continue;
            }
            UapiEndpoint e;
            try {
                e = resolution.resolve(p.endpoint().get().toString());
            } catch (WgFailure f) {
                throw new WgFailure(f.getMessage() + "\nConfiguration parsing error");
            }
            String host = IpAddresses.formatInetNtop(e.address()) + e.zone().map(z -> "%" + z).orElse("");
            peers.add(p.toBuilder().endpoint(new HostPort(host, e.port())).build());
        }
        return config.toBuilder().peers(peers).build();
    }
}
