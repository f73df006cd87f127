package dev.jwg.cli.quick;

import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import dev.jwg.config.model.InterfaceAddress;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.UapiException;
import dev.jwg.config.wgquick.EndpointResolver;
import dev.jwg.config.wgquick.WgQuickParser;
import dev.jwg.config.wgquick.WgQuickWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jwg up|down|save|strip}: wg-quick's commands for wg-quick files and systemd-networkd files,
 * on a userspace daemon. Validates everything first, plans ({@link WgQuickPlanner},
 * {@link NetworkdPlanner}), executes with rollback ({@link Executor}), and keeps the state file
 * ({@link StateFile}) that {@code down} undoes. Not thread-safe; one command per instance.
 */
public final class Quick {
    private static final Pattern ADDRESS = Pattern.compile("\\sinet6?\\s+([0-9a-fA-F.:]+/[0-9]+)");
    private static final Pattern MTU = Pattern.compile("mtu ([0-9]+)");
    private static final Pattern NAMESERVER = Pattern.compile("nameserver ([a-zA-Z0-9_=+:%.-]+)");
    private static final Pattern SEARCH = Pattern.compile("search (.+)");

    private final Host host;
    private final StateFile states;
    private final PrintStream out;
    private final PrintStream err;
    private final EndpointResolver resolver;
    private final DaemonCommand daemon;
    private final BooleanSupplier root;

    /**
     * @param host where to act
     * @param states where state files live
     * @param out standard output ({@code strip})
     * @param err where {@code [#]} lines and warnings go
     * @param resolver endpoint name resolution
     * @param daemon the command that starts the daemon (the interface name is appended)
     * @param root whether the process may change the system (the effective user is root)
     */
    public Quick(Host host, StateFile states, PrintStream out, PrintStream err, EndpointResolver resolver,
            DaemonCommand daemon, BooleanSupplier root) {
        this.host = host;
        this.states = states;
        this.out = out;
        this.err = err;
        this.resolver = resolver;
        this.daemon = daemon;
        this.root = root;
    }

    /** Finds the daemon program, failing with a message if it is not there. */
    @FunctionalInterface
    public interface DaemonCommand {
        /** The command; the interface name is appended. */
        List<String> get() throws QuickException;
    }

    /** The real system: {@link LinuxHost}, {@code /run/jwg}, the system resolver, {@code bin/jwgd}. */
    public static Quick system() {
        return new Quick(new LinuxHost(), StateFile.system(), System.out, System.err, EndpointResolver.system(),
                Daemon::command, Quick::isRoot);
    }

    /** {@code jwg up CONFIG_FILE|IF}. */
    public int up(String arg) throws QuickException, ConfigException, IOException {
        return up(arg, false);
    }

    /**
     * {@code jwg up [--no-dns] CONFIG_FILE|IF}.
     *
     * @param noDns bring the tunnel up without its DNS settings (when nothing can apply them, or on purpose)
     */
    public int up(String arg, boolean noDns) throws QuickException, ConfigException, IOException {
        requireRoot();
        ConfigSource.Loaded l = ConfigSource.locate(arg).load(err);
        TunnelConfig c = l.config();
        String ifname = c.name();
        TableNames.check(c, TableNames.known());
        List<String> d = MetricsDirective.apply(daemon.get(), l.source().path(), System.getenv("JWG_METRICS_ADDRESS"));
        try (StateFile.InterfaceLock held = lock(ifname)) {
            return up(l, c, d, noDns);
        }
    }

    private int up(ConfigSource.Loaded l, TunnelConfig c, List<String> d, boolean noDns)
            throws QuickException, ConfigException, IOException {
        String ifname = c.name();
        SystemProbe probe = new SystemProbe(host);
        if (probe.linkExists(ifname)) {
            throw new QuickException("`" + ifname + "' already exists");
        }
        if (uapiAlive(ifname)) {
            throw new QuickException("`" + ifname + "' already exists (its daemon answers on " + host.uapiSocket(ifname)
                    + "; the interface is in another network namespace)");
        }
        String netns = SystemProbe.netns();
        Optional<StateFile.State> old = readState(ifname);
        if (old.isPresent()) {
            clearStale(old.get(), netns);
        }
        Facts f = switch (l.source().mode()) {
            case WG_QUICK -> probe.wgQuick(c, d, resolver);
            case NETWORKD -> probe.networkd(c, d, resolver);
        };
        Plan plan = switch (l.source().mode()) {
            case WG_QUICK -> WgQuickPlanner.plan(c, l.source().shown(), f, noDns);
            case NETWORKD -> NetworkdPlanner.plan(c, l.source().shown(), f, noDns);
        };
        StateFile.Journal journal;
        try {
            journal = states.create(ifname, netns, l.source().mode(), l.canonical());
        } catch (FileAlreadyExistsException e) {
            throw new QuickException(states.path(ifname) + " exists: is another 'jwg up " + ifname + "' running?", e);
        }
        Executor ex = new Executor(host, err, hookEnv(ifname, l.canonical()));
        if (!ex.up(plan, journal, states, true)) {
            return 1;
        }
        recordEndpointNames(c);
        return 0;
    }

    /**
     * Leaves the endpoints given as host names where jwgd finds them ({@link StateFile#endpointNamesPath}),
     * so that it looks them up again when their peer's handshake goes stale (the UAPI only carries
     * addresses). A failure costs only that, and says so.
     */
    private void recordEndpointNames(TunnelConfig c) {
        List<String> lines = new ArrayList<>();
        for (PeerConfig p : c.peers()) {
            if (p.endpoint().isPresent() && !p.endpoint().get().isLiteral()) {
                lines.add(p.publicKey().toBase64() + " " + p.endpoint().get());
            }
        }
        try {
            states.writeEndpointNames(c.name(), lines);
        } catch (IOException e) {
            err.println("[!] cannot write " + states.endpointNamesPath(c.name()) + " (" + e.getMessage()
                    + "): endpoint names will not be looked up again");
        }
    }

    /**
     * Takes back what an earlier {@code up} of {@code ifname} left behind when its interface is gone
     * and its daemon no longer answers (killed with SIGKILL, by the OOM killer, or its namespace
     * deleted), so that {@code up} needs no manual step: in this namespace, the recorded steps
     * are undone as {@code down} would; a state from a namespace that no longer exists is dropped
     * (what it did went with the namespace). A state from another namespace that still exists is
     * left for {@code jwg down} there.
     */
    private void clearStale(StateFile.State st, String netns) throws QuickException, IOException {
        String ifname = st.ifname();
        if (st.netns().isEmpty() || st.netns().equals(netns)) {
            err.println("[!] " + states.path(ifname) + " remains from a 'jwg up' whose daemon is gone (killed?); "
                    + "undoing what is left of it");
            new Executor(host, err, hookEnv(ifname, st.config())).undoAll(st, Executor.LinkPlace.GONE);
            states.deleteEndpointNames(ifname);
        } else if (SystemProbe.netnsExists(st.netns())) {
            throw new QuickException("`" + ifname + "' was brought up in another network namespace (" + st.netns()
                    + "), which still exists; run 'jwg down " + ifname + "' there first");
        } else {
            err.println("[!] " + states.path(ifname) + " remains from a 'jwg up' in a network namespace that no "
                    + "longer exists (" + st.netns() + "); removing it");
        }
        states.delete(ifname);
    }

    /** {@code jwg down CONFIG_FILE|IF}. */
    public int down(String arg) throws QuickException, ConfigException, IOException {
        requireRoot();
        Target t = target(arg);
        try (StateFile.InterfaceLock held = lock(t.ifname())) {
            return down(t);
        }
    }

    private int down(Target t) throws QuickException, ConfigException, IOException {
        String ifname = t.ifname();
        Optional<ConfigSource> source = Optional.of(t.source());
        Optional<StateFile.State> state = readState(ifname);
        if (state.isEmpty()) {
            throw new QuickException("`" + ifname + "' was not brought up by jwg (no " + states.path(ifname) + ")");
        }
        StateFile.State st = state.get();
        String netns = SystemProbe.netns();
        if (!st.netns().isEmpty() && !netns.isEmpty() && !st.netns().equals(netns) && !SystemProbe.netnsExists(st.netns())) {
            err.println("[!] " + ifname + " was brought up in a network namespace that no longer exists ("
                    + st.netns() + "); removing " + states.path(ifname));
            states.delete(ifname);
            return 0;
        }
        if (!st.netns().isEmpty() && !netns.isEmpty() && !st.netns().equals(netns)) {
            throw new QuickException("`" + ifname + "' was brought up in another network namespace (" + st.netns()
                    + "); run 'jwg down' there");
        }

        Optional<TunnelConfig> config = Optional.empty();
        if (st.mode() == StateFile.Mode.WG_QUICK) {
            // As wg-quick, the hooks and SaveConfig are read from the file now; unlike wg-quick, a file
            // that is gone or broken does not keep the interface up.
            try {
                config = Optional.of(WgQuickParser.parse(source.get().path()));
            } catch (ConfigException e) {
                err.println("Warning: " + e.getMessage() + "; PreDown, PostDown and SaveConfig are skipped");
            }
        }
        Executor ex = new Executor(host, err, hookEnv(ifname, st.config()));
        InterfaceConfig i = config.map(TunnelConfig::iface).orElse(InterfaceConfig.EMPTY);
        if (!ex.runAll(ifname, WgQuickPlanner.hooks(i.preDown(), ifname))) {
            return 1;
        }
        Executor.LinkPlace link = linkPlace(ifname);
        if (i.saveConfig() && link != Executor.LinkPlace.GONE) {
            saveConfig(config.get(), st.config(), link);
        }
        boolean ok = ex.undoAll(st, link);
        states.delete(ifname);
        states.deleteEndpointNames(ifname);
        waitForDaemonExit(ifname);
        ok &= ex.runAll(ifname, WgQuickPlanner.hooks(i.postDown(), ifname));
        return ok ? 0 : 1;
    }

    /** {@code jwg save CONFIG_FILE|IF}: rewrites a wg-quick file from the live interface. */
    public int save(String arg) throws QuickException, ConfigException, IOException {
        requireRoot();
        ConfigSource src = target(arg).source();
        if (src.mode() != StateFile.Mode.WG_QUICK) {
            throw new QuickException("save rewrites wg-quick files; " + src.path() + " is a systemd-networkd file");
        }
        ConfigSource.Loaded l = src.load(err);
        try (StateFile.InterfaceLock held = lock(l.config().name())) {
            Executor.LinkPlace link = linkPlace(l.config().name());
            if (link == Executor.LinkPlace.GONE || !uapiAlive(l.config().name())) {
                throw new QuickException("`" + l.config().name() + "' is not a WireGuard interface");
            }
            saveConfig(l.config(), l.canonical(), link);
        }
        return 0;
    }

    /** Waits for, then holds, the right to change {@code ifname} ({@link StateFile#lock}). */
    private StateFile.InterfaceLock lock(String ifname) throws QuickException {
        try {
            return states.lock(ifname, message -> {
                err.println("[!] " + message);
                err.flush();
            });
        } catch (IOException e) {
            throw new QuickException("cannot lock " + ifname + " in " + states.path(ifname).getParent() + ": "
                    + ConfigFiles.reason(e), e);
        }
    }

    /** {@code jwg strip CONFIG_FILE|IF}: the configuration without wg-quick's keys, for {@code wg syncconf}. */
    public int strip(String arg) throws QuickException, ConfigException, IOException {
        ConfigSource src = ConfigSource.locate(arg);
        ConfigSource.Loaded l = src.load(err); // validates the whole file first
        String text = switch (src.mode()) {
            case WG_QUICK -> WgQuickText.strip(Files.readString(src.path(), StandardCharsets.UTF_8));
            case NETWORKD -> WgQuickWriter.toWgString(l.config());
        };
        out.print(text);
        out.flush();
        return 0;
    }

    /**
     * The interface and configuration {@code down}/{@code save} act on.
     *
     * @param ifname the interface
     * @param source its configuration
     */
    private record Target(String ifname, ConfigSource source) {}

    /**
     * What {@code arg} names for {@code down}/{@code save}: a bare name is the interface, its
     * configuration the one {@code up} recorded (else {@code /etc/wireguard/IF.conf}); a {@code .conf}
     * names its interface; a {@code .netdev} is looked up among the recorded states by its path, and
     * only read if none matches (so a key file deleted since {@code up} does not block {@code down}).
     */
    private Target target(String arg) throws QuickException, ConfigException {
        if (ConfigSource.isBareName(arg)) {
            Optional<StateFile.State> s = readState(arg);
            return new Target(arg, s.map(st -> new ConfigSource(st.mode(), st.config(), arg)).orElseGet(
                    () -> new ConfigSource(StateFile.Mode.WG_QUICK, ConfigSource.WG_QUICK_DIR.resolve(arg + ".conf"), arg)));
        }
        ConfigSource src = ConfigSource.locate(arg);
        if (src.mode() == StateFile.Mode.WG_QUICK) {
            return new Target(WgQuickParser.interfaceName(src.path().getFileName().toString()), src);
        }
        try {
            Optional<StateFile.State> s = states.findByConfig(src.path().toRealPath());
            if (s.isPresent()) {
                return new Target(s.get().ifname(), src);
            }
        } catch (IOException e) {
            // not there or unreadable: reading the file below says why
        }
        return new Target(src.load(err).config().name(), src);
    }

    /**
     * Where the interface is: here; in another network namespace (not here, but its daemon answers:
     * moved by {@code ip link set IF netns NAME}, while the daemon and its UDP socket stayed here); or gone.
     */
    private Executor.LinkPlace linkPlace(String ifname) throws IOException {
        if (new SystemProbe(host).linkExists(ifname)) {
            return Executor.LinkPlace.HERE;
        }
        return uapiAlive(ifname) ? Executor.LinkPlace.ELSEWHERE : Executor.LinkPlace.GONE;
    }

    /**
     * wg-quick's {@code save_config}, written atomically with mode 0600. Addresses and MTU are read from
     * the live link when it is in this network namespace; when it was moved to another one, where they
     * cannot be seen from here, the file's own Address and MTU lines are kept.
     */
    private void saveConfig(TunnelConfig c, Path file, Executor.LinkPlace link) throws QuickException, IOException {
        String ifname = c.name();
        InterfaceConfig i = c.iface();
        List<String> addresses = new ArrayList<>();
        int mtu = 0;
        if (link == Executor.LinkPlace.HERE) {
            Host.Output a = host.query(List.of("ip", "-o", "address", "show", "dev", ifname));
            for (String line : a.stdout().lines().toList()) {
                Matcher m = ADDRESS.matcher(line);
                if (m.find() && keepAddress(m.group(1), i.addresses())) {
                    addresses.add(m.group(1));
                }
            }
            Matcher mm = MTU.matcher(host.query(List.of("ip", "link", "show", "dev", ifname)).stdout());
            if (mm.find()) {
                mtu = Integer.parseInt(mm.group(1));
            }
        } else {
            err.println("[!] " + ifname + " is in another network namespace; its Address and MTU lines are kept as they are");
            i.addresses().forEach(a -> addresses.add(a.toString()));
            mtu = i.mtu().orElse(0);
        }
        List<String> dns = liveDns(ifname, i);
        err.println("[#] wg showconf " + ifname);
        DeviceSnapshot d;
        try {
            d = host.uapiGet(ifname);
        } catch (UapiException e) {
            throw new QuickException("cannot read " + ifname + " from its daemon: " + e.getMessage(), e);
        }
        String text = WgQuickText.saved(i, addresses, dns, mtu, d);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (OutputStream o = Files.newOutputStream(Files.createFile(tmp,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new QuickException("Could not write configuration file " + tmp + ": " + ConfigFiles.reason(e), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new QuickException("Could not move configuration file to " + file + ": " + ConfigFiles.reason(e), e);
        }
    }

    /** Keeps every address except the IPv6 link-local one the kernel gave the TUN itself. */
    private static boolean keepAddress(String text, List<InterfaceAddress> configured) {
        if (!text.toLowerCase(java.util.Locale.ROOT).startsWith("fe")) {
            return true;
        }
        InterfaceAddress a;
        try {
            a = InterfaceAddress.parse(text);
        } catch (IllegalArgumentException e) {
            return true;
        }
        byte[] b = a.address().bytes();
        boolean linkLocal = b.length == 16 && (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80;
        return !linkLocal || configured.contains(a);
    }

    /** DNS as resolvconf holds it for the interface; the file's values when resolvconf is not installed. */
    private List<String> liveDns(String ifname, InterfaceConfig i) throws IOException {
        Optional<String> prefix = new SystemProbe(host).resolvconfPrefix();
        List<String> dns = new ArrayList<>();
        if (prefix.isEmpty()) {
            i.dnsServers().forEach(s -> dns.add(s.toString()));
            dns.addAll(i.dnsSearch());
            return dns;
        }
        Host.Output o = host.query(List.of("resolvconf", "-l", prefix.get() + ifname));
        List<String> search = new ArrayList<>();
        for (String line : o.stdout().lines().toList()) {
            Matcher m = NAMESERVER.matcher(line.strip());
            Matcher s = SEARCH.matcher(line.strip());
            if (m.matches()) {
                dns.add(m.group(1));
            } else if (s.matches()) {
                search.addAll(List.of(s.group(1).trim().split("\\s+")));
            }
        }
        dns.addAll(search);
        return dns;
    }

    private boolean uapiAlive(String ifname) throws IOException {
        try {
            host.uapiGet(ifname);
            return true;
        } catch (IOException | UapiException e) {
            return false;
        }
    }

    /** After the link is deleted the daemon exits by itself; wait a little so an immediate {@code up} finds it gone. */
    private void waitForDaemonExit(String ifname) throws IOException {
        for (int n = 0; n < 50 && uapiAlive(ifname); n++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Optional<StateFile.State> readState(String ifname) throws QuickException {
        try {
            return states.read(ifname);
        } catch (IOException e) {
            throw new QuickException("cannot read the state of " + ifname + ": " + ConfigFiles.reason(e), e);
        }
    }

    private static Map<String, String> hookEnv(String ifname, Path config) {
        return Map.of("INTERFACE", ifname, "CONFIG_FILE", config.toString());
    }

    /** Fails unless the effective user is root (wg-quick re-runs itself with sudo; jwg asks the user to). */
    private void requireRoot() throws QuickException {
        if (!root.getAsBoolean()) {
            throw new QuickException("must be run as root (try: sudo jwg ...)");
        }
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] w = line.substring(4).trim().split("\\s+");
                    return w.length > 1 && w[1].equals("0");
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }
}
