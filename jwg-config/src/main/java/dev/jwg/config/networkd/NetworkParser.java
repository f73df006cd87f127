package dev.jwg.config.networkd;

import static dev.jwg.config.model.ConfigValues.quote;

import dev.jwg.config.model.AddressConfig;
import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import dev.jwg.config.model.ConfigNote;
import dev.jwg.config.model.DnsServer;
import dev.jwg.config.model.InterfaceAddress;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.model.MatchCondition;
import dev.jwg.config.model.NameGlob;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.NetworkConfig.LinkSysctls;
import dev.jwg.config.model.RouteConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.RuleConfig;
import dev.jwg.config.networkd.NetworkKey.Section;
import dev.jwg.config.networkd.UnitFile.Assignment;
import dev.jwg.config.networkd.UnitFile.Header;
import dev.jwg.config.networkd.UnitFile.Item;
import dev.jwg.core.routing.IpAddress;
import dev.jwg.core.routing.IpPrefix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Parses a systemd-networkd {@code .network} file, and its drop-ins, for a WireGuard link
 * (systemd.network(5), docs/networkd.md), as networkd reads it: syntax as {@link UnitFile}; every
 * key networkd defines in {@code [Match]}, {@code [Link]}, {@code [Network]}, {@code [Address]},
 * {@code [Route]} and {@code [RoutingPolicyRule]} is recognised, with its legacy aliases. The keys jwg
 * applies ({@link NetworkKey}) are checked and kept in the {@link NetworkConfig}; a bad value is an
 * error naming file, line and key. The keys that do nothing for a WireGuard link ({@link KnownKeys})
 * are accepted, with a one-line note where the value asks for something; an unknown key or section is
 * skipped with a warning, as networkd skips it. Sections of other features ({@code [DHCPv4]}, traffic
 * control, ...) are noted once and skipped.
 *
 * <p>An empty assignment resets a list or a value to its default. A drop-in is read after the main
 * file as if appended to it, its messages naming the drop-in. Stateless and thread-safe.
 */
public final class NetworkParser {
    /** Protocol names networkd's {@code IPProtocol=} takes (those of {@code netinet/in.h}), with their numbers. */
    private static final java.util.Map<String, Integer> IP_PROTOCOLS = java.util.Map.ofEntries(
            java.util.Map.entry("ip", 0), java.util.Map.entry("icmp", 1), java.util.Map.entry("igmp", 2),
            java.util.Map.entry("ipip", 4), java.util.Map.entry("tcp", 6), java.util.Map.entry("egp", 8),
            java.util.Map.entry("pup", 12), java.util.Map.entry("udp", 17), java.util.Map.entry("idp", 22),
            java.util.Map.entry("tp", 29), java.util.Map.entry("dccp", 33), java.util.Map.entry("ipv6", 41),
            java.util.Map.entry("rsvp", 46), java.util.Map.entry("gre", 47), java.util.Map.entry("esp", 50),
            java.util.Map.entry("ah", 51), java.util.Map.entry("icmpv6", 58), java.util.Map.entry("mtp", 92),
            java.util.Map.entry("beetph", 94), java.util.Map.entry("encap", 98), java.util.Map.entry("pim", 103),
            java.util.Map.entry("comp", 108), java.util.Map.entry("l2tp", 115), java.util.Map.entry("sctp", 132),
            java.util.Map.entry("udplite", 136), java.util.Map.entry("mpls", 137), java.util.Map.entry("ethernet", 143),
            java.util.Map.entry("raw", 255));

    private NetworkParser() {}

    /** One file's name and text: the {@code .network} or one of its drop-ins. */
    public record Source(String fileName, String text) {
        /** Reads {@code path}. */
        public static Source read(Path path) throws ConfigException {
            return new Source(ConfigFiles.baseName(path), ConfigFiles.read(path));
        }

        /** Never shows the text. */
        @Override
        public String toString() {
            return "Source[" + fileName + "]";
        }
    }

    /** Reads and parses {@code path}, discarding warnings and notes. */
    public static NetworkConfig parse(Path path) throws ConfigException {
        return parse(List.of(Source.read(path)), new ArrayList<>());
    }

    /** Parses {@code text} as the content of a file called {@code fileName}, discarding warnings and notes. */
    public static NetworkConfig parse(String fileName, String text) throws ConfigException {
        return parse(List.of(new Source(fileName, text)), new ArrayList<>());
    }

    /**
     * Parses a {@code .network} file followed by its drop-ins.
     *
     * @param files the main file first, then the drop-ins in the order networkd reads them
     * @param notes where warnings and notes are added, in file order
     */
    public static NetworkConfig parse(List<Source> files, List<ConfigNote> notes) throws ConfigException {
        Run r = new Run(files.getFirst().fileName(), notes);
        for (Source s : files) {
            r.read(s.fileName(), s.text());
        }
        r.endSection();
        r.end();
        return r.net.link(r.linkSettings()).sysctls(r.sysctls()).build();
    }

    /**
     * The {@code [Match]} settings of a file and its drop-ins, read leniently (malformed lines and bad
     * values are skipped): to decide whether a file concerns an interface before parsing it strictly.
     */
    static NetworkConfig scanMatch(List<Source> files) {
        NetworkConfig.Builder b = NetworkConfig.builder();
        for (Source s : files) {
            boolean inMatch = false;
            try {
                for (Item item : UnitFile.lex(s.fileName(), s.text(), true)) {
                    switch (item) {
                        case Header h -> inMatch = h.name().equals(Section.MATCH.header);
                        case Assignment a -> {
                            if (inMatch) {
                                try {
                                    match(b, a.key(), a.value());
                                } catch (IllegalArgumentException ignored) {
                                    // networkd skips a bad pattern too
                                }
                            }
                        }
                    }
                }
            } catch (ConfigException e) {
                throw new AssertionError("lenient lexing does not fail", e);
            }
        }
        return b.build();
    }

    /** Adds one {@code [Match]} assignment jwg evaluates; false if {@code key} is not one. */
    private static boolean match(NetworkConfig.Builder b, String key, String v) {
        if (key.equals(NetworkKey.MATCH_NAME.key)) {
            if (v.isEmpty()) {
                b.clearMatchNames();
            } else {
                for (String w : matchWords(v)) {
                    if (!NameGlob.isValidPattern(w)) {
                        throw new IllegalArgumentException(quote(w) + " is not an interface name pattern");
                    }
                    b.addMatchName(w);
                }
            }
            return true;
        }
        if (MatchCondition.KEYS.contains(key)) {
            if (v.isEmpty()) {
                b.clearMatch(key);
            } else {
                b.addMatchPatterns(key, matchWords(v));
            }
            return true;
        }
        return false;
    }

    /** The patterns of one match value: a leading {@code !} negates every word of the line. */
    private static List<String> matchWords(String v) {
        boolean invert = v.startsWith("!");
        List<String> out = new ArrayList<>();
        for (String w : NetworkdValues.spaceWords(invert ? v.substring(1) : v)) {
            out.add(invert ? "!" + w : w);
        }
        return out;
    }

    /** One parse of one file with its drop-ins. */
    private static final class Run extends UnitRun<Section> {
        private final NetworkConfig.Builder net = NetworkConfig.builder();
        private SectionDraft draft;
        private Optional<Boolean> arp = Optional.empty();
        private Optional<Boolean> multicast = Optional.empty();
        private Optional<Boolean> allMulticast = Optional.empty();
        private Optional<Boolean> promiscuous = Optional.empty();
        private OptionalLong group = OptionalLong.empty();
        private boolean unmanaged;
        private Optional<LinkSysctls.LinkLocal> linkLocal = Optional.empty();
        private Optional<LinkSysctls.AddressGeneration> linkLocalMode = Optional.empty();
        private Optional<IpAddress> stableSecret = Optional.empty();
        private Optional<Boolean> acceptRa = Optional.empty();
        private Optional<LinkSysctls.PrivacyExtensions> privacy = Optional.empty();
        private OptionalInt hopLimit = OptionalInt.empty();
        private OptionalInt ipv6Mtu = OptionalInt.empty();
        private Optional<LinkSysctls.ReversePathFilter> rpFilter = Optional.empty();
        private Optional<Boolean> acceptLocal = Optional.empty();
        private Optional<Boolean> routeLocalnet = Optional.empty();
        private OptionalInt igmpVersion = OptionalInt.empty();
        private boolean ipv4llRoute;
        /** Where each of those was last set, for the notes {@link #end()} adds. */
        private final EnumMap<NetworkKey, Where> where = new EnumMap<>(NetworkKey.class);

        /** A file and line. */
        private record Where(String file, int line) {}

        Run(String file, List<ConfigNote> notes) {
            super(file, Section.values(), s -> s.header, KnownKeys.File.NETWORK, notes);
        }

        @Override
        void beginSection(Section s, int line) {
            draft = switch (s) {
                case ADDRESS, ROUTE, RULE -> new SectionDraft(s, file, line);
                default -> null;
            };
        }

        @Override
        void assignment(Section s, String k, String v, int line) throws ConfigException {
            Optional<NetworkKey> found = NetworkKey.of(s, k);
            if (found.isEmpty()) {
                notApplied(s.header, k, v, line);
                return;
            }
            NetworkKey key = found.get();
            switch (key.section) {
                case MATCH -> {
                    try {
                        match(net, key.key, v);
                    } catch (IllegalArgumentException e) {
                        throw error(line, key.key, ConfigError.BAD_MATCH_NAME, e.getMessage());
                    }
                }
                case LINK -> link(key, v, line);
                case NETWORK -> network(key, v, line);
                case ADDRESS, ROUTE, RULE -> sectionKey(key, v, line);
            }
        }

        private void link(NetworkKey key, String v, int line) throws ConfigException {
            switch (key) {
                case LINK_MTU_BYTES -> net.mtu(mtu(key.key, v, line));
                case LINK_ARP -> arp = optionalBool(key, v, line);
                case LINK_MULTICAST -> multicast = optionalBool(key, v, line);
                case LINK_ALL_MULTICAST -> allMulticast = optionalBool(key, v, line);
                case LINK_PROMISCUOUS -> promiscuous = optionalBool(key, v, line);
                case LINK_GROUP -> group = v.isEmpty() ? OptionalLong.empty()
                        : OptionalLong.of(number(key, v, line, Integer.MAX_VALUE));
                case LINK_UNMANAGED -> unmanaged = !v.isEmpty() && bool(key.key, v, line);
                default -> throw new AssertionError(key);
            }
        }

        private void network(NetworkKey key, String v, int line) throws ConfigException {
            switch (key) {
                case ADDRESS -> {
                    if (v.isEmpty()) {
                        net.clearAddresses();
                    } else {
                        net.addAddress(address(key.key, v, line));
                    }
                }
                case GATEWAY -> {
                    if (!v.isEmpty()) {
                        gateway(key, v, line).ifPresent(g -> net.addRoute(RouteConfig.builder().gateway(g).build()));
                    }
                }
                case DNS -> {
                    if (v.isEmpty()) {
                        net.clearDns();
                        return;
                    }
                    for (String w : NetworkdValues.spaceWords(v)) {
                        try {
                            net.addDns(DnsServer.parse(w));
                        } catch (IllegalArgumentException e) {
                            throw error(line, key.key, ConfigError.BAD_DNS, quote(w) + " is not a DNS server ("
                                    + e.getMessage() + "; the form is ADDRESS[:PORT][%IFNAME][#SERVERNAME])");
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
                case DEFAULT_ROUTE_ON_DEVICE -> {
                    if (!v.isEmpty() && bool(key.key, v, line)) {
                        net.addRoute(RouteConfig.builder().build());
                    }
                }
                case IP_FORWARD -> {
                    String lower = v.toLowerCase(java.util.Locale.ROOT);
                    Optional<Boolean> b = NetworkdValues.bool(lower);
                    boolean v4 = b.orElse(lower.equals("ipv4") || lower.equals("both"));
                    boolean v6 = b.orElse(lower.equals("ipv6") || lower.equals("both"));
                    if (v.isEmpty()) {
                        net.ipv4Forwarding(null).ipv6Forwarding(null);
                    } else if (b.isEmpty() && !lower.equals("ipv4") && !lower.equals("ipv6") && !lower.equals("both")
                            && !lower.equals("kernel")) {
                        throw error(line, key.key, ConfigError.BAD_CHOICE,
                                quote(v) + " is not a boolean, ipv4, ipv6, both or kernel");
                    } else {
                        net.ipv4Forwarding(v4).ipv6Forwarding(v6);
                    }
                }
                case IPV4_FORWARDING -> net.ipv4Forwarding(optionalBool(key, v, line).orElse(null));
                case IPV6_FORWARDING -> net.ipv6Forwarding(optionalBool(key, v, line).orElse(null));
                default -> sysctl(key, v, line);
            }
        }

        /** A {@code [Network]} key networkd writes into the link's kernel settings ({@link LinkSysctls}). */
        private void sysctl(NetworkKey key, String v, int line) throws ConfigException {
            where.put(key, new Where(file, line));
            switch (key) {
                case LINK_LOCAL_ADDRESSING -> linkLocal = choice(key, v, line, s -> NetworkdValues.bool(s)
                                .map(b -> b ? LinkSysctls.LinkLocal.YES : LinkSysctls.LinkLocal.NO)
                                .or(() -> LinkSysctls.LinkLocal.of(s)),
                        "a boolean, ipv4, ipv6, fallback or ipv4-fallback");
                case IPV6_LINK_LOCAL_MODE -> linkLocalMode = choice(key, v, line, LinkSysctls.AddressGeneration::of,
                        "eui64, none, stable-privacy or random");
                case IPV6_STABLE_SECRET -> {
                    if (v.isEmpty()) {
                        stableSecret = Optional.empty();
                        return;
                    }
                    IpAddress a = ipAddress(key.key, v, line, "an IPv6 address");
                    if (a.isIpv4()) {
                        throw error(line, key.key, ConfigError.BAD_ADDRESS, quote(v) + " is not an IPv6 address");
                    }
                    stableSecret = Optional.of(a);
                }
                case IPV4LL_ROUTE -> ipv4llRoute = !v.isEmpty() && bool(key.key, v, line);
                case IPV6_ACCEPT_RA, IPV6_ACCEPT_ROUTER_ADVERTISEMENTS -> acceptRa = optionalBool(key, v, line);
                case IPV6_PRIVACY_EXTENSIONS -> privacy = choice(key, v, line, s -> NetworkdValues.bool(s)
                                .map(b -> b ? LinkSysctls.PrivacyExtensions.YES : LinkSysctls.PrivacyExtensions.NO)
                                .or(() -> LinkSysctls.PrivacyExtensions.of(s)),
                        "a boolean, prefer-public or kernel");
                case IPV6_HOP_LIMIT -> {
                    long n = v.isEmpty() ? 0 : NetworkdValues.decimal(v, 255);
                    if (!v.isEmpty() && n < 1) {
                        throw error(line, key.key, ConfigError.BAD_NUMBER, quote(v) + " is not a hop limit 1..255");
                    }
                    hopLimit = v.isEmpty() ? OptionalInt.empty() : OptionalInt.of((int) n);
                }
                case IPV6_MTU_BYTES -> {
                    long m = v.isEmpty() ? 0 : NetworkdValues.size(v);
                    if (!v.isEmpty() && (m < LinkSysctls.MIN_IPV6_MTU || m > InterfaceConfig.MAX_MTU)) {
                        throw error(line, key.key, ConfigError.BAD_MTU, quote(v) + " is not an IPv6 MTU "
                                + LinkSysctls.MIN_IPV6_MTU + ".." + InterfaceConfig.MAX_MTU);
                    }
                    ipv6Mtu = v.isEmpty() ? OptionalInt.empty() : OptionalInt.of((int) m);
                }
                case IPV4_REVERSE_PATH_FILTER -> rpFilter = choice(key, v, line, LinkSysctls.ReversePathFilter::of,
                        "no, strict or loose");
                case IPV4_ACCEPT_LOCAL -> acceptLocal = optionalBool(key, v, line);
                case IPV4_ROUTE_LOCALNET -> routeLocalnet = optionalBool(key, v, line);
                case MULTICAST_IGMP_VERSION -> {
                    int n = switch (v) {
                        case "" -> -1;
                        case "no" -> 0;
                        case "v1" -> 1;
                        case "v2" -> 2;
                        case "v3" -> 3;
                        default -> throw error(line, key.key, ConfigError.BAD_CHOICE, quote(v) + " is not no, v1, v2 or v3");
                    };
                    igmpVersion = n < 0 ? OptionalInt.empty() : OptionalInt.of(n);
                }
                default -> throw new AssertionError(key);
            }
        }

        /** A keyword of a fixed set; empty for an empty value (the default). */
        private <T> Optional<T> choice(NetworkKey key, String v, int line, java.util.function.Function<String, Optional<T>> of,
                String what) throws ConfigException {
            if (v.isEmpty()) {
                return Optional.empty();
            }
            Optional<T> t = of.apply(v);
            if (t.isEmpty()) {
                throw error(line, key.key, ConfigError.BAD_CHOICE, quote(v) + " is not " + what);
            }
            return t;
        }

        /** The link's kernel settings read so far; called once at the end. */
        LinkSysctls sysctls() {
            return new LinkSysctls(linkLocal, linkLocalMode, stableSecret, acceptRa, privacy, hopLimit, ipv6Mtu, rpFilter,
                    acceptLocal, routeLocalnet, igmpVersion);
        }

        /**
         * After the last file: {@code IPv4LLRoute=}'s route, and a note for each setting that the others
         * make ineffective, at the line that set it (docs/networkd.md §2).
         */
        void end() {
            if (ipv4llRoute) {
                // networkd's route for IPv4 link-local hosts: on the link, scope link, its metric 2048
                net.addRoute(RouteConfig.builder().destination(IpPrefix.parseAsWritten("169.254.0.0/16")).scope("link")
                        .metric(OptionalLong.of(2048)).build());
            }
            LinkSysctls s = sysctls();
            if (s.linkLocal().isPresent() && s.linkLocal().get().ipv4()) {
                noteAt(NetworkKey.LINK_LOCAL_ADDRESSING, "the IPv4 part is not applied: finding a free IPv4 "
                        + "link-local address takes ARP, which a WireGuard link does not have");
            }
            if (!s.ipv6LinkLocal()) {
                String none = "no effect: the link has no IPv6 link-local address without LinkLocalAddressing=ipv6 (or yes)";
                if (s.ipv6LinkLocalMode().isPresent() && s.ipv6LinkLocalMode().get() != LinkSysctls.AddressGeneration.NONE) {
                    noteAt(NetworkKey.IPV6_LINK_LOCAL_MODE, none);
                }
                if (s.ipv6StableSecret().isPresent()) {
                    noteAt(NetworkKey.IPV6_STABLE_SECRET, none);
                }
                if (s.ipv6AcceptRa().orElse(false)) {
                    noteAt(where.containsKey(NetworkKey.IPV6_ACCEPT_RA) ? NetworkKey.IPV6_ACCEPT_RA
                            : NetworkKey.IPV6_ACCEPT_ROUTER_ADVERTISEMENTS,
                            "not applied: router advertisements need an IPv6 link-local address "
                                    + "(LinkLocalAddressing=ipv6), as in networkd; the kernel ignores them on this link");
                }
            } else if (s.ipv6LinkLocalMode().orElse(null) == LinkSysctls.AddressGeneration.STABLE_PRIVACY
                    && s.ipv6StableSecret().isEmpty()) {
                noteAt(NetworkKey.IPV6_LINK_LOCAL_MODE, "without IPv6StableSecretAddress= jwg has no secret to derive "
                        + "the address from (networkd derives one from the machine ID): the kernel makes a random one");
            }
        }

        private void noteAt(NetworkKey key, String text) {
            Where w = where.get(key);
            String here = file;
            file = w.file();
            try {
                note(w.line(), key.key, text);
            } finally {
                file = here;
            }
        }

        /** A key of an {@code [Address]}, {@code [Route]} or {@code [RoutingPolicyRule]} section. */
        private void sectionKey(NetworkKey key, String v, int line) throws ConfigException {
            if (v.isEmpty()) {
                draft.set(key, null, line);
                return;
            }
            Object value = switch (key) {
                case ADDRESS_ADDRESS -> address(key.key, v, line).address();
                case ADDRESS_PEER, ROUTE_DESTINATION, ROUTE_SOURCE, RULE_FROM, RULE_TO -> prefix(key.key, v, line);
                case ADDRESS_BROADCAST -> {
                    if (NetworkdValues.bool(v).isPresent()) {
                        yield null; // yes: the kernel's default; no: none on a point-to-point link either
                    }
                    yield ipAddress(key.key, v, line, "a broadcast address");
                }
                case ADDRESS_LABEL -> {
                    if (!AddressConfig.isLabel(v)) {
                        throw error(line, key.key, ConfigError.BAD_LABEL, quote(v) + " is not a label of 1..15 characters");
                    }
                    yield v;
                }
                case ADDRESS_PREFERRED_LIFETIME -> switch (v) {
                    case "forever", "infinity" -> Boolean.FALSE;
                    case "0" -> Boolean.TRUE;
                    default -> throw error(line, key.key, ConfigError.BAD_CHOICE, quote(v) + " is not forever, infinity or 0");
                };
                case ADDRESS_SCOPE -> {
                    if (!AddressConfig.isScope(v)) {
                        throw error(line, key.key, ConfigError.BAD_SCOPE, quote(v) + " is not global, link, host or 0..255");
                    }
                    yield v;
                }
                case ADDRESS_ROUTE_METRIC, ROUTE_METRIC -> u32(key.key, v, line, ConfigError.BAD_METRIC, "a metric");
                case ADDRESS_HOME_ADDRESS, ADDRESS_MANAGE_TEMPORARY, ADDRESS_ADD_PREFIX_ROUTE, ADDRESS_AUTO_JOIN,
                        ROUTE_GATEWAY_ON_LINK, ROUTE_GATEWAY_ONLINK, RULE_INVERT, RULE_L3_MASTER_DEVICE -> bool(key.key, v, line);
                case ADDRESS_PREFIX_ROUTE -> !bool(key.key, v, line); // the legacy key says the opposite
                case ADDRESS_DAD -> {
                    if (!AddressConfig.DAD_VALUES.contains(v)) {
                        throw error(line, key.key, ConfigError.BAD_CHOICE, quote(v) + " is not ipv4, ipv6, both or none");
                    }
                    yield v;
                }
                case ROUTE_GATEWAY -> gateway(key, v, line).map(Object.class::cast).orElse(NO_ROUTE);
                case ROUTE_SCOPE -> {
                    if (!RouteConfig.SCOPES.contains(v)) {
                        throw error(line, key.key, ConfigError.BAD_SCOPE, quote(v) + " is not global, site, link, host or nowhere");
                    }
                    yield v;
                }
                case ROUTE_PREFERRED_SOURCE -> ipAddress(key.key, v, line, "a source address");
                case ROUTE_TABLE, RULE_TABLE -> {
                    try {
                        yield RouteTable.parse(v, false, false);
                    } catch (IllegalArgumentException e) {
                        throw error(line, key.key, ConfigError.BAD_TABLE,
                                quote(v) + " is not a table number 1..4294967295 or a table name");
                    }
                }
                case ROUTE_PROTOCOL -> {
                    if (!RouteConfig.isProtocol(v)) {
                        throw error(line, key.key, ConfigError.BAD_PROTOCOL,
                                quote(v) + " is not kernel, boot, static, ra, dhcp or 0..255");
                    }
                    yield v;
                }
                case ROUTE_TYPE -> {
                    if (v.equals("nat") || v.equals("xresolve")) {
                        throw error(line, key.key, ConfigError.BAD_ROUTE_TYPE,
                                quote(v) + " routes are no longer supported by the Linux kernel");
                    }
                    yield RouteConfig.Type.of(v).orElseThrow(() -> error(line, key.key, ConfigError.BAD_ROUTE_TYPE,
                            quote(v) + " is not a route type (unicast, local, broadcast, anycast, multicast, "
                                    + "blackhole, unreachable, prohibit, throw)"));
                }
                case ROUTE_MTU_BYTES -> {
                    long m = NetworkdValues.size(v);
                    if (m < 68) {
                        throw error(line, key.key, ConfigError.BAD_MTU, quote(v) + " is not an MTU 68..4294967295");
                    }
                    yield (int) Math.min(m, Integer.MAX_VALUE);
                }
                case ROUTE_IPV6_PREFERENCE -> {
                    if (!RouteConfig.Options.PREFERENCES.contains(v)) {
                        throw error(line, key.key, ConfigError.BAD_CHOICE, quote(v) + " is not low, medium or high");
                    }
                    yield v;
                }
                case ROUTE_HOP_LIMIT -> {
                    long n = number(key, v, line, 255);
                    if (n == 0) {
                        throw error(line, key.key, ConfigError.BAD_NUMBER, quote(v) + " is not a hop limit 1..255");
                    }
                    yield (int) n;
                }
                case ROUTE_INITIAL_CONGESTION_WINDOW, ROUTE_INITIAL_RECEIVE_WINDOW -> {
                    long n = NetworkdValues.size(v);
                    if (n < 1 || n > 1023) {
                        throw error(line, key.key, ConfigError.BAD_NUMBER, quote(v) + " is not a window of 1..1023 segments");
                    }
                    yield (int) n;
                }
                case ROUTE_ADVERTISED_MSS -> {
                    long n = NetworkdValues.size(v);
                    if (n < 1 || n > 65535) {
                        throw error(line, key.key, ConfigError.BAD_NUMBER, quote(v) + " is not a segment size 1..65535");
                    }
                    yield (int) n;
                }
                case ROUTE_QUICK_ACK, ROUTE_FAST_OPEN_NO_COOKIE -> bool(key.key, v, line);
                case ROUTE_CONGESTION_CONTROL -> {
                    if (!RouteConfig.Options.isAlgorithm(v)) {
                        throw error(line, key.key, ConfigError.BAD_CHOICE, quote(v) + " is not a congestion control algorithm name");
                    }
                    yield v;
                }
                case ROUTE_RTO_MIN -> {
                    long ms = NetworkdValues.millis(v);
                    if (ms < 1 || ms > NetworkdValues.U32_MAX) {
                        throw error(line, key.key, ConfigError.BAD_NUMBER,
                                quote(v) + " is not a time span of whole milliseconds (200ms, 1s, 1min)");
                    }
                    yield ms;
                }
                case RULE_TOS -> (int) number(key, v, line, 255);
                case RULE_FIREWALL_MARK -> mark(key.key, v, line);
                case RULE_PRIORITY -> u32(key.key, v, line, ConfigError.BAD_PRIORITY, "a priority");
                case RULE_GOTO -> {
                    long g = u32(key.key, v, line, ConfigError.BAD_GOTO, "a rule priority");
                    if (g == 0) {
                        throw error(line, key.key, ConfigError.BAD_GOTO, "GoTo=0 would jump before every rule");
                    }
                    yield g;
                }
                case RULE_INCOMING_INTERFACE, RULE_OUTGOING_INTERFACE -> {
                    if (!NetdevParser.isInterfaceName(v)) {
                        throw error(line, key.key, ConfigError.BAD_INTERFACE_NAME, quote(v) + " is not an interface name");
                    }
                    yield v;
                }
                case RULE_SOURCE_PORT, RULE_DESTINATION_PORT -> portRange(key, v, line);
                case RULE_IP_PROTOCOL -> {
                    Integer p = IP_PROTOCOLS.get(v.toLowerCase(java.util.Locale.ROOT));
                    long n = p != null ? p : NetworkdValues.decimal(v, 255);
                    if (n < 0) {
                        throw error(line, key.key, ConfigError.BAD_PROTOCOL,
                                quote(v) + " is not a protocol name (tcp, udp, icmp, ...) or number 0..255");
                    }
                    yield (int) n;
                }
                case RULE_FAMILY -> RuleConfig.Family.of(v).orElseThrow(() -> error(line, key.key,
                        ConfigError.BAD_FAMILY, quote(v) + " is not ipv4, ipv6 or both"));
                case RULE_USER -> {
                    if (!RuleConfig.isUser(v)) {
                        throw error(line, key.key, ConfigError.BAD_USER, quote(v) + " is not a UID, a range A-B or a user name");
                    }
                    yield v;
                }
                case RULE_SUPPRESS_PREFIX_LENGTH -> {
                    long n = NetworkdValues.decimal(v, 128);
                    if (n < 0) {
                        throw error(line, key.key, ConfigError.BAD_SUPPRESS_PREFIX_LENGTH,
                                quote(v) + " is not a prefix length 0..128");
                    }
                    yield (int) n;
                }
                case RULE_SUPPRESS_INTERFACE_GROUP -> number(key, v, line, Integer.MAX_VALUE);
                case RULE_TYPE -> {
                    if (v.equals("table")) {
                        yield RULE_TABLE_TYPE;
                    }
                    yield RuleConfig.Type.of(v).orElseThrow(() -> error(line, key.key, ConfigError.BAD_RULE_TYPE,
                            quote(v) + " is not a rule type (table, goto, nop, blackhole, unreachable, prohibit)"));
                }
                default -> throw new AssertionError(key);
            };
            draft.set(key, value, line);
        }

        /** A {@code Gateway=} address; empty for {@code _dhcp4}/{@code _ipv6ra}, noted: never on a WireGuard link. */
        private Optional<IpAddress> gateway(NetworkKey key, String v, int line) throws ConfigException {
            if (v.equals("_dhcp4") || v.equals("_ipv6ra")) {
                note(line, key.key, v + ": a WireGuard link gets no gateway from " + (v.equals("_dhcp4") ? "DHCP" : "router advertisements")
                        + ", so networkd never adds this route, nor does jwg");
                return Optional.empty();
            }
            return Optional.of(ipAddress(key.key, v, line, "a gateway address"));
        }

        @Override
        void endSection() throws ConfigException {
            if (draft == null) {
                return;
            }
            SectionDraft d = draft;
            draft = null;
            String here = file;
            file = d.file; // errors about a whole section name the file of its header
            try {
                switch (d.section) {
                    case ADDRESS -> endAddress(d);
                    case ROUTE -> endRoute(d);
                    case RULE -> endRule(d);
                    default -> { }
                }
            } finally {
                file = here;
            }
        }

        private void endAddress(SectionDraft d) throws ConfigException {
            InterfaceAddress ia = d.get(NetworkKey.ADDRESS_ADDRESS);
            if (ia == null) {
                throw error(d.line, NetworkKey.ADDRESS_ADDRESS.key, ConfigError.BAD_ADDRESS, "[Address] section without Address=");
            }
            IpPrefix peer = d.get(NetworkKey.ADDRESS_PEER);
            IpAddress broadcast = d.get(NetworkKey.ADDRESS_BROADCAST);
            if (peer != null && peer.isIpv4() != ia.isIpv4()) {
                throw familyError(d, NetworkKey.ADDRESS_PEER, NetworkKey.ADDRESS_ADDRESS, "Peer= and Address=");
            }
            if (broadcast != null && !(broadcast.isIpv4() && ia.isIpv4())) {
                throw familyError(d, NetworkKey.ADDRESS_BROADCAST, NetworkKey.ADDRESS_ADDRESS, "Broadcast= (IPv4 only) and Address=");
            }
            Long metric = d.get(NetworkKey.ADDRESS_ROUTE_METRIC);
            Boolean deprecated = d.get(NetworkKey.ADDRESS_PREFERRED_LIFETIME);
            Boolean prefixRoute = d.get(NetworkKey.ADDRESS_ADD_PREFIX_ROUTE);
            if (d.line(NetworkKey.ADDRESS_PREFIX_ROUTE) > d.line(NetworkKey.ADDRESS_ADD_PREFIX_ROUTE)) {
                prefixRoute = d.get(NetworkKey.ADDRESS_PREFIX_ROUTE);
            }
            net.addAddress(AddressConfig.builder(ia).peer(peer).broadcast(broadcast)
                    .label(d.get(NetworkKey.ADDRESS_LABEL)).deprecated(deprecated != null && deprecated)
                    .scope(d.get(NetworkKey.ADDRESS_SCOPE))
                    .routeMetric(metric == null ? OptionalLong.empty() : OptionalLong.of(metric))
                    .prefixRoute(prefixRoute).homeAddress(d.get(NetworkKey.ADDRESS_HOME_ADDRESS))
                    .manageTemporaryAddress(d.get(NetworkKey.ADDRESS_MANAGE_TEMPORARY))
                    .autoJoin(d.get(NetworkKey.ADDRESS_AUTO_JOIN))
                    .duplicateAddressDetection(d.get(NetworkKey.ADDRESS_DAD)).build());
        }

        private void endRoute(SectionDraft d) throws ConfigException {
            Object gwValue = d.get(NetworkKey.ROUTE_GATEWAY);
            if (gwValue == NO_ROUTE) {
                return; // noted where Gateway= was read
            }
            IpPrefix dst = d.get(NetworkKey.ROUTE_DESTINATION);
            IpAddress gw = (IpAddress) gwValue;
            if (dst != null && gw != null && dst.isIpv4() != gw.isIpv4()) {
                throw familyError(d, NetworkKey.ROUTE_GATEWAY, NetworkKey.ROUTE_DESTINATION, "Gateway= and Destination=");
            }
            Boolean onLink = d.get(NetworkKey.ROUTE_GATEWAY_ON_LINK);
            if (d.line(NetworkKey.ROUTE_GATEWAY_ONLINK) > d.line(NetworkKey.ROUTE_GATEWAY_ON_LINK)) {
                onLink = d.get(NetworkKey.ROUTE_GATEWAY_ONLINK);
            }
            Long metric = d.get(NetworkKey.ROUTE_METRIC);
            Integer mtu = d.get(NetworkKey.ROUTE_MTU_BYTES);
            RouteConfig.Builder b = RouteConfig.builder().destination(dst).gateway(gw).gatewayOnLink(onLink)
                    .type(d.get(NetworkKey.ROUTE_TYPE))
                    .metric(metric == null ? OptionalLong.empty() : OptionalLong.of(metric))
                    .table(d.get(NetworkKey.ROUTE_TABLE)).scope(d.get(NetworkKey.ROUTE_SCOPE))
                    .mtu(mtu == null ? OptionalInt.empty() : OptionalInt.of(mtu)).protocol(d.get(NetworkKey.ROUTE_PROTOCOL));
            boolean v4 = b.build().isIpv4();
            IpPrefix src = d.get(NetworkKey.ROUTE_SOURCE);
            if (src != null && src.isIpv4() != v4) {
                throw error(d.line(NetworkKey.ROUTE_SOURCE), NetworkKey.ROUTE_SOURCE.key, ConfigError.FAMILY_MISMATCH,
                        "Source= is of another address family than the route");
            }
            IpAddress pref = d.get(NetworkKey.ROUTE_PREFERRED_SOURCE);
            if (pref != null && pref.isIpv4() != v4 && (dst != null || gw != null)) {
                throw error(d.line(NetworkKey.ROUTE_PREFERRED_SOURCE), NetworkKey.ROUTE_PREFERRED_SOURCE.key,
                        ConfigError.FAMILY_MISMATCH, "PreferredSource= is of another address family than the route");
            }
            Integer hop = d.get(NetworkKey.ROUTE_HOP_LIMIT);
            Integer cwnd = d.get(NetworkKey.ROUTE_INITIAL_CONGESTION_WINDOW);
            Integer rwnd = d.get(NetworkKey.ROUTE_INITIAL_RECEIVE_WINDOW);
            Integer mss = d.get(NetworkKey.ROUTE_ADVERTISED_MSS);
            Long rto = d.get(NetworkKey.ROUTE_RTO_MIN);
            b.options(new RouteConfig.Options(Optional.ofNullable(d.get(NetworkKey.ROUTE_IPV6_PREFERENCE)),
                    hop == null ? OptionalInt.empty() : OptionalInt.of(hop),
                    cwnd == null ? OptionalInt.empty() : OptionalInt.of(cwnd),
                    rwnd == null ? OptionalInt.empty() : OptionalInt.of(rwnd),
                    Optional.ofNullable(d.get(NetworkKey.ROUTE_QUICK_ACK)),
                    Optional.ofNullable(d.get(NetworkKey.ROUTE_FAST_OPEN_NO_COOKIE)),
                    mss == null ? OptionalInt.empty() : OptionalInt.of(mss),
                    Optional.ofNullable(d.get(NetworkKey.ROUTE_CONGESTION_CONTROL)),
                    rto == null ? OptionalLong.empty() : OptionalLong.of(rto)));
            net.addRoute(b.source(src).preferredSource(pref).build());
        }

        private void endRule(SectionDraft d) throws ConfigException {
            IpPrefix from = d.get(NetworkKey.RULE_FROM);
            IpPrefix to = d.get(NetworkKey.RULE_TO);
            if (from != null && to != null && from.isIpv4() != to.isIpv4()) {
                throw familyError(d, NetworkKey.RULE_TO, NetworkKey.RULE_FROM, "From= and To=");
            }
            RuleConfig.Family family = d.get(NetworkKey.RULE_FAMILY);
            IpPrefix any = from != null ? from : to;
            if (family != null && any != null && family != (any.isIpv4() ? RuleConfig.Family.IPV4 : RuleConfig.Family.IPV6)) {
                throw error(d.line(NetworkKey.RULE_FAMILY), NetworkKey.RULE_FAMILY.key, ConfigError.FAMILY_MISMATCH,
                        "Family=" + family.keyword() + " conflicts with the family of From=/To=");
            }
            Long priority = d.get(NetworkKey.RULE_PRIORITY);
            Long goTo = d.get(NetworkKey.RULE_GOTO);
            Object typeValue = d.get(NetworkKey.RULE_TYPE);
            RuleConfig.Type type = typeValue instanceof RuleConfig.Type t ? t : null;
            if (goTo != null) {
                if (type != null && type != RuleConfig.Type.GOTO) {
                    throw error(d.line(NetworkKey.RULE_TYPE), NetworkKey.RULE_TYPE.key, ConfigError.BAD_GOTO,
                            "Type=" + type.keyword() + " conflicts with GoTo=");
                }
                if (priority == null || goTo <= priority) {
                    throw error(d.line(NetworkKey.RULE_GOTO), NetworkKey.RULE_GOTO.key, ConfigError.BAD_GOTO,
                            "GoTo= must name a priority after this rule's Priority=");
                }
                type = RuleConfig.Type.GOTO;
            } else if (type == RuleConfig.Type.GOTO) {
                throw error(d.line(NetworkKey.RULE_TYPE), NetworkKey.RULE_TYPE.key, ConfigError.BAD_GOTO,
                        "Type=goto needs GoTo=");
            }
            Integer suppress = d.get(NetworkKey.RULE_SUPPRESS_PREFIX_LENGTH);
            Integer tos = d.get(NetworkKey.RULE_TOS);
            Integer proto = d.get(NetworkKey.RULE_IP_PROTOCOL);
            Long ifgroup = d.get(NetworkKey.RULE_SUPPRESS_INTERFACE_GROUP);
            net.addRule(RuleConfig.builder().from(from).to(to).table(d.get(NetworkKey.RULE_TABLE))
                    .priority(priority == null ? OptionalLong.empty() : OptionalLong.of(priority))
                    .incomingInterface(d.get(NetworkKey.RULE_INCOMING_INTERFACE))
                    .outgoingInterface(d.get(NetworkKey.RULE_OUTGOING_INTERFACE))
                    .firewallMark(d.get(NetworkKey.RULE_FIREWALL_MARK))
                    .invert(d.get(NetworkKey.RULE_INVERT))
                    .suppressPrefixLength(suppress == null ? OptionalInt.empty() : OptionalInt.of(suppress))
                    .family(family).type(type == RuleConfig.Type.GOTO ? null : type)
                    .goTo(goTo == null ? OptionalLong.empty() : OptionalLong.of(goTo))
                    .typeOfService(tos == null ? OptionalInt.empty() : OptionalInt.of(tos))
                    .ipProtocol(proto == null ? OptionalInt.empty() : OptionalInt.of(proto))
                    .sourcePort(d.get(NetworkKey.RULE_SOURCE_PORT)).destinationPort(d.get(NetworkKey.RULE_DESTINATION_PORT))
                    .user(d.get(NetworkKey.RULE_USER))
                    .suppressInterfaceGroup(ifgroup == null ? OptionalLong.empty() : OptionalLong.of(ifgroup))
                    .l3MasterDevice(d.get(NetworkKey.RULE_L3_MASTER_DEVICE)).build());
        }

        private ConfigException familyError(SectionDraft d, NetworkKey a, NetworkKey b, String what) {
            NetworkKey later = d.line(a) > d.line(b) ? a : b;
            return error(d.line(later), later.key, ConfigError.FAMILY_MISMATCH, what + " are of different address families");
        }

        /** {@code Address=}: an address with optional length; networkd's address pools (0.0.0.0, ::) are refused. */
        private AddressConfig address(String key, String v, int line) throws ConfigException {
            InterfaceAddress a;
            try {
                a = InterfaceAddress.parse(v);
            } catch (IllegalArgumentException e) {
                throw error(line, key, ConfigError.BAD_ADDRESS, quote(v) + " is not an address with optional /prefix-length");
            }
            boolean any = true;
            for (byte x : a.address().bytes()) {
                any &= x == 0;
            }
            if (any) {
                throw error(line, key, ConfigError.BAD_ADDRESS, quote(v)
                        + " asks networkd to pick a free address from a pool, which jwg does not do; write the address");
            }
            return AddressConfig.of(a);
        }

        private IpPrefix prefix(String key, String v, int line) throws ConfigException {
            try {
                return IpPrefix.parseAsWritten(v);
            } catch (IllegalArgumentException e) {
                throw error(line, key, ConfigError.BAD_PREFIX, quote(v) + " is not an IP prefix");
            }
        }

        private IpAddress ipAddress(String key, String v, int line, String what) throws ConfigException {
            try {
                return IpAddress.parse(v);
            } catch (IllegalArgumentException e) {
                throw error(line, key, ConfigError.BAD_ADDRESS, quote(v) + " is not " + what);
            }
        }

        private boolean bool(String key, String v, int line) throws ConfigException {
            return NetworkdValues.bool(v).orElseThrow(() -> error(line, key, ConfigError.BAD_BOOLEAN,
                    quote(v) + " is not a boolean (yes/no, true/false, on/off, 1/0)"));
        }

        private Optional<Boolean> optionalBool(NetworkKey key, String v, int line) throws ConfigException {
            return v.isEmpty() ? Optional.empty() : Optional.of(bool(key.key, v, line));
        }

        private long number(NetworkKey key, String v, int line, long max) throws ConfigException {
            long n = NetworkdValues.decimal(v, max);
            if (n < 0) {
                throw error(line, key.key, ConfigError.BAD_NUMBER, quote(v) + " is not a number 0.." + max);
            }
            return n;
        }

        private RuleConfig.PortRange portRange(NetworkKey key, String v, int line) throws ConfigException {
            int dash = v.indexOf('-');
            long a = NetworkdValues.decimal(dash < 0 ? v : v.substring(0, dash), 65535);
            long b = dash < 0 ? a : NetworkdValues.decimal(v.substring(dash + 1), 65535);
            if (a < 1 || b < a) {
                throw error(line, key.key, ConfigError.BAD_PORT, quote(v) + " is not a port 1..65535 or a range A-B");
            }
            return new RuleConfig.PortRange((int) a, (int) b);
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

        /** The link settings read so far; called once at the end. */
        NetworkConfig.LinkSettings linkSettings() {
            return new NetworkConfig.LinkSettings(arp, multicast, allMulticast, promiscuous, group, unmanaged);
        }
    }

    /** Stands for a {@code [Route]} networkd never adds ({@code Gateway=_dhcp4} on a WireGuard link). */
    private static final Object NO_ROUTE = new Object();
    /** Stands for {@code Type=table}, the default. */
    private static final Object RULE_TABLE_TYPE = new Object();

    /** Values and their lines for one {@code [Address]}, {@code [Route]} or {@code [RoutingPolicyRule]} section. */
    private static final class SectionDraft {
        final Section section;
        /** The file of the section's header (a section may not go on in a drop-in). */
        final String file;
        /** The line of the section's header. */
        final int line;
        private final java.util.Map<Object, Object> values = new java.util.HashMap<>();
        private final java.util.Map<Object, Integer> lines = new java.util.HashMap<>();

        SectionDraft(Section section, String file, int line) {
            this.section = section;
            this.file = file;
            this.line = line;
        }

        void set(Object key, Object value, int line) {
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
            lines.put(key, line);
        }

        @SuppressWarnings("unchecked")
        <T> T get(Object key) {
            return (T) values.get(key);
        }

        int line(Object key) {
            return lines.getOrDefault(key, 0);
        }
    }
}
