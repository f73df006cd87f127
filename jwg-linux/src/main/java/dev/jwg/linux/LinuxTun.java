package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jwg.device.io.PacketBatch;
import dev.jwg.device.io.PacketMemory;
import dev.jwg.device.io.TunDevice;
import dev.jwg.linux.gso.GsoSplitter;
import dev.jwg.linux.gso.Coalescer;
import dev.jwg.linux.gso.VirtioNetHdr;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Linux TUN interface ({@code IFF_TUN | IFF_NO_PI}: raw IPv4/IPv6 packets), by default with
 * offloads ({@code IFF_VNET_HDR} and {@code TUNSETOFFLOAD}, see below).
 *
 * <p>Reading: the descriptor is non-blocking; {@link #read} polls it together with an eventfd that
 * {@link #close} signals, then drains as many packets as are queued (one {@code read(2)} per packet
 * or super-packet) up to the batch capacity, each into its slot at {@link PacketBatch#HEADROOM}.
 *
 * <p>Offloads (the technique of wireguard-go's {@code tun_linux.go}; {@link #offloads()} tells which
 * are active, {@link Offload} how to switch them off). The TUN is opened with {@code IFF_VNET_HDR},
 * so that a 10-byte {@code virtio_net_hdr} ({@link VirtioNetHdr}) comes before every packet in both
 * directions, and {@code TUNSETOFFLOAD} offers {@code TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 |
 * TUN_F_USO4 | TUN_F_USO6}, then the same without USO (kernels before 6.2). Then:
 * <ul>
 * <li>a read may return a TCP or UDP super-packet of up to 64 KiB, which {@link GsoSplitter} cuts
 *     into MTU-sized packets in consecutive slots, so {@link #read} returns more packets than it
 *     made system calls. A super-packet that does not fit the slots left is finished by the next
 *     {@link #read}, never dropped. A single packet may come with a partial checksum, which is
 *     completed: every packet handed out has valid checksums.
 * <li>{@link #write} coalesces consecutive segments of a TCP flow into super-packets, and, with
 *     USO, consecutive datagrams of a UDP flow into UDP GSO buffers ({@link Coalescer}); the other
 *     packets go one by one with an all-zero virtio header, which is put into the 10 bytes of
 *     headroom just before the packet.
 * </ul>
 * When the kernel refuses every offload set, the header stays but announces no offload (the
 * kernel completes checksums and segments itself; writes are not coalesced). With offloads switched
 * off the TUN is opened without the header: one plain packet per system call.
 *
 * <p>What the kernel does (Linux 6.x; {@code LinuxTunTest} checks each point):
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
 * <p>Copying: packets live in the batches' native memory ({@link NativePacketMemory}). A read lands
 * in this object's native read buffer and is copied (or split) into the batch's slots: the one copy
 * of the send path, which a super-packet needs anyway. A write copies nothing: single packets go from
 * their slot with the virtio header put just before them, super-packets with one {@code writev}
 * whose iovecs point at the packets' payloads in the batch ({@link Coalescer}). The per-packet
 * calls pass raw addresses and capture no errno (a capturing call slices a segment per call); a call
 * that fails is repeated with capture to learn why.
 *
 * <p>Thread-safe: one reader and any number of writers at once (each writing its own slots; every
 * writing thread has its own coalescer), {@link #close} from any thread, after which a blocked
 * {@link #read} returns -1.
 */
public final class LinuxTun implements TunDevice {
    /** Consecutive wake-ups with nothing to read before read gives up (a kernel bug if ever reached). */
    private static final int MAX_EMPTY_WAKEUPS = 10_000;
    private static final int MAX_EINTR = 100;
    private static final int MAX_WRITE_EAGAIN = 10;
    private static final int H = VirtioNetHdr.SIZE;
    /**
     * One read with the virtio header: the header and the largest packet the kernel hands a TUN
     * (GSO packets are at most 64 KiB: the TUN keeps the default {@code tso_max_size}), with room
     * to spare so that a full read can be recognised as truncated.
     */
    private static final int VNET_READ_SIZE = H + 65536 + 1024;
    private static final int OFFLOAD_CSUM_TSO = Libc.TUN_F_CSUM | Libc.TUN_F_TSO4 | Libc.TUN_F_TSO6;
    /** The offload sets offered, best first; the first the kernel accepts is kept. */
    static final int[] OFFLOAD_ATTEMPTS = {OFFLOAD_CSUM_TSO | Libc.TUN_F_USO4 | Libc.TUN_F_USO6, OFFLOAD_CSUM_TSO};
    /** Offer no offload: a header without offloads (for adopted descriptors with offloads switched off). */
    private static final int[] NO_OFFLOAD = {0};

    private final int fd;
    private final int wakeFd;
    private final String name;
    /** 0 for a TUN; the MTU reported for a socket standing in for one ({@link #overSocket}). */
    private final int fixedMtu;
    private final Set<Offload> offloads;
    private final boolean vnet;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readState;
    private final MemorySegment pollFds;
    private final FdGuard guard;
    private volatile boolean deleted;
    // Read side (reader thread): every read lands in readMem, native memory of this object.
    private final MemorySegment readMem;
    private final long readAddress;
    // Virtio header mode only:
    private final VirtioNetHdr readHdr = new VirtioNetHdr();
    private final GsoSplitter splitter = new GsoSplitter();
    private long superPacketsRead;
    // Write side (any thread): a coalescer and an errno call state per writing thread.
    private final boolean coalesceTcp;
    private final boolean coalesceUdp;
    private final ThreadLocal<Coalescer> coalescers;
    private final ThreadLocal<MemorySegment> writeStates = ThreadLocal.withInitial(() -> Libc.newCallState(Arena.ofAuto()));
    private final AtomicLong superPacketsWritten = new AtomicLong();
    private final Coalescer.Sink sink = new Coalescer.Sink() {
        @Override
        public void write(long address, int length) throws IOException {
            writeOne(address, length);
        }

        @Override
        public void writev(long iov, int count) throws IOException {
            superPacketsWritten.incrementAndGet();
            writeVector(iov, count);
        }
    };

    private LinuxTun(int fd, int wakeFd, String name, Set<Offload> offloads, int fixedMtu) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.name = name;
        this.fixedMtu = fixedMtu;
        EnumSet<Offload> copy = EnumSet.noneOf(Offload.class);
        copy.addAll(offloads);
        this.offloads = Collections.unmodifiableSet(copy);
        this.vnet = offloads.contains(Offload.VNET_HDR);
        this.readState = Libc.newCallState(arena);
        this.pollFds = arena.allocate(Structs.Pollfd.LAYOUT, 2);
        this.readMem = arena.allocate(vnet ? VNET_READ_SIZE : PacketBatch.MAX_PACKET + 1, 64);
        this.readAddress = readMem.address();
        this.coalesceTcp = offloads.contains(Offload.TSO4) && offloads.contains(Offload.TSO6);
        this.coalesceUdp = offloads.contains(Offload.USO4) && offloads.contains(Offload.USO6);
        this.coalescers = ThreadLocal.withInitial(() -> new Coalescer(coalesceTcp, coalesceUdp));
        this.guard = FdGuard.of(fd, wakeFd, arena);
    }

    /**
     * Creates (or attaches to a persistent) TUN interface, with offloads unless they are switched
     * off ({@link Offload#enabledByDefault()}). {@code name} may be empty to let the kernel choose
     * ({@code tunN}); {@code mtu} 0 keeps the kernel's default (1500).
     */
    public static LinuxTun create(String name, int mtu) throws IOException {
        return create(name, mtu, Offload.enabledByDefault());
    }

    /** Like {@link #create(String, int)}; {@code offload} false opens a plain TUN without the virtio header. */
    public static LinuxTun create(String name, int mtu, boolean offload) throws IOException {
        return create(name, mtu, offload ? OFFLOAD_ATTEMPTS : null);
    }

    /**
     * Creates the TUN; {@code attempts} null: without the virtio header, else with it and the first
     * of these {@code TUNSETOFFLOAD} flag sets the kernel accepts (none accepted: no offloads).
     */
    static LinuxTun create(String name, int mtu, int[] attempts) throws IOException {
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
            ifr.set(JAVA_SHORT, Structs.Ifreq.UNION, open(attempts != null));
            if (Libc.ioctl(state, fd, Libc.TUNSETIFF, ifr) < 0) {
                int errno = Libc.errno(state);
                if (attempts != null && errno == Errno.EINVAL) {
                    Libc.closeQuietly(fd);
                    fd = -1;
                    return create(name, mtu, (int[]) null); // a kernel without IFF_VNET_HDR
                }
                throw new LinuxException("ioctl(TUNSETIFF)", errno);
            }
            String realName = ifr.getString(Structs.Ifreq.NAME, StandardCharsets.US_ASCII);
            Set<Offload> offloads = attempts == null ? EnumSet.noneOf(Offload.class) : negotiate(temp, state, fd, attempts);
            wakeFd = Libc.check(Libc.eventfd(state, 0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd", state);
            LinuxTun tun = new LinuxTun(fd, wakeFd, realName, offloads, 0);
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
     * Sets the virtio header to {@code struct virtio_net_hdr} (10 bytes) and offers the offload
     * sets in turn; returns what is active ({@link Offload#VNET_HDR} and the accepted set's flags).
     */
    private static Set<Offload> negotiate(Arena temp, MemorySegment state, int fd, int[] attempts) throws LinuxException {
        MemorySegment size = temp.allocate(JAVA_INT);
        size.set(JAVA_INT, 0, H);
        Libc.check(Libc.ioctl(state, fd, Libc.TUNSETVNETHDRSZ, size), "ioctl(TUNSETVNETHDRSZ)", state);
        EnumSet<Offload> active = EnumSet.of(Offload.VNET_HDR);
        for (int flags : attempts) {
            // TUNSETOFFLOAD takes the flags by value; the kernel answers EINVAL for a flag it does not know.
            if (Libc.ioctl(state, fd, Libc.TUNSETOFFLOAD, MemorySegment.ofAddress(flags)) == 0) {
                addIf(active, flags, Libc.TUN_F_CSUM, Offload.CSUM);
                addIf(active, flags, Libc.TUN_F_TSO4, Offload.TSO4);
                addIf(active, flags, Libc.TUN_F_TSO6, Offload.TSO6);
                addIf(active, flags, Libc.TUN_F_USO4, Offload.USO4);
                addIf(active, flags, Libc.TUN_F_USO6, Offload.USO6);
                break;
            }
        }
        return active;
    }

    private static void addIf(Set<Offload> set, int flags, int flag, Offload offload) {
        if ((flags & flag) != 0) {
            set.add(offload);
        }
    }

    /**
     * Takes over an already open TUN descriptor (for instance one inherited through
     * {@code WG_TUN_FD}); it is switched to non-blocking. The name is read back from the kernel;
     * when {@code expectedName} is not null and differs, this fails. A descriptor opened with
     * {@code IFF_VNET_HDR} gets its offloads negotiated again (or switched off, see
     * {@link Offload}). On success this object owns {@code fd}; on failure the caller still does.
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
            if ((flags & (Libc.IFF_TUN | Libc.IFF_NO_PI)) != (Libc.IFF_TUN | Libc.IFF_NO_PI)) {
                throw new IOException("fd " + fd + " (" + realName + ") is not a TUN opened with IFF_TUN|IFF_NO_PI (flags 0x"
                        + Integer.toHexString(flags & 0xffff) + ")");
            }
            if (expectedName != null && !expectedName.equals(realName)) {
                throw new IOException("fd " + fd + " is TUN " + realName + ", not " + expectedName);
            }
            Set<Offload> offloads = (flags & Libc.IFF_VNET_HDR) == 0 ? EnumSet.noneOf(Offload.class)
                    : negotiate(temp, state, fd, Offload.enabledByDefault() ? OFFLOAD_ATTEMPTS : NO_OFFLOAD);
            int fl = Libc.check(Libc.fcntl(state, fd, Libc.F_GETFL, 0), "fcntl(F_GETFL)", state);
            Libc.check(Libc.fcntl(state, fd, Libc.F_SETFL, fl | Libc.O_NONBLOCK), "fcntl(F_SETFL)", state);
            wakeFd = Libc.check(Libc.eventfd(state, 0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd", state);
            LinuxTun tun = new LinuxTun(fd, wakeFd, realName, offloads, 0);
            wakeFd = -1;
            return tun;
        } finally {
            Libc.closeQuietly(wakeFd);
        }
    }

    /**
     * A stand-in for a TUN on a non-blocking socket with message boundaries ({@code SOCK_SEQPACKET}),
     * for the JIT warm-up ({@link LinuxWarmupIo}): reads and writes are exactly a TUN's, with the
     * virtio header when {@code offloads} contains {@link Offload#VNET_HDR}; {@link #mtu()} reports
     * {@code mtu}, and the interface controls ({@link #setMtu}, {@link #ifIndex()}) fail. On success
     * this object owns {@code fd}.
     */
    static LinuxTun overSocket(int fd, String name, int mtu, Set<Offload> offloads) throws IOException {
        if (mtu <= 0 || mtu > PacketBatch.MAX_PACKET) {
            throw new IllegalArgumentException("mtu " + mtu);
        }
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(temp);
            int wakeFd = Libc.check(Libc.eventfd(state, 0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd", state);
            return new LinuxTun(fd, wakeFd, name, offloads, mtu);
        }
    }

    /** The TUNSETIFF flags. */
    private static short open(boolean vnetHdr) {
        return (short) (Libc.IFF_TUN | Libc.IFF_NO_PI | (vnetHdr ? Libc.IFF_VNET_HDR : 0));
    }

    /**
     * The active offloads: empty for a plain TUN; {@link Offload#VNET_HDR} alone when the kernel
     * accepted no offload; else {@code VNET_HDR}, {@code CSUM}, {@code TSO4}, {@code TSO6} and,
     * on Linux 6.2+, {@code USO4} and {@code USO6}. Immutable.
     */
    public Set<Offload> offloads() {
        return offloads;
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
        if (fixedMtu > 0) {
            return fixedMtu;
        }
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
            boolean polled = false;
            for (;;) {
                if (deleted) {
                    return -1;
                }
                int n = drain(batch, polled);
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
                if (Libc.pollFast(pollFds, 2, -1) < 0 && Libc.poll(readState, pollFds, 2, -1) < 0) {
                    int errno = Libc.errno(readState);
                    if (errno != Errno.EINTR || ++interrupted > MAX_EINTR) {
                        throw new LinuxException("poll", errno);
                    }
                    continue;
                }
                polled = true;
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

    /**
     * Reads queued packets into slots 0.. until EAGAIN or the batch is full. A read that fails is taken
     * for EAGAIN (the queue is drained) without learning errno, unless {@code polled} (poll has just
     * reported the descriptor readable) and nothing was read yet: then the read is repeated with errno
     * captured, and a real error (EBADFD when the interface was deleted) is handled. An error first met
     * without a poll thus shows up one poll later.
     */
    private int drain(PacketBatch batch, boolean polled) throws IOException {
        int count = 0;
        int capacity = batch.capacity();
        int max = batch.maxPacket();
        MemorySegment mem = LinuxBatch.of(batch).memory;
        if (vnet && splitter.remaining() > 0 && splitter.segmentLength() > max) {
            splitter.clear(); // left over for a batch with larger slots than this one
        }
        if (vnet && splitter.remaining() > 0) {
            // The rest of a super-packet that did not fit the previous batch (still in readMem).
            count = splitter.split(batch, mem, 0, capacity);
            if (splitter.remaining() > 0) {
                return count;
            }
        }
        // Without the header, one byte more than the slot's packet room: a read that fills it means the
        // kernel truncated a packet larger than the batch takes, which is then dropped. With the
        // header, readMem takes any packet.
        int ask = vnet ? VNET_READ_SIZE : max + 1;
        int interrupted = 0;
        while (count < capacity) {
            long n = readInto(ask, false);
            if (n < 0) {
                if (!polled || count > 0) {
                    break;
                }
                n = readInto(ask, true);
            }
            if (n > 0) {
                if (!vnet) {
                    if (n <= max) {
                        int at = batch.region(count) + PacketBatch.HEADROOM;
                        MemorySegment.copy(readMem, 0, mem, at, n);
                        batch.set(count++, at, (int) n);
                    } // else truncated: larger than the batch's packets
                    continue;
                }
                if (n >= ask || n <= H) {
                    continue; // truncated, or no packet behind the header
                }
                count += unpack((int) n - H, batch, mem, count, max);
                if (splitter.remaining() > 0) {
                    break; // the rest of this super-packet goes into the next batch
                }
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
     * One {@code read(2)} of at most {@code ask} bytes into {@link #readMem}; with {@code errno} the
     * error of a failed read is captured into {@link #readState} (a capturing call may allocate, so
     * the per-packet reads do not capture, see the class comment).
     */
    private long readInto(int ask, boolean errno) {
        return errno ? Libc.readAt(readState, fd, readAddress, ask) : Libc.readAt(fd, readAddress, ask);
    }

    /**
     * Moves the packet of {@code length} bytes behind the virtio header in {@link #readMem} into
     * slots {@code slot...} of the batch (memory {@code mem}): a single packet (its partial checksum
     * completed) or the first segments of a super-packet, whose rest stays loaded in the splitter.
     * Returns the slots filled; 0 when the packet is dropped (malformed, or a packet or segment larger
     * than the slots).
     */
    private int unpack(int length, PacketBatch batch, MemorySegment mem, int slot, int max) {
        VirtioNetHdr hdr = readHdr.decode(readMem, 0);
        if (hdr.gsoType == VirtioNetHdr.GSO_NONE) {
            if (length > max) {
                return 0;
            }
            if ((hdr.flags & VirtioNetHdr.F_NEEDS_CSUM) != 0
                    && !GsoSplitter.completeChecksum(readMem, H, length, hdr.csumStart, hdr.csumOffset)) {
                return 0;
            }
            int at = batch.region(slot) + PacketBatch.HEADROOM;
            MemorySegment.copy(readMem, H, mem, at, length);
            batch.set(slot, at, length);
            return 1;
        }
        if (!splitter.load(readMem, H, length, hdr)) {
            return 0;
        }
        if (splitter.segmentLength() > max) {
            splitter.clear();
            return 0;
        }
        superPacketsRead++;
        return splitter.split(batch, mem, slot, batch.capacity() - slot);
    }

    /** GSO super-packets read and split so far (reader thread; for tests and diagnostics). */
    long superPacketsRead() {
        return superPacketsRead;
    }

    /** Coalesced super-packets written so far (for tests and diagnostics). */
    long superPacketsWritten() {
        return superPacketsWritten.get();
    }

    /**
     * Writes the packets of slots {@code from..to-1} (length 0: skipped), one {@code write(2)} each;
     * with TSO offloads, consecutive segments of a TCP flow are coalesced into one super-packet written
     * with {@code writev} (see the class comment). Packets the kernel refuses (malformed, link down,
     * out of memory) are dropped; a deleted interface or a closed device throws. With the virtio
     * header, the 10 bytes of headroom before each packet are overwritten.
     */
    @Override
    public void write(PacketBatch batch, int from, int to) throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        try {
            LinuxBatch lb = LinuxBatch.of(batch);
            if (vnet) {
                coalescers.get().write(batch, from, to, lb.memory, lb.address, lb.tunIovs, lb.tunIovsAddress, sink);
                return;
            }
            for (int i = from; i < to; i++) {
                int len = batch.length(i);
                if (len > 0) {
                    writeOne(lb.address + batch.offset(i), len);
                }
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Writes one packet (with its virtio header, if any) of {@code length} bytes at {@code address}
     * with one {@code write(2)}. A failed write is repeated with errno captured, and handled by what
     * errno says.
     */
    private void writeOne(long address, int length) throws IOException {
        if (Libc.writeAt(fd, address, length) >= 0) {
            return;
        }
        MemorySegment state = writeStates.get();
        int interrupted = 0;
        int again = 0;
        for (;;) {
            long n = Libc.writeAt(state, fd, address, length);
            if (n >= 0 || !retry(state, ++interrupted, ++again)) {
                return;
            }
        }
    }

    /** {@code writev} of a super-packet's {@code count} iovecs at {@code iov}, handled as {@link #writeOne}. */
    private void writeVector(long iov, int count) throws IOException {
        if (Libc.writevAt(fd, iov, count) >= 0) {
            return;
        }
        MemorySegment state = writeStates.get();
        int interrupted = 0;
        int again = 0;
        for (;;) {
            long n = Libc.writevAt(state, fd, iov, count);
            if (n >= 0 || !retry(state, ++interrupted, ++again)) {
                return;
            }
        }
    }

    /**
     * What a failed write's errno (in {@code state}) means: true to try again (EINTR, or EAGAIN after a
     * short wait, each a bounded number of times), false to drop the packet; a deleted interface or a
     * broken descriptor throws.
     */
    private boolean retry(MemorySegment state, int interrupted, int again) throws IOException {
        int errno = Libc.errno(state);
        switch (errno) {
            case Errno.EINTR -> {
                if (interrupted > MAX_EINTR) {
                    throw new LinuxException("write(" + name + ")", errno);
                }
                return true;
            }
            case Errno.EAGAIN -> {
                if (again > MAX_WRITE_EAGAIN) {
                    return false; // queue full for too long: drop, as a full device queue would
                }
                waitWritable(state);
                return true;
            }
            case Errno.EBADFD -> {
                deleted = true;
                throw new LinuxException("write(" + name + ")", errno);
            }
            case Errno.EBADF, Errno.EFAULT -> throw new LinuxException("write(" + name + ")", errno);
            default -> {
                return false; // EINVAL (malformed), EIO (link down), ENOMEM, ENOBUFS...: dropped
            }
        }
    }

    private void waitWritable(MemorySegment state) {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment fds = temp.allocate(Structs.Pollfd.LAYOUT);
            Structs.Pollfd.set(fds, 0, fd, Libc.POLLOUT);
            Libc.poll(state, fds, 1, 10);
        }
    }

    /**
     * Native packet memory, reserved and committed page by page ({@link NativePacketMemory}): the
     * slots' addresses go straight to the system calls and to OpenSSL.
     */
    @Override
    public PacketMemory packetMemory(long maxBytes) {
        return new NativePacketMemory(maxBytes);
    }

    /** Closes the device; a blocked {@link #read} returns -1. The interface disappears unless persistent. */
    @Override
    public void close() {
        guard.close();
    }

    @Override
    public String toString() {
        return "LinuxTun(" + name + ", fd " + fd + ", offloads " + Offload.describe(offloads) + ")";
    }
}
