package dev.jwg.config.networkd;

import static dev.jwg.config.model.ConfigValues.quote;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import dev.jwg.config.model.ConfigNote;
import dev.jwg.config.model.ConfigValues;
import dev.jwg.config.model.HostPort;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.NetdevKey.Section;
import dev.jwg.core.crypto.KeyFormatException;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;
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
 * Parses a systemd-networkd {@code .netdev} file of {@code Kind=wireguard}, with its drop-ins, into a
 * {@link TunnelConfig} (systemd.netdev(5), docs/networkd.md), as networkd reads it: syntax as
 * {@link UnitFile}; sections {@code [Match]}, {@code [NetDev]}, {@code [WireGuard]} and any number of
 * {@code [WireGuardPeer]}. Every key networkd defines there is recognised, with the deprecated
 * {@code FwMark=}; those jwg applies ({@link NetdevKey}) are checked, a bad value being an error naming
 * file, line and key; the others ({@link KnownKeys}) are noted. An unknown key or section is skipped
 * with a warning, and the sections of other kinds of netdev with a note, as networkd skips them.
 *
 * <p>Stricter than networkd where it would bring up a broken link: a peer without a public key, a
 * public key in two peers, a missing {@code Name=} or {@code Kind=}, or another kind, is an error. A
 * repeated scalar key keeps its last value; an empty assignment resets a key to its default
 * ({@code AllowedIPs=} clears the list collected so far).
 *
 * <p>{@code PrivateKeyFile=}, {@code PublicKeyFile=} and {@code PresharedKeyFile=} must be absolute;
 * they are read through a {@link KeyFileReader} after the whole file has been validated, and override
 * {@code PrivateKey=} / {@code PublicKey=} / {@code PresharedKey=} as in networkd. Credentials
 * ({@code @name}) are refused. Messages never contain key material. Stateless and thread-safe.
 */
public final class NetdevParser {
    private NetdevParser() {}

    /** Reads and parses {@code path}, reading key files from the file system. */
    public static TunnelConfig parse(Path path) throws ConfigException {
        return parse(path, KeyFileReader.FILES);
    }

    /** Reads and parses {@code path}, reading key files through {@code keys}; warnings and notes are discarded. */
    public static TunnelConfig parse(Path path, KeyFileReader keys) throws ConfigException {
        return parse(path, List.of(NetworkParser.Source.read(path)), keys, new ArrayList<>());
    }

    /** Parses {@code text} as the content of a file called {@code fileName}; warnings and notes are discarded. */
    public static TunnelConfig parse(String fileName, String text, KeyFileReader keys) throws ConfigException {
        return parse(Path.of(fileName), List.of(new NetworkParser.Source(fileName, text)), keys, new ArrayList<>());
    }

    /**
     * Parses a {@code .netdev} followed by its drop-ins.
     *
     * @param source the {@code .netdev} file, recorded as the tunnel's first source
     * @param files its text first, then the drop-ins in the order networkd reads them
     * @param keys reads the key files
     * @param notes where warnings and notes are added
     */
    public static TunnelConfig parse(Path source, List<NetworkParser.Source> files, KeyFileReader keys,
            List<ConfigNote> notes) throws ConfigException {
        Run r = new Run(source, keys, notes);
        for (NetworkParser.Source f : files) {
            r.read(f.fileName(), f.text());
        }
        r.endSection();
        return r.finish();
    }

    /** One parse of one file. */
    private static final class Run extends UnitRun<Section> {
        private final Path source;
        private final KeyFileReader keys;
        private int netdevLine;
        private String netdevFile;
        private String name;
        private String kind;
        private OptionalInt mtu = OptionalInt.empty();
        private String description;
        private PrivateKey privateKey;
        private KeyFileRef privateKeyFile;
        private OptionalInt listenPort = OptionalInt.empty();
        private OptionalLong fwMark = OptionalLong.empty();
        private RouteTable routeTable;
        private OptionalLong routeMetric = OptionalLong.empty();
        private final List<PeerDraft> peers = new ArrayList<>();

        Run(Path source, KeyFileReader keys, List<ConfigNote> notes) {
            super(ConfigFiles.baseName(source), Section.values(), s -> s.header, KnownKeys.File.NETDEV, notes);
            this.source = source;
            this.keys = keys;
        }

        @Override
        void beginSection(Section s, int line) {
            switch (s) {
                case NETDEV -> {
                    if (netdevLine == 0) {
                        netdevLine = line;
                        netdevFile = file;
                    }
                }
                case PEER -> peers.add(new PeerDraft(file, line));
                case MATCH, WIREGUARD -> { }
            }
        }

        @Override
        void assignment(Section s, String k, String v, int line) throws ConfigException {
            java.util.Optional<NetdevKey> found = NetdevKey.of(s, k);
            if (found.isEmpty()) {
                notApplied(s.header, k, v, line);
                return;
            }
            NetdevKey key = found.get();
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
                case PRIVATE_KEY -> privateKey = v.isEmpty() ? null
                        : key(key, v, line, PrivateKey::fromBase64AsWritten);
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
                case FIREWALL_MARK, FW_MARK -> {
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
                case PUBLIC_KEY, PUBLIC_KEY_FILE, PRESHARED_KEY, PRESHARED_KEY_FILE, ALLOWED_IPS, ENDPOINT,
                        PERSISTENT_KEEPALIVE, PEER_ROUTE_TABLE, PEER_ROUTE_METRIC -> peerKey(peers.getLast(), key, v, line);
            }
        }

        private void peerKey(PeerDraft p, NetdevKey key, String v, int line) throws ConfigException {
            switch (key) {
                case PUBLIC_KEY -> {
                    p.publicKey = v.isEmpty() ? null : key(key, v, line, PublicKey::fromBase64);
                    p.publicKeyLine = line;
                    p.publicKeyFileName = file;
                }
                case PUBLIC_KEY_FILE -> {
                    p.publicKeyFile = v.isEmpty() ? null : keyFile(key, v, line);
                    p.publicKeyLine = line;
                    p.publicKeyFileName = file;
                }
                case PRESHARED_KEY -> p.presharedKey = v.isEmpty() ? null : key(key, v, line, PresharedKey::fromBase64);
                case PRESHARED_KEY_FILE -> p.presharedKeyFile = v.isEmpty() ? null : keyFile(key, v, line);
                case ALLOWED_IPS -> {
                    if (v.isEmpty()) {
                        p.allowedIps.clear();
                        return;
                    }
                    for (String w : NetworkdValues.words(v)) {
                        try {
                            p.allowedIps.add(IpPrefix.parseAsWritten(w));
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
                        p.endpoint = HostPort.parse(v);
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

        TunnelConfig finish() throws ConfigException {
            String main = ConfigFiles.baseName(source);
            if (kind == null) {
                throw new ConfigException(netdevFile != null ? netdevFile : main, netdevLine, NetdevKey.KIND.key,
                        ConfigError.MISSING_KIND, "[NetDev] has no Kind=wireguard");
            }
            if (name == null) {
                throw new ConfigException(netdevFile != null ? netdevFile : main, netdevLine, NetdevKey.NAME.key,
                        ConfigError.MISSING_NAME, "[NetDev] has no Name=");
            }
            Map<PublicKey, String> seen = new HashMap<>();
            for (PeerDraft p : peers) {
                if (p.publicKeyFile != null) {
                    p.publicKey = readKeyFile(p.publicKeyFile, PublicKey::fromBase64); // read now, to check for duplicates
                }
                if (p.publicKey == null) {
                    throw new ConfigException(p.file, p.headerLine, NetdevKey.PUBLIC_KEY.key, ConfigError.MISSING_PUBLIC_KEY,
                            "[WireGuardPeer] section without PublicKey=");
                }
                String here = p.publicKeyFileName + ":" + p.publicKeyLine;
                String first = seen.putIfAbsent(p.publicKey, here);
                if (first != null) {
                    throw new ConfigException(p.publicKeyFileName, p.publicKeyLine, NetdevKey.PUBLIC_KEY.key,
                            ConfigError.DUPLICATE_PEER, "this peer already has a [WireGuardPeer] section (its public key is set at "
                                    + (first.startsWith(p.publicKeyFileName + ":") ? "line " + first.substring(first.indexOf(':') + 1) : first) + ")");
                }
            }
            // Everything is valid: only now read the key files.
            InterfaceConfig.Builder iface = InterfaceConfig.builder().listenPort(listenPort).fwMark(fwMark).mtu(mtu)
                    .privateKey(privateKey);
            if (privateKeyFile != null) {
                iface.privateKey(readKeyFile(privateKeyFile, PrivateKey::fromBase64AsWritten))
                        .privateKeyFile(privateKeyFile.path);
            }
            TunnelConfig.Builder t = TunnelConfig.builder(name).iface(iface.build()).routeTable(routeTable)
                    .routeMetric(routeMetric).description(description).addSource(source);
            for (PeerDraft p : peers) {
                PeerConfig.Builder b = PeerConfig.builder(p.publicKey).presharedKey(p.presharedKey)
                        .allowedIps(p.allowedIps).endpoint(p.endpoint).persistentKeepalive(p.keepalive)
                        .routeTable(p.routeTable).routeMetric(p.routeMetric);
                if (p.presharedKeyFile != null) {
                    b.presharedKey(readKeyFile(p.presharedKeyFile, PresharedKey::fromBase64))
                            .presharedKeyFile(p.presharedKeyFile.path);
                }
                t.addPeer(b.build());
            }
            return t.build();
        }

        private <K> K key(NetdevKey key, String v, int line, ConfigValues.KeyDecoder<K> decoder)
                throws ConfigException {
            if (v.startsWith("@")) {
                throw error(line, key.key, ConfigError.CREDENTIALS_UNSUPPORTED,
                        "systemd credentials (@name) are not supported; use " + key.key
                                + (key == NetdevKey.PUBLIC_KEY ? "=<base64 key>" : "File=<absolute path>"));
            }
            try {
                return decoder.decode(v);
            } catch (KeyFormatException e) {
                throw error(line, key.key, ConfigError.BAD_KEY_BASE64, null);
            }
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
            return new KeyFileRef(key.key, p.normalize(), file, line);
        }

        private <K> K readKeyFile(KeyFileRef ref, ConfigValues.KeyDecoder<K> decoder) throws ConfigException {
            byte[] content;
            try {
                content = keys.read(ref.path);
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(ref.file, ref.line, ref.key, ConfigError.KEY_FILE_UNREADABLE,
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
                return decoder.decode(new AsciiView(content, from, to));
            } catch (KeyFormatException e) {
                throw new ConfigException(ref.file, ref.line, ref.key, ConfigError.BAD_KEY_FILE,
                        "key file " + ref.path + " does not hold a base64 key");
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
    private record KeyFileRef(String key, Path path, String file, int line) {}

    /** A {@code [WireGuardPeer]} section being read. */
    private static final class PeerDraft {
        final String file;
        final int headerLine;
        PublicKey publicKey;
        KeyFileRef publicKeyFile;
        int publicKeyLine;
        String publicKeyFileName;
        PresharedKey presharedKey;
        KeyFileRef presharedKeyFile;
        final List<IpPrefix> allowedIps = new ArrayList<>();
        HostPort endpoint;
        OptionalInt keepalive = OptionalInt.empty();
        RouteTable routeTable;
        OptionalLong routeMetric = OptionalLong.empty();

        PeerDraft(String file, int headerLine) {
            this.file = file;
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
