package dev.jwg.cli.wg;

import dev.jwg.cli.uapi.UapiClient;
import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.UapiException;
import dev.jwg.config.uapi.UapiSocket;
import dev.jwg.linux.Errno;
import dev.jwg.linux.Native;
import dev.jwg.linux.Posix;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Uapi} over the sockets in {@code /var/run/wireguard}, found as wireguard-tools' ipc-uapi-unix.h
 * finds them: a name is an interface when {@code NAME.sock} is a socket that accepts a connection; a
 * socket refusing connections is stale and is unlinked. The list keeps the directory's order, as
 * {@code wg} does (it does not sort). Get and set go through {@link UapiClient}.
 *
 * <p>For a name without a socket {@code wg} falls back to the kernel, which answers {@code ENODEV} when
 * there is no such interface and {@code EOPNOTSUPP} when it is not a WireGuard one; this class answers
 * the same without asking the kernel. Stateless and thread-safe.
 */
final class SocketUapi implements Uapi {
    private final Path directory;
    private final UapiClient client;

    SocketUapi(Path directory) {
        this.directory = directory;
        this.client = new UapiClient(directory);
    }

    static SocketUapi system() {
        return new SocketUapi(UapiSocket.DIRECTORY);
    }

    @Override
    public List<String> interfaces() throws Failure {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
            for (Path p : ds) {
                String file = p.getFileName().toString();
                if (file.length() <= ".sock".length() || !file.endsWith(".sock")) {
                    continue;
                }
                String name = file.substring(0, file.length() - ".sock".length());
                if (hasInterface(name)) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return names;
        } catch (IOException e) {
            throw new Failure(IoErrno.of(e, directory));
        }
        return names;
    }

    /** {@code userspace_has_wireguard_interface}. */
    boolean hasInterface(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            return false;
        }
        Path sock = UapiSocket.path(directory, name);
        try {
            BasicFileAttributes a = Files.readAttributes(sock, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isOther()) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        try {
            switch (UapiSocket.probe(sock)) {
                case LIVE, UNREACHABLE -> {
                    // As wg: only a refused connection means "no daemon"; any other failure (EACCES
                    // for a user who is not root) leaves it an interface, whose get reports the error.
                    return true;
                }
                case REFUSED -> Files.deleteIfExists(sock);
                case ABSENT -> { }
            }
        } catch (IOException | RuntimeException e) {
            // as wg: removing a stale socket is best effort
        }
        return false;
    }

    @Override
    public DeviceSnapshot get(String ifname) throws Failure {
        requireInterface(ifname);
        try {
            return client.get(ifname);
        } catch (IOException e) {
            throw new Failure(IoErrno.of(e, client.socketPath(ifname)));
        } catch (UapiException e) {
            throw new Failure(-e.errno());
        } catch (RuntimeException e) {
            throw new Failure(Errno.EPROTO); // a response the snapshot types refuse
        }
    }

    @Override
    public void set(String ifname, String body) throws Failure {
        requireInterface(ifname);
        try {
            client.set(ifname, body);
        } catch (IOException e) {
            throw new Failure(IoErrno.of(e, client.socketPath(ifname)));
        } catch (UapiException e) {
            throw new Failure(-e.errno());
        }
    }

    private void requireInterface(String ifname) throws Failure {
        if (!hasInterface(ifname)) {
            throw new Failure(netdevExists(ifname) ? Errno.EOPNOTSUPP : Errno.ENODEV);
        }
    }

    /** Whether a network interface of that name exists in this namespace. */
    private static boolean netdevExists(String ifname) {
        if (ifname.isEmpty() || ifname.length() > 15 || ifname.indexOf('/') >= 0) {
            return false;
        }
        if (Native.isAvailable()) {
            try {
                return Posix.ifNameToIndex(ifname) > 0;
            } catch (Exception e) {
                return false;
            }
        }
        return Files.exists(Path.of("/sys/class/net", ifname));
    }
}
