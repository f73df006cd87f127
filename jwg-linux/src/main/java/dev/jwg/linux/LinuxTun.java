package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jwg.device.io.PacketBatch;
import dev.jwg.device.io.TunDevice;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Linux TUN interface ({@code IFF_TUN | IFF_NO_PI}: raw IPv4/IPv6 packets, no extra header).
 *
 * <p>Reading: the descriptor is non-blocking; {@link #read} polls it together with an eventfd that
 * {@link #close} signals, then drains as many packets as are queued (one {@code read(2)} per packet,
 * which is all a TUN without {@code IFF_VNET_HDR} offers) up to the batch capacity, each into its
 * slot at {@link PacketBatch#HEADROOM}.
 *
 * <p>What the kernel does (measured on Linux 6.x, see {@code LinuxTunTest}):
 * <ul>
 * <li>{@code ip link del}: {@code poll} reports {@code POLLERR}; {@code read}, {@code write} and
 *     {@code TUNGETIFF} fail with {@code EBADFD}. {@link #read} then returns -1.
 * <li>Link down (including right after a move to another namespace, which downs the link):
 *     {@code read} has nothing ({@code EAGAIN}), {@code write} of a packet fails with {@code EIO}
 *     (dropped here). A zero-length {@code write} answers {@code EINVAL} whether up or down, so the
 *     old wireguard-go "hack listener" probe no longer tells up from down.
 * <li>{@code ip link set DEV netns X}: the descriptor keeps working (packets flow once the link is
 *     up in X) and {@code TUNGETIFF} still succeeds; the original namespace sees {@code RTM_DELLINK}
 *     carrying {@code IFLA_NEW_NETNSID}. {@link #mtu()}, {@link #setMtu} and {@link #ifIndex()}
 *     follow the device into its namespace ({@code TUNGETDEVNETNS}).
 * </ul>
 *
 * <p>Copying: packets live in heap arrays ({@link PacketBatch}). By default {@code read}/{@code write}
 * go straight to the heap array through a {@code Linker.Option.critical(true)} downcall, which is
 * allowed because the descriptor never blocks (O_NONBLOCK; a critical call holds off the GC while it
 * runs). Measured on this machine (2-core x86_64 VM, Linux 6.18, batches of 32 packets of 1420
 * bytes written into a TUN whose namespace forwards them straight back out of it, write + read
 * per packet): heap access ≈2.45 µs, off-heap staging with {@code MemorySegment.copy} ≈2.6–2.9 µs.
 * Both are dominated by the system calls; heap access wins by 5–10% and is the default, the staging
 * path stays selectable with {@code -Djwg.tun.staging=true}.
 *
 * <p>Offloads: a later {@code IFF_VNET_HDR} + {@code TUNSETOFFLOAD} mode would prepend a 10-byte
 * {@code virtio_net_hdr} to every read and write and let one read return a GSO super-packet to be
 * split into several slots; the flags word is built in one place ({@link #open}) for that.
 *
 * <p>Thread-safe: one reader and any number of writers (writes are serialised), {@link #close} from
 * any thread, after which a blocked {@link #read} returns -1.
 */
public final class LinuxTun implements TunDevice {
    private static final boolean STAGING = Boolean.getBoolean("jwg.tun.staging");
    /** Consecutive wake-ups with nothing to read before read gives up (a kernel bug if ever reached). */
    private static final int MAX_EMPTY_WAKEUPS = 10_000;
    private static final int MAX_EINTR = 100;
    private static final int MAX_WRITE_EAGAIN = 10;

    private final int fd;
    private final int wakeFd;
    private final String name;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readState;
    private final MemorySegment writeState;
    private final MemorySegment pollFds;
    private final MemorySegment readStaging;
    private final MemorySegment writeStaging;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final FdGuard guard;
    private volatile boolean deleted;

    private LinuxTun(int fd, int wakeFd, String name) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.name = name;
        this.readState = Libc.newCallState(arena);
        this.writeState = Libc.newCallState(arena);
        this.pollFds = arena.allocate(Structs.Pollfd.LAYOUT, 2);
        this.readStaging = STAGING ? arena.allocate(PacketBatch.MAX_PACKET + 1, 16) : MemorySegment.NULL;
        this.writeStaging = STAGING ? arena.allocate(PacketBatch.MAX_PACKET, 16) : MemorySegment.NULL;
        this.guard = new FdGuard(this::release);
    }

    /**
     * Creates (or attaches to a persistent) TUN interface. {@code name} may be empty to let the
     * kernel choose ({@code tunN}); {@code mtu} 0 keeps the kernel's default (1500).
     */
    public static LinuxTun create(String name, int mtu) throws IOException {
        Native.ensureAvailable();
        byte[] rawName = checkName(name);
        if (mtu < 0 || mtu > PacketBatch.MAX_PACKET) {
            throw new IllegalArgumentException("mtu " + mtu);
        }
        int fd = -1;
        int wakeFd = -1;
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(temp);
            fd = Libc.check(Libc.open(state, temp.allocateFrom("/dev/net/tun"), Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0),
                    "open(/dev/net/tun)", state);
            MemorySegment ifr = temp.allocate(Structs.Ifreq.LAYOUT);
            MemorySegment.copy(rawName, 0, ifr, JAVA_BYTE, Structs.Ifreq.NAME, rawName.length);
            ifr.set(JAVA_SHORT, Structs.Ifreq.UNION, open(false));
            Libc.check(Libc.ioctl(state, fd, Libc.TUNSETIFF, ifr), "ioctl(TUNSETIFF)", state);
            String realName = ifr.getString(Structs.Ifreq.NAME, StandardCharsets.US_ASCII);
            wakeFd = Libc.check(Libc.eventfd(state, 0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd", state);
            LinuxTun tun = new LinuxTun(fd, wakeFd, realName);
            fd = -1;
            wakeFd = -1;
            if (mtu > 0) {
                try {
                    tun.setMtu(mtu);
                } catch (IOException | RuntimeException e) {
                    tun.close();
                    throw e;
                }
            }
            return tun;
        } finally {
            Libc.closeQuietly(fd);
            Libc.closeQuietly(wakeFd);
        }
    }

    /**
     * Takes over an already open TUN descriptor (for instance one inherited through
     * {@code WG_TUN_FD}); it is switched to non-blocking. The name is read back from the kernel;
     * when {@code expectedName} is not null and differs, this fails. On success this object owns
     * {@code fd}; on failure the caller still does.
     */
    public static LinuxTun fromFd(int fd, String expectedName) throws IOException {
        Native.ensureAvailable();
        int wakeFd = -1;
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(temp);
            MemorySegment ifr = temp.allocate(Structs.Ifreq.LAYOUT);
            Libc.check(Libc.ioctl(state, fd, Libc.TUNGETIFF, ifr), "ioctl(TUNGETIFF)", state);
            String realName = ifr.getString(Structs.Ifreq.NAME, StandardCharsets.US_ASCII);
            short flags = ifr.get(JAVA_SHORT, Structs.Ifreq.UNION);
            if ((flags & (Libc.IFF_TUN | Libc.IFF_NO_PI | Libc.IFF_VNET_HDR)) != (Libc.IFF_TUN | Libc.IFF_NO_PI)) {
                throw new IOException("fd " + fd + " (" + realName + ") is not a TUN opened with IFF_TUN|IFF_NO_PI (flags 0x"
                        + Integer.toHexString(flags & 0xffff) + ")");
            }
            if (expectedName != null && !expectedName.equals(realName)) {
                throw new IOException("fd " + fd + " is TUN " + realName + ", not " + expectedName);
            }
            int fl = Libc.check(Libc.fcntl(state, fd, Libc.F_GETFL, 0), "fcntl(F_GETFL)", state);
            Libc.check(Libc.fcntl(state, fd, Libc.F_SETFL, fl | Libc.O_NONBLOCK), "fcntl(F_SETFL)", state);
            wakeFd = Libc.check(Libc.eventfd(state, 0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd", state);
            LinuxTun tun = new LinuxTun(fd, wakeFd, realName);
            wakeFd = -1;
            return tun;
        } finally {
            Libc.closeQuietly(wakeFd);
        }
    }

    /** The TUNSETIFF flags; {@code vnetHdr} is reserved for a later offload mode and unused today. */
    private static short open(boolean vnetHdr) {
        return (short) (Libc.IFF_TUN | Libc.IFF_NO_PI | (vnetHdr ? Libc.IFF_VNET_HDR : 0));
    }

    private static byte[] checkName(String name) {
        byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
        if (raw.length >= Libc.IFNAMSIZ || name.contains("/") || name.chars().anyMatch(c -> c <= ' ' || c > '~' || c == ':')
                || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid interface name '" + name + "'");
        }
        return raw;
    }

    /** The name the kernel gave the interface when it was created or adopted. */
    @Override
    public String name() {
        return name;
    }

    /** The descriptor, e.g. to hand to a re-executed daemon as {@code WG_TUN_FD}. */
    public int fd() {
        return fd;
    }

    /** True once the interface was deleted ({@code TUNGETIFF} fails with EBADFD) or this object closed. */
    public boolean isDeleted() {
        if (deleted) {
            return true;
        }
        if (!guard.enter()) {
            return true;
        }
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(temp);
            MemorySegment ifr = temp.allocate(Structs.Ifreq.LAYOUT);
            if (Libc.ioctl(state, fd, Libc.TUNGETIFF, ifr) < 0 && Libc.errno(state) == Errno.EBADFD) {
                deleted = true;
            }
            return deleted;
        } finally {
            guard.exit();
        }
    }

    /** The current MTU, asked in whatever network namespace the interface now lives in. */
    @Override
    public int mtu() throws IOException {
        return control(Libc.SIOCGIFMTU, "ioctl(SIOCGIFMTU)", 0);
    }

    /** Sets the MTU ({@code SIOCSIFMTU}) in the interface's current network namespace. */
    public void setMtu(int mtu) throws IOException {
        if (mtu <= 0 || mtu > PacketBatch.MAX_PACKET) {
            throw new IllegalArgumentException("mtu " + mtu);
        }
        control(Libc.SIOCSIFMTU, "ioctl(SIOCSIFMTU)", mtu);
    }

    /** The interface index in the interface's current network namespace (a move may change it). */
    public int ifIndex() throws IOException {
        return control(Libc.SIOCGIFINDEX, "ioctl(SIOCGIFINDEX)", 0);
    }

    /** A new descriptor of the network namespace the interface lives in; the caller closes it. */
    int netnsFd() throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        try {
            return Netns.ofTun(fd);
        } finally {
            guard.exit();
        }
    }

    /** True when the namespace descriptor {@code nsFd} is this process's own network namespace. */
    static boolean isOwnNetns(int nsFd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + nsFd))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
        } catch (IOException e) {
            return true;
        }
    }

    /** An AF_INET datagram socket in the interface's namespace, for SIOC* ioctls. */
    int controlSocket() throws IOException {
        int nsFd = -1;
        try {
            try {
                nsFd = netnsFd();
            } catch (LinuxException e) {
                if (e.errno() == Errno.EBADFD) {
                    deleted = true;
                    throw e;
                }
                // Kernels before 5.2 have no TUNGETDEVNETNS: assume the device never moved.
            }
            if (nsFd >= 0 && !isOwnNetns(nsFd)) {
                return Netns.socketIn(nsFd, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            }
            try (Arena temp = Arena.ofConfined()) {
                MemorySegment state = Libc.newCallState(temp);
                return Libc.check(Libc.socket(state, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0), "socket", state);
            }
        } finally {
            Libc.closeQuietly(nsFd);
        }
    }

    private int control(long request, String call, int value) throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        int sock = -1;
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(temp);
            MemorySegment ifr = temp.allocate(Structs.Ifreq.LAYOUT);
            if (Libc.ioctl(state, fd, Libc.TUNGETIFF, ifr) < 0) {
                int errno = Libc.errno(state);
                if (errno == Errno.EBADFD) {
                    deleted = true;
                }
                throw new LinuxException("ioctl(TUNGETIFF)", errno);
            }
            String current = ifr.getString(Structs.Ifreq.NAME, StandardCharsets.US_ASCII);
            sock = controlSocket();
            ifr.fill((byte) 0);
            byte[] raw = current.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(raw, 0, ifr, JAVA_BYTE, Structs.Ifreq.NAME, raw.length);
            ifr.set(JAVA_INT, Structs.Ifreq.UNION, value);
            Libc.check(Libc.ioctl(state, sock, request, ifr), call + " on " + current, state);
            return ifr.get(JAVA_INT, Structs.Ifreq.UNION);
        } finally {
            Libc.closeQuietly(sock);
            guard.exit();
        }
    }

    @Override
    public int read(PacketBatch batch) throws IOException {
        batch.clear();
        if (!guard.enter()) {
            return -1;
        }
        try {
            int empty = 0;
            int interrupted = 0;
            for (;;) {
                if (deleted) {
                    return -1;
                }
                int n = drain(batch);
                if (n > 0) {
                    batch.setCount(n);
                    return n;
                }
                if (deleted) {
                    return -1;
                }
                if (++empty > MAX_EMPTY_WAKEUPS) {
                    throw new IOException(name + ": poll keeps reporting the TUN readable but read finds nothing");
                }
                Structs.Pollfd.set(pollFds, 0, fd, Libc.POLLIN);
                Structs.Pollfd.set(pollFds, 1, wakeFd, Libc.POLLIN);
                if (Libc.poll(readState, pollFds, 2, -1) < 0) {
                    int errno = Libc.errno(readState);
                    if (errno != Errno.EINTR || ++interrupted > MAX_EINTR) {
                        throw new LinuxException("poll", errno);
                    }
                    continue;
                }
                if (guard.isClosed()) {
                    return -1;
                }
                if ((Structs.Pollfd.revents(pollFds, 0) & Libc.POLLNVAL) != 0) {
                    throw new IOException(name + ": poll says the TUN descriptor is invalid");
                }
                // POLLERR (interface deleted) falls through to drain(), whose read reports EBADFD.
            }
        } finally {
            guard.exit();
        }
    }

    /** Reads queued packets into slots 0.. until EAGAIN or the batch is full. */
    private int drain(PacketBatch batch) throws IOException {
        int count = 0;
        int capacity = batch.capacity();
        int max = batch.maxPacket();
        // One byte more than the slot's packet room (it lands in the tailroom): a read that fills it
        // means the kernel truncated a packet larger than the batch takes, which is then dropped.
        int ask = max + 1;
        int interrupted = 0;
        while (count < capacity) {
            byte[] buf = batch.buffer(count);
            long n;
            if (STAGING) {
                n = Libc.read(readState, fd, readStaging, ask);
                if (n > 0 && n <= max) {
                    MemorySegment.copy(readStaging, JAVA_BYTE, 0, buf, PacketBatch.HEADROOM, (int) n);
                }
            } else {
                n = Libc.readHeap(readState, fd, MemorySegment.ofArray(buf).asSlice(PacketBatch.HEADROOM), ask);
            }
            if (n > max) {
                continue; // truncated: larger than the batch's packets
            }
            if (n > 0) {
                batch.set(count++, PacketBatch.HEADROOM, (int) n);
                continue;
            }
            if (n == 0) {
                break;
            }
            int errno = Libc.errno(readState);
            if (errno == Errno.EAGAIN) {
                break;
            }
            if (errno == Errno.EINTR && ++interrupted <= MAX_EINTR) {
                continue;
            }
            if (errno == Errno.EBADFD) {
                deleted = true;
                break;
            }
            if (count > 0) {
                break; // hand over what we have; the error comes back on the next read
            }
            throw new LinuxException("read(" + name + ")", errno);
        }
        return count;
    }

    /**
     * Writes each packet with one {@code write(2)}. Packets the kernel refuses (malformed, link down,
     * out of memory) are dropped; a deleted interface or a closed device throws.
     */
    @Override
    public void write(PacketBatch batch) throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        writeLock.lock();
        try {
            int count = batch.count();
            for (int i = 0; i < count; i++) {
                writeOne(batch.buffer(i), batch.offset(i), batch.length(i));
            }
        } finally {
            writeLock.unlock();
            guard.exit();
        }
    }

    private void writeOne(byte[] buf, int offset, int length) throws IOException {
        int interrupted = 0;
        int again = 0;
        for (;;) {
            long n;
            if (STAGING) {
                MemorySegment.copy(buf, offset, writeStaging, JAVA_BYTE, 0, length);
                n = Libc.write(writeState, fd, writeStaging, length);
            } else {
                n = Libc.writeHeap(writeState, fd, MemorySegment.ofArray(buf).asSlice(offset, length), length);
            }
            if (n >= 0) {
                return;
            }
            int errno = Libc.errno(writeState);
            switch (errno) {
                case Errno.EINTR -> {
                    if (++interrupted > MAX_EINTR) {
                        throw new LinuxException("write(" + name + ")", errno);
                    }
                }
                case Errno.EAGAIN -> {
                    if (++again > MAX_WRITE_EAGAIN) {
                        return; // queue full for too long: drop, as a full device queue would
                    }
                    waitWritable();
                }
                case Errno.EBADFD -> {
                    deleted = true;
                    throw new LinuxException("write(" + name + ")", errno);
                }
                case Errno.EBADF, Errno.EFAULT -> throw new LinuxException("write(" + name + ")", errno);
                default -> {
                    return; // EINVAL (malformed), EIO (link down), ENOMEM, ENOBUFS...: dropped
                }
            }
        }
    }

    private void waitWritable() {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment fds = temp.allocate(Structs.Pollfd.LAYOUT);
            Structs.Pollfd.set(fds, 0, fd, Libc.POLLOUT);
            Libc.poll(writeState, fds, 1, 10);
        }
    }

    /** Closes the device; a blocked {@link #read} returns -1. The interface disappears unless persistent. */
    @Override
    public void close() {
        guard.close(this::wake);
    }

    private void wake() {
        try (Arena temp = Arena.ofConfined()) {
            Libc.signal(Libc.newCallState(temp), wakeFd, temp.allocate(JAVA_LONG));
        }
    }

    private void release() {
        Libc.closeQuietly(fd);
        Libc.closeQuietly(wakeFd);
        arena.close();
    }

    @Override
    public String toString() {
        return "LinuxTun(" + name + ", fd " + fd + ")";
    }
}
