package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.jwg.device.io.Bind;
import dev.jwg.device.io.TunDevice;
import dev.jwg.device.tuning.Warmup;
import dev.jwg.linux.gso.VirtioNetHdr;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The JIT warm-up's I/O on Linux ({@link Warmup}): the daemon's own classes on private
 * descriptors. A warm-up TUN is a {@link LinuxTun} over one end of a
 * {@code socketpair(AF_UNIX, SOCK_SEQPACKET)}, which keeps message boundaries as a TUN does (and
 * truncates a read that is too short as a TUN does), with the virtio header when the real TUN has
 * it; the warm-up plays the kernel at the other end. The binds are {@link LinuxUdpBind}s bound to
 * 127.0.0.1 on ports the kernel picks, with the real socket's offloads.
 *
 * <p>The daemon's warm-up ({@link #inPrivateNetwork}) binds them in a network namespace of its own,
 * created for the warm-up and gone with it: no interface is created, no firewall of the host sees
 * a packet, and no port of the host's is taken even for a moment. {@link #onHostLoopback} binds
 * them on the host's loopback instead (the training run of the ahead-of-time cache, which may run
 * without privileges, and tests).
 *
 * <p>Thread-safe; each {@link Warmup.Wire} is used by one thread at a time. {@link #close} ends
 * the private namespace (after the binds opened in it are closed).
 */
public final class LinuxWarmupIo implements Warmup.Io, AutoCloseable {
    private final Set<Offload> tunOffloads;
    private final boolean udpOffload;
    /** The private network namespace the binds live in, or -1 for the host's loopback. */
    private volatile int netnsFd;
    private final boolean privateNetwork;

    /**
     * @param tunOffloads the real TUN's {@link LinuxTun#offloads()}, so that the warm-up TUN reads
     *     and writes the same way
     * @param udpOffload whether the real socket was opened with offloads
     */
    public LinuxWarmupIo(Set<Offload> tunOffloads, boolean udpOffload) {
        this(tunOffloads, udpOffload, -1);
    }

    private LinuxWarmupIo(Set<Offload> tunOffloads, boolean udpOffload, int netnsFd) {
        EnumSet<Offload> copy = EnumSet.noneOf(Offload.class);
        copy.addAll(tunOffloads);
        this.tunOffloads = Collections.unmodifiableSet(copy);
        this.udpOffload = udpOffload;
        this.netnsFd = netnsFd;
        this.privateNetwork = netnsFd >= 0;
    }

    /**
     * Warm-up I/O whose sockets live in a new network namespace of their own (see the class
     * comment). Needs CAP_SYS_ADMIN; throws a {@link LinuxException} (EPERM) without it.
     */
    public static LinuxWarmupIo inPrivateNetwork(Set<Offload> tunOffloads, boolean udpOffload) throws IOException {
        Native.ensureAvailable();
        return new LinuxWarmupIo(tunOffloads, udpOffload, Netns.createPrivate());
    }

    /** Warm-up I/O whose sockets are bound to the host's 127.0.0.1 (the training run, tests). */
    public static LinuxWarmupIo onHostLoopback(Set<Offload> tunOffloads, boolean udpOffload) {
        return new LinuxWarmupIo(tunOffloads, udpOffload, -1);
    }

    /** Whether the binds live in a private network namespace. */
    public boolean isPrivate() { return privateNetwork; }

    /** Idempotent. */
    @Override
    public synchronized void close() {
        int fd = netnsFd;
        netnsFd = -1;
        Libc.closeQuietly(fd);
    }

    @Override
    public Warmup.Wire openWire(String name, int mtu) throws IOException {
        Native.ensureAvailable();
        int near = -1;
        int far = -1;
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(temp);
            MemorySegment fds = temp.allocate(JAVA_INT, 2);
            Libc.check(Libc.socketpair(state, Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0, fds),
                    "socketpair", state);
            near = fds.getAtIndex(JAVA_INT, 0);
            far = fds.getAtIndex(JAVA_INT, 1);
            LinuxTun tun = LinuxTun.overSocket(near, name, mtu, tunOffloads);
            near = -1;
            SocketWire wire = new SocketWire(tun, far, tunOffloads.contains(Offload.VNET_HDR));
            far = -1;
            return wire;
        } finally {
            Libc.closeQuietly(near);
            Libc.closeQuietly(far);
        }
    }

    @Override
    public Bind openBind() throws IOException {
        int ns = netnsFd;
        if (privateNetwork && ns < 0) {
            throw new ClosedChannelException();
        }
        return LinuxUdpBind.openLoopback(udpOffload, ns);
    }

    @Override
    public byte[] bindAddress() {
        return LinuxUdpBind.LOOPBACK4.clone();
    }

    /** The far end of a warm-up TUN: writes and reads what the kernel would, virtio header included. */
    private static final class SocketWire implements Warmup.Wire {
        private static final int H = VirtioNetHdr.SIZE;
        private static final int BUFFER = 65536 + H;

        private final LinuxTun tun;
        private final int fd;
        private final boolean vnet;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment state = Libc.newCallState(arena);
        private final MemorySegment buffer = arena.allocate(BUFFER, 16);
        private final MemorySegment pollFd = arena.allocate(Structs.Pollfd.LAYOUT);
        private boolean closed;

        SocketWire(LinuxTun tun, int fd, boolean vnet) {
            this.tun = tun;
            this.fd = fd;
            this.vnet = vnet;
        }

        @Override
        public TunDevice device() {
            return tun;
        }

        /** One message: an all-zero virtio header (a plain packet, checksum complete) when the TUN has them. */
        @Override
        public void inject(byte[] buf, int off, int len) throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            int at = 0;
            if (vnet) {
                buffer.asSlice(0, H).fill((byte) 0);
                at = H;
            }
            MemorySegment.copy(buf, off, buffer, JAVA_BYTE, at, len);
            for (int tries = 0; ; tries++) {
                if (Libc.write(state, fd, buffer, at + len) >= 0) {
                    return;
                }
                int errno = Libc.errno(state);
                if (errno != Errno.EAGAIN || tries >= 100 || !await(Libc.POLLOUT, 10)) {
                    throw new LinuxException("write(warm-up TUN)", errno);
                }
            }
        }

        @Override
        public int collect(byte[] buf, int off, int timeoutMillis) throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            for (;;) {
                long n = Libc.read(state, fd, buffer, BUFFER);
                if (n >= 0) {
                    int len = (int) n - (vnet ? H : 0);
                    if (len <= 0) {
                        continue;
                    }
                    int copy = Math.min(len, buf.length - off);
                    MemorySegment.copy(buffer, JAVA_BYTE, vnet ? H : 0, buf, off, copy);
                    return copy;
                }
                int errno = Libc.errno(state);
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno != Errno.EAGAIN) {
                    throw new LinuxException("read(warm-up TUN)", errno);
                }
                if (!await(Libc.POLLIN, timeoutMillis)) {
                    return -1;
                }
            }
        }

        /** Polls for {@code events}; false on timeout. */
        private boolean await(short events, int timeoutMillis) throws LinuxException {
            Structs.Pollfd.set(pollFd, 0, fd, events);
            int r = Libc.poll(state, pollFd, 1, timeoutMillis);
            if (r < 0 && Libc.errno(state) != Errno.EINTR) {
                throw new LinuxException("poll", Libc.errno(state));
            }
            return r > 0;
        }

        /** Closes the device's end first (its reader returns -1), then this one. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            tun.close();
            Libc.closeQuietly(fd);
            arena.close();
        }
    }
}
