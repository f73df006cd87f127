package dev.jwg.cli.quick;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.RuleConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.wgquick.EndpointResolver;
import dev.jwg.core.routing.IpAddress;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@link Facts} a plan needs from the system, with queries that change nothing (ip(8) show
 * and get commands, the {@code PATH}, resolvconf's configuration), and resolves endpoint names. Runs
 * before anything is touched, so that a name that does not resolve fails {@code up} cleanly.
 * Thread-safe if the host is.
 */
public final class SystemProbe {
    private static final Pattern MTU = Pattern.compile("mtu ([0-9]+)");
    private static final Pattern DEV = Pattern.compile("dev ([^ \\n]+)");
    private static final Pattern ORDER_LINE = Pattern.compile("([A-Za-z0-9-]+)\\*");

    private final Host host;

    public SystemProbe(Host host) {
        this.host = host;
    }

    /** Whether an interface of that name exists in this network namespace ({@code ip link show dev IF}). */
    public boolean linkExists(String ifname) throws IOException {
        return host.query(List.of("ip", "link", "show", "dev", ifname)).ok();
    }

    /** The facts for a wg-quick plan. */
    public Facts wgQuick(TunnelConfig c, List<String> daemon, EndpointResolver resolver) throws ConfigException, IOException {
        Map<String, IpAddress> resolved = resolve(c, resolver);
        InterfaceConfig i = c.iface();
        Map<IpAddress, Integer> routeMtu = new HashMap<>();
        OptionalInt defaultMtu = OptionalInt.empty();
        if (i.mtu().isEmpty()) {
            for (PeerConfig p : c.peers()) {
                Optional<IpAddress> a = p.endpoint().flatMap(e -> Routing.endpointAddress(e, resolved));
                if (a.isPresent() && !routeMtu.containsKey(a.get())) {
                    Host.Output out = host.query(List.of("ip", "route", "get", a.get().toString()));
                    mtuOf(out.ok() ? out.stdout() : "").ifPresent(m -> routeMtu.put(a.get(), m));
                }
            }
            if (routeMtu.isEmpty()) {
                Host.Output out = host.query(List.of("ip", "route", "show", "default"));
                String first = out.stdout().lines().findFirst().orElse("");
                defaultMtu = mtuOf(first);
            }
        }
        boolean fullTunnel = i.table().orElse(RouteTable.AUTO) instanceof RouteTable.Auto
                && i.fwMark().orElse(0) == 0
                && c.peers().stream().flatMap(p -> p.allowedIps().stream()).anyMatch(p -> p.bits() == 0);
        long table = fullTunnel ? freeTable() : Facts.FIRST_TABLE;
        return new Facts(daemon, resolved, routeMtu, defaultMtu, table, host.which("nft").isPresent(), resolvconfPrefix(),
                host.which("resolvectl").isPresent(), Map.of());
    }

    /**
     * The facts for a networkd plan: the daemon, the endpoint addresses, what DNS can be set with, and
     * the UIDs of the user names in {@code [RoutingPolicyRule] User=}.
     */
    public Facts networkd(TunnelConfig c, List<String> daemon, EndpointResolver resolver) throws ConfigException, IOException {
        Map<String, Long> uids = new HashMap<>();
        for (RuleConfig r : c.network().map(NetworkConfig::rules).orElse(List.of())) {
            if (r.user().isPresent() && RuleConfig.uidRange(r.user().get()).isEmpty() && !uids.containsKey(r.user().get())) {
                String name = r.user().get();
                Host.Output out = host.query(List.of("id", "-u", "--", name));
                long uid = out.ok() ? dev.jwg.config.model.ConfigValues.decimal(out.stdout().strip(), 0xffff_fffeL, true) : -1;
                if (uid < 0) {
                    String file = c.sources().size() > 1 ? ConfigFiles.baseName(c.sources().get(1)) : c.name();
                    throw new ConfigException(file, 0, "User", ConfigError.BAD_USER, "no user " + name + " on this system");
                }
                uids.put(name, uid);
            }
        }
        return new Facts(daemon, resolve(c, resolver), Map.of(), OptionalInt.empty(), Facts.FIRST_TABLE, false,
                resolvconfPrefix(), host.which("resolvectl").isPresent(), uids);
    }

    /** Resolves every endpoint host name, failing as a configuration error naming the file. */
    static Map<String, IpAddress> resolve(TunnelConfig c, EndpointResolver resolver) throws ConfigException {
        Map<String, IpAddress> out = new HashMap<>();
        for (PeerConfig p : c.peers()) {
            if (p.endpoint().isEmpty() || p.endpoint().get().isLiteral() || out.containsKey(p.endpoint().get().host())) {
                continue;
            }
            String hostName = p.endpoint().get().host();
            try {
                out.put(hostName, resolver.resolve(hostName));
            } catch (UnknownHostException e) {
                String file = c.sources().isEmpty() ? c.name() : ConfigFiles.baseName(c.sources().getFirst());
                throw new ConfigException(file, 0, "Endpoint", ConfigError.ENDPOINT_UNRESOLVED,
                        "cannot resolve " + hostName + " (" + p.label() + ")", e);
            }
        }
        return out;
    }

    /**
     * The MTU of a route as ip(8) prints it: its {@code mtu} attribute, else the MTU of its output
     * device, as wg-quick's {@code set_mtu_up} reads it.
     */
    OptionalInt mtuOf(String route) throws IOException {
        Matcher m = MTU.matcher(route);
        if (m.find()) {
            return OptionalInt.of(Integer.parseInt(m.group(1)));
        }
        Matcher d = DEV.matcher(route);
        if (d.find()) {
            Host.Output link = host.query(List.of("ip", "link", "show", "dev", d.group(1)));
            Matcher lm = MTU.matcher(link.stdout());
            if (link.ok() && lm.find()) {
                return OptionalInt.of(Integer.parseInt(lm.group(1)));
            }
        }
        return OptionalInt.empty();
    }

    /** wg-quick's table search: from 51820 up, the first table without IPv4 or IPv6 routes. */
    long freeTable() throws IOException {
        long t = Facts.FIRST_TABLE;
        while (!host.query(List.of("ip", "-4", "route", "show", "table", Long.toString(t))).stdout().isBlank()
                || !host.query(List.of("ip", "-6", "route", "show", "table", Long.toString(t))).stdout().isBlank()) {
            t++;
        }
        return t;
    }

    /**
     * Present when resolvconf is installed: the prefix of wg-quick's record name, {@code tun.} (the
     * first {@code NAME*} line of {@code /etc/resolvconf/interface-order}) with Debian's resolvconf, and
     * empty with others (openresolv, or systemd-resolved's resolvconf link).
     */
    Optional<String> resolvconfPrefix() throws IOException {
        Optional<Path> resolvconf = host.which("resolvconf");
        if (resolvconf.isEmpty()) {
            return Optional.empty();
        }
        Path order = Path.of("/etc/resolvconf/interface-order");
        if (!Files.isRegularFile(order) || Files.isSymbolicLink(resolvconf.get())) {
            return Optional.of("");
        }
        for (String line : Files.readAllLines(order)) {
            Matcher m = ORDER_LINE.matcher(line);
            if (m.matches()) {
                return Optional.of(m.group(1) + ".");
            }
        }
        return Optional.of("");
    }

    /** {@code net:[4026531840]}: the network namespace this process runs in. */
    /**
     * Whether the network namespace {@code id} (as {@link #netns()} names it, {@code net:[INODE]})
     * still exists: some process is in it, or a name in {@code /run/netns} holds it (ip netns add).
     * An empty id (unknown) counts as existing.
     */
    public static boolean netnsExists(String id) {
        if (id.isEmpty() || id.equals(netns())) {
            return true;
        }
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : procs) {
                try {
                    if (Files.readSymbolicLink(p.resolve("ns/net")).toString().equals(id)) {
                        return true;
                    }
                } catch (IOException | UnsupportedOperationException gone) {
                    // exited meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            return true; // cannot tell: assume it is there
        }
        if (id.startsWith("net:[") && id.endsWith("]")) {
            String inode = id.substring(5, id.length() - 1);
            try (var names = Files.newDirectoryStream(Path.of("/run/netns"))) {
                for (Path n : names) {
                    try {
                        if (String.valueOf(Files.getAttribute(n, "unix:ino")).equals(inode)) {
                            return true;
                        }
                    } catch (IOException | RuntimeException e) {
                        // not a namespace mount
                    }
                }
            } catch (IOException e) {
                // no /run/netns: no named namespaces
            }
        }
        return false;
    }

    public static String netns() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}
