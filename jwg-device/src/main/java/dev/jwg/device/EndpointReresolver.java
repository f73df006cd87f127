package dev.jwg.device;

import dev.jwg.core.Clock;
import dev.jwg.core.crypto.KeyFormatException;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.device.io.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Re-resolves the endpoints that were configured as host names, as wireguard-tools'
 * {@code reresolve-dns.sh} does from a timer, but inside the daemon: a peer whose latest handshake
 * is older than {@link #DEFAULT_AFTER_SECONDS} seconds (or that never had one) gets its name looked
 * up again, and when the name now gives another address the peer's endpoint moves there (logged as a
 * warning). A home router whose address changed is reached again without anyone re-applying the
 * configuration.
 *
 * <p>The UAPI carries addresses, not names, so the names reach the daemon through a side channel:
 * the file {@code /run/jwg/IF.endpoints}, which {@code jwg up} writes (anyone may; see
 * docs/endpoint-names.md): comment lines starting with {@code #}, and one line per peer,
 * {@code PUBLIC-KEY-BASE64 HOST:PORT}. It is read again whenever it changes, and only when it is
 * owned by this process' user and writable by no one else (it decides where traffic goes), at most
 * {@link #MAX_FILE_BYTES}. A peer not on the device, or gone from the file, is left alone; so is a
 * peer whose endpoint a configuration set after the file was read ({@code wg set ... endpoint}, a
 * {@code syncconf} with another endpoint): that choice wins until the file is written again.
 *
 * <p>Lookups go through the system resolver (its caches and TTLs; the JVM's own cache is switched
 * off by the daemon) on this object's own thread, never on a data thread. A name that cannot be
 * resolved keeps the last endpoint and is reported once, not at every check. Thread-safe: checks
 * run on one thread.
 */
public final class EndpointReresolver {
    /** wireguard-tools' reresolve-dns.sh: a handshake older than this means the endpoint may be stale. */
    public static final int DEFAULT_AFTER_SECONDS = 135;
    static final int MAX_FILE_BYTES = 1 << 20;

    /** The name lookup: every address of {@code host}, the preferred first. */
    @FunctionalInterface
    public interface Lookup {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    /** One named endpoint: the peer's key and what was written. */
    record Name(PublicKey peer, String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final Device device;
    private final Path file;
    private final Lookup lookup;
    private final Clock clock;
    private final long afterNanos;
    private final Log log;
    private List<Name> names = List.of();
    private FileTime loadedMtime;
    private Object loadedKey;
    private final Map<String, String> failing = new HashMap<>();
    /**
     * Per named peer, {@link Device#endpointConfiguredAt} when the file was (re)read: a later value
     * means a configuration set the endpoint since, and the name no longer counts.
     */
    private final Map<PublicKey, Long> configuredAtLoad = new HashMap<>();
    private final Set<PublicKey> superseded = new java.util.HashSet<>();
    private volatile boolean closed;
    private Thread thread;

    /**
     * @param file the names file, normally {@code /run/jwg/IF.endpoints}
     * @param afterSeconds the handshake age that triggers a lookup; see {@link #DEFAULT_AFTER_SECONDS}
     */
    public EndpointReresolver(Device device, Path file, Lookup lookup, Clock clock, int afterSeconds) {
        this.device = device;
        this.file = file;
        this.lookup = lookup;
        this.clock = clock;
        this.afterNanos = afterSeconds * 1_000_000_000L;
        this.log = device.log();
    }

    /** The names file of interface {@code ifname}: {@code IF.endpoints} in {@code stateDir} ({@code $JWG_STATE_DIR}), else in /run/jwg. */
    public static Path defaultFile(String stateDir, String ifname) {
        return Path.of(stateDir != null && !stateDir.isEmpty() ? stateDir : "/run/jwg", ifname + ".endpoints");
    }

    /**
     * How often the daemon checks: a quarter of the handshake age, between 1 and 30 s (a name is
     * looked up again at most that long after its peer's handshake became stale).
     */
    public static long periodNanos(int afterSeconds) {
        return Math.max(1, Math.min(30, afterSeconds / 4)) * 1_000_000_000L;
    }

    /**
     * How long the thread waits before its next check: {@link #periodNanos} until the file has been
     * looked at and while it names peers; the handshake age itself ({@code afterSeconds}) while it
     * names none or is absent, as on most interfaces. Each check of an idle daemon costs
     * milliseconds of CPU (a cold thread running cold, interpreted code; docs/performance.md), and
     * without names there is nothing to look up: a file written later ({@code wg set},
     * {@code syncconf}) is read at most that long after.
     */
    static long waitNanos(boolean checked, boolean named, int afterSeconds) {
        return checked && !named ? Math.max(1, afterSeconds) * 1_000_000_000L : periodNanos(afterSeconds);
    }

    /**
     * Starts checking on a daemon thread of its own: once at once, then every {@link #waitNanos}.
     * The check at once is the one that pays for first use (class loading and linking, the thread's
     * own native buffers; docs/performance.md, "Idle") while the daemon starts rather than on an
     * idle tunnel. It does not count as the first look at the file: that still
     * comes {@link #periodNanos} later, after {@code jwg up} wrote it.
     */
    public synchronized void start() {
        int afterSeconds = (int) (afterNanos / 1_000_000_000L);
        thread = Thread.ofPlatform().name(device.name() + "-reresolve").daemon().start(() -> {
            checkLogged();
            boolean checked = false;
            while (!closed) {
                LockSupport.parkNanos(this, waitNanos(checked, hasNames(), afterSeconds));
                if (closed) {
                    break;
                }
                checked = true;
                checkLogged();
            }
        });
    }

    /** {@link #checkOnce}, with a failure logged rather than thrown: it must stop neither the thread nor the daemon's start. */
    private void checkLogged() {
        try {
            checkOnce();
        } catch (RuntimeException e) {
            log.error("Endpoint re-resolution failed: %s", e);
        }
    }

    private synchronized boolean hasNames() {
        return !names.isEmpty();
    }

    /** Stops the thread. Idempotent. */
    public synchronized void close() {
        closed = true;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * One round: reads the file again if it changed, then looks up the name of every named peer
     * whose handshake is stale and moves its endpoint if the address changed.
     *
     * @return the peers whose endpoint moved
     */
    public synchronized List<PublicKey> checkOnce() {
        reload();
        List<PublicKey> moved = new ArrayList<>();
        long nowEpoch = clock.epochNanos();
        for (Name n : names) {
            Optional<Peer> found = device.node().peer(n.peer());
            if (found.isEmpty()) {
                continue;
            }
            Peer p = found.get();
            long configured = device.endpointConfiguredAt(p);
            if (configuredAtLoad.computeIfAbsent(n.peer(), k -> configured) != configured) {
                if (superseded.add(n.peer())) {
                    log.verbose("%s - Endpoint set by configuration since %s was read: %s is no longer looked up",
                            p, file, n);
                }
                continue;
            }
            long last = p.lastHandshakeEpochNanos();
            if (last != 0 && nowEpoch - last <= afterNanos) {
                continue;
            }
            InetAddress address;
            try {
                InetAddress[] all = lookup.all(n.host());
                if (all.length == 0) {
                    throw new UnknownHostException("no address");
                }
                address = all[0];
            } catch (UnknownHostException | RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (!why.equals(failing.put(n.toString(), why))) {
                    Endpoint cur = device.endpoint(p);
                    log.warn("%s - Cannot re-resolve endpoint %s: %s; keeping %s", p, n, why,
                            cur == null ? "no endpoint" : cur.toString());
                }
                continue;
            }
            failing.remove(n.toString());
            Endpoint next = Endpoint.of(new InetSocketAddress(address, n.port()));
            Endpoint cur = device.endpoint(p);
            if (cur != null && cur.family() == next.family() && cur.port() == next.port()
                    && java.util.Arrays.equals(cur.address(), next.address())) {
                continue;
            }
            String age = last == 0 ? "no handshake yet" : "latest handshake " + (nowEpoch - last) / 1_000_000_000L + " s ago";
            log.warn("%s - Endpoint %s re-resolved to %s (was %s; %s)", p, n, next, cur == null ? "none" : cur.toString(), age);
            device.moveEndpoint(p, next);
            moved.add(n.peer());
        }
        return moved;
    }

    /** Reads the file again when it changed (or appeared, or went away: then there are no names). */
    private void reload() {
        PosixFileAttributes a;
        try {
            // Most interfaces have no names file, so its absence is the common answer of a check. The
            // JDK answers it without an exception only when asked for basic attributes through links;
            // asked for anything else, it throws and catches NoSuchFileException inside, on every
            // check of an idle daemon (docs/performance.md, "Idle").
            // A dangling link counts as absent; a link to a file is refused below, as before.
            FileSystemProvider fs = file.getFileSystem().provider();
            a = fs.readAttributesIfExists(file, BasicFileAttributes.class) == null ? null
                    : fs.readAttributesIfExists(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return; // keep what we had
        }
        if (a == null) {
            names = List.of();
            loadedMtime = null;
            loadedKey = null;
            return;
        }
        if (a.lastModifiedTime().equals(loadedMtime) && java.util.Objects.equals(a.fileKey(), loadedKey)) {
            return;
        }
        loadedMtime = a.lastModifiedTime();
        loadedKey = a.fileKey();
        configuredAtLoad.clear();
        superseded.clear();
        String problem = trustProblem(a);
        if (problem != null) {
            log.error("Ignoring %s: %s", file, problem);
            names = List.of();
            return;
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                log.error("Ignoring %s: larger than %d bytes", file, MAX_FILE_BYTES);
                names = List.of();
                return;
            }
            names = parse(new String(bytes, StandardCharsets.UTF_8), file, log);
        } catch (IOException e) {
            log.error("Cannot read %s: %s", file, e.getMessage());
        }
    }

    private static String trustProblem(PosixFileAttributes a) {
        if (!a.isRegularFile()) {
            return "not a regular file";
        }
        String me = System.getProperty("user.name");
        if (!a.owner().getName().equals(me) && !a.owner().getName().equals("root")) {
            return "owned by " + a.owner().getName() + ", not by root";
        }
        Set<PosixFilePermission> p = a.permissions();
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            return "writable by others than its owner";
        }
        return null;
    }

    /** The names in {@code text}; a bad line is reported (with its number) and skipped. */
    static List<Name> parse(String text, Path file, Log log) {
        List<Name> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            String why = null;
            if (f.length != 2) {
                why = "expected PUBLIC-KEY HOST:PORT";
            } else {
                try {
                    PublicKey key = PublicKey.fromBase64(f[0]);
                    out.add(name(key, f[1]));
                } catch (KeyFormatException e) {
                    why = "not a base64 public key";
                } catch (IllegalArgumentException e) {
                    why = e.getMessage();
                }
            }
            if (why != null) {
                log.error("%s:%d: %s; line skipped", file, i + 1, why);
            }
        }
        return List.copyOf(out);
    }

    private static Name name(PublicKey key, String endpoint) {
        String host;
        String port;
        if (endpoint.startsWith("[")) {
            int close = endpoint.indexOf(']');
            if (close < 0 || close + 1 >= endpoint.length() || endpoint.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [HOST]:PORT");
            }
            host = endpoint.substring(1, close);
            port = endpoint.substring(close + 2);
        } else {
            int colon = endpoint.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("expected HOST:PORT");
            }
            host = endpoint.substring(0, colon);
            port = endpoint.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port is not a number");
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("the port is not between 1 and 65535");
        }
        return new Name(key, host, p);
    }
}
