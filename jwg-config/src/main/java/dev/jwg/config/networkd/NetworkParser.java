package dev.jwg.config.networkd;

import static dev.jwg.config.model.ConfigValues.quote;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import dev.jwg.config.model.InterfaceAddress;
import dev.jwg.config.model.IpAddress;
import dev.jwg.config.model.NameGlob;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.RouteConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.RuleConfig;
import dev.jwg.config.networkd.NetworkKey.Section;
import dev.jwg.config.networkd.UnitFile.Assignment;
import dev.jwg.config.networkd.UnitFile.Header;
import dev.jwg.config.networkd.UnitFile.Item;
import dev.jwg.config.uapi.Prefix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Parses the parts of a systemd-networkd {@code .network} file that concern a WireGuard link
 * (systemd.network(5), wireguard-facts §6.2): {@code [Match] Name=}, {@code [Network] Address=},
 * {@code DNS=}, {@code Domains=}, {@code [Address] Address=}, {@code [Link] MTUBytes=}, {@code [Route]}
 * and {@code [RoutingPolicyRule]} sections. Syntax as {@link UnitFile}; {@code X-} sections and keys
 * are ignored as in systemd; every other section or key is refused as unsupported, so nothing a
 * user wrote is silently ignored.
 *
 * <p>An empty assignment resets a list ({@code Name=}, {@code Address=}, {@code DNS=},
 * {@code Domains=}) or a value to its default. Stateless and thread-safe.
 */
public final class NetworkParser {
    private NetworkParser() {}

    /** Reads and parses {@code path}. */
    public static NetworkConfig parse(Path path) throws ConfigException {
        return parse(ConfigFiles.baseName(path), ConfigFiles.read(path));
    }

    /** Parses {@code text} as the content of a file called {@code fileName}. */
    public static NetworkConfig parse(String fileName, String text) throws ConfigException {
        return new Run(fileName).parse(text);
    }

    /**
     * The {@code [Match] Name=} patterns of a file, read leniently (malformed lines and unknown keys are
     * skipped): used to decide whether a file concerns an interface before parsing it strictly.
     */
    static List<String> scanMatchNames(String fileName, String text) {
        List<String> names = new ArrayList<>();
        boolean inMatch = false;
        try {
            for (Item item : UnitFile.lex(fileName, text, true)) {
                switch (item) {
                    case Header h -> inMatch = h.name().equals(Section.MATCH.header);
                    case Assignment a -> {
                        if (inMatch && a.key().equals(NetworkKey.MATCH_NAME.key)) {
                            if (a.value().isEmpty()) {
                                names.clear();
                            } else {
                                names.addAll(matchWords(a.value()));
                            }
                        }
                    }
                }
            }
        } catch (ConfigException e) {
            throw new AssertionError("lenient lexing does not fail", e);
        }
        return names;
    }

    /** The patterns of one {@code Name=} value: a leading {@code !} negates every word of the line. */
    private static List<String> matchWords(String v) {
        boolean invert = v.startsWith("!");
        List<String> out = new ArrayList<>();
        for (String w : NetworkdValues.spaceWords(invert ? v.substring(1) : v)) {
            out.add(invert ? "!" + w : w);
        }
        return out;
    }

    /** One parse of one file. */
    private static final class Run extends UnitRun<Section> {
        private final NetworkConfig.Builder net = NetworkConfig.builder();
        private SectionDraft draft;

        Run(String file) {
            super(file, Section.values(), s -> s.header);
        }

        NetworkConfig parse(String text) throws ConfigException {
            read(text);
            endSection();
            return net.build();
        }

        @Override
        String unknownSection(String echo) {
            return "section " + echo + "is not supported (supported: [Match], [Network], "
                    + "[Address], [Link], [Route], [RoutingPolicyRule])";
        }

        @Override
        void beginSection(Section s, int line) {
            draft = switch (s) {
                case ADDRESS, ROUTE, RULE -> new SectionDraft(s, line);
                default -> null;
            };
        }

        @Override
        void assignment(Section s, String k, String v, int line) throws ConfigException {
            NetworkKey key = NetworkKey.of(s, k).orElseThrow(() -> error(line, k,
                    ConfigError.UNKNOWN_KEY, "key not supported in [" + s.header + "]"));
            switch (key) {
                case MATCH_NAME -> {
                    if (v.isEmpty()) {
                        net.clearMatchNames();
                        return;
                    }
                    for (String w : matchWords(v)) {
                        if (!NameGlob.isValidPattern(w)) {
                            throw error(line, key.key, ConfigError.BAD_MATCH_NAME, quote(w)
                                    + " is not an interface name pattern");
                        }
                        net.addMatchName(w);
                    }
                }
                case ADDRESS -> {
                    if (v.isEmpty()) {
                        net.clearAddresses();
                    } else {
                        net.addAddress(address(key.key, v, line));
                    }
                }
                case DNS -> {
                    if (v.isEmpty()) {
                        net.clearDns();
                        return;
                    }
                    for (String w : NetworkdValues.spaceWords(v)) {
                        try {
                            net.addDns(IpAddress.parse(w));
                        } catch (IllegalArgumentException e) {
                            throw error(line, key.key, ConfigError.BAD_DNS, quote(w)
                                    + " is not a DNS server address (names, ports and interfaces are not supported)");
                        }
                    }
                }
                case DOMAINS -> {
                    if (v.isEmpty()) {
                        net.clearDomains();
                        return;
                    }
                    for (String w : NetworkdValues.spaceWords(v)) {
                        if (!NetworkConfig.isDomain(w)) {
                            throw error(line, key.key, ConfigError.BAD_DNS, quote(w) + " is not a domain");
                        }
                        net.addDomain(w);
                    }
                }
                case ADDRESS_ADDRESS -> draft.set(key, v.isEmpty() ? null : address(key.key, v, line), line);
                case LINK_MTU_BYTES -> net.mtu(mtu(key.key, v, line));
                case ROUTE_DESTINATION, RULE_FROM, RULE_TO -> draft.set(key, v.isEmpty() ? null : prefix(key.key, v, line), line);
                case ROUTE_GATEWAY -> {
                    if (v.isEmpty()) {
                        draft.set(key, null, line);
                        return;
                    }
                    try {
                        draft.set(key, IpAddress.parse(v), line);
                    } catch (IllegalArgumentException e) {
                        throw error(line, key.key, ConfigError.BAD_ADDRESS, quote(v)
                                + " is not a gateway address (_dhcp4 and _ipv6ra are not supported)");
                    }
                }
                case ROUTE_GATEWAY_ON_LINK, RULE_INVERT -> draft.set(key, v.isEmpty() ? null : bool(key.key, v, line), line);
                case ROUTE_METRIC -> draft.set(key, v.isEmpty() ? null : u32(key.key, v, line, ConfigError.BAD_METRIC, "a metric"), line);
                case RULE_PRIORITY -> draft.set(key, v.isEmpty() ? null : u32(key.key, v, line, ConfigError.BAD_PRIORITY, "a priority"), line);
                case ROUTE_TABLE, RULE_TABLE -> {
                    if (v.isEmpty()) {
                        draft.set(key, null, line);
                        return;
                    }
                    try {
                        draft.set(key, RouteTable.parse(v, false, false), line);
                    } catch (IllegalArgumentException e) {
                        throw error(line, key.key, ConfigError.BAD_TABLE,
                                quote(v) + " is not a table number 1..4294967295 or a table name");
                    }
                }
                case ROUTE_TYPE -> {
                    if (v.isEmpty()) {
                        draft.set(key, null, line);
                        return;
                    }
                    draft.set(key, RouteConfig.Type.of(v).orElseThrow(() -> error(line, key.key, ConfigError.BAD_ROUTE_TYPE,
                            quote(v) + " is not a supported route type (unicast, blackhole, unreachable, "
                                    + "prohibit, throw)")), line);
                }
                case RULE_TYPE -> {
                    if (v.isEmpty()) {
                        draft.set(key, null, line);
                        return;
                    }
                    draft.set(key, RuleConfig.Type.of(v).orElseThrow(() -> error(line, key.key, ConfigError.BAD_RULE_TYPE,
                            quote(v) + " is not a supported rule type (blackhole, unreachable, prohibit)")),
                            line);
                }
                case RULE_FAMILY -> {
                    if (v.isEmpty()) {
                        draft.set(key, null, line);
                        return;
                    }
                    draft.set(key, RuleConfig.Family.of(v).orElseThrow(() -> error(line, key.key, ConfigError.BAD_FAMILY,
                            quote(v) + " is not ipv4, ipv6 or both")), line);
                }
                case RULE_INCOMING_INTERFACE, RULE_OUTGOING_INTERFACE -> {
                    if (!v.isEmpty() && !NetdevParser.isInterfaceName(v)) {
                        throw error(line, key.key, ConfigError.BAD_INTERFACE_NAME,
                                quote(v) + " is not an interface name");
                    }
                    draft.set(key, v.isEmpty() ? null : v, line);
                }
                case RULE_FIREWALL_MARK -> draft.set(key, v.isEmpty() ? null : mark(key.key, v, line), line);
                case RULE_SUPPRESS_PREFIX_LENGTH -> {
                    if (v.isEmpty()) {
                        draft.set(key, null, line);
                        return;
                    }
                    long n = NetworkdValues.decimal(v, 128);
                    if (n < 0) {
                        throw error(line, key.key, ConfigError.BAD_SUPPRESS_PREFIX_LENGTH,
                                quote(v) + " is not a prefix length 0..128");
                    }
                    draft.set(key, (int) n, line);
                }
            }
        }

        @Override
        void endSection() throws ConfigException {
            if (draft == null) {
                return;
            }
            SectionDraft d = draft;
            draft = null;
            switch (d.section) {
                case ADDRESS -> {
                    InterfaceAddress a = d.get(NetworkKey.ADDRESS_ADDRESS);
                    if (a == null) {
                        throw error(d.line, NetworkKey.ADDRESS_ADDRESS.key, ConfigError.BAD_ADDRESS,
                                "[Address] section without Address=");
                    }
                    net.addAddress(a);
                }
                case ROUTE -> {
                    Prefix dst = d.get(NetworkKey.ROUTE_DESTINATION);
                    IpAddress gw = d.get(NetworkKey.ROUTE_GATEWAY);
                    if (dst != null && gw != null && dst.isIPv4() != gw.isIPv4()) {
                        NetworkKey later = d.line(NetworkKey.ROUTE_GATEWAY) > d.line(NetworkKey.ROUTE_DESTINATION)
                                ? NetworkKey.ROUTE_GATEWAY : NetworkKey.ROUTE_DESTINATION;
                        throw error(d.line(later), later.key, ConfigError.FAMILY_MISMATCH,
                                "Gateway= and Destination= are of different address families");
                    }
                    Long metric = d.get(NetworkKey.ROUTE_METRIC);
                    net.addRoute(RouteConfig.builder().destination(dst).gateway(gw)
                            .gatewayOnLink(d.get(NetworkKey.ROUTE_GATEWAY_ON_LINK))
                            .type(d.get(NetworkKey.ROUTE_TYPE))
                            .metric(metric == null ? OptionalLong.empty() : OptionalLong.of(metric))
                            .table(d.get(NetworkKey.ROUTE_TABLE)).build());
                }
                case RULE -> {
                    Prefix from = d.get(NetworkKey.RULE_FROM);
                    Prefix to = d.get(NetworkKey.RULE_TO);
                    if (from != null && to != null && from.isIPv4() != to.isIPv4()) {
                        NetworkKey later = d.line(NetworkKey.RULE_TO) > d.line(NetworkKey.RULE_FROM)
                                ? NetworkKey.RULE_TO : NetworkKey.RULE_FROM;
                        throw error(d.line(later), later.key, ConfigError.FAMILY_MISMATCH,
                                "From= and To= are of different address families");
                    }
                    RuleConfig.Family family = d.get(NetworkKey.RULE_FAMILY);
                    Prefix any = from != null ? from : to;
                    if (family != null && any != null
                            && family != (any.isIPv4() ? RuleConfig.Family.IPV4 : RuleConfig.Family.IPV6)) {
                        throw error(d.line(NetworkKey.RULE_FAMILY), NetworkKey.RULE_FAMILY.key, ConfigError.FAMILY_MISMATCH,
                                "Family=" + family.keyword() + " conflicts with the family of From=/To=");
                    }
                    Long priority = d.get(NetworkKey.RULE_PRIORITY);
                    Integer suppress = d.get(NetworkKey.RULE_SUPPRESS_PREFIX_LENGTH);
                    net.addRule(RuleConfig.builder().from(from).to(to).table(d.get(NetworkKey.RULE_TABLE))
                            .priority(priority == null ? OptionalLong.empty() : OptionalLong.of(priority))
                            .incomingInterface(d.get(NetworkKey.RULE_INCOMING_INTERFACE))
                            .outgoingInterface(d.get(NetworkKey.RULE_OUTGOING_INTERFACE))
                            .firewallMark(d.get(NetworkKey.RULE_FIREWALL_MARK))
                            .invert(d.get(NetworkKey.RULE_INVERT))
                            .suppressPrefixLength(suppress == null ? OptionalInt.empty() : OptionalInt.of(suppress))
                            .family(family).type(d.get(NetworkKey.RULE_TYPE)).build());
                }
                default -> { }
            }
        }

        private InterfaceAddress address(String key, String v, int line) throws ConfigException {
            try {
                return InterfaceAddress.parse(v);
            } catch (IllegalArgumentException e) {
                throw error(line, key, ConfigError.BAD_ADDRESS, quote(v)
                        + " is not an address with optional /prefix-length");
            }
        }

        private Prefix prefix(String key, String v, int line) throws ConfigException {
            try {
                return IpAddress.parsePrefix(v);
            } catch (IllegalArgumentException e) {
                throw error(line, key, ConfigError.BAD_PREFIX, quote(v) + " is not an IP prefix");
            }
        }

        private Boolean bool(String key, String v, int line) throws ConfigException {
            return NetworkdValues.bool(v).orElseThrow(() -> error(line, key, ConfigError.BAD_BOOLEAN,
                    quote(v) + " is not a boolean (yes/no, true/false, on/off, 1/0)"));
        }

        private RuleConfig.Mark mark(String key, String v, int line) throws ConfigException {
            int slash = v.indexOf('/');
            long value = NetworkdValues.u32(slash < 0 ? v : v.substring(0, slash));
            long mask = slash < 0 ? 0 : NetworkdValues.u32(v.substring(slash + 1));
            if (value < 0 || mask < 0) {
                throw error(line, key, ConfigError.BAD_FWMARK, quote(v)
                        + " is not a mark[/mask] of 0..4294967295 each");
            }
            return new RuleConfig.Mark(value, slash < 0 ? OptionalLong.empty() : OptionalLong.of(mask));
        }
    }

    /** Values and their lines for one {@code [Address]}, {@code [Route]} or {@code [RoutingPolicyRule]} section. */
    private static final class SectionDraft {
        final Section section;
        /** The line of the section's header. */
        final int line;
        private final EnumMap<NetworkKey, Object> values = new EnumMap<>(NetworkKey.class);
        private final EnumMap<NetworkKey, Integer> lines = new EnumMap<>(NetworkKey.class);

        SectionDraft(Section section, int line) {
            this.section = section;
            this.line = line;
        }

        void set(NetworkKey key, Object value, int line) {
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
            lines.put(key, line);
        }

        @SuppressWarnings("unchecked")
        <T> T get(NetworkKey key) {
            return (T) values.get(key);
        }

        int line(NetworkKey key) {
            return lines.getOrDefault(key, 0);
        }
    }
}
