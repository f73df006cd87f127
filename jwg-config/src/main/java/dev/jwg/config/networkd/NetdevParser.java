package dev.jwg.config.networkd;

import static dev.jwg.config.model.ConfigValues.quote;

import dev.jwg.config.model.Base64Key;
import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import dev.jwg.config.model.Endpoint;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.model.IpAddress;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.NetdevKey.Section;
import dev.jwg.config.uapi.Key32;
import dev.jwg.config.uapi.Prefix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Parses a systemd-networkd {@code .netdev} file of {@code Kind=wireguard} into a {@link TunnelConfig}
 * (systemd.netdev(5), wireguard-facts §6.1). Syntax as {@link UnitFile}; sections {@code [NetDev]},
 * {@code [WireGuard]} and any number of {@code [WireGuardPeer]}; sections starting with {@code X-} and
 * keys starting with {@code X-} are ignored, as systemd does.
 *
 * <p>Stricter than networkd, which logs and ignores what it cannot use: an unknown section or key, a
 * bad value, a peer without {@code PublicKey=} or a missing {@code Name=}/{@code Kind=} is an error,
 * so nothing is silently dropped. A repeated scalar key keeps its last value; an empty assignment
 * resets a key to its default ({@code AllowedIPs=} clears the list collected so far).
 *
 * <p>{@code PrivateKeyFile=} and {@code PresharedKeyFile=} must be absolute; they are read through a
 * {@link KeyFileReader} after the whole file has been validated, and override {@code PrivateKey=} /
 * {@code PresharedKey=} as in networkd. Credentials ({@code @name}) are refused. Messages never contain
 * key material. Stateless and thread-safe.
 */
public final class NetdevParser {
    private NetdevParser() {}

    /** Reads and parses {@code path}, reading key files from the file system. */
    public static TunnelConfig parse(Path path) throws ConfigException {
        return parse(path, KeyFileReader.FILES);
    }

    /** Reads and parses {@code path}, reading key files through {@code keys}. */
    public static TunnelConfig parse(Path path, KeyFileReader keys) throws ConfigException {
        return new Run(path, keys).parse(ConfigFiles.read(path));
    }

    /** Parses {@code text} as the content of a file called {@code fileName}. */
    public static TunnelConfig parse(String fileName, String text, KeyFileReader keys) throws ConfigException {
        return new Run(Path.of(fileName), keys).parse(text);
    }

    /** One parse of one file. */
    private static final class Run extends UnitRun<Section> {
        private final Path source;
        private final KeyFileReader keys;
        private int netdevLine;
        private String name;
        private String kind;
        private OptionalInt mtu = OptionalInt.empty();
        private String description;
        private Key32 privateKey;
        private KeyFileRef privateKeyFile;
        private OptionalInt listenPort = OptionalInt.empty();
        private OptionalLong fwMark = OptionalLong.empty();
        private RouteTable routeTable;
        private OptionalLong routeMetric = OptionalLong.empty();
        private final List<PeerDraft> peers = new ArrayList<>();

        Run(Path source, KeyFileReader keys) {
            super(ConfigFiles.baseName(source), Section.values(), s -> s.header);
            this.source = source;
            this.keys = keys;
        }

        TunnelConfig parse(String text) throws ConfigException {
            read(text);
            return finish();
        }

        @Override
        String unknownSection(String echo) {
            return "unknown section " + echo + "(expected [NetDev], [WireGuard] or [WireGuardPeer])";
        }

        @Override
        void beginSection(Section s, int line) {
            switch (s) {
                case NETDEV -> netdevLine = netdevLine == 0 ? line : netdevLine;
                case PEER -> peers.add(new PeerDraft(line));
                case WIREGUARD -> { }
            }
        }

        @Override
        void assignment(Section s, String k, String v, int line) throws ConfigException {
            NetdevKey key = NetdevKey.of(s, k).orElseThrow(() -> error(line, k,
                    ConfigError.UNKNOWN_KEY, "unknown key in [" + s.header + "]"));
            switch (key) {
                case NAME -> {
                    if (v.isEmpty()) {
                        name = null;
                    } else if (!isInterfaceName(v)) {
                        throw error(line, key.key, ConfigError.BAD_INTERFACE_NAME, quote(v)
                                + " is not an interface name (1..15 characters, no '/', ':', '%' or whitespace)");
                    } else {
                        name = v;
                    }
                }
                case KIND -> {
                    if (!v.equals("wireguard")) {
                        throw error(line, key.key, ConfigError.WRONG_KIND,
                                quote(v) + " is not wireguard: jwg only reads WireGuard netdevs");
                    }
                    kind = v;
                }
                case MTU_BYTES -> mtu = mtu(key.key, v, line);
                case DESCRIPTION -> description = v.isEmpty() ? null : v;
                case PRIVATE_KEY -> privateKey = v.isEmpty() ? null : key(key, v, line);
                case PRIVATE_KEY_FILE -> privateKeyFile = v.isEmpty() ? null : keyFile(key, v, line);
                case LISTEN_PORT -> {
                    if (v.isEmpty() || v.equals("auto")) {
                        listenPort = OptionalInt.empty();
                    } else {
                        long p = NetworkdValues.decimal(v, 65535);
                        if (p < 1) {
                            throw error(line, key.key, ConfigError.BAD_PORT,
                                    quote(v) + " is neither auto nor a port number 1..65535");
                        }
                        listenPort = OptionalInt.of((int) p);
                    }
                }
                case FIREWALL_MARK -> {
                    if (v.isEmpty()) {
                        fwMark = OptionalLong.empty();
                    } else {
                        long m = NetworkdValues.u32(v);
                        if (m < 0) {
                            throw error(line, key.key, ConfigError.BAD_FWMARK,
                                    quote(v) + " is not a mark 0..4294967295");
                        }
                        fwMark = OptionalLong.of(m);
                    }
                }
                case ROUTE_TABLE -> routeTable = v.isEmpty() ? null : routeTable(key.key, v, line);
                case ROUTE_METRIC -> routeMetric = metric(key.key, v, line);
                case PUBLIC_KEY, PRESHARED_KEY, PRESHARED_KEY_FILE, ALLOWED_IPS, ENDPOINT, PERSISTENT_KEEPALIVE,
                        PEER_ROUTE_TABLE, PEER_ROUTE_METRIC -> peerKey(peers.getLast(), key, v, line);
            }
        }

        private void peerKey(PeerDraft p, NetdevKey key, String v, int line) throws ConfigException {
            switch (key) {
                case PUBLIC_KEY -> {
                    p.publicKey = v.isEmpty() ? null : key(key, v, line);
                    p.publicKeyLine = line;
                }
                case PRESHARED_KEY -> p.presharedKey = v.isEmpty() ? null : key(key, v, line);
                case PRESHARED_KEY_FILE -> p.presharedKeyFile = v.isEmpty() ? null : keyFile(key, v, line);
                case ALLOWED_IPS -> {
                    if (v.isEmpty()) {
                        p.allowedIps.clear();
                        return;
                    }
                    for (String w : NetworkdValues.words(v)) {
                        try {
                            p.allowedIps.add(IpAddress.parsePrefix(w));
                        } catch (IllegalArgumentException e) {
                            throw error(line, key.key, ConfigError.BAD_PREFIX,
                                    quote(w) + " is not an IP prefix (address[/length])");
                        }
                    }
                }
                case ENDPOINT -> {
                    if (v.isEmpty()) {
                        p.endpoint = null;
                        return;
                    }
                    try {
                        p.endpoint = Endpoint.parse(v);
                    } catch (IllegalArgumentException e) {
                        throw error(line, key.key, ConfigError.BAD_ENDPOINT, quote(v) + ": " + e.getMessage());
                    }
                }
                case PERSISTENT_KEEPALIVE -> {
                    if (v.isEmpty()) {
                        p.keepalive = OptionalInt.empty();
                    } else if (v.equals("off")) {
                        p.keepalive = OptionalInt.of(0);
                    } else {
                        long k = NetworkdValues.decimal(v, 65535);
                        if (k < 0) {
                            throw error(line, key.key, ConfigError.BAD_KEEPALIVE,
                                    quote(v) + " is neither off nor 0..65535 seconds");
                        }
                        p.keepalive = OptionalInt.of((int) k);
                    }
                }
                case PEER_ROUTE_TABLE -> p.routeTable = v.isEmpty() ? null : routeTable(key.key, v, line);
                case PEER_ROUTE_METRIC -> p.routeMetric = metric(key.key, v, line);
                default -> throw new AssertionError(key);
            }
        }

        private TunnelConfig finish() throws ConfigException {
            if (kind == null) {
                throw error(netdevLine, NetdevKey.KIND.key, ConfigError.MISSING_KIND,
                        "[NetDev] has no Kind=wireguard");
            }
            if (name == null) {
                throw error(netdevLine, NetdevKey.NAME.key, ConfigError.MISSING_NAME, "[NetDev] has no Name=");
            }
            Map<Key32, Integer> seen = new HashMap<>();
            for (PeerDraft p : peers) {
                if (p.publicKey == null) {
                    throw error(p.headerLine, NetdevKey.PUBLIC_KEY.key, ConfigError.MISSING_PUBLIC_KEY,
                            "[WireGuardPeer] section without PublicKey=");
                }
                Integer first = seen.putIfAbsent(p.publicKey, p.publicKeyLine);
                if (first != null) {
                    throw error(p.publicKeyLine, NetdevKey.PUBLIC_KEY.key, ConfigError.DUPLICATE_PEER,
                            "this peer already has a [WireGuardPeer] section (PublicKey= on line " + first + ")");
                }
            }
            // Everything is valid: only now read the key files.
            InterfaceConfig.Builder iface = InterfaceConfig.builder().listenPort(listenPort).fwMark(fwMark).mtu(mtu)
                    .privateKey(privateKey);
            if (privateKeyFile != null) {
                iface.privateKey(readKeyFile(privateKeyFile)).privateKeyFile(privateKeyFile.path);
            }
            TunnelConfig.Builder t = TunnelConfig.builder(name).iface(iface.build()).routeTable(routeTable)
                    .routeMetric(routeMetric).description(description).addSource(source);
            for (PeerDraft p : peers) {
                PeerConfig.Builder b = PeerConfig.builder(p.publicKey).presharedKey(p.presharedKey)
                        .allowedIps(p.allowedIps).endpoint(p.endpoint).persistentKeepalive(p.keepalive)
                        .routeTable(p.routeTable).routeMetric(p.routeMetric);
                if (p.presharedKeyFile != null) {
                    b.presharedKey(readKeyFile(p.presharedKeyFile)).presharedKeyFile(p.presharedKeyFile.path);
                }
                t.addPeer(b.build());
            }
            return t.build();
        }

        private Key32 key(NetdevKey key, String v, int line) throws ConfigException {
            if (v.startsWith("@")) {
                throw error(line, key.key, ConfigError.CREDENTIALS_UNSUPPORTED,
                        "systemd credentials (@name) are not supported; use " + key.key
                                + (key == NetdevKey.PUBLIC_KEY ? "=<base64 key>" : "File=<absolute path>"));
            }
            return Base64Key.decode(v).orElseThrow(() -> error(line, key.key, ConfigError.BAD_KEY_BASE64, null));
        }

        private KeyFileRef keyFile(NetdevKey key, String v, int line) throws ConfigException {
            if (v.startsWith("@")) {
                throw error(line, key.key, ConfigError.CREDENTIALS_UNSUPPORTED, null);
            }
            Path p;
            try {
                p = Path.of(v);
            } catch (RuntimeException e) {
                throw error(line, key.key, ConfigError.KEY_FILE_NOT_ABSOLUTE, quote(v) + " is not a path");
            }
            if (!v.startsWith("/") || !p.isAbsolute()) {
                throw error(line, key.key, ConfigError.KEY_FILE_NOT_ABSOLUTE,
                        quote(v) + " is not an absolute path");
            }
            return new KeyFileRef(key.key, p.normalize(), line);
        }

        private Key32 readKeyFile(KeyFileRef ref) throws ConfigException {
            byte[] content;
            try {
                content = keys.read(ref.path);
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(file, ref.line, ref.key, ConfigError.KEY_FILE_UNREADABLE,
                        "cannot read key file " + ref.path + ": " + ConfigFiles.reason(e), e);
            }
            try {
                int from = 0;
                int to = content.length;
                while (from < to && isSpace(content[from])) {
                    from++;
                }
                while (to > from && isSpace(content[to - 1])) {
                    to--;
                }
                return Base64Key.decode(new AsciiView(content, from, to)).orElseThrow(() -> new ConfigException(file,
                        ref.line, ref.key, ConfigError.BAD_KEY_FILE, "key file " + ref.path + " does not hold a base64 key"));
            } finally {
                Arrays.fill(content, (byte) 0);
            }
        }

        private RouteTable routeTable(String key, String v, int line) throws ConfigException {
            if (NetworkdValues.bool(v).filter(b -> !b).isPresent()) {
                return RouteTable.OFF;
            }
            try {
                return RouteTable.parse(v, false, false);
            } catch (IllegalArgumentException e) {
                throw error(line, key, ConfigError.BAD_TABLE,
                        quote(v) + " is not off, a table number 1..4294967295 or a table name");
            }
        }

        private OptionalLong metric(String key, String v, int line) throws ConfigException {
            return v.isEmpty() ? OptionalLong.empty()
                    : OptionalLong.of(u32(key, v, line, ConfigError.BAD_METRIC, "a metric"));
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** A Linux interface name as systemd's {@code ifname_valid}: 1..15 printable ASCII, none of {@code / : %}, not only digits. */
    static boolean isInterfaceName(String s) {
        if (s.isEmpty() || s.length() > 15 || s.equals(".") || s.equals("..")
                || s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return s.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '/' && c != ':' && c != '%');
    }

    /** A key file setting: which key, where, on which line. */
    private record KeyFileRef(String key, Path path, int line) {}

    /** A {@code [WireGuardPeer]} section being read. */
    private static final class PeerDraft {
        final int headerLine;
        Key32 publicKey;
        int publicKeyLine;
        Key32 presharedKey;
        KeyFileRef presharedKeyFile;
        final List<Prefix> allowedIps = new ArrayList<>();
        Endpoint endpoint;
        OptionalInt keepalive = OptionalInt.empty();
        RouteTable routeTable;
        OptionalLong routeMetric = OptionalLong.empty();

        PeerDraft(int headerLine) {
            this.headerLine = headerLine;
        }
    }

    /** Key file bytes seen as characters, without copying them into a String. */
    private record AsciiView(byte[] b, int from, int to) implements CharSequence {
        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int i) {
            return (char) (b[from + i] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new AsciiView(b, from + start, from + end);
        }

        @Override
        public String toString() {
            return "AsciiView(hidden)";
        }
    }
}
