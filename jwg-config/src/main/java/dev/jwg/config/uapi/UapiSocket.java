package dev.jwg.config.uapi;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a userspace daemon's UAPI socket is, {@code /var/run/wireguard/IFNAME.sock}, and whether a
 * daemon answers on it (docs/protocol.md, "UAPI"). The daemon that binds the socket, the clients
 * that list and address interfaces and the daemon refusing to start twice all ask {@link #probe}, so
 * they agree on what a stale socket is. Stateless and thread-safe.
 */
public final class UapiSocket {
    /** Where {@code wg} looks for userspace interfaces. */
    public static final Path DIRECTORY = Path.of("/var/run/wireguard");

    private UapiSocket() {}

    /** What a connection attempt to a socket file found. */
    public enum State {
        /** No file: no daemon. */
        ABSENT,
        /** A daemon accepted the connection. */
        LIVE,
        /** {@code ECONNREFUSED}: a file nobody listens on, left by a daemon that died (or not a socket). */
        REFUSED,
        /** Any other failure (no permission, not a socket we may judge): nothing is known. */
        UNREACHABLE
    }

    /** {@code IFNAME.sock} in {@link #DIRECTORY}. */
    public static Path path(String ifname) {
        return path(DIRECTORY, ifname);
    }

    /** {@code IFNAME.sock} in {@code directory}. */
    public static Path path(Path directory, String ifname) {
        return directory.resolve(ifname + ".sock");
    }

    /**
     * Connects to {@code socket} and closes the connection at once. The outcome is decided on the
     * kind of failure ({@link ConnectException} is {@code ECONNREFUSED}), never on its message.
     */
    public static State probe(Path socket) {
        if (!Files.exists(socket)) {
            return State.ABSENT;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return State.LIVE;
        } catch (ConnectException refused) {
            return State.REFUSED;
        } catch (IOException e) {
            return State.UNREACHABLE;
        }
    }
}
