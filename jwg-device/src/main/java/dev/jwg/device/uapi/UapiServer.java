package dev.jwg.device.uapi;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.Key32;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.config.uapi.Prefix;
import dev.jwg.config.uapi.UapiErrno;
import dev.jwg.config.uapi.UapiException;
import dev.jwg.config.uapi.UapiGetWriter;
import dev.jwg.config.uapi.UapiRequest;
import dev.jwg.config.uapi.UapiRequestReader;
import dev.jwg.config.uapi.UapiSocket;
import dev.jwg.config.uapi.UapiWriter;
import dev.jwg.core.routing.IpPrefix;
import dev.jwg.core.tunnel.Node;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.device.Device;
import dev.jwg.device.Log;
import dev.jwg.device.io.Endpoint;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
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
import java.util.List;
import java.util.Optional;

/**
 * The UAPI control socket, {@code /var/run/wireguard/IFNAME.sock} (wireguard-facts §4): a UNIX
 * stream socket (directory 0755, socket 0600) answering {@code get=1} and {@code set=1} exactly as
 * wireguard-go does, so the stock {@code wg} and any UAPI client work unchanged. Each connection
 * gets a virtual thread and may carry several requests; {@code set} requests are applied one at a
 * time. A malformed request is answered with an errno and the daemon lives on.
 *
 * <p>Thread-safe.
 */
public final class UapiServer implements AutoCloseable {
    private final Path path;
    private final ServerSocketChannel server;
    private final Device device;
    private final Log log;
    private final Object setLock = new Object();
    private volatile boolean closed;
    private Thread acceptor;
    private volatile WatchService watcher;

    private UapiServer(Path path, ServerSocketChannel server, Device device, Log log) {
        this.path = path;
        this.server = server;
        this.device = device;
        this.log = log;
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
            server.bind(UnixDomainSocketAddress.of(path), 64);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return new UapiServer(path, server, device, log);
    }

    public Path path() { return path; }

    /**
     * Starts accepting connections; {@code onSocketDeleted} runs if the socket file disappears.
     * The file is watched with the file system's change notification (inotify on Linux), not by
     * polling: an idle daemon wakes for nothing (docs/performance.md, idle costs).
     */
    public void start(Runnable onSocketDeleted) throws IOException {
        acceptor = Thread.ofPlatform().name(device.name() + "-uapi").daemon().start(this::acceptLoop);
        WatchService ws = path.getFileSystem().newWatchService();
        try {
            path.getParent().register(ws, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            ws.close();
            throw e;
        }
        watcher = ws;
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

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.error("UAPI listener failed: %s", e.getMessage());
                }
                return;
            }
            Thread.ofVirtual().name("uapi-conn").start(() -> serve(ch));
        }
    }

    private void serve(SocketChannel ch) {
        try (ch; InputStream in = Channels.newInputStream(ch);
             OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
            UapiRequestReader reader = new UapiRequestReader(in);
            while (!closed) {
                UapiRequest request = reader.next();
                switch (request) {
                    case UapiRequest.Get g -> {
                        UapiGetWriter.write(snapshot(device), out);
                        out.flush();
                    }
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
                        out.flush();
                    }
                    case UapiRequest.Rejected r -> {
                        UapiWriter.writeErrno(out, r.errno());
                        out.flush();
                    }
                    case UapiRequest.InvalidOperation op -> {
                        log.error("invalid UAPI operation: %s", op.excerpt());
                        return;
                    }
                    case UapiRequest.EndOfStream e -> {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            log.verbose("UAPI connection ended: %s", e.getMessage());
        }
    }

    /** The device state as a UAPI {@code get} reports it, peers in the order they were added. */
    public static DeviceSnapshot snapshot(Device device) {
        Node node = device.node();
        Optional<Key32> priv = node.privateKey().map(k -> Key32.of(k.secretBytes()));
        List<PeerSnapshot> peers = new ArrayList<>();
        for (Peer p : node.peers()) {
            List<Prefix> ips = new ArrayList<>();
            for (IpPrefix prefix : node.allowedIps().prefixesOf(p)) {
                ips.add(new Prefix(prefix.address(), prefix.bits()));
            }
            Endpoint e = device.endpoint(p);
            long hs = p.lastHandshakeEpochNanos();
            peers.add(new PeerSnapshot(Key32.of(p.publicKey().bytes()), Key32.of(p.presharedKey().secretBytes()),
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
        WatchService ws = watcher;
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                log.error("Failed to stop watching %s: %s", path, e.getMessage());
            }
        }
    }
}
