package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jwg.device.io.Bind;
import dev.jwg.device.io.PacketBatch;
import dev.jwg.linux.gso.UdpSegments;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The device's UDP socket: one non-blocking dual-stack AF_INET6 socket ({@code IPV6_V6ONLY=0};
 * IPv4 peers are addressed as {@code ::ffff:a.b.c.d}), or a plain AF_INET socket on hosts without
 * IPv6. Datagrams move in batches with {@code recvmmsg}/{@code sendmmsg}.
 *
 * <p>Sticky source (docs/protocol.md §3.9, §4.7): {@code IP_PKTINFO} and {@code IPV6_RECVPKTINFO}
 * tell, for each received datagram, the local address it arrived on; {@link #send} puts an
 * {@code IP_PKTINFO} (IPv4 peer) or {@code IPV6_PKTINFO} (IPv6 peer) control message on each
 * datagram whose batch slot has a local family, so the reply leaves from that address. When a
 * datagram with a source fails (a removed address shows up as EINVAL for IPv6 and ENETUNREACH for
 * IPv4), it is sent once more without the source before being given up. The interface index is reported and used only for IPv6 link-local sources.
 *
 * <p>Copies: {@link #receive} copies each datagram once, from the socket's own receive memory into
 * its batch slot (a GRO buffer is cut into its datagrams on the way); {@link #send} copies nothing:
 * the iovecs of its messages point at the batch's slots ({@link LinuxBatch}). Truncated datagrams
 * ({@code MSG_TRUNC}) and datagrams larger than the batch's slots are dropped.
 *
 * <p>Errors: per-datagram send failures (unreachable, no route, EPERM from a firewall, EMSGSIZE,
 * ENOBUFS) drop that datagram. {@code sendmmsg} stops at the first failing datagram and parks its
 * errno in the socket's pending error, which the next socket call would return instead of doing
 * its work; {@link #send} therefore collects it with {@code SO_ERROR} to learn which datagram failed
 * and why, and {@link #receive} treats such leftover errors as transient. Anything else
 * (EBADF, EFAULT...) or a socket that stays unwritable is thrown as {@link LinuxException}.
 *
 * <p>Offloads (udp(7); {@link #offloads()} tells which are active, {@link Offload} how to switch
 * them off), as wireguard-go's {@code StdNetBind} on Linux:
 * <ul>
 * <li>UDP GSO: {@link #send} turns each run of consecutive datagrams to the same destination from
 *     the same source, of one size except possibly a shorter last one ({@link UdpSegments}), into a
 *     single message with a {@code UDP_SEGMENT} control message and one iovec per datagram; the
 *     kernel cuts it back into the same datagrams. On by default when {@code getsockopt(UDP_SEGMENT)} works (Linux 4.18+). When
 *     such a message fails, its datagrams are sent again one by one; EIO (the egress device cannot
 *     checksum, a hard requirement of GSO) also switches GSO off for good.
 * <li>UDP GRO: {@code setsockopt(UDP_GRO)} lets the kernel deliver a train of same-sized
 *     datagrams from one sender as one buffer with a {@code UDP_GRO} control message giving the
 *     datagram size; {@link #receive} cuts it back into slots, and keeps what does not fit the
 *     batch for the next call. Receive buffers are then 64 KiB.
 * </ul>
 *
 * <p>Thread-safe: {@link #receive} from one thread, {@link #send} from any number at once (each
 * with its own slot range: their system-call scratch is the batch's, per slot), {@link #close} from
 * any, after which a blocked {@code receive} returns -1.
 */
public final class LinuxUdpBind implements Bind {
    /** Like wireguard-go: 7 MiB socket buffers, forced past rmem_max/wmem_max when we may. */
    static final int SOCKET_BUFFER = 7 << 20;
    /** Receive buffer per message with GRO: the largest UDP payload. */
    private static final int GRO_BUFFER = 65535;
    private static final int MAX_EINTR = 100;
    private static final int MAX_TRANSIENT_RECEIVE_ERRORS = 1_000;
    private static final int MAX_EMPTY_WAKEUPS = 10_000;
    /** sendmmsg waits at most this many times {@link #SEND_WAIT_MILLIS} for room in the socket buffer. */
    private static final int MAX_SEND_WAITS = 20;
    private static final int SEND_WAIT_MILLIS = 50;
    static final byte[] LOOPBACK4 = {127, 0, 0, 1};

    private final int fd;
    private final int wakeFd;
    private final int domain;
    private final int port;
    private final Arena arena = Arena.ofShared();
    private final FdGuard guard;
    private final MemorySegment receivePoll;
    private final boolean gro;
    private volatile boolean gso;
    private MessageArray receiving;
    // Receive side: messages of the last recvmmsg not yet handed out, and how far into message
    // rxNext a GRO split has got.
    private int rxCount;
    private int rxNext;
    private int rxOffset;
    /**
     * Messages 0..rxDirty-1 were filled by the last recvmmsg and need re-arming before the next
     * (the kernel shrinks their name and control lengths); the others are still armed. Re-arming
     * all 128 on every wake-up was most of an idle receive's cost before the JIT compiled it.
     */
    private int rxDirty;
    // Counters for tests and diagnostics.
    private final AtomicLong segmentedSends = new AtomicLong();
    private long coalescedReceives;
    /** Where staged messages go: the kernel, or a test's double. */
    private volatile Sender sender = this::sendmmsg;

    private LinuxUdpBind(int fd, int wakeFd, int domain, int port, boolean gso, boolean gro) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.domain = domain;
        this.port = port;
        this.gso = gso;
        this.gro = gro;
        this.receivePoll = arena.allocate(Structs.Pollfd.LAYOUT, 2);
        this.guard = FdGuard.of(fd, wakeFd, arena);
    }

    /**
     * Opens and binds the socket to {@code port} on all addresses (0: the kernel picks one). A port
     * already in use fails with a {@link LinuxException} whose errno is {@link Errno#EADDRINUSE}.
     */
    public static LinuxUdpBind open(int port) throws IOException {
        return open(port, -1, Offload.enabledByDefault());
    }

    /** Like {@link #open(int)}; {@code offload} false leaves UDP GSO and GRO off. */
    public static LinuxUdpBind open(int port, boolean offload) throws IOException {
        return open(port, -1, offload);
    }

    /**
     * Like {@link #open(int)}, with the socket created inside the network namespace {@code nsFd}
     * (-1: this process's). The daemon keeps its socket in its own namespace, as wireguard-go does;
     * tests use this to get hosts with several addresses and firewalls of their own.
     */
    static LinuxUdpBind open(int port, int nsFd) throws IOException {
        return open(port, nsFd, Offload.enabledByDefault());
    }

    static LinuxUdpBind open(int port, int nsFd, boolean offload) throws IOException {
        return open(port, nsFd, offload, false);
    }

    /**
     * A socket bound to the loopback address only (127.0.0.1, as {@code ::ffff:127.0.0.1} on the
     * dual-stack socket) on a port the kernel picks, for the JIT warm-up ({@link LinuxWarmupIo}):
     * nothing from another host reaches it. Fails (EADDRNOTAVAIL) when the loopback interface is down.
     */
    static LinuxUdpBind openLoopback(boolean offload) throws IOException {
        return open(0, -1, offload, true);
    }

    /** Like {@link #openLoopback(boolean)}, on the loopback interface of the network namespace {@code nsFd}. */
    static LinuxUdpBind openLoopback(boolean offload, int nsFd) throws IOException {
        return open(0, nsFd, offload, true);
    }

    private static LinuxUdpBind open(int port, int nsFd, boolean offload, boolean loopback) throws IOException {
        Native.ensureAvailable();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        int fd = -1;
        int wakeFd = -1;
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(temp);
            int domain = Libc.AF_INET6;
            try {
                fd = socket(nsFd, domain);
            } catch (LinuxException e) {
                if (e.errno() != Errno.EAFNOSUPPORT) {
                    throw e;
                }
                domain = Libc.AF_INET;
                fd = socket(nsFd, domain);
            }
            MemorySegment one = temp.allocate(JAVA_INT);
            if (domain == Libc.AF_INET6) {
                setInt(temp, state, fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 0, "setsockopt(IPV6_V6ONLY)");
                setInt(temp, state, fd, Libc.IPPROTO_IPV6, Libc.IPV6_RECVPKTINFO, 1, "setsockopt(IPV6_RECVPKTINFO)");
            }
            setInt(temp, state, fd, Libc.IPPROTO_IP, Libc.IP_PKTINFO, 1, "setsockopt(IP_PKTINFO)");
            one.set(JAVA_INT, 0, SOCKET_BUFFER);
            if (Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, one, 4) < 0) {
                Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, one, 4); // best effort without CAP_NET_ADMIN
            }
            if (Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE, one, 4) < 0) {
                Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, one, 4);
            }
            MemorySegment addr = temp.allocate(MessageArray.NAME_SIZE, 8);
            int length;
            if (domain == Libc.AF_INET6) {
                addr.set(JAVA_SHORT, Structs.SockaddrIn6.FAMILY, (short) Libc.AF_INET6);
                addr.set(Structs.NET_SHORT, Structs.SockaddrIn6.PORT, (short) port);
                if (loopback) {
                    long a = Structs.SockaddrIn6.ADDR;
                    addr.set(JAVA_SHORT, a + 10, (short) 0xffff);
                    MemorySegment.copy(LOOPBACK4, 0, addr, JAVA_BYTE, a + 12, 4);
                }
                length = (int) Structs.SockaddrIn6.LAYOUT.byteSize();
            } else {
                addr.set(JAVA_SHORT, Structs.SockaddrIn.FAMILY, (short) Libc.AF_INET);
                addr.set(Structs.NET_SHORT, Structs.SockaddrIn.PORT, (short) port);
                if (loopback) {
                    MemorySegment.copy(LOOPBACK4, 0, addr, JAVA_BYTE, Structs.SockaddrIn.ADDR, 4);
                }
                length = (int) Structs.SockaddrIn.LAYOUT.byteSize();
            }
            Libc.check(Libc.bind(state, fd, addr, length), "bind(port " + port + ")", state);
            MemorySegment len = temp.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, (int) MessageArray.NAME_SIZE);
            Libc.check(Libc.getsockname(state, fd, addr, len), "getsockname", state);
            int bound = Short.toUnsignedInt(addr.get(Structs.NET_SHORT, domain == Libc.AF_INET6 ? Structs.SockaddrIn6.PORT : Structs.SockaddrIn.PORT));
            boolean gso = false;
            boolean gro = false;
            if (offload) {
                // As wireguard-go: GSO when the kernel knows the option, GRO when it can be set.
                MemorySegment len4 = temp.allocate(JAVA_INT);
                len4.set(JAVA_INT, 0, 4);
                gso = Libc.getsockopt(state, fd, Libc.SOL_UDP, Libc.UDP_SEGMENT, one, len4) == 0;
                one.set(JAVA_INT, 0, 1);
                gro = Libc.setsockopt(state, fd, Libc.SOL_UDP, Libc.UDP_GRO, one, 4) == 0;
            }
            wakeFd = Libc.check(Libc.eventfd(state, 0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd", state);
            LinuxUdpBind bind = new LinuxUdpBind(fd, wakeFd, domain, bound, gso, gro);
            fd = -1;
            wakeFd = -1;
            return bind;
        } finally {
            Libc.closeQuietly(fd);
            Libc.closeQuietly(wakeFd);
        }
    }

    private static int socket(int nsFd, int domain) throws LinuxException {
        int type = Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC;
        if (nsFd >= 0) {
            return Netns.socketIn(nsFd, domain, type, 0);
        }
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(temp);
            return Libc.check(Libc.socket(state, domain, type, 0), "socket", state);
        }
    }

    private static void setInt(Arena temp, MemorySegment state, int fd, int level, int name, int value, String call)
            throws LinuxException {
        MemorySegment v = temp.allocate(JAVA_INT);
        v.set(JAVA_INT, 0, value);
        Libc.check(Libc.setsockopt(state, fd, level, name, v, 4), call, state);
    }

    @Override
    public int port() {
        return port;
    }

    /**
     * The active offloads: {@link Offload#UDP_GSO} and {@link Offload#UDP_GRO}, or fewer. GSO
     * disappears from the set once a send showed that the kernel refuses it.
     */
    public Set<Offload> offloads() {
        EnumSet<Offload> set = EnumSet.noneOf(Offload.class);
        if (gso) {
            set.add(Offload.UDP_GSO);
        }
        if (gro) {
            set.add(Offload.UDP_GRO);
        }
        return set;
    }

    /** UDP GSO messages sent so far (each carrying several datagrams). */
    long segmentedSends() {
        return segmentedSends.get();
    }

    /** GRO messages received so far (each holding several datagrams); receiver thread only. */
    long coalescedReceives() {
        return coalescedReceives;
    }

    /**
     * The call that hands staged messages to the kernel. Package-private so that tests can stand in
     * for a kernel that refuses some messages ({@link #sendWith}).
     */
    @FunctionalInterface
    interface Sender {
        /** Sends messages {@code from .. from+count-1} of {@code lb}: the number sent, or {@code -errno}. */
        int send(LinuxBatch lb, int from, int count);
    }

    /** Sends through {@code s} from now on; {@code this::sendmmsg} is the kernel. */
    void sendWith(Sender s) {
        sender = s;
    }

    /** {@code sendmmsg} of messages {@code from .. from+count-1}: the number sent (0 if none), or {@code -errno}. */
    int sendmmsg(LinuxBatch lb, int from, int count) {
        int r = Libc.sendmmsgAt(fd, lb.msg(from), count, 0);
        if (r < 0) {
            MemorySegment state = Libc.newCallState(Arena.ofAuto()); // only when something failed
            r = Libc.sendmmsgAt(state, fd, lb.msg(from), count, 0); // again, to learn errno
            if (r < 0) {
                return -Libc.errno(state);
            }
        }
        return r;
    }

    /** True for the dual-stack AF_INET6 socket, false when the host has no IPv6. */
    public boolean isDualStack() {
        return domain == Libc.AF_INET6;
    }

    @Override
    public void setMark(int mark) throws IOException {
        setSocketInt(Libc.SO_MARK, mark, "setsockopt(SO_MARK)");
    }

    /** The socket's SO_MARK. */
    public int mark() throws IOException {
        return getSocketInt(Libc.SO_MARK, "getsockopt(SO_MARK)");
    }

    /** The receive buffer size the kernel granted (it reports twice the requested value). */
    public int receiveBufferSize() throws IOException {
        return getSocketInt(Libc.SO_RCVBUF, "getsockopt(SO_RCVBUF)");
    }

    /** The send buffer size the kernel granted (it reports twice the requested value). */
    public int sendBufferSize() throws IOException {
        return getSocketInt(Libc.SO_SNDBUF, "getsockopt(SO_SNDBUF)");
    }

    private void setSocketInt(int option, int value, String call) throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        try (Arena temp = Arena.ofConfined()) {
            setInt(temp, Libc.newCallState(temp), fd, Libc.SOL_SOCKET, option, value, call);
        } finally {
            guard.exit();
        }
    }

    private int getSocketInt(int option, String call) throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(temp);
            MemorySegment value = temp.allocate(JAVA_INT);
            MemorySegment len = temp.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 4);
            Libc.check(Libc.getsockopt(state, fd, Libc.SOL_SOCKET, option, value, len), call, state);
            return value.get(JAVA_INT, 0);
        } finally {
            guard.exit();
        }
    }

    // ---------------------------------------------------------------- receive

    @Override
    public int receive(PacketBatch batch) throws IOException {
        batch.clear();
        if (!guard.enter()) {
            return -1;
        }
        try {
            // With GRO a message can hold up to 64 KiB of coalesced datagrams.
            int bufferSize = gro ? Math.max(batch.maxPacket(), GRO_BUFFER) : batch.maxPacket();
            MessageArray m = receiving;
            if (m == null || !m.fits(batch.capacity(), bufferSize)) {
                m = new MessageArray(arena, batch.capacity(), bufferSize);
                m.prepareForReceive(nameLength());
                receiving = m;
                rxCount = 0; // a different batch shape: what was left of the last one is dropped
                rxDirty = 0;
            }
            int capacity = batch.capacity();
            int interrupted = 0;
            int transients = 0;
            int empty = 0;
            boolean polled = false;
            for (;;) {
                if (rxNext < rxCount) {
                    int count = unpack(m, batch);
                    if (count > 0) {
                        batch.setCount(count);
                        return count;
                    }
                    continue; // all truncated: look again
                }
                if (rxDirty > 0) {
                    int nameLength = nameLength();
                    for (int i = 0; i < rxDirty; i++) {
                        m.rearmForReceive(i, nameLength);
                    }
                    rxDirty = 0;
                }
                // Without errno capture (a capturing call may allocate); a failure is taken for EAGAIN,
                // the socket drained, unless poll has just reported it readable: then the call is
                // repeated with errno captured, to learn why it fails.
                int n = Libc.recvmmsgFast(fd, m.msgs, capacity, Libc.MSG_DONTWAIT);
                if (n < 0 && polled) {
                    n = Libc.recvmmsg(m.state, fd, m.msgs, capacity, Libc.MSG_DONTWAIT);
                }
                if (n > 0) {
                    rxDirty = n;
                    rxCount = n;
                    rxNext = 0;
                    rxOffset = 0;
                    continue;
                }
                int errno = n < 0 && polled ? Libc.errno(m.state) : Errno.EAGAIN;
                if (errno == Errno.EAGAIN) {
                    if (++empty > MAX_EMPTY_WAKEUPS) {
                        throw new IOException("udp: poll keeps reporting the socket readable but recvmmsg finds nothing");
                    }
                    if (!waitReadable(m.state)) {
                        return -1;
                    }
                    polled = true;
                } else if (errno == Errno.EINTR) {
                    if (++interrupted > MAX_EINTR) {
                        throw new LinuxException("recvmmsg", errno);
                    }
                } else if (isTransient(errno)) {
                    if (++transients > MAX_TRANSIENT_RECEIVE_ERRORS) {
                        throw new LinuxException("recvmmsg", errno);
                    }
                } else {
                    throw new LinuxException("recvmmsg", errno);
                }
            }
        } finally {
            guard.exit();
        }
    }

    /** The size of this socket's sockaddr, what a received message's name room is reset to. */
    private int nameLength() {
        return (int) (domain == Libc.AF_INET6 ? Structs.SockaddrIn6.LAYOUT.byteSize() : Structs.SockaddrIn.LAYOUT.byteSize());
    }

    /** Polls the socket and the wake-up eventfd; false when the bind was closed meanwhile. */
    private boolean waitReadable(MemorySegment state) throws LinuxException {
        int interrupted = 0;
        for (;;) {
            Structs.Pollfd.set(receivePoll, 0, fd, Libc.POLLIN);
            Structs.Pollfd.set(receivePoll, 1, wakeFd, Libc.POLLIN);
            int r = Libc.pollFast(receivePoll, 2, -1);
            if (r < 0 && !guard.isClosed()) {
                r = Libc.poll(state, receivePoll, 2, -1); // again, to learn errno
            }
            if (guard.isClosed()) {
                return false;
            }
            if (r >= 0) {
                return true;
            }
            int errno = Libc.errno(state);
            if (errno != Errno.EINTR || ++interrupted > MAX_EINTR) {
                throw new LinuxException("poll", errno);
            }
        }
    }

    /** Errors a UDP socket reports for earlier datagrams (ICMP, or a failed sendmmsg's parked errno). */
    private static boolean isTransient(int errno) {
        return switch (errno) {
            case Errno.ECONNREFUSED, Errno.EHOSTUNREACH, Errno.ENETUNREACH, Errno.EHOSTDOWN, Errno.ENETDOWN,
                 Errno.EPERM, Errno.EACCES, Errno.EMSGSIZE, Errno.ENOBUFS, Errno.ENOMEM, Errno.EADDRNOTAVAIL,
                 Errno.EINVAL, Errno.EAFNOSUPPORT, Errno.EDESTADDRREQ, Errno.ECONNRESET, Errno.EPIPE -> true;
            default -> false;
        };
    }

    /**
     * Copies received datagrams, from message {@link #rxNext} on, into the batch until it is full,
     * cutting GRO messages into their datagrams; truncated ones (and datagrams larger than the
     * batch's buffers) are dropped. Returns how many were kept.
     */
    private int unpack(MessageArray m, PacketBatch batch) {
        int count = 0;
        int capacity = batch.capacity();
        MemorySegment slots = LinuxBatch.of(batch).memory;
        int max = batch.maxPacket();
        while (rxNext < rxCount && count < capacity) {
            int i = rxNext;
            int length = m.receivedLength(i);
            if ((m.receivedFlags(i) & Libc.MSG_TRUNC) != 0) {
                rxNext++;
                rxOffset = 0;
                continue;
            }
            int first = count;
            int segment = readControl(m.controls, m.control(i), m.receivedControlLength(i), batch, first);
            if (segment <= 0 || segment > length) {
                segment = length;
            }
            readName(m.names, m.name(i), batch, first);
            if (segment < length && rxOffset == 0) {
                coalescedReceives++;
            }
            if (length == 0) {
                batch.set(count, batch.offset(count), 0); // an empty datagram stays one (the pipeline ignores it)
                count++;
            }
            while (rxOffset < length && count < capacity) {
                int l = Math.min(segment, length - rxOffset);
                if (l <= max) {
                    int at = batch.region(count) + PacketBatch.HEADROOM;
                    MemorySegment.copy(m.buffers, m.buffer(i) + rxOffset, slots, at, l);
                    batch.set(count, at, l);
                    if (count != first) {
                        batch.copyAddresses(first, count);
                    }
                    count++;
                }
                rxOffset += l;
            }
            if (rxOffset >= length) {
                rxNext++;
                rxOffset = 0;
            }
        }
        return count;
    }

    private static void readName(MemorySegment names, long at, PacketBatch batch, int slot) {
        short family = names.get(JAVA_SHORT, at);
        byte[] remote = batch.remoteAddress(slot);
        if (family == Libc.AF_INET6) {
            int port = Short.toUnsignedInt(names.get(Structs.NET_SHORT, at + Structs.SockaddrIn6.PORT));
            long addr = at + Structs.SockaddrIn6.ADDR;
            if (isV4Mapped(names, addr)) {
                MemorySegment.copy(names, JAVA_BYTE, addr + 12, remote, 0, 4);
                batch.setRemote(slot, 4, port);
            } else {
                MemorySegment.copy(names, JAVA_BYTE, addr, remote, 0, 16);
                batch.setRemote(slot, 6, port);
            }
        } else {
            int port = Short.toUnsignedInt(names.get(Structs.NET_SHORT, at + Structs.SockaddrIn.PORT));
            MemorySegment.copy(names, JAVA_BYTE, at + Structs.SockaddrIn.ADDR, remote, 0, 4);
            batch.setRemote(slot, 4, port);
        }
    }

    /**
     * Reads the control messages of a received datagram: the local address it arrived on into
     * {@code slot}, and the return value, the {@code UDP_GRO} datagram size (0 when absent).
     */
    private static int readControl(MemorySegment controls, long at, long length, PacketBatch batch, int slot) {
        batch.setLocal(slot, 0, 0);
        int segment = 0;
        byte[] local = batch.localAddress(slot);
        long end = at + Math.min(length, MessageArray.CONTROL_SIZE);
        long c = at;
        while (c + Structs.Cmsghdr.DATA <= end) {
            long cmsgLen = controls.get(JAVA_LONG, c + Structs.Cmsghdr.LEN);
            if (cmsgLen < Structs.Cmsghdr.DATA || c + cmsgLen > end) {
                break;
            }
            int level = controls.get(JAVA_INT, c + Structs.Cmsghdr.LEVEL);
            int type = controls.get(JAVA_INT, c + Structs.Cmsghdr.TYPE);
            long data = c + Structs.Cmsghdr.DATA;
            if (level == Libc.SOL_UDP && type == Libc.UDP_GRO && cmsgLen >= Structs.Cmsghdr.len(4)) {
                segment = controls.get(JAVA_INT, data);
            } else if (level == Libc.IPPROTO_IP && type == Libc.IP_PKTINFO
                    && cmsgLen >= Structs.Cmsghdr.len(Structs.InPktinfo.LAYOUT.byteSize())) {
                // IPv4 is what IPv4 peers are answered from (a dual-stack socket may report both)
                MemorySegment.copy(controls, JAVA_BYTE, data + Structs.InPktinfo.SPEC_DST, local, 0, 4);
                batch.setLocal(slot, 4, 0);
            } else if (batch.localFamily(slot) != 4 && level == Libc.IPPROTO_IPV6 && type == Libc.IPV6_PKTINFO
                    && cmsgLen >= Structs.Cmsghdr.len(Structs.In6Pktinfo.LAYOUT.byteSize())) {
                long addr = data + Structs.In6Pktinfo.ADDR;
                if (isV4Mapped(controls, addr)) {
                    MemorySegment.copy(controls, JAVA_BYTE, addr + 12, local, 0, 4);
                    batch.setLocal(slot, 4, 0);
                } else {
                    MemorySegment.copy(controls, JAVA_BYTE, addr, local, 0, 16);
                    boolean linkLocal = local[0] == (byte) 0xfe && (local[1] & 0xc0) == 0x80;
                    batch.setLocal(slot, 6, linkLocal ? controls.get(JAVA_INT, data + Structs.In6Pktinfo.IFINDEX) : 0);
                }
            }
            c += Structs.Cmsghdr.align(cmsgLen);
        }
        return segment;
    }

    private static boolean isV4Mapped(MemorySegment s, long addr) {
        return s.get(JAVA_LONG, addr) == 0 && s.get(JAVA_SHORT, addr + 8) == 0 && s.get(JAVA_SHORT, addr + 10) == (short) 0xffff;
    }

    // ---------------------------------------------------------------- send

    @Override
    public void send(PacketBatch batch, int from, int to) throws IOException {
        if (from >= to) {
            return;
        }
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        try {
            LinuxBatch lb = LinuxBatch.of(batch);
            int n = pack(lb, batch, from, from, to, from);
            if (n > from) {
                transmit(lb, from, n, batch, to);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Stages batch slots {@code i..end-1} as messages {@code k...} of the batch's scratch (message
     * indices never pass slot indices, so concurrent sends of other slot ranges are not touched);
     * returns the index after the last message staged. With GSO, each run of slots
     * {@link UdpSegments} allows becomes one message with a {@code UDP_SEGMENT} control message and
     * one iovec per slot, except for slots before {@code plainUntil}, which go one per message.
     * Slots of length 0 (dropped packets) and slots that cannot be sent on this socket (IPv6 peer,
     * IPv4-only host) are skipped.
     */
    private int pack(LinuxBatch lb, PacketBatch batch, int k, int i, int end, int plainUntil) {
        boolean segment = gso;
        MemorySegment msgs = lb.msgs;
        MemorySegment iovs = lb.iovs;
        while (i < end) {
            int family = batch.family(i);
            int length = batch.length(i);
            if (length == 0 || (family == 6 && domain != Libc.AF_INET6)) {
                i++;
                continue;
            }
            int last = segment && i >= plainUntil ? UdpSegments.runEnd(batch, i, end) : i + 1;
            for (int j = i; j < last; j++) {
                long iov = j * LinuxBatch.IOV;
                iovs.set(JAVA_LONG, iov + Structs.Iovec.BASE, lb.address + batch.offset(j));
                iovs.set(JAVA_LONG, iov + Structs.Iovec.LEN, batch.length(j));
            }
            long name = k * MessageArray.NAME_SIZE;
            int nameLength = writeName(lb.names, name, batch, i);
            long control = k * MessageArray.CONTROL_SIZE;
            long controlLength = 0;
            if (batch.localFamily(i) == family) {
                controlLength = writePktinfo(lb.controls, control, family, batch.localAddress(i), batch.localIfIndex(i));
            }
            if (last - i > 1) {
                controlLength += writeSegmentSize(lb.controls, control + controlLength, length);
            }
            long h = MessageArray.hdr(k);
            msgs.set(JAVA_INT, h + Structs.Msghdr.NAMELEN, nameLength);
            msgs.set(JAVA_LONG, h + Structs.Msghdr.IOV, lb.iovsAddress + i * LinuxBatch.IOV);
            msgs.set(JAVA_LONG, h + Structs.Msghdr.IOVLEN, last - i);
            msgs.set(JAVA_LONG, h + Structs.Msghdr.CONTROL, controlLength > 0 ? lb.controls.address() + control : 0L);
            msgs.set(JAVA_LONG, h + Structs.Msghdr.CONTROLLEN, controlLength);
            msgs.set(JAVA_INT, h + Structs.Msghdr.FLAGS, 0);
            lb.firstSlot[k] = i;
            lb.slots[k] = last - i;
            k++;
            i = last;
        }
        return k;
    }

    /** Writes the sockaddr for slot i's remote address at {@code names[at]}; returns its length. */
    private int writeName(MemorySegment names, long at, PacketBatch batch, int i) {
        int family = batch.family(i);
        byte[] remote = batch.remoteAddress(i);
        if (domain == Libc.AF_INET6) {
            names.set(JAVA_SHORT, at + Structs.SockaddrIn6.FAMILY, (short) Libc.AF_INET6);
            names.set(Structs.NET_SHORT, at + Structs.SockaddrIn6.PORT, (short) batch.remotePort(i));
            names.set(JAVA_INT, at + Structs.SockaddrIn6.FLOWINFO, 0);
            long addr = at + Structs.SockaddrIn6.ADDR;
            int scope = 0;
            if (family == 4) {
                names.set(JAVA_LONG, addr, 0L);
                names.set(JAVA_SHORT, addr + 8, (short) 0);
                names.set(JAVA_SHORT, addr + 10, (short) 0xffff);
                MemorySegment.copy(remote, 0, names, JAVA_BYTE, addr + 12, 4);
            } else {
                MemorySegment.copy(remote, 0, names, JAVA_BYTE, addr, 16);
                if (remote[0] == (byte) 0xfe && (remote[1] & 0xc0) == 0x80) {
                    scope = batch.localIfIndex(i); // a link-local peer is reached through the interface it came in on
                }
            }
            names.set(JAVA_INT, at + Structs.SockaddrIn6.SCOPE_ID, scope);
            return (int) Structs.SockaddrIn6.LAYOUT.byteSize();
        }
        names.set(JAVA_SHORT, at + Structs.SockaddrIn.FAMILY, (short) Libc.AF_INET);
        names.set(Structs.NET_SHORT, at + Structs.SockaddrIn.PORT, (short) batch.remotePort(i));
        MemorySegment.copy(remote, 0, names, JAVA_BYTE, at + Structs.SockaddrIn.ADDR, 4);
        names.set(JAVA_LONG, at + 8, 0L);
        return (int) Structs.SockaddrIn.LAYOUT.byteSize();
    }

    /** Writes a {@code UDP_SEGMENT} control message (u16 datagram size, host order) at {@code controls[c]}. */
    private static long writeSegmentSize(MemorySegment controls, long c, int size) {
        long data = c + Structs.Cmsghdr.DATA;
        controls.set(JAVA_LONG, c + Structs.Cmsghdr.LEN, Structs.Cmsghdr.len(2));
        controls.set(JAVA_INT, c + Structs.Cmsghdr.LEVEL, Libc.SOL_UDP);
        controls.set(JAVA_INT, c + Structs.Cmsghdr.TYPE, Libc.UDP_SEGMENT);
        controls.set(JAVA_LONG, data, 0L);
        controls.set(JAVA_SHORT, data, (short) size);
        return Structs.Cmsghdr.space(2);
    }

    /** Zeroes {@code length} bytes (a multiple of 8, as every CMSG_SPACE is) at {@code at}, without a slice per call. */
    private static void zero(MemorySegment s, long at, long length) {
        for (long k = 0; k < length; k += 8) {
            s.set(JAVA_LONG_UNALIGNED, at + k, 0L);
        }
    }

    private static long writePktinfo(MemorySegment controls, long c, int family, byte[] local, int ifIndex) {
        long data = c + Structs.Cmsghdr.DATA;
        if (family == 4) {
            long size = Structs.InPktinfo.LAYOUT.byteSize();
            zero(controls, c, Structs.Cmsghdr.space(size));
            controls.set(JAVA_LONG, c + Structs.Cmsghdr.LEN, Structs.Cmsghdr.len(size));
            controls.set(JAVA_INT, c + Structs.Cmsghdr.LEVEL, Libc.IPPROTO_IP);
            controls.set(JAVA_INT, c + Structs.Cmsghdr.TYPE, Libc.IP_PKTINFO);
            controls.set(JAVA_INT, data + Structs.InPktinfo.IFINDEX, ifIndex);
            MemorySegment.copy(local, 0, controls, JAVA_BYTE, data + Structs.InPktinfo.SPEC_DST, 4);
            return Structs.Cmsghdr.space(size);
        }
        long size = Structs.In6Pktinfo.LAYOUT.byteSize();
        zero(controls, c, Structs.Cmsghdr.space(size));
        controls.set(JAVA_LONG, c + Structs.Cmsghdr.LEN, Structs.Cmsghdr.len(size));
        controls.set(JAVA_INT, c + Structs.Cmsghdr.LEVEL, Libc.IPPROTO_IPV6);
        controls.set(JAVA_INT, c + Structs.Cmsghdr.TYPE, Libc.IPV6_PKTINFO);
        MemorySegment.copy(local, 0, controls, JAVA_BYTE, data + Structs.In6Pktinfo.ADDR, 16);
        controls.set(JAVA_INT, data + Structs.In6Pktinfo.IFINDEX, ifIndex);
        return Structs.Cmsghdr.space(size);
    }

    /**
     * Sends messages {@code next..n-1} of the batch's scratch, skipping the ones the kernel refuses
     * one by one. A refused GSO message is staged again as one message per datagram (and GSO
     * switched off for good on EIO) before anything is skipped. Terminates: every round either moves
     * past at least one message, turns a GSO message into plain ones (which never happens twice to a
     * datagram), or spends one of a bounded number of retries (EINTR, waits for buffer room, one
     * retry without sticky source), and those budgets refill only on progress. {@code batch} and
     * {@code slotsEnd} are what the messages were staged from.
     */
    private void transmit(LinuxBatch lb, int next, int n, PacketBatch batch, int slotsEnd) throws IOException {
        MemorySegment state = null;
        int interrupted = 0;
        int waits = 0;
        int retriedWithoutSource = -1;
        while (next < n) {
            int r = sender.send(lb, next, n - next);
            int errno;
            if (r > 0) {
                for (int k = next; k < next + r; k++) {
                    if (lb.slots[k] > 1) {
                        segmentedSends.incrementAndGet();
                    }
                }
                next += r;
                interrupted = 0;
                waits = 0;
                if (next == n) {
                    return;
                }
                if (state == null) {
                    state = Libc.newCallState(Arena.ofAuto());
                }
                // Stopped early: the failing datagram's errno is parked as the socket's pending error.
                errno = takePendingError(state);
                if (errno == 0) {
                    continue; // it was EAGAIN (not parked) or the receiver consumed it: just try again
                }
            } else {
                errno = r < 0 ? -r : Errno.EAGAIN;
            }
            switch (errno) {
                case Errno.EINTR -> {
                    if (++interrupted > MAX_EINTR) {
                        throw new LinuxException("sendmmsg", errno);
                    }
                }
                case Errno.EAGAIN -> {
                    if (guard.isClosed()) {
                        throw new ClosedChannelException();
                    }
                    if (++waits > MAX_SEND_WAITS) {
                        throw new IOException("udp: socket not writable for " + MAX_SEND_WAITS * SEND_WAIT_MILLIS + " ms");
                    }
                    if (state == null) {
                        state = Libc.newCallState(Arena.ofAuto());
                    }
                    waitWritable(state);
                }
                default -> {
                    if (lb.slots[next] > 1 && (errno == Errno.EIO || isTransient(errno))) {
                        // UDP GSO refused: EIO when the route's device cannot checksum (GSO needs it),
                        // EINVAL/EMSGSIZE when a datagram exceeds the path MTU, or any error of one of
                        // its datagrams. Send them one by one instead.
                        if (errno == Errno.EIO) {
                            gso = false;
                        }
                        int first = lb.firstSlot[next];
                        n = pack(lb, batch, next, first, slotsEnd, first + lb.slots[next]);
                        continue;
                    }
                    if (!isTransient(errno)) {
                        throw new LinuxException("sendmmsg", errno);
                    }
                    long h = MessageArray.hdr(next);
                    if (lb.msgs.get(JAVA_LONG, h + Structs.Msghdr.CONTROLLEN) != 0 && retriedWithoutSource != next) {
                        // The sticky source may be gone (EINVAL for IPv6, ENETUNREACH for IPv4, as
                        // measured): send this datagram once more and let the kernel choose the source.
                        retriedWithoutSource = next;
                        lb.msgs.set(JAVA_LONG, h + Structs.Msghdr.CONTROL, 0L);
                        lb.msgs.set(JAVA_LONG, h + Structs.Msghdr.CONTROLLEN, 0L);
                    } else {
                        next++; // unreachable, no route, firewall, too big...: drop this datagram
                    }
                }
            }
        }
    }

    private int takePendingError(MemorySegment state) {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment value = temp.allocate(JAVA_INT);
            MemorySegment len = temp.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 4);
            if (Libc.getsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_ERROR, value, len) < 0) {
                return 0;
            }
            return value.get(JAVA_INT, 0);
        }
    }

    private void waitWritable(MemorySegment state) {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment fds = temp.allocate(Structs.Pollfd.LAYOUT, 2);
            Structs.Pollfd.set(fds, 0, fd, Libc.POLLOUT);
            Structs.Pollfd.set(fds, 1, wakeFd, Libc.POLLIN);
            Libc.poll(state, fds, 2, SEND_WAIT_MILLIS);
        }
    }

    /** Closes the socket; a blocked {@link #receive} returns -1, later sends throw. */
    @Override
    public void close() {
        guard.close();
    }

    @Override
    public String toString() {
        return "LinuxUdpBind(port " + port + (isDualStack() ? ", dual-stack" : ", IPv4 only") + ", offloads "
                + Offload.describe(offloads()) + ")";
    }
}
