package dev.jwg.cli;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.config.uapi.UapiSocket;
import dev.jwg.core.crypto.CryptoSelfCheck;
import dev.jwg.device.Device;
import dev.jwg.device.EndpointReresolver;
import dev.jwg.device.Log;
import dev.jwg.device.SystemClock;
import dev.jwg.device.io.Bind;
import dev.jwg.device.metrics.MetricsServer;
import dev.jwg.device.tuning.Warmup;
import dev.jwg.device.uapi.UapiServer;
import dev.jwg.linux.Errno;
import dev.jwg.linux.JitThreads;
import dev.jwg.linux.LinkMonitor;
import dev.jwg.linux.LinuxException;
import dev.jwg.linux.LinuxTun;
import dev.jwg.linux.LinuxUdpBind;
import dev.jwg.linux.LinuxWarmupIo;
import dev.jwg.linux.Native;
import dev.jwg.linux.NativeHeap;
import dev.jwg.linux.Offload;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code jwgd [-f|--foreground] IFNAME}: the userspace WireGuard daemon, invoked exactly like
 * wireguard-go (docs/protocol.md §4.5). This process always runs in the foreground; {@code bin/jwgd}
 * backgrounds it and returns once the TUN interface and the UAPI socket exist (it passes
 * {@code JWG_READY_FILE}, where this process reports "ready" or the start-up error).
 *
 * <p>Stops cleanly, removing its socket, on SIGINT/SIGTERM, when the interface is deleted and when
 * the socket file is removed.
 */
public final class JwgdMain {
    /**
     * With {@code JWG_WARMUP=full}: the JIT counts as done once its compiler threads have used no
     * CPU for this long ({@link JitThreads#awaitQuiet}), and ready waits at most
     * {@link #COMPILERS_WAIT_MILLIS} for that.
     */
    private static final long COMPILERS_QUIET_MILLIS = 30;
    private static final long COMPILERS_WAIT_MILLIS = 5_000;

    /**
     * How long after ready the JIT compiler threads run only when nothing else wants a CPU (the
     * first packets of {@code jwg up}; see JitThreads for why not longer).
     */
    private static final long JIT_IDLE_MILLIS = 5_000;

    private JwgdMain() {}

    public static void main(String[] args) {
        // Endpoint names are looked up again and again (EndpointReresolver): the system resolver
        // decides how long an answer holds (its caches and the DNS TTLs), not the JVM's own cache,
        // and addresses come in getaddrinfo's order, as wg takes the first.
        java.security.Security.setProperty("networkaddress.cache.ttl", "0");
        java.security.Security.setProperty("networkaddress.cache.negative.ttl", "0");
        if (System.getProperty("java.net.preferIPv6Addresses") == null) {
            System.setProperty("java.net.preferIPv6Addresses", "system");
        }
        String ifname = null;
        String metrics = System.getenv("JWG_METRICS_ADDRESS");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--metrics=")) {
                metrics = a.substring("--metrics=".length());
                continue;
            }
            switch (a) {
                case "-f", "--foreground" -> { }
                case "--metrics" -> {
                    if (i + 1 >= args.length || args[i + 1].isBlank()) {
                        System.err.println("jwgd: --metrics needs HOST:PORT");
                        ready(System.getenv("JWG_READY_FILE"), "error: --metrics needs HOST:PORT");
                        usage();
                        System.exit(1);
                    }
                    metrics = args[++i];
                }
                case "--version", "-v" -> {
                    System.out.println(Version.line("jwgd"));
                    System.out.println();
                    System.out.println("Userspace WireGuard daemon in Java.");
                    System.exit(0);
                }
                case "--aot-training" -> System.exit(aotTraining());
                case "-h", "--help" -> {
                    usage();
                    System.exit(0);
                }
                default -> {
                    if (ifname != null || a.startsWith("-")) {
                        usage();
                        System.exit(1);
                    }
                    ifname = a;
                }
            }
        }
        if (ifname == null) {
            usage();
            System.exit(1);
        }
        InetSocketAddress metricsAddress = null;
        if (metrics != null && !metrics.isBlank()) {
            try {
                metricsAddress = MetricsServer.parseAddress(metrics);
            } catch (IllegalArgumentException e) {
                String msg = "--metrics / JWG_METRICS_ADDRESS: " + e.getMessage();
                System.err.println("jwgd: " + msg);
                ready(System.getenv("JWG_READY_FILE"), "error: " + msg);
                System.exit(1);
            }
        }
        System.exit(run(ifname, metricsAddress));
    }

    /**
     * The training run for {@code bin/jwgd}'s ahead-of-time cache (JEP 483 class loading and
     * linking, JEP 515 method profiles; the launcher runs it with {@code -XX:AOTCacheOutput}): the
     * daemon's start-up checks and its JIT warm-up ({@link Warmup}) on private I/O, which needs
     * neither root nor an interface. The cache shortens start-up and a fresh tunnel's first round
     * trips (figures in docs/performance.md ("Measurements behind design choices")).
     */
    static int aotTraining() {
        try {
            CryptoSelfCheck.run();
            Native.ensureAvailable();
            boolean offload = Offload.enabledByDefault();
            Set<Offload> tun = offload
                    ? EnumSet.of(Offload.VNET_HDR, Offload.CSUM, Offload.TSO4, Offload.TSO6, Offload.USO4, Offload.USO6)
                    : EnumSet.noneOf(Offload.class);
            // the JDK backend, and the one a daemon would pick if that is another
            // Only the backend a daemon here would choose: the profiles of another would make the
            // daemon's JIT compile a cipher it never uses (a notable amount of C2 time).
            AeadBackend chosen = AeadChoice.select(new Log(Log.levelFromEnv(null), "aot", System.err)).backend();
            int workers = Device.configuredWorkers(System.getProperty(Device.WORKERS_PROPERTY), System.getenv(Device.WORKERS_ENVIRONMENT));
            try (LinuxWarmupIo io = trainingIo(tun, offload)) {
                new Warmup("aot", io, SystemClock.INSTANCE, new SecureRandom(), chosen, workers).run();
                // what the daemon does at start, so that its classes and branches are in the cache too
                new Warmup("aot", io, SystemClock.INSTANCE, new SecureRandom(), chosen, workers).runBrief();
            }
            settleMemory();
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("jwgd: AOT training run failed: " + e);
            return 1;
        }
    }

    /**
     * The JIT warm-up, before the interface can be configured or carry a packet ({@link Warmup}):
     * its sockets live in a network namespace of their own, so without CAP_SYS_ADMIN it is skipped
     * (the ahead-of-time cache still lets the JIT compile early). Never fails the start.
     */
    private static void warmUp(String name, LinuxTun tun, AeadBackend aead, int workers, Warmup.Mode mode, Log log) {
        long start = System.nanoTime();
        try (LinuxWarmupIo io = LinuxWarmupIo.inPrivateNetwork(tun.offloads(), Offload.enabledByDefault())) {
            Warmup warmup = new Warmup(name, io, SystemClock.INSTANCE, new SecureRandom(), aead, workers);
            int delivered = warmup.runBrief();
            if (mode == Warmup.Mode.FULL) {
                long waited = JitThreads.awaitQuiet(COMPILERS_QUIET_MILLIS, COMPILERS_WAIT_MILLIS);
                delivered += warmup.runSettle();
                log.verbose("Warm-up: waited %d ms for the JIT compilers", waited);
            }
            log.verbose("Warm-up: %d packets through the data path in %d ms", delivered, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            log.verbose("Warm-up skipped: %s", e.getMessage());
        }
    }

    /**
     * Hands back what start-up used and will not use again, before the daemon reports ready: a full
     * collection shrinks the heap the checks and the warm-up made grow, and the C heap's free
     * arenas go back to the system ({@link NativeHeap#trim}).
     */
    private static void settleMemory() {
        System.gc();
        NativeHeap.trim();
    }

    /** A private network namespace when this may create one (root), else the host's loopback: the training run may run unprivileged. */
    private static LinuxWarmupIo trainingIo(Set<Offload> tun, boolean offload) {
        try {
            return LinuxWarmupIo.inPrivateNetwork(tun, offload);
        } catch (IOException e) {
            return LinuxWarmupIo.onHostLoopback(tun, offload);
        }
    }

    private static void usage() {
        System.err.println("Usage: jwgd [-f/--foreground] [--metrics HOST:PORT] INTERFACE-NAME");
    }

    /**
     * Runs the daemon for {@code ifname} until it stops.
     *
     * @param metricsAddress where to serve {@code GET /metrics}, or null for no metrics endpoint
     */
    static int run(String ifname, InetSocketAddress metricsAddress) {
        // UTF-8 whatever the locale (a service's is often POSIX, whose ASCII turned the "…" of
        // peer(AbCd…WxYz) into "?"), as wireguard-go writes its log.
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        // Under systemd (JOURNAL_STREAM names our standard output) lines carry syslog priorities.
        Log log = new Log(Log.levelFromEnv(System.getenv("LOG_LEVEL")), ifname, stdout,
                Log.formatFromEnv(System.getenv("JWG_LOG_FORMAT"), System.getenv("JOURNAL_STREAM"), Path.of("/proc/self/fd/1")));
        String readyFile = System.getenv("JWG_READY_FILE");
        LinuxTun tun = null;
        Device device = null;
        UapiServer uapi;
        LinkMonitor monitor;
        MetricsServer metrics = null;
        EndpointReresolver reresolver = null;
        try {
            if (ifname.contains("/") || ifname.length() > 15 || ifname.isEmpty()) {
                throw new IOException("invalid interface name '" + ifname + "'");
            }
            CryptoSelfCheck.run();
            Native.ensureAvailable();
            AeadBackend aead = AeadChoice.select(log).backend();
            int workers = Device.configuredWorkers(System.getProperty(Device.WORKERS_PROPERTY), System.getenv(Device.WORKERS_ENVIRONMENT));
            refuseIfServed(ifname);
            tun = LinuxTun.create(ifname, dev.jwg.core.Protocol.DEFAULT_MTU);
            String name = tun.name();
            log.verbose("TUN offloads: %s%s", Offload.describe(tun.offloads()),
                    Offload.enabledByDefault() ? "" : " (switched off by " + Offload.PROPERTY + " / " + Offload.ENVIRONMENT + ")");
            device = new Device(name, tun, port -> openBind(port, log), SystemClock.INSTANCE, new SecureRandom(), log, aead, workers);
            log.verbose("Crypto workers: %d", workers);
            device.start();
            String warmupSetting = Warmup.setting();
            Warmup.Mode warmupMode = Warmup.Mode.parse(warmupSetting);
            if (warmupMode == null) {
                log.error("Warm-up setting '%s' (JWG_WARMUP or -Djwg.warmup) is not understood; it takes 0, 1 or full: warming up as with 1", warmupSetting);
                warmupMode = Warmup.Mode.BRIEF;
            }
            if (warmupMode != Warmup.Mode.OFF) {
                warmUp(name, tun, aead, workers, warmupMode, log);
            }
            settleMemory();
            uapi = UapiServer.bind(name, device, log);
            if (metricsAddress != null) {
                try {
                    metrics = MetricsServer.start(metricsAddress, device, log);
                } catch (IOException e) {
                    uapi.close();
                    throw new IOException("cannot serve metrics on " + metricsAddress.getAddress().getHostAddress() + ":"
                            + metricsAddress.getPort() + ": " + e.getMessage(), e);
                }
                log.verbose("Metrics at http://%s/metrics", metricsText(metrics.address()));
            }
            monitor = LinkMonitor.open(tun);
            int after = reresolveAfter(System.getenv("JWG_RERESOLVE_AFTER"));
            if (after > 0) {
                reresolver = new EndpointReresolver(device, EndpointReresolver.defaultFile(System.getenv("JWG_STATE_DIR"), name), InetAddress::getAllByName,
                        SystemClock.INSTANCE, after);
                reresolver.start();
            }
        } catch (IOException | RuntimeException e) {
            String msg = "Failed to start " + ifname + ": " + e.getMessage();
            log.error("%s", msg);
            if (device != null) {
                device.close();
            } else if (tun != null) {
                tun.close();
            }
            ready(readyFile, "error: " + msg);
            return 1;
        }
        Device dev = device;
        LinuxTun theTun = tun;
        java.util.concurrent.atomic.AtomicReference<LinkMonitor> mon = new java.util.concurrent.atomic.AtomicReference<>(monitor);
        Thread.ofPlatform().name(ifname + "-link").daemon().start(() -> followLink(theTun, dev, mon, log));
        MetricsServer metricsServer = metrics;
        EndpointReresolver names = reresolver;
        // what a stop closes, in this order, however it comes (each close is idempotent)
        Runnable closeAll = () -> {
            if (names != null) {
                names.close();
            }
            dev.close();
            uapi.close();
            if (metricsServer != null) {
                metricsServer.close();
            }
        };
        try {
            uapi.start(dev::close);
        } catch (IOException e) {
            String msg = "Failed to start " + ifname + ": cannot watch " + uapi.path() + ": " + e.getMessage();
            log.error("%s", msg);
            closeAll.run();
            mon.get().close();
            ready(readyFile, "error: " + msg);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(closeAll, "jwgd-shutdown"));
        log.verbose("Device started");
        // What the JIT still compiles from now on must not delay packets (see JitThreads).
        JitThreads.idleFor(JIT_IDLE_MILLIS);
        ready(readyFile, "ready");
        try {
            dev.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.verbose("Shutting down");
        closeAll.run();
        mon.get().close();
        return 0;
    }

    /**
     * {@code JWG_RERESOLVE_AFTER}: the handshake age in seconds after which endpoint names are
     * looked up again ({@link EndpointReresolver#DEFAULT_AFTER_SECONDS} when unset; 0 switches it off).
     */
    static int reresolveAfter(String value) throws IOException {
        if (value == null || value.isBlank()) {
            return EndpointReresolver.DEFAULT_AFTER_SECONDS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IOException("JWG_RERESOLVE_AFTER=" + value + ": not a number of seconds");
    }

    private static String metricsText(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /**
     * Follows the interface's link state until it is deleted. When the interface is moved to
     * another network namespace (the UDP socket stays here, docs/protocol.md §4.5), monitoring continues there.
     */
    private static void followLink(LinuxTun tun, Device dev, java.util.concurrent.atomic.AtomicReference<LinkMonitor> mon, Log log) {
        boolean[] moved = new boolean[1];
        LinkMonitor.Listener listener = new LinkMonitor.Listener() {
            @Override
            public void linkChanged(LinkMonitor.LinkState state) {
                dev.setMtu(state.mtu());
                dev.setLinkUp(state.isRunning());
            }

            @Override
            public void linkRemoved(LinkMonitor.Removal removal) {
                moved[0] = removal.moved() && !tun.isDeleted();
                if (moved[0]) {
                    log.verbose("Interface %s moved to another network namespace", removal.name());
                    dev.setLinkUp(false);
                } else {
                    log.verbose("Interface %s removed", removal.name());
                    dev.close();
                }
            }
        };
        try {
            while (true) {
                moved[0] = false;
                mon.get().poll(listener);
                if (!moved[0]) {
                    return;
                }
                mon.get().close();
                mon.set(LinkMonitor.open(tun));
            }
        } catch (IOException e) {
            log.error("Link monitor failed: %s", e.getMessage());
        }
    }

    /**
     * Fails clearly when another daemon already serves {@code ifname}: its socket answers. (Without
     * this check a second start in the same namespace died on TUNSETIFF with a bare EBUSY.) A
     * socket file no daemon answers on does not count; {@link UapiServer#bind} replaces it.
     */
    private static void refuseIfServed(String ifname) throws IOException {
        Path socket = UapiSocket.path(ifname);
        if (UapiSocket.probe(socket) == UapiSocket.State.LIVE) {
            throw new IOException("another daemon is already running for " + ifname + " (" + socket + " is live)");
        }
    }

    private static void ready(String file, String status) {
        if (file == null || file.isEmpty()) {
            return;
        }
        try {
            Files.writeString(Path.of(file), status + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("jwgd: cannot write " + file + ": " + dev.jwg.config.model.ConfigFiles.reason(e));
        }
    }

    static Bind openBind(int port, Log log) throws IOException {
        try {
            LinuxUdpBind bind = LinuxUdpBind.open(port);
            log.verbose("UDP offloads: %s", Offload.describe(bind.offloads()));
            return bind;
        } catch (LinuxException e) {
            if (e.errno() == Errno.EADDRINUSE) {
                BindException b = new BindException(e.getMessage());
                b.initCause(e);
                throw b;
            }
            throw e;
        }
    }
}
