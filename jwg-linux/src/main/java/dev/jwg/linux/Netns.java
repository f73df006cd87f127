package dev.jwg.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Sockets in another network namespace. A socket belongs to the namespace of the thread that
 * created it, for its whole life; {@code setns} switches only the calling thread. So a short-lived
 * platform thread enters the namespace, creates the socket and dies, and the caller's threads
 * never change namespace. Used to follow a TUN device that was moved with
 * {@code ip link set DEV netns X} (its namespace is found with {@code TUNGETDEVNETNS}), and by
 * {@code jwg demo} to send its pings from inside a namespace ({@link #callIn}).
 *
 * <p>Stateless and thread-safe.
 */
public final class Netns {
    private Netns() {}

    /** Work to do inside a network namespace. */
    @FunctionalInterface
    public interface Task<T> {
        T call() throws Exception;
    }

    /**
     * Runs {@code task} on a new platform thread that first enters the network namespace the file
     * {@code namespace} stands for (e.g. {@code /run/netns/NAME}, as {@code ip netns add} makes them),
     * and waits for it: the sockets the task opens (any, the JDK's included) live in that namespace.
     * Needs CAP_SYS_ADMIN.
     *
     * @throws LinuxException when the namespace cannot be entered
     * @throws Exception what the task threw
     */
    public static <T> T callIn(java.nio.file.Path namespace, Task<T> task) throws Exception {
        Native.ensureAvailable();
        Object[] result = new Object[1];
        Exception[] failure = new Exception[1];
        Thread thread = Thread.ofPlatform().name("jwg-netns-task").unstarted(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = Libc.newCallState(arena);
                int fd = Libc.check(Libc.open(state, arena.allocateFrom(namespace.toString()), Libc.O_CLOEXEC, 0),
                        "open(" + namespace + ")", state);
                try {
                    Libc.check(Libc.setns(state, fd, Libc.CLONE_NEWNET), "setns(" + namespace + ")", state);
                } finally {
                    Libc.close(state, fd);
                }
                result[0] = task.call();
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        thread.start();
        thread.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** A new descriptor for the network namespace the TUN device on {@code tunFd} lives in. */
    static int ofTun(int tunFd) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            return Libc.check(Libc.ioctl(state, tunFd, Libc.TUNGETDEVNETNS, MemorySegment.NULL), "ioctl(TUNGETDEVNETNS)", state);
        }
    }

    /**
     * A new network namespace of this process's own, with only its loopback interface, up: a
     * descriptor for it (the namespace lives while the descriptor and sockets in it are open).
     * Nothing in it is reachable from the host's namespaces, and no firewall of the host sees its
     * traffic. Needs CAP_SYS_ADMIN ({@code unshare(CLONE_NEWNET)}); fails with EPERM without.
     * A short-lived thread enters the new namespace, so the caller's threads never change namespace.
     */
    static int createPrivate() throws LinuxException {
        return inHelperThread("jwg-netns-private", state -> {
            if (Libc.unshare(state, Libc.CLONE_NEWNET) < 0) {
                throw new LinuxException("unshare(CLONE_NEWNET)", Libc.errno(state));
            }
            try (Arena arena = Arena.ofConfined()) {
                int sock = Libc.check(Libc.socket(state, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0), "socket", state);
                try {
                    MemorySegment ifr = arena.allocate(Libc.IFREQ_SIZE, 8);
                    ifr.setString(0, "lo");
                    Libc.check(Libc.ioctl(state, sock, Libc.SIOCGIFFLAGS, ifr), "ioctl(SIOCGIFFLAGS lo)", state);
                    ifr.set(java.lang.foreign.ValueLayout.JAVA_SHORT, Libc.IFNAMSIZ,
                            (short) (ifr.get(java.lang.foreign.ValueLayout.JAVA_SHORT, Libc.IFNAMSIZ) | Libc.IFF_UP));
                    Libc.check(Libc.ioctl(state, sock, Libc.SIOCSIFFLAGS, ifr), "ioctl(SIOCSIFFLAGS lo up)", state);
                } finally {
                    Libc.closeQuietly(sock);
                }
                return Libc.check(Libc.open(state, arena.allocateFrom("/proc/thread-self/ns/net"), Libc.O_CLOEXEC, 0),
                        "open(/proc/thread-self/ns/net)", state);
            }
        });
    }

    /** A call made with errno capture on a short-lived platform thread; its result or its failure. */
    private interface InThread {
        int call(MemorySegment state) throws LinuxException;
    }

    private static int inHelperThread(String name, InThread body) throws LinuxException {
        int[] result = {-1};
        LinuxException[] failure = {null};
        Thread thread = Thread.ofPlatform().name(name).unstarted(() -> {
            try (Arena arena = Arena.ofConfined()) {
                result[0] = body.call(Libc.newCallState(arena));
            } catch (LinuxException e) {
                failure[0] = e;
            }
        });
        thread.start();
        boolean interrupted = false;
        for (;;) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    /** {@code socket(domain, type, protocol)} created inside the namespace {@code nsFd}. */
    static int socketIn(int nsFd, int domain, int type, int protocol) throws LinuxException {
        return inHelperThread("jwg-netns-socket", state -> {
            if (Libc.setns(state, nsFd, Libc.CLONE_NEWNET) < 0) {
                throw new LinuxException("setns", Libc.errno(state));
            }
            int fd = Libc.socket(state, domain, type, protocol);
            if (fd < 0) {
                throw new LinuxException("socket", Libc.errno(state));
            }
            return fd;
        });
    }
}
