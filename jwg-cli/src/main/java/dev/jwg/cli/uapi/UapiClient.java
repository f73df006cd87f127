package dev.jwg.cli.uapi;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.UapiErrno;
import dev.jwg.config.uapi.UapiException;
import dev.jwg.config.uapi.UapiGetParser;
import dev.jwg.config.uapi.UapiSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the UAPI control socket of any userspace WireGuard daemon (jwgd, wireguard-go),
 * as wireguard-tools' ipc-uapi does it: one connection per request, interfaces discovered from
 * {@code /var/run/wireguard/*.sock}, stale sockets (connection refused) unlinked and skipped.
 * Stateless and thread-safe.
 */
public final class UapiClient {
    private final Path directory;

    public UapiClient() {
        this(UapiSocket.DIRECTORY);
    }

    public UapiClient(Path directory) {
        this.directory = directory;
    }

    public Path socketPath(String ifname) {
        return UapiSocket.path(directory, ifname);
    }

    /** True when a live daemon answers on the interface's socket. */
    public boolean exists(String ifname) {
        return !ifname.contains("/") && UapiSocket.probe(socketPath(ifname)) == UapiSocket.State.LIVE;
    }

    /** The names of the interfaces with a live daemon, sorted as {@code wg show interfaces} sorts them. */
    public List<String> interfaces() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return names;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "*.sock")) {
            for (Path p : ds) {
                String file = p.getFileName().toString();
                String name = file.substring(0, file.length() - ".sock".length());
                switch (UapiSocket.probe(p)) {
                    case LIVE -> names.add(name);
                    case REFUSED -> Files.deleteIfExists(p);
                    case ABSENT, UNREACHABLE -> { } // gone, or not ours to judge: skip it as wg does
                }
            }
        }
        names.sort(String::compareTo);
        return names;
    }

    /** {@code get=1}: the device state. */
    public DeviceSnapshot get(String ifname) throws IOException, UapiException {
        try (SocketChannel ch = connect(ifname)) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write("get=1\n\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = Channels.newInputStream(ch);
            return UapiGetParser.parse(in);
        }
    }

    /**
     * Sends a {@code set=1} request (the text after the {@code set=1} line, lines ending in
     * newline, without the terminating blank line) and throws when the daemon answers a non-zero errno.
     */
    public void set(String ifname, String body) throws IOException, UapiException {
        try (SocketChannel ch = connect(ifname)) {
            OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            out.write("set=1\n".getBytes(StandardCharsets.US_ASCII));
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.write('\n');
            out.flush();
            InputStream in = Channels.newInputStream(ch);
            String answer = readLine(in);
            if (answer == null || !answer.startsWith("errno=")) {
                throw new UapiException(UapiErrno.EPROTO, 0, "unexpected answer from the daemon", null);
            }
            int errno;
            try {
                errno = Integer.parseInt(answer.substring(6).trim());
            } catch (NumberFormatException e) {
                throw new UapiException(UapiErrno.EPROTO, 0, "unexpected answer from the daemon", null);
            }
            if (errno != 0) {
                throw new UapiException(-Math.abs(errno), 0, UapiErrno.name(-Math.abs(errno)), null);
            }
        }
    }

    /**
     * Stops the daemon of {@code ifname} the way wg-quick does on macOS: by removing its socket file.
     * jwgd and wireguard-go exit when it goes, closing their TUN, so the interface disappears wherever
     * it is now, also in another network namespace. Before removing the file, one request is served
     * on a connection that is then kept open: the daemon holds it until it exits, so end of stream
     * on it means the daemon is gone (and with it its UDP port and interface).
     *
     * @param timeout how long to wait for the daemon to exit
     * @return true if the daemon exited within the timeout, or no daemon answered at all (a stale
     *     socket file, removed)
     */
    public boolean stop(String ifname, Duration timeout) throws IOException {
        Path socket = socketPath(ifname);
        SocketChannel ch;
        try {
            ch = connect(ifname);
        } catch (IOException e) {
            Files.deleteIfExists(socket);
            return true;
        }
        try (ch) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write("get=1\n\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                UapiGetParser.parse(Channels.newInputStream(ch));
            } catch (UapiException | IOException e) {
                // whatever it answered, the connection was accepted; only its end matters below
            }
            Files.deleteIfExists(socket);
            ch.configureBlocking(false);
            try (Selector selector = Selector.open()) {
                ch.register(selector, SelectionKey.OP_READ);
                ByteBuffer buf = ByteBuffer.allocate(4096);
                long deadline = System.nanoTime() + timeout.toNanos();
                for (;;) {
                    try {
                        if (ch.read(buf) < 0) {
                            return true;
                        }
                    } catch (IOException reset) {
                        return true;
                    }
                    buf.clear();
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                }
            }
        }
    }

    private SocketChannel connect(String ifname) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socketPath(ifname)));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
            if (sb.length() > 4096) {
                break;
            }
        }
        return c < 0 && sb.isEmpty() ? null : sb.toString();
    }
}
