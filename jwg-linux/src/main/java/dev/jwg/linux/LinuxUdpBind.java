package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jwg.device.io.Bind;
import dev.jwg.device.io.DatagramBatch;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The device's UDP socket: one non-blocking dual-stack AF_INET6 socket ({@code IPV6_V6ONLY=0};
 * IPv4 peers are addressed as {@code ::ffff:a.b.c.d}), or a plain AF_INET socket on hosts without
 * IPv6. Datagrams move in batches with {@code recvmmsg}/{@code sendmmsg}.
 *
 * <p>Sticky source (wireguard-facts §3.9, §4.7): {@code IP_PKTINFO} and {@code IPV6_RECVPKTINFO}
 * tell, for each received datagram, the local address it arrived on; {@link #send} puts an
 * {@code IP_PKTINFO} (IPv4 peer) or {@code IPV6_PKTINFO} (IPv6 peer) control message on each
 * datagram whose batch slot has a local family, so the reply leaves from that address. When a
 * datagram with a source fails (a removed address shows up as EINVAL for IPv6 and ENETUNREACH for
 * IPv4), it is sent once more without the source before being given up. The interface index is reported and used only for IPv6 link-local sources.
 *
 * <p>Receive fills slot payloads at offset 0. Truncated datagrams ({@code MSG_TRUNC}, larger than
 * the batch's buffers) are dropped.
 *
 * <p>Errors: per-datagram send failures (unreachable, no route, EPERM from a firewall, EMSGSIZE,
 * ENOBUFS) drop that datagram. {@code sendmmsg} stops at the first failing datagram and parks its
 * errno in the socket's pending error, which the next socket call would return instead of doing
 * its work; {@link #send} therefore collects it with {@code SO_ERROR} to learn which datagram failed
 * and why, and {@link #receive} treats such leftover errors as transient. Anything else
 * (EBADF, EFAULT...) or a socket that stays unwritable is thrown as {@link LinuxException}.
 *
 * <p>Later offloads: {@link MessageArray} leaves room for {@code UDP_GRO}/{@code UDP_SEGMENT}
 * control messages; GSO would coalesce same-destination slots into one larger message.
 *
 * <p>Thread-safe: {@link #receive} from one thread, {@link #send} from any (serialised by a lock),
 * {@link #close} from any, after which a blocked {@code receive} returns -1.
 */
public final class LinuxUdpBind implements Bind {
    /** Like wireguard-go: 7 MiB socket buffers, forced past rmem_max/wmem_max when we may. */
    static final int SOCKET_BUFFER = 7 << 20;
    private static final int MAX_EINTR = 100;
    private static final int MAX_TRANSIENT_RECEIVE_ERRORS = 1_000;
    private static final int MAX_EMPTY_WAKEUPS = 10_000;
    /** sendmmsg waits at most this many times {@link #SEND_WAIT_MILLIS} for room in the socket buffer. */
    private static final int MAX_SEND_WAITS = 20;
    private static final int SEND_WAIT_MILLIS = 50;

    private final int fd;
    private final int wakeFd;
    private final int domain;
    private final int port;
    private final Arena arena = Arena.ofShared();
    private final FdGuard guard;
    private final MemorySegment receivePoll;
    private final MemorySegment sendPoll;
    private final ReentrantLock sendLock = new ReentrantLock();
    private MessageArray receiving;
    private MessageArray sending;

    private LinuxUdpBind(int fd, int wakeFd, int domain, int port) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.domain = domain;
        this.port = port;
        this.receivePoll = arena.allocate(Structs.Pollfd.LAYOUT, 2);
        this.sendPoll = arena.allocate(Structs.Pollfd.LAYOUT, 2);
        this.guard = new FdGuard(this::release);
    }

    /**
     * Opens and binds the socket to {@code port} on all addresses (0: the kernel picks one). A port
     * already in use fails with a {@link LinuxException} whose errno is {@link Errno#EADDRINUSE}.
     */
    public static LinuxUdpBind open(int port) throws IOException {
        return open(port, -1);
    }

    /**
     * Like {@link #open(int)}, with the socket created inside the network namespace {@code nsFd}
     * (-1: this process's). The daemon keeps its socket in its own namespace, as wireguard-go does;
     * tests use this to get hosts with several addresses and firewalls of their own.
     */
    static LinuxUdpBind open(int port, int nsFd) throws IOException {
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
                length = (int) Structs.SockaddrIn6.LAYOUT.byteSize();
            } else {
                addr.set(JAVA_SHORT, Structs.SockaddrIn.FAMILY, (short) Libc.AF_INET);
                addr.set(Structs.NET_SHORT, Structs.SockaddrIn.PORT, (short) port);
                length = (int) Structs.SockaddrIn.LAYOUT.byteSize();
            }
            Libc.check(Libc.bind(state, fd, addr, length), "bind(port " + port + ")", state);
            MemorySegment len = temp.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, (int) MessageArray.NAME_SIZE);
            Libc.check(Libc.getsockname(state, fd, addr, len), "getsockname", state);
            int bound = Short.toUnsignedInt(addr.get(Structs.NET_SHORT, domain == Libc.AF_INET6 ? Structs.SockaddrIn6.PORT : Structs.SockaddrIn.PORT));
            wakeFd = Libc.check(Libc.eventfd(state, 0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd", state);
            LinuxUdpBind bind = new LinuxUdpBind(fd, wakeFd, domain, bound);
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
    public int receive(DatagramBatch batch) throws IOException {
        batch.clear();
        if (!guard.enter()) {
            return -1;
        }
        try {
            int bufferSize = batch.buffer(0).length;
            MessageArray m = receiving;
            if (m == null || !m.fits(batch.capacity(), bufferSize)) {
                m = receiving = new MessageArray(arena, batch.capacity(), bufferSize);
            }
            int nameLength = (int) (domain == Libc.AF_INET6 ? Structs.SockaddrIn6.LAYOUT.byteSize() : Structs.SockaddrIn.LAYOUT.byteSize());
            int capacity = batch.capacity();
            int interrupted = 0;
            int transients = 0;
            int empty = 0;
            for (;;) {
                for (int i = 0; i < capacity; i++) {
                    m.resetForReceive(i, nameLength);
                }
                int n = Libc.recvmmsg(m.state, fd, m.msgs, capacity, Libc.MSG_DONTWAIT);
                if (n > 0) {
                    int count = unpack(m, n, batch);
                    if (count > 0) {
                        batch.setCount(count);
                        return count;
                    }
                    continue; // all truncated: look again
                }
                int errno = n < 0 ? Libc.errno(m.state) : Errno.EAGAIN;
                if (errno == Errno.EAGAIN) {
                    if (++empty > MAX_EMPTY_WAKEUPS) {
                        throw new IOException("udp: poll keeps reporting the socket readable but recvmmsg finds nothing");
                    }
                    if (!waitReadable(m.state)) {
                        return -1;
                    }
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

    /** Polls the socket and the wake-up eventfd; false when the bind was closed meanwhile. */
    private boolean waitReadable(MemorySegment state) throws LinuxException {
        int interrupted = 0;
        for (;;) {
            Structs.Pollfd.set(receivePoll, 0, fd, Libc.POLLIN);
            Structs.Pollfd.set(receivePoll, 1, wakeFd, Libc.POLLIN);
            int r = Libc.poll(state, receivePoll, 2, -1);
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

    /** Copies n received datagrams into the batch, dropping truncated ones; returns how many were kept. */
    private int unpack(MessageArray m, int n, DatagramBatch batch) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if ((m.receivedFlags(i) & Libc.MSG_TRUNC) != 0) {
                continue;
            }
            int length = m.receivedLength(i);
            byte[] buf = batch.buffer(count);
            MemorySegment.copy(m.buffers, JAVA_BYTE, m.buffer(i), buf, 0, length);
            batch.setPayload(count, 0, length);
            readName(m.names, m.name(i), batch, count);
            readPktinfo(m.controls, m.control(i), m.receivedControlLength(i), batch, count);
            count++;
        }
        return count;
    }

    private static void readName(MemorySegment names, long at, DatagramBatch batch, int slot) {
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

    private static void readPktinfo(MemorySegment controls, long at, long length, DatagramBatch batch, int slot) {
        batch.setLocal(slot, 0, 0);
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
            if (level == Libc.IPPROTO_IP && type == Libc.IP_PKTINFO
                    && cmsgLen >= Structs.Cmsghdr.len(Structs.InPktinfo.LAYOUT.byteSize())) {
                MemorySegment.copy(controls, JAVA_BYTE, data + Structs.InPktinfo.SPEC_DST, local, 0, 4);
                batch.setLocal(slot, 4, 0);
                return; // IPv4 is what IPv4 peers are answered from; nothing else to learn
            }
            if (level == Libc.IPPROTO_IPV6 && type == Libc.IPV6_PKTINFO
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
    }

    private static boolean isV4Mapped(MemorySegment s, long addr) {
        return s.get(JAVA_LONG, addr) == 0 && s.get(JAVA_SHORT, addr + 8) == 0 && s.get(JAVA_SHORT, addr + 10) == (short) 0xffff;
    }

    // ---------------------------------------------------------------- send

    @Override
    public void send(DatagramBatch batch) throws IOException {
        int n = batch.count();
        if (n == 0) {
            return;
        }
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        sendLock.lock();
        try {
            int bufferSize = batch.buffer(0).length;
            MessageArray m = sending;
            if (m == null || !m.fits(batch.capacity(), bufferSize)) {
                m = sending = new MessageArray(arena, batch.capacity(), bufferSize);
            }
            int staged = 0;
            for (int i = 0; i < n; i++) {
                if (pack(m, staged, batch, i)) {
                    staged++;
                }
            }
            transmit(m, staged);
        } finally {
            sendLock.unlock();
            guard.exit();
        }
    }

    /** Stages batch slot i as message j; false when it cannot be sent on this socket (IPv6 peer, IPv4-only host). */
    private boolean pack(MessageArray m, int j, DatagramBatch batch, int i) {
        int family = batch.family(i);
        if (family == 6 && domain != Libc.AF_INET6) {
            return false;
        }
        int length = batch.length(i);
        if (length > m.bufferSize) {
            return false;
        }
        MemorySegment.copy(batch.buffer(i), batch.offset(i), m.buffers, JAVA_BYTE, m.buffer(j), length);
        MemorySegment names = m.names;
        long at = m.name(j);
        byte[] remote = batch.remoteAddress(i);
        int localFamily = batch.localFamily(i);
        int nameLength;
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
            nameLength = (int) Structs.SockaddrIn6.LAYOUT.byteSize();
        } else {
            names.set(JAVA_SHORT, at + Structs.SockaddrIn.FAMILY, (short) Libc.AF_INET);
            names.set(Structs.NET_SHORT, at + Structs.SockaddrIn.PORT, (short) batch.remotePort(i));
            MemorySegment.copy(remote, 0, names, JAVA_BYTE, at + Structs.SockaddrIn.ADDR, 4);
            names.set(JAVA_LONG, at + 8, 0L);
            nameLength = (int) Structs.SockaddrIn.LAYOUT.byteSize();
        }
        long controlLength = 0;
        if (localFamily == family) {
            controlLength = writePktinfo(m.controls, m.control(j), family, batch.localAddress(i), batch.localIfIndex(i));
        }
        m.setForSend(j, nameLength, length, controlLength);
        return true;
    }

    private static long writePktinfo(MemorySegment controls, long c, int family, byte[] local, int ifIndex) {
        long data = c + Structs.Cmsghdr.DATA;
        if (family == 4) {
            long size = Structs.InPktinfo.LAYOUT.byteSize();
            controls.asSlice(c, Structs.Cmsghdr.space(size)).fill((byte) 0);
            controls.set(JAVA_LONG, c + Structs.Cmsghdr.LEN, Structs.Cmsghdr.len(size));
            controls.set(JAVA_INT, c + Structs.Cmsghdr.LEVEL, Libc.IPPROTO_IP);
            controls.set(JAVA_INT, c + Structs.Cmsghdr.TYPE, Libc.IP_PKTINFO);
            controls.set(JAVA_INT, data + Structs.InPktinfo.IFINDEX, ifIndex);
            MemorySegment.copy(local, 0, controls, JAVA_BYTE, data + Structs.InPktinfo.SPEC_DST, 4);
            return Structs.Cmsghdr.space(size);
        }
        long size = Structs.In6Pktinfo.LAYOUT.byteSize();
        controls.asSlice(c, Structs.Cmsghdr.space(size)).fill((byte) 0);
        controls.set(JAVA_LONG, c + Structs.Cmsghdr.LEN, Structs.Cmsghdr.len(size));
        controls.set(JAVA_INT, c + Structs.Cmsghdr.LEVEL, Libc.IPPROTO_IPV6);
        controls.set(JAVA_INT, c + Structs.Cmsghdr.TYPE, Libc.IPV6_PKTINFO);
        MemorySegment.copy(local, 0, controls, JAVA_BYTE, data + Structs.In6Pktinfo.ADDR, 16);
        controls.set(JAVA_INT, data + Structs.In6Pktinfo.IFINDEX, ifIndex);
        return Structs.Cmsghdr.space(size);
    }

    /**
     * Sends messages 0..n-1, skipping the ones the kernel refuses one by one. Terminates: every
     * round either moves past at least one datagram or spends one of a bounded number of retries
     * (EINTR, waits for buffer room, one retry without sticky source), and those budgets refill
     * only on progress.
     */
    private void transmit(MessageArray m, int n) throws IOException {
        MemorySegment state = m.state;
        int next = 0;
        int interrupted = 0;
        int waits = 0;
        int retriedWithoutSource = -1;
        while (next < n) {
            int r = Libc.sendmmsg(state, fd, m.msgs.asSlice(next * Structs.Mmsghdr.SIZE), n - next, 0);
            int errno;
            if (r > 0) {
                next += r;
                interrupted = 0;
                waits = 0;
                if (next == n) {
                    return;
                }
                // Stopped early: the failing datagram's errno is parked as the socket's pending error.
                errno = takePendingError(state);
                if (errno == 0) {
                    continue; // it was EAGAIN (not parked) or the receiver consumed it: just try again
                }
            } else {
                errno = r < 0 ? Libc.errno(state) : Errno.EAGAIN;
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
                    waitWritable(state);
                }
                default -> {
                    if (!isTransient(errno)) {
                        throw new LinuxException("sendmmsg", errno);
                    }
                    if (m.hasControl(next) && retriedWithoutSource != next) {
                        // The sticky source may be gone (EINVAL for IPv6, ENETUNREACH for IPv4, as
                        // measured): send this datagram once more and let the kernel choose the source.
                        retriedWithoutSource = next;
                        long h = MessageArray.hdr(next);
                        m.msgs.set(JAVA_LONG, h + Structs.Msghdr.CONTROL, 0L);
                        m.msgs.set(JAVA_LONG, h + Structs.Msghdr.CONTROLLEN, 0L);
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
        Structs.Pollfd.set(sendPoll, 0, fd, Libc.POLLOUT);
        Structs.Pollfd.set(sendPoll, 1, wakeFd, Libc.POLLIN);
        Libc.poll(state, sendPoll, 2, SEND_WAIT_MILLIS);
    }

    /** Closes the socket; a blocked {@link #receive} returns -1, later sends throw. */
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
        return "LinuxUdpBind(port " + port + (isDualStack() ? ", dual-stack" : ", IPv4 only") + ")";
    }
}
