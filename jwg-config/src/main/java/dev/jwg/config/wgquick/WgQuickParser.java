package dev.jwg.config.wgquick;

import static dev.jwg.config.model.ConfigValues.quote;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import dev.jwg.config.model.ConfigValues;
import dev.jwg.config.model.HostPort;
import dev.jwg.config.model.InterfaceAddress;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.wgquick.WgQuickKey.Section;
import dev.jwg.core.crypto.KeyFormatException;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpAddress;
import dev.jwg.core.routing.IpPrefix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a wg / wg-quick configuration file ({@code wg0.conf}) into a {@link TunnelConfig}, following
 * wireguard-tools' {@code config.c} and wg-quick's {@code parse_options} (docs/protocol.md §5):
 *
 * <ul>
 *   <li>Sections {@code [Interface]} (at most one) and {@code [Peer]}; section names and keys are
 *       case-insensitive; a key before any section, an unknown section or key is an error.
 *   <li>{@code #} starts a comment. For {@code wg}'s keys all whitespace in the line is removed; the
 *       lists {@code Address} and {@code DNS} split on commas and whitespace; the hooks
 *       {@code PreUp}/{@code PostUp}/{@code PreDown}/{@code PostDown} keep the raw text after the first
 *       {@code =}, {@code #} included, as current wg-quick does.
 *   <li>List keys may repeat and accumulate; a repeated scalar key keeps the last value (as
 *       {@code wg}); a public key in two {@code [Peer]} sections is an error.
 *   <li>The interface name is the file name without {@code .conf} and must match
 *       {@code [a-zA-Z0-9_=+.-]{1,15}}.
 * </ul>
 *
 * <p>The whole file is validated before a result is returned; nothing is resolved or applied (endpoint
 * host names are kept). Error messages never contain a private or preshared key, nor text that could
 * be one. Stateless and thread-safe.
 */
public final class WgQuickParser {
    private static final Pattern INTERFACE_NAME = Pattern.compile("[a-zA-Z0-9_=+.-]{1,15}");
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");
    private static final Pattern DNS_SERVER_SHAPE = Pattern.compile("[0-9.]+|.*:.*");

    private WgQuickParser() {}

    /** Reads and parses {@code path}; the interface name comes from its file name. */
    public static TunnelConfig parse(Path path) throws ConfigException {
        return parse(path, ConfigFiles.read(path));
    }

    /**
     * Parses {@code text} as the content of a file called {@code fileName} (a base name such as
     * {@code wg0.conf}; the interface name comes from it).
     */
    public static TunnelConfig parse(String fileName, String text) throws ConfigException {
        return parse(Path.of(fileName), text);
    }

    private static TunnelConfig parse(Path source, String text) throws ConfigException {
        String fileName = ConfigFiles.baseName(source);
        return new Run(fileName, interfaceName(fileName)).parse(text, source);
    }

    /** Whether {@code name} can name a wg-quick file: {@code [a-zA-Z0-9_=+.-]{1,15}}. */
    public static boolean isValidInterfaceName(String name) {
        return INTERFACE_NAME.matcher(name).matches();
    }

    /** The interface name for a file name {@code NAME.conf}. */
    public static String interfaceName(String fileName) throws ConfigException {
        if (!fileName.endsWith(".conf")
                || !INTERFACE_NAME.matcher(fileName.substring(0, fileName.length() - 5)).matches()) {
            throw new ConfigException(fileName, 0, "", ConfigError.BAD_INTERFACE_NAME,
                    "the file name must be an interface name ([a-zA-Z0-9_=+.-]{1,15}) followed by .conf");
        }
        return fileName.substring(0, fileName.length() - 5);
    }

    /** One parse of one file. */
    private static final class Run {
        private final String file;
        private final String name;
        private final InterfaceConfig.Builder iface = InterfaceConfig.builder();
        private final List<PeerConfig> peers = new ArrayList<>();
        private final Map<PublicKey, Integer> peerLines = new HashMap<>();
        private Section section = Section.NONE;
        private int interfaceLine;
        private PeerDraft peer;

        Run(String file, String name) {
            this.file = file;
            this.name = name;
        }

        TunnelConfig parse(String text, Path source) throws ConfigException {
            String[] lines = ConfigFiles.lines(text);
            for (int i = 0; i < lines.length; i++) {
                line(lines[i], i + 1);
            }
            finishPeer();
            return TunnelConfig.builder(name).iface(iface.build()).peers(peers).addSource(source).build();
        }

        private void line(String raw, int lineNo) throws ConfigException {
            if (ConfigFiles.controlCharacter(raw) >= 0) {
                throw error(lineNo, "", ConfigError.SYNTAX, "control character in line");
            }
            int hash = raw.indexOf('#');
            String stripped = hash < 0 ? raw : raw.substring(0, hash);
            String compact = removeWhitespace(stripped);
            if (compact.isEmpty()) {
                return;
            }
            if (compact.startsWith("[")) {
                header(compact, lineNo);
                return;
            }
            int eq = stripped.indexOf('=');
            String written = eq < 0 ? "" : stripped.substring(0, eq).strip();
            // wg removes all whitespace, so "Listen Port" is ListenPort for wg's own keys.
            String keyText = removeWhitespace(written);
            if (!KEY_NAME.matcher(keyText).matches()) {
                // Do not echo the line: it might be a pasted key.
                throw error(lineNo, "", ConfigError.SYNTAX, null);
            }
            if (section == Section.NONE) {
                throw error(lineNo, keyText, ConfigError.KEY_OUTSIDE_SECTION,
                        "key before any [Interface] or [Peer] section");
            }
            WgQuickKey key = WgQuickKey.byName(keyText).orElseThrow(() -> error(lineNo, keyText,
                    ConfigError.UNKNOWN_KEY, "unknown key in [" + sectionName() + "]"));
            if (key.section != section) {
                throw error(lineNo, keyText, ConfigError.UNKNOWN_KEY,
                        key.canonical + " belongs in [" + (key.section == Section.PEER ? "Peer" : "Interface")
                                + "], not [" + sectionName() + "]");
            }
            if (key.syntax != WgQuickKey.Syntax.WG && !written.equals(keyText)) {
                // wg-quick matches its own keys on the trimmed text: it would hand this line to wg, which refuses it.
                throw error(lineNo, keyText, ConfigError.UNKNOWN_KEY,
                        "wg-quick does not recognise " + key.canonical + " with whitespace inside the key");
            }
            String value = switch (key.syntax) {
                case WG -> compact.substring(compact.indexOf('=') + 1);
                case LIST, SCALAR -> stripped.substring(eq + 1).strip();
                case RAW -> raw.substring(raw.indexOf('=') + 1).strip();
            };
            if (section == Section.INTERFACE) {
                interfaceKey(key, value, lineNo);
            } else {
                peerKey(key, value, lineNo);
            }
        }

        private String sectionName() {
            return section == Section.PEER ? "Peer" : "Interface";
        }

        private void header(String compact, int lineNo) throws ConfigException {
            String lower = compact.toLowerCase(Locale.ROOT);
            if (lower.equals("[interface]")) {
                if (interfaceLine > 0) {
                    throw error(lineNo, "", ConfigError.DUPLICATE_INTERFACE,
                            "second [Interface] section (the first is on line " + interfaceLine + ")");
                }
                finishPeer();
                interfaceLine = lineNo;
                section = Section.INTERFACE;
            } else if (lower.equals("[peer]")) {
                finishPeer();
                peer = new PeerDraft(lineNo);
                section = Section.PEER;
            } else {
                String inner = compact.endsWith("]") ? compact.substring(1, compact.length() - 1) : "";
                // Echo the name only if it cannot be a pasted key (keys are longer and contain '=').
                throw error(lineNo, "", ConfigError.UNKNOWN_SECTION, "unknown section "
                        + (KEY_NAME.matcher(inner).matches() ? quote(compact) + " " : "")
                        + "(expected [Interface] or [Peer])");
            }
        }

        private void interfaceKey(WgQuickKey key, String value, int lineNo) throws ConfigException {
            switch (key) {
                case PRIVATE_KEY -> iface.privateKey(key(key, value, lineNo, PrivateKey::fromBase64AsWritten));
                case LISTEN_PORT -> iface.listenPort(listenPort(key, value, lineNo));
                case FW_MARK -> iface.fwMark(fwMark(key, value, lineNo));
                case ADDRESS -> {
                    for (String a : splitList(value)) {
                        try {
                            iface.addAddress(InterfaceAddress.parse(a));
                        } catch (IllegalArgumentException e) {
                            throw error(lineNo, key.canonical, ConfigError.BAD_ADDRESS,
                                    quote(a) + " is not an address with optional /prefix-length");
                        }
                    }
                }
                case DNS -> {
                    for (String d : splitList(value)) {
                        dns(key, d, lineNo);
                    }
                }
                case MTU -> iface.mtu(mtu(key, value, lineNo));
                case TABLE -> {
                    try {
                        iface.table(RouteTable.parse(value, true, true));
                    } catch (IllegalArgumentException e) {
                        throw error(lineNo, key.canonical, ConfigError.BAD_TABLE,
                                quote(value) + " is not auto, off, a table number 1..4294967295 or a table name");
                    }
                }
                case PRE_UP -> iface.addPreUp(value);
                case POST_UP -> iface.addPostUp(value);
                case PRE_DOWN -> iface.addPreDown(value);
                case POST_DOWN -> iface.addPostDown(value);
                case SAVE_CONFIG -> {
                    switch (value.toLowerCase(Locale.ROOT)) {
                        case "true" -> iface.saveConfig(true);
                        case "false" -> iface.saveConfig(false);
                        default -> throw error(lineNo, key.canonical, ConfigError.BAD_BOOLEAN,
                                quote(value) + " is neither true nor false");
                    }
                }
                default -> throw new AssertionError(key);
            }
        }

        private void dns(WgQuickKey key, String d, int lineNo) throws ConfigException {
            // wg-quick's rule: an IPv4-looking value or anything with ':' is a server, the rest search domains.
            if (DNS_SERVER_SHAPE.matcher(d).matches()) {
                try {
                    iface.addDnsServer(IpAddress.parse(d));
                } catch (IllegalArgumentException e) {
                    throw error(lineNo, key.canonical, ConfigError.BAD_DNS,
                            quote(d) + " is not a valid DNS server address");
                }
            } else {
                if (!InterfaceConfig.isSearchDomain(d)) {
                    throw error(lineNo, key.canonical, ConfigError.BAD_DNS,
                            quote(d) + " is neither an IP address nor a valid search domain");
                }
                iface.addDnsSearch(d);
            }
        }

        private void peerKey(WgQuickKey key, String value, int lineNo) throws ConfigException {
            switch (key) {
                case PUBLIC_KEY -> {
                    peer.publicKey = key(key, value, lineNo, PublicKey::fromBase64);
                    peer.publicKeyLine = lineNo;
                }
                case PRESHARED_KEY -> peer.presharedKey = key(key, value, lineNo, PresharedKey::fromBase64);
                case ALLOWED_IPS -> {
                    // An empty value is allowed (wg accepts it); empty elements are not.
                    if (value.isEmpty()) {
                        return;
                    }
                    for (String p : value.split(",", -1)) {
                        try {
                            peer.allowedIps.add(IpPrefix.parseAsWritten(p));
                        } catch (IllegalArgumentException e) {
                            throw error(lineNo, key.canonical, ConfigError.BAD_PREFIX,
                                    quote(p) + " is not an IP prefix (address[/length])");
                        }
                    }
                }
                case ENDPOINT -> {
                    try {
                        peer.endpoint = HostPort.parse(value);
                    } catch (IllegalArgumentException e) {
                        throw error(lineNo, key.canonical, ConfigError.BAD_ENDPOINT, quote(value) + ": " + e.getMessage());
                    }
                }
                case PERSISTENT_KEEPALIVE -> {
                    if (value.equalsIgnoreCase("off")) {
                        peer.keepalive = 0;
                        return;
                    }
                    long v = ConfigValues.decimal(value, 65535, true);
                    if (v < 0) {
                        throw error(lineNo, key.canonical, ConfigError.BAD_KEEPALIVE,
                                quote(value) + " is neither off nor 0..65535 seconds");
                    }
                    peer.keepalive = (int) v;
                }
                default -> throw new AssertionError(key);
            }
        }

        private void finishPeer() throws ConfigException {
            if (peer == null) {
                return;
            }
            PeerDraft d = peer;
            peer = null;
            if (d.publicKey == null) {
                throw error(d.headerLine, WgQuickKey.PUBLIC_KEY.canonical, ConfigError.MISSING_PUBLIC_KEY,
                        "[Peer] section without PublicKey");
            }
            Integer first = peerLines.putIfAbsent(d.publicKey, d.publicKeyLine);
            if (first != null) {
                throw error(d.publicKeyLine, WgQuickKey.PUBLIC_KEY.canonical, ConfigError.DUPLICATE_PEER,
                        "this peer already has a [Peer] section (PublicKey on line " + first + ")");
            }
            PeerConfig.Builder b = PeerConfig.builder(d.publicKey).presharedKey(d.presharedKey)
                    .allowedIps(d.allowedIps).endpoint(d.endpoint);
            if (d.keepalive >= 0) {
                b.persistentKeepalive(d.keepalive);
            }
            peers.add(b.build());
        }

        private <K> K key(WgQuickKey key, String value, int lineNo, ConfigValues.KeyDecoder<K> decoder)
                throws ConfigException {
            try {
                return decoder.decode(value);
            } catch (KeyFormatException e) {
                throw error(lineNo, key.canonical, ConfigError.BAD_KEY_BASE64, null);
            }
        }

        private int listenPort(WgQuickKey key, String value, int lineNo) throws ConfigException {
            long v = ConfigValues.decimal(value, 65535, true);
            if (v < 0) {
                boolean service = !value.isEmpty() && value.chars().anyMatch(Character::isLetter);
                throw error(lineNo, key.canonical, ConfigError.BAD_PORT, quote(value) + " is not a port number 0..65535"
                        + (service ? " (service names are not supported)" : ""));
            }
            return (int) v;
        }

        private long fwMark(WgQuickKey key, String value, int lineNo) throws ConfigException {
            if (value.equalsIgnoreCase("off")) {
                return 0;
            }
            long v = value.length() > 2 && value.startsWith("0x") ? ConfigValues.hex(value.substring(2), 16)
                    : ConfigValues.decimal(value, 0xffff_ffffL, true);
            if (v < 0) {
                throw error(lineNo, key.canonical, ConfigError.BAD_FWMARK,
                        quote(value) + " is neither off nor 0..0xffffffff (decimal or 0x hex)");
            }
            return v;
        }

        private int mtu(WgQuickKey key, String value, int lineNo) throws ConfigException {
            long v = ConfigValues.decimal(value, Integer.MAX_VALUE, true);
            if (v < InterfaceConfig.MIN_MTU || v > InterfaceConfig.MAX_MTU) {
                throw error(lineNo, key.canonical, ConfigError.BAD_MTU, quote(value) + " is not an MTU "
                        + InterfaceConfig.MIN_MTU + ".." + InterfaceConfig.MAX_MTU);
            }
            return (int) v;
        }

        private ConfigException error(int lineNo, String key, ConfigError reason, String detail) {
            return new ConfigException(file, lineNo, key, reason, detail);
        }
    }

    /** A peer section being read. */
    private static final class PeerDraft {
        final int headerLine;
        PublicKey publicKey;
        int publicKeyLine;
        PresharedKey presharedKey;
        final List<IpPrefix> allowedIps = new ArrayList<>();
        HostPort endpoint;
        int keepalive = -1;

        PeerDraft(int headerLine) {
            this.headerLine = headerLine;
        }
    }

    static String removeWhitespace(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isSpace(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** C's {@code isspace} in the C locale, which {@code wg} uses. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split("[, \t\\x0B\f\r]+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
