package dev.jwg.device.uapi;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.config.uapi.UapiErrno;
import dev.jwg.config.uapi.UapiException;
import dev.jwg.config.uapi.UapiGetWriter;
import dev.jwg.config.uapi.UapiRequest;
import dev.jwg.config.uapi.UapiRequestReader;
import dev.jwg.config.uapi.UapiSocket;
import dev.jwg.config.uapi.UapiWriter;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.routing.IpPrefix;
import dev.jwg.core.tunnel.Node;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.device.Device;
import dev.jwg.device.Log;
import dev.jwg.device.io.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The UAPI control socket, {@code /var/run/wireguard/IFNAME.sock} (docs/protocol.md §4): a UNIX
 * stream socket (directory 0755, socket 0600) answering {@code get=1} and {@code set=1} exactly as
 * wireguard-go does, so the stock {@code wg} and any UAPI client work unchanged. Each connection
 * gets a virtual thread and may carry several requests; {@code set} requests are applied one at a
 * time. A malformed request is answered with an errno and the daemon lives on.
 *
 * <p>No client can wedge another or make the daemon hold memory (docs/robustness.md):
 * <ul>
 *   <li>a request is read whole (up to {@link #MAX_BUFFERED_REQUEST} bytes) before the set lock is
 *       taken, so a client that stalls mid-request holds nothing anyone else needs;</li>
 *   <li>a client that stops sending in the middle of a request, or stops reading its answer, for
 *       {@link #STALL_NANOS} is disconnected;</li>
 *   <li>at most {@link #MAX_CLIENTS} connections are served at once; when all are taken, those idle
 *       (or stalled) for {@link #STALL_NANOS} are closed to make room, and new clients wait in the
 *       listen backlog meanwhile;</li>
 *   <li>an idle connection holds a virtual thread and a few hundred bytes; the larger buffers a
 *       request needs are dropped once it is answered.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class UapiServer implements AutoCloseable {
    /** Connections served at once. */
    static final int MAX_CLIENTS = 64;
    /** How long a client may stall mid-request or mid-answer, and how long idle before it may be evicted. */
    static final long STALL_NANOS = 1_000_000_000L;
    /**
     * Request bytes read ahead before the request is applied: far above anything {@code wg} sends
     * (10,000 peers with an endpoint and an allowed IP each take ~1.5 MB; the kernel's netns test
     * 18, 130,560 allowed IPs, ~3.5 MB). The rest of a larger request is read while it is applied,
     * still under the stall limit.
     */
    static final int MAX_BUFFERED_REQUEST = 16 << 20;
    private static final long WATCH_PERIOD_MILLIS = 250;

    private final Path path;
    private final ServerSocketChannel server;
    private final Device device;
    private final Log log;
    private final Object setLock = new Object();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Semaphore slots;
    private final long stallNanos;
    private volatile boolean closed;
    private Thread acceptor;
    private volatile Thread reaper;
    private volatile WatchService watcher;

    private UapiServer(Path path, ServerSocketChannel server, Device device, Log log, int maxClients, long stallNanos) {
        this.path = path;
        this.server = server;
        this.device = device;
        this.log = log;
        this.slots = new Semaphore(maxClients);
        this.stallNanos = stallNanos;
    }

    /**
     * Binds the socket for {@code ifname} ({@link UapiSocket#path(String)}). A socket file no daemon
     * answers on is removed; a live one means another daemon owns the interface ("unix socket in use").
     */
    public static UapiServer bind(String ifname, Device device, Log log) throws IOException {
        return bind(UapiSocket.path(ifname), device, log);
    }

    /** Binds the socket at {@code path}, as {@link #bind(String, Device, Log)}. */
    public static UapiServer bind(Path path, Device device, Log log) throws IOException {
        return bind(path, device, log, MAX_CLIENTS, STALL_NANOS);
    }

    /** With other limits than {@link #MAX_CLIENTS} and {@link #STALL_NANOS} (for tests). */
    static UapiServer bind(Path path, Device device, Log log, int maxClients, long stallNanos) throws IOException {
        Path dir = path.getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        switch (UapiSocket.probe(path)) {
            case LIVE -> throw new IOException("unix socket in use: " + path);
            case REFUSED, UNREACHABLE -> Files.deleteIfExists(path);
            case ABSENT -> { }
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path), 128);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return new UapiServer(path, server, device, log, maxClients, stallNanos);
    }

    public Path path() { return path; }

    /** Connections being served now (for tests). */
    int connectionCount() { return connections.size(); }

    /**
     * Starts accepting connections; {@code onSocketDeleted} runs if the socket file disappears. Two
     * more threads: one watches the socket file with the file system's change notification (inotify
     * on Linux), one disconnects stalled clients while there are clients. Neither polls when the
     * daemon is idle (docs/performance.md, idle costs).
     */
    public void start(Runnable onSocketDeleted) throws IOException {
        WatchService ws = path.getFileSystem().newWatchService();
        try {
            path.getParent().register(ws, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            ws.close();
            throw e;
        }
        watcher = ws;
        reaper = Thread.ofPlatform().name(device.name() + "-uapi-reaper").daemon().start(this::reapLoop);
        acceptor = Thread.ofPlatform().name(device.name() + "-uapi").daemon().start(this::acceptLoop);
        Thread.ofPlatform().name(device.name() + "-uapi-watch").daemon().start(() -> watch(ws, onSocketDeleted));
    }

    private void watch(WatchService ws, Runnable onSocketDeleted) {
        try (ws) {
            while (!closed) {
                WatchKey key = ws.take();
                key.pollEvents(); // deletions in the directory, or an overflow: look at the file itself
                boolean valid = key.reset();
                if (!closed && !Files.exists(path)) {
                    log.verbose("UAPI socket %s was removed", path);
                    onSocketDeleted.run();
                    return;
                }
                if (!valid) {
                    return; // the directory is gone, and with it the socket: handled above
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException | IOException e) {
            // closed
        }
    }

    /** Every {@link #WATCH_PERIOD_MILLIS} while there are connections; parked while there are none. */
    private void reapLoop() {
        while (!closed) {
            if (connections.isEmpty()) {
                LockSupport.park(this); // acceptLoop unparks on a new connection, close() on closing
                continue;
            }
            try {
                Thread.sleep(WATCH_PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            closeStalled(System.nanoTime());
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                while (!slots.tryAcquire(WATCH_PERIOD_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (closed) {
                        return;
                    }
                    evictIdle(System.nanoTime());
                }
            } catch (InterruptedException e) {
                return;
            }
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                slots.release();
                if (!closed) {
                    log.error("UAPI listener failed: %s", e.getMessage());
                }
                return;
            }
            Connection c = new Connection(ch);
            connections.add(c);
            LockSupport.unpark(reaper);
            Thread.ofVirtual().name("uapi-conn").start(() -> {
                try {
                    serve(c);
                } finally {
                    connections.remove(c);
                    c.close();
                    slots.release();
                }
            });
        }
    }

    /** Disconnects clients stalled mid-request or mid-answer for longer than the stall limit. */
    void closeStalled(long now) {
        for (Connection c : connections) {
            if (c.stalledSince(now) > stallNanos) {
                log.verbose("UAPI client stalled for over %d ms: disconnected", stallNanos / 1_000_000);
                c.close();
            }
        }
    }

    /** With every slot taken: closes the connections idle or stalled for longer than the stall limit. */
    private void evictIdle(long now) {
        for (Connection c : connections) {
            if (c.idleOrStalledSince(now) > stallNanos) {
                c.close();
            }
        }
    }

    private void serve(Connection c) {
        try {
            UapiRequestReader reader = null;
            OutputStream out = c.output();
            while (!closed) {
                c.in.prefetchRequest();
                if (reader == null) {
                    reader = new UapiRequestReader(c.in); // its buffers only once the client asks something
                }
                UapiRequest request = reader.next();
                c.handling();
                switch (request) {
                    case UapiRequest.Get g -> UapiGetWriter.write(snapshot(device), out);
                    case UapiRequest.Set s -> {
                        int errno = UapiErrno.OK;
                        synchronized (setLock) {
                            try {
                                reader.readSet(new DeviceConfigurator(device));
                            } catch (UapiException e) {
                                errno = e.errno();
                                log.error("IPC error %d: %s", e.errno(), e.getMessage());
                            } catch (RuntimeException e) {
                                errno = UapiErrno.UNKNOWN;
                                log.error("IPC error: %s", e);
                            } finally {
                                device.flushConfigSends();
                            }
                        }
                        UapiWriter.writeErrno(out, errno);
                    }
                    case UapiRequest.Rejected r -> UapiWriter.writeErrno(out, r.errno());
                    case UapiRequest.InvalidOperation op -> {
                        log.error("invalid UAPI operation: %s", op.excerpt());
                        return;
                    }
                    case UapiRequest.EndOfStream e -> {
                        return;
                    }
                }
                c.in.requestDone();
            }
        } catch (IOException e) {
            log.verbose("UAPI connection ended: %s", e.getMessage());
        }
    }

    /**
     * One client: its channel, what it sent, and what it is doing, for the watch thread. The
     * serving thread moves it between reading, handling and writing; the watch thread only reads
     * the state and may close the channel, which ends the serving thread's blocked read or write.
     */
    private static final class Connection {
        private static final int IDLE = 0;
        private static final int READING = 1;  // part of a request received
        private static final int HANDLING = 2;
        private static final int WRITING = 3;

        final SocketChannel ch;
        final RequestInput in;
        private volatile int state = IDLE;
        private volatile long since = System.nanoTime();

        Connection(SocketChannel ch) {
            this.ch = ch;
            this.in = new RequestInput(this);
        }

        void progress(int newState) {
            since = System.nanoTime();
            state = newState;
        }

        void handling() { progress(HANDLING); }

        /** How long it has been stalled mid-request or mid-answer; 0 when neither. */
        long stalledSince(long now) {
            int s = state;
            return s == READING || s == WRITING ? now - since : 0;
        }

        /** How long it has been idle or stalled; 0 while a request is handled. */
        long idleOrStalledSince(long now) {
            return state == HANDLING ? 0 : now - since;
        }

        OutputStream output() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                    while (buf.hasRemaining()) {
                        progress(WRITING);
                        ch.write(buf);
                    }
                    progress(HANDLING);
                }
            };
        }

        void close() {
            try {
                ch.close();
            } catch (IOException e) {
                // closing a client connection: nothing to do about a failure
            }
        }
    }

    /**
     * What a client sent, read ahead one request at a time: {@link #prefetchRequest()} reads until
     * the buffer holds the whole next request (through its blank line), the end of the stream, a
     * line longer than the request reader accepts, or {@link #MAX_BUFFERED_REQUEST} bytes; reads
     * hand out only bytes of that request, so the request reader never holds part of the next one.
     * Reads past it (the rest of a larger request) go to the channel. Not thread-safe.
     */
    private static final class RequestInput extends InputStream {
        private static final int SMALL = 256;
        private static final int CHUNK = 8192;
        private final Connection c;
        private byte[] buf = new byte[SMALL];
        private int pos;
        private int lim;
        private int end; // bytes before this belong to the current request
        private boolean eof;

        RequestInput(Connection c) {
            this.c = c;
        }

        /**
         * Reads the next request ahead (see the class comment). Blocks only on this client. At the
         * end of the stream it returns, and the reader sees the end.
         */
        void prefetchRequest() throws IOException {
            end = pos;
            int lineStart = 0; // offsets from pos, which fill() may move
            int scan = 0;
            while (true) {
                for (; pos + scan < lim; scan++) {
                    if (buf[pos + scan] == '\n') {
                        if (scan == lineStart) { // a blank line ends the request (or is an empty operation)
                            end = pos + scan + 1;
                            return;
                        }
                        lineStart = scan + 1;
                    } else if (scan - lineStart > UapiRequestReader.DEFAULT_MAX_LINE_BYTES) {
                        end = pos + scan + 1; // the reader refuses the line here
                        return;
                    }
                }
                if (eof || lim - pos >= MAX_BUFFERED_REQUEST) {
                    end = lim;
                    return;
                }
                if (!fill()) {
                    eof = true;
                }
            }
        }

        /** The current request is answered: drop a large buffer, the connection may idle now. */
        void requestDone() {
            if (pos == lim && buf.length > SMALL) {
                buf = new byte[SMALL];
                pos = lim = end = 0;
            }
            c.progress(pos < lim ? Connection.READING : Connection.IDLE);
        }

        /** Reads more from the channel into the buffer; false at end of stream. */
        private boolean fill() throws IOException {
            if (pos == lim) {
                pos = lim = end = 0;
            }
            if (lim == buf.length) {
                if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, lim - pos);
                    lim -= pos;
                    end -= pos;
                    pos = 0;
                } else {
                    buf = Arrays.copyOf(buf, Math.min(Math.max(buf.length * 2, CHUNK), MAX_BUFFERED_REQUEST + CHUNK));
                }
            }
            int want = Math.min(buf.length - lim, lim == 0 && buf.length == SMALL ? SMALL : CHUNK);
            int n = c.ch.read(ByteBuffer.wrap(buf, lim, want));
            if (n < 0) {
                return false;
            }
            lim += n;
            c.progress(Connection.READING);
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos < end) {
                int n = Math.min(len, end - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
            // Past the request read ahead: the rest of a larger one, straight from what arrives.
            if (pos == lim && (eof || !fill())) {
                eof = true;
                return -1;
            }
            int n = Math.min(len, lim - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            end = pos;
            return n;
        }
    }

    /** The device state as a UAPI {@code get} reports it, peers in the order they were added. */
    public static DeviceSnapshot snapshot(Device device) {
        Node node = device.node();
        Optional<PrivateKey> priv = node.privateKey();
        List<PeerSnapshot> peers = new ArrayList<>();
        for (Peer p : node.peers()) {
            List<IpPrefix> ips = node.allowedIps().prefixesOf(p);
            Endpoint e = device.endpoint(p);
            long hs = p.lastHandshakeEpochNanos();
            peers.add(new PeerSnapshot(p.publicKey(), p.presharedKey(),
                    e == null ? Optional.empty() : Optional.of(e.toString()),
                    hs / 1_000_000_000L, hs % 1_000_000_000L, p.txBytes(), p.rxBytes(), p.persistentKeepalive(), ips));
        }
        return new DeviceSnapshot(priv, device.listenPort(), device.fwmark(), peers);
    }

    /** Stops listening and removes the socket file. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.error("Failed to close UAPI socket: %s", e.getMessage());
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.error("Failed to remove %s: %s", path, e.getMessage());
        }
        if (acceptor != null) {
            acceptor.interrupt();
        }
        Thread r = reaper;
        if (r != null) {
            r.interrupt();
            LockSupport.unpark(r);
        }
        WatchService ws = watcher;
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                log.error("Failed to stop watching %s: %s", path, e.getMessage());
            }
        }
        for (Connection c : connections) {
            c.close();
        }
    }
}
