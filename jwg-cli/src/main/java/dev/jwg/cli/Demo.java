package dev.jwg.cli;

import dev.jwg.linux.Netns;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jwg demo}: WireGuard tunnels between network namespaces on this machine, built step by
 * step with jwgd, {@code jwg}'s own {@code wg} commands (genkey, pubkey, set, show) and {@code ip},
 * each step explained and each command shown as it runs: jwgd↔jwgd, then jwgd↔wireguard-go when
 * that is installed, pings, the {@code show} view, a 3-second iperf3 when installed. Nothing
 * beyond iproute2 and jwg itself is needed: without {@code ping} the demo sends the ICMP echo
 * requests itself from inside the namespace ({@link #ping}). Everything it creates (namespaces
 * {@code jwg-demo-*}, links {@code jwgdemo*}, daemons, sockets, a temporary key directory) is
 * removed at the end, also after a failure or Ctrl-C (shutdown hook). Exit status 0 when every
 * step worked.
 *
 * <p>Topology: A is a hub with one jwgd interface and two peers.
 * <pre>
 *   jwg-demo-b                 jwg-demo-a                  jwg-demo-c
 *   jwgdemo1 (jwgd)   ───────  jwgdemo0 (jwgd)  ─────────  jwgdemo2 (wireguard-go)
 *   10.227.0.2        veth     10.227.0.1         veth     10.227.0.3
 *   192.168.227.2              192.168.227.1 | .228.1      192.168.228.2
 * </pre>
 * Not thread-safe; one demo per machine at a time (a lock file enforces it).
 */
final class Demo {
    static final String NS_A = "jwg-demo-a";
    static final String NS_B = "jwg-demo-b";
    static final String NS_C = "jwg-demo-c";
    static final List<String> NAMESPACES = List.of(NS_A, NS_B, NS_C);
    static final String IF_A = "jwgdemo0";
    static final String IF_B = "jwgdemo1";
    static final String IF_C = "jwgdemo2";
    static final List<String> INTERFACES = List.of(IF_A, IF_B, IF_C);
    static final Path SOCKET_DIR = Path.of("/var/run/wireguard");
    private static final Path LOCK = Path.of("/run/jwg-demo.lock");
    private static final Duration SHORT = Duration.ofSeconds(10);
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern RECEIVER = Pattern.compile("([0-9.]+)\\s+([KMG]?)bits/sec.*receiver");

    private final PrintStream out;
    private final Optional<Path> homeOverride;
    private DemoShell sh;
    private Path jwg;
    private boolean havePing;
    private Path work;
    private boolean ipv6 = true;
    private int step;
    private int steps;
    private final Object cleanupLock = new Object();
    private boolean cleaned;
    private volatile boolean interrupted;

    Demo(PrintStream out, Optional<Path> home) {
        this.out = out;
        this.homeOverride = home;
    }

    int run() {
        long started = System.nanoTime();
        out.println("jwg demo: WireGuard tunnels between network namespaces on this machine, built with");
        out.println("jwgd (the Java daemon), jwg's wg commands and ip. Each command is shown as it runs ([#] lines).");
        out.println("Everything is named jwg-demo-* / jwgdemo* and removed at the end, also on Ctrl-C.");
        out.println();

        Path jwgd = program("jwgd").orElse(null);
        jwg = program("jwg").orElse(null);
        if (jwgd == null || jwg == null) {
            out.println("[!] Cannot find jwg and jwgd. Run the demo through bin/jwg or the installed jwg (they pass");
            out.println("    -Djwg.home), or give the installation with -Djwg.home=/path/to/jwg.");
            return 1;
        }
        Optional<String> problem = preflight();
        if (problem.isPresent()) {
            out.println("[!] " + problem.get());
            return 1;
        }
        boolean haveWgGo = DemoShell.which("wireguard-go").isPresent();
        boolean haveIperf = DemoShell.which("iperf3").isPresent();
        havePing = DemoShell.which("ping").isPresent();
        steps = 6 + (haveWgGo ? 1 : 0) + (haveIperf ? 1 : 0);

        try (FileChannel lockFile = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                out.println("[!] Another jwg demo is running on this machine (" + LOCK + " is locked); try again when it is done.");
                return 1;
            }
            work = Files.createTempDirectory("jwg-demo-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            sh = new DemoShell(out, work);
            Thread hook = new Thread(() -> {
                interrupted = true;
                out.println();
                out.println("[!] Interrupted.");
                cleanup();
            }, "jwg-demo-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
            int status;
            try {
                removeLeftovers();
                steps(jwgd, haveWgGo, haveIperf);
                status = 0;
            } catch (DemoShell.Failure f) {
                if (interrupted) {
                    return 130;
                }
                out.println();
                out.println("[!] FAILED: " + f.getMessage());
                if (!f.output.isBlank()) {
                    sh.show(f.output);
                }
                status = 1;
            } catch (RuntimeException e) {
                out.println();
                out.println("[!] FAILED: " + e);
                status = 1;
            }
            cleanup();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook already ran
            }
            out.println();
            double seconds = (System.nanoTime() - started) / 1e9;
            if (status == 0) {
                out.printf("All steps worked (%.1f s). For a real tunnel, write /etc/wireguard/wg0.conf as for wg-quick and run%n", seconds);
                out.println("    " + jwg + " up wg0");
                out.println("or let wg-quick start jwgd:");
                out.println("    WG_QUICK_USERSPACE_IMPLEMENTATION=" + jwgd + " wg-quick up wg0");
            } else {
                out.printf("The demo failed (%.1f s); everything it created has been removed.%n", seconds);
            }
            return status;
        } catch (IOException e) {
            out.println("[!] " + e.getMessage());
            return 1;
        }
    }

    // -----------------------------------------------------------------------------------------

    private void steps(Path jwgd, boolean haveWgGo, boolean haveIperf) throws DemoShell.Failure {
        heading("Three \"hosts\" joined by virtual cables",
                "A network namespace is a separate network stack (interfaces, addresses, routes) on the",
                "same kernel, so three of them stand in for three machines. A veth pair is a virtual",
                "Ethernet cable; each end goes into one namespace. This is the 'internet' the encrypted",
                "WireGuard packets will travel over.");
        for (String ns : List.of(NS_A, NS_B)) {
            sh.must(SHORT, "ip", "netns", "add", ns);
            sh.must(SHORT, "ip", "-n", ns, "link", "set", "lo", "up");
        }
        cable(NS_A, "jwgdemo-ab", "192.168.227.1/24", NS_B, "jwgdemo-ba", "192.168.227.2/24");

        heading("Keys",
                "Each side has a Curve25519 key pair. The private key stays on its host; peers only",
                "ever learn each other's public key. jwg has wg's commands, with wg's grammar and",
                "output: 'wg genkey' and 'wg pubkey' from wireguard-tools would do the same.");
        Path ka = work.resolve("a.key");
        Path kb = work.resolve("b.key");
        String pa = keyPair(ka, "A");
        String pb = keyPair(kb, "B");

        heading("Start jwgd in A and in B",
                "jwgd IFNAME is invoked exactly like wireguard-go: it creates the TUN interface",
                "inside the namespace and the control socket " + SOCKET_DIR + "/IFNAME.sock, and",
                "returns once both exist, leaving the daemon running in the background.");
        sh.must(START, "ip", "netns", "exec", NS_A, jwgd.toString(), IF_A);
        sh.must(START, "ip", "netns", "exec", NS_B, jwgd.toString(), IF_B);
        sh.show(sh.must(SHORT, "ip", "-n", NS_A, "-brief", "link", "show", IF_A).output());

        heading("Configure the tunnel with jwg set, give it addresses, bring it up",
                "jwg set (or wg set) finds the daemon through its socket, so it needs no namespace. A gets B as a peer:",
                "B's public key, the tunnel addresses B may use (allowed IPs: what A routes to B, and",
                "what A accepts from B) and where to reach B. B knows A's key but not its address: B",
                "learns it from A's first handshake.");
        sh.must(SHORT, jwg.toString(), "set", IF_A, "private-key", ka.toString(), "listen-port", "51820",
                "peer", pb, "allowed-ips", "10.227.0.2/32,fd00:227::2/128", "endpoint", "192.168.227.2:51821");
        sh.must(SHORT, jwg.toString(), "set", IF_B, "private-key", kb.toString(), "listen-port", "51821",
                "peer", pa, "allowed-ips", "10.227.0.1/32,fd00:227::1/128");
        address(NS_A, IF_A, "10.227.0.1/24", "fd00:227::1/64");
        address(NS_B, IF_B, "10.227.0.2/24", "fd00:227::2/64");
        sh.must(SHORT, "ip", "-n", NS_A, "link", "set", IF_A, "up");
        sh.must(SHORT, "ip", "-n", NS_B, "link", "set", IF_B, "up");
        listening(NS_A, 51820);
        listening(NS_B, 51821);

        heading("Ping through the tunnel",
                "The first packet makes A's jwgd run the WireGuard handshake with B (two UDP messages,",
                "Noise IK); after that every packet is encrypted with ChaCha20-Poly1305 and sent as UDP",
                "over the veth cable.");
        ping(NS_A, "10.227.0.2", false);
        if (ipv6) {
            ping(NS_A, "fd00:227::2", true);
        }
        ping(NS_B, "10.227.0.1", false);

        heading("What jwg show says",
                "jwg show (byte for byte what wg show prints) reads both daemons' state over their",
                "sockets: the peer, the endpoint B learned, the latest handshake and the bytes moved.");
        sh.show(sh.must(SHORT, jwg.toString(), "show", IF_A).output());
        sh.show(sh.must(SHORT, jwg.toString(), "show", IF_B).output());

        if (haveWgGo) {
            heading("jwgd and wireguard-go, the reference userspace implementation",
                    "A third host C runs wireguard-go. A gets C as a second peer, with no endpoint: A",
                    "learns it when C connects. Same commands, different implementations.");
            sh.must(SHORT, "ip", "netns", "add", NS_C);
            sh.must(SHORT, "ip", "-n", NS_C, "link", "set", "lo", "up");
            cable(NS_A, "jwgdemo-ac", "192.168.228.1/24", NS_C, "jwgdemo-ca", "192.168.228.2/24");
            Path kc = work.resolve("c.key");
            String pc = keyPair(kc, "C");
            sh.must(START, "ip", "netns", "exec", NS_C, "wireguard-go", IF_C);
            sh.must(SHORT, jwg.toString(), "set", IF_C, "private-key", kc.toString(), "listen-port", "51822",
                    "peer", pa, "allowed-ips", "10.227.0.1/32,fd00:227::1/128", "endpoint", "192.168.228.1:51820");
            sh.must(SHORT, jwg.toString(), "set", IF_A, "peer", pc, "allowed-ips", "10.227.0.3/32,fd00:227::3/128");
            address(NS_C, IF_C, "10.227.0.3/24", "fd00:227::3/64");
            sh.must(SHORT, "ip", "-n", NS_C, "link", "set", IF_C, "up");
            listening(NS_C, 51822);
            ping(NS_C, "10.227.0.1", false);
            if (ipv6) {
                ping(NS_A, "fd00:227::3", true);
            }
            sh.show(sh.must(SHORT, jwg.toString(), "show", IF_A).output());
            sh.show(sh.must(SHORT, jwg.toString(), "show", IF_C).output());
        } else {
            out.println();
            out.println("(wireguard-go, the reference userspace implementation, is not installed, so the step that");
            out.println(" connects jwgd to it is skipped. Debian/Ubuntu: apt install wireguard-go, then run the demo again.)");
        }

        if (!haveIperf) {
            out.println();
            out.println("(iperf3 is not installed, so the throughput step is skipped. Debian/Ubuntu: apt install iperf3.)");
        } else {
            heading("Throughput: 3 seconds of iperf3 from A to B through the tunnel",
                    "Both ends encrypt and decrypt in userspace on this machine's CPUs, which also run the",
                    "kernel's side of both TUN devices and the veth cable, so this is a rough number.");
            Process server = sh.background("ip", "netns", "exec", NS_B, "iperf3", "-s", "-1", "-B", "10.227.0.2");
            DemoShell.Result r = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                if (!sh.quiet(SHORT, "ip", "netns", "exec", NS_B, "ss", "-Htln", "sport = :5201").output().isBlank()) {
                    break;
                }
                sleep(150);
            }
            r = sh.run(Duration.ofSeconds(20), "ip", "netns", "exec", NS_A, "iperf3", "-c", "10.227.0.2", "-t", "3", "-f", "m");
            if (!r.ok()) {
                throw new DemoShell.Failure("iperf3 through the tunnel failed", r.output() + sh.backgroundOutput(server));
            }
            boolean header = false;
            for (String line : r.output().split("\n")) {
                if ((line.contains("Interval") && !header) || line.contains("sender") || line.contains("receiver")) {
                    header |= line.contains("Interval");
                    sh.show(line);
                }
            }
            OptionalDouble mbits = receiverMbits(r.output());
            if (mbits.isPresent()) {
                out.printf("    => %.0f Mbit/s through jwgd <-> jwgd%n", mbits.getAsDouble());
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Step helpers

    private void heading(String title, String... explanation) {
        out.println();
        out.println("== Step " + (++step) + " of " + steps + ": " + title);
        for (String l : explanation) {
            out.println("   " + l);
        }
        out.flush();
    }

    private void cable(String ns1, String if1, String addr1, String ns2, String if2, String addr2) throws DemoShell.Failure {
        sh.must(SHORT, "ip", "link", "add", if1, "netns", ns1, "type", "veth", "peer", "name", if2, "netns", ns2);
        sh.must(SHORT, "ip", "-n", ns1, "addr", "add", addr1, "dev", if1);
        sh.must(SHORT, "ip", "-n", ns2, "addr", "add", addr2, "dev", if2);
        sh.must(SHORT, "ip", "-n", ns1, "link", "set", if1, "up");
        sh.must(SHORT, "ip", "-n", ns2, "link", "set", if2, "up");
    }

    /** {@code jwg genkey > key}, then {@code jwg pubkey < key}; returns the public key. */
    private String keyPair(Path key, String who) throws DemoShell.Failure {
        try {
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new DemoShell.Failure("cannot create " + key + ": " + e.getMessage(), "");
        }
        DemoShell.Result gen = sh.run(SHORT, null, key, jwg.toString(), "genkey");
        if (!gen.ok()) {
            throw sh.failure(gen);
        }
        DemoShell.Result pub = sh.run(SHORT, key, null, jwg.toString(), "pubkey");
        if (!pub.ok()) {
            throw sh.failure(pub);
        }
        String pk = pub.output().strip();
        out.println("    " + who + "'s public key: " + pk);
        return pk;
    }

    private void address(String ns, String ifname, String v4, String v6) throws DemoShell.Failure {
        sh.must(SHORT, "ip", "-n", ns, "addr", "add", v4, "dev", ifname);
        if (ipv6) {
            DemoShell.Result r = sh.run(SHORT, "ip", "-n", ns, "addr", "add", v6, "dev", ifname, "nodad");
            if (!r.ok()) {
                ipv6 = false;
                out.println("    (IPv6 is not available here: " + r.output().strip() + "; continuing with IPv4 only)");
            }
        }
    }

    /**
     * Waits until the daemon in {@code ns} has its UDP socket open. A userspace daemon learns that
     * its interface went up from a netlink notification, some milliseconds after 'ip link set
     * up' returned; a handshake arriving before that is refused, and the sender retries only 5 s
     * later, which would make the first ping look lost.
     */
    private void listening(String ns, int port) throws DemoShell.Failure {
        for (int i = 0; i < 100; i++) {
            if (!sh.quiet(SHORT, "ip", "netns", "exec", ns, "ss", "-Hunl", "sport = :" + port).output().isBlank()) {
                return;
            }
            sleep(50);
        }
        throw new DemoShell.Failure("the daemon in " + ns + " did not open UDP port " + port + " within 5 s of 'ip link set up'", "");
    }

    /**
     * Three pings from {@code ns} to {@code to}, with {@code ping} when it is installed; else jwg sends
     * the ICMP echo requests itself, from a thread that entered the namespace
     * ({@link InetAddress#isReachable}: raw ICMP sockets, as root), and prints a line per reply.
     */
    private void ping(String ns, String to, boolean v6) throws DemoShell.Failure {
        if (!havePing) {
            pingItself(ns, to);
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "ping"));
        if (v6) {
            cmd.add("-6");
        }
        cmd.addAll(List.of("-c", "3", "-i", "0.2", "-W", "3", to));
        DemoShell.Result r = sh.run(Duration.ofSeconds(20), cmd.toArray(String[]::new));
        sh.show(r);
        if (!r.ok()) {
            throw new DemoShell.Failure("no answer through the tunnel from " + to, "");
        }
    }

    private void pingItself(String ns, String to) throws DemoShell.Failure {
        out.println("[#] (ping is not installed: jwg sends 3 ICMP echo requests to " + to + " from inside " + ns + ")");
        out.flush();
        List<String> lines;
        try {
            lines = Netns.callIn(Path.of("/run/netns", ns), () -> {
                InetAddress target = InetAddress.getByName(to);
                List<String> replies = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    long start = System.nanoTime();
                    if (target.isReachable(3000)) {
                        replies.add(String.format("echo reply from %s: seq=%d time=%.2f ms", to, i, (System.nanoTime() - start) / 1e6));
                    }
                    Thread.sleep(200);
                }
                return replies;
            });
        } catch (Exception e) {
            throw new DemoShell.Failure("cannot send pings from " + ns + ": " + e.getMessage(), "");
        }
        sh.show(String.join("\n", lines) + "\n" + lines.size() + " of 3 echo requests answered");
        if (lines.isEmpty()) {
            throw new DemoShell.Failure("no answer through the tunnel from " + to, "");
        }
    }

    /** The receiver's rate of an iperf3 run, in Mbit/s. */
    static OptionalDouble receiverMbits(String iperfOutput) {
        Matcher m = RECEIVER.matcher(iperfOutput);
        if (!m.find()) {
            return OptionalDouble.empty();
        }
        double v = Double.parseDouble(m.group(1));
        return OptionalDouble.of(switch (m.group(2)) {
            case "K" -> v / 1000;
            case "G" -> v * 1000;
            case "" -> v / 1_000_000;
            default -> v;
        });
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // -----------------------------------------------------------------------------------------
    // Before and after

    /** Root, the tools, TUN support; empty when all is there. */
    private Optional<String> preflight() {
        Object uid;
        try {
            uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            uid = -1;
        }
        if (!Integer.valueOf(0).equals(uid)) {
            return Optional.of("jwg demo needs root: it creates network namespaces, virtual cables and TUN devices.\n"
                    + "    Run it as: sudo " + jwg + " demo");
        }
        if (DemoShell.which("ip").isEmpty()) {
            return Optional.of("jwg demo needs ip on the PATH (Debian/Ubuntu: apt install iproute2).");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return Optional.of("/dev/net/tun is missing: this kernel or container offers no TUN devices.");
        }
        for (String ifname : INTERFACES) {
            Path sock = SOCKET_DIR.resolve(ifname + ".sock");
            if (live(sock)) {
                return Optional.of(sock + " is served by a running daemon that is not this demo's; stop it first.");
            }
        }
        out.println("Checked: running as root; ip present; /dev/net/tun present.");
        out.println("Optional: wireguard-go " + (DemoShell.which("wireguard-go").isPresent() ? "present" : "not installed (that step is skipped)")
                + "; iperf3 " + (DemoShell.which("iperf3").isPresent() ? "present" : "not installed (that step is skipped)")
                + "; ping " + (DemoShell.which("ping").isPresent() ? "present" : "not installed (jwg sends the pings itself)") + ".");
        return Optional.empty();
    }

    /**
     * {@code bin/NAME} ({@code jwg} or {@code jwgd}) of this installation: under -Djwg.home (set by
     * bin/jwg and the packaged jwg), else found from the running jar.
     */
    private Optional<Path> program(String name) {
        List<Path> homes = new ArrayList<>();
        homeOverride.ifPresent(homes::add);
        String prop = System.getProperty("jwg.home");
        if (prop != null && !prop.isBlank()) {
            homes.add(Path.of(prop));
        }
        try {
            Path jar = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // <home>/jwg-cli/target/jwg-cli-*.jar or <home>/jwg-cli/target/classes
            Path p = jar.toAbsolutePath();
            for (int i = 0; i < 3 && p != null; i++) {
                p = p.getParent();
            }
            if (p != null) {
                homes.add(p);
            }
        } catch (Exception e) {
            // no code source: rely on jwg.home
        }
        for (Path home : homes) {
            Path candidate = home.resolve("bin").resolve(name).toAbsolutePath().normalize();
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void removeLeftovers() {
        boolean any = NAMESPACES.stream().anyMatch(Demo::namespaceExists)
                || INTERFACES.stream().anyMatch(i -> Files.exists(SOCKET_DIR.resolve(i + ".sock")));
        if (any) {
            out.println();
            out.println("An earlier demo left things behind; removing them first.");
            removeEverything(sh);
        }
    }

    /** Removes all the demo created. Idempotent; runs from the main thread or the shutdown hook. */
    void cleanup() {
        synchronized (cleanupLock) {
            if (cleaned || sh == null) {
                return;
            }
            cleaned = true;
        }
        sh.stop();
        DemoShell clean = new DemoShell(out, work);
        out.println();
        out.println("== Cleaning up: stopping the daemons, deleting the namespaces (and with them the cables");
        out.println("   and tunnel interfaces), and the temporary key directory " + work);
        removeEverything(clean);
        deleteTree(work);
        boolean left = NAMESPACES.stream().anyMatch(Demo::namespaceExists)
                || INTERFACES.stream().anyMatch(i -> Files.exists(SOCKET_DIR.resolve(i + ".sock")));
        out.println(left ? "[!] Some of the demo's objects could not be removed; see the errors above."
                : "    Nothing left behind.");
        out.flush();
    }

    private void removeEverything(DemoShell s) {
        List<ProcessHandle> daemons = new ArrayList<>();
        for (String ns : NAMESPACES) {
            if (!namespaceExists(ns)) {
                continue;
            }
            DemoShell.Result r = s.run(SHORT, "ip", "netns", "pids", ns);
            for (String p : r.output().split("\\s+")) {
                if (p.matches("[0-9]+")) {
                    ProcessHandle.of(Long.parseLong(p)).ifPresent(daemons::add);
                }
            }
        }
        if (!daemons.isEmpty()) {
            out.println("[#] kill " + String.join(" ", daemons.stream().map(h -> Long.toString(h.pid())).toList()));
            daemons.forEach(ProcessHandle::destroy);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (ProcessHandle h : daemons) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                sleep(50);
            }
        }
        for (String ns : NAMESPACES) {
            if (namespaceExists(ns)) {
                s.run(SHORT, "ip", "netns", "del", ns);
            }
        }
        for (String ifname : INTERFACES) {
            Path sock = SOCKET_DIR.resolve(ifname + ".sock");
            if (Files.exists(sock) && !live(sock)) {
                out.println("[#] rm -f " + sock);
                try {
                    Files.deleteIfExists(sock);
                } catch (IOException e) {
                    out.println("    " + e.getMessage());
                }
            }
        }
    }

    static boolean namespaceExists(String ns) {
        return Files.exists(Path.of("/run/netns", ns)) || Files.exists(Path.of("/var/run/netns", ns));
    }

    private static boolean live(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
