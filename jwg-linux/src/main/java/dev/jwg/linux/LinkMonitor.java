package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;

/**
 * Follows one network interface through rtnetlink ({@code NETLINK_ROUTE}, group {@code RTMGRP_LINK}):
 * up/down ({@code IFF_UP}, {@code IFF_RUNNING}), MTU and name changes, and removal. The daemon uses
 * it to open its UDP socket when the TUN becomes running, close it when it goes down, follow the
 * MTU, and exit when the interface is deleted (docs/protocol.md §4.5).
 *
 * <p>Events are delivered on the caller's thread: {@link #poll(Listener)} blocks, calls the listener,
 * and returns when {@link #close()} is called from another thread or after the interface was
 * removed. The first event is the current state (the monitor asks for it when opened); afterwards
 * only changes of flags, MTU or name are reported.
 *
 * <p>Deleted versus moved (Linux 6.x; {@code LinkMonitorTest} checks it): {@code ip link set DEV netns X} sends
 * {@code RTM_DELLINK} in the old namespace, but with {@code IFLA_NEW_NETNSID} (and
 * {@code IFLA_NEW_IFINDEX}) attached; {@code ip link del} sends it without them. {@link Removal#moved()}
 * reports which. The TUN descriptor keeps working after a move ({@code TUNGETIFF} succeeds,
 * {@link LinuxTun#isDeleted()} is false) and fails with {@code EBADFD} after a deletion, which is a
 * second, independent check. To keep following a moved TUN, open a new monitor with
 * {@link #open(LinuxTun)}: it creates its netlink socket inside the TUN's current namespace.
 *
 * <p>Thread-safe: {@link #poll} from one thread at a time, {@link #close} from any thread.
 */
public final class LinkMonitor implements Closeable {
    private static final int NETLINK_ROUTE = 0;
    private static final int RTMGRP_LINK = 1;
    private static final short RTM_NEWLINK = 16;
    private static final short RTM_DELLINK = 17;
    private static final short RTM_GETLINK = 18;
    private static final short NLM_F_REQUEST = 1;
    private static final short NLMSG_ERROR = 2;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFLA_NEW_NETNSID = 45;
    private static final int IFLA_NEW_IFINDEX = 49;
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_EINTR = 100;
    private static final int MAX_RESYNCS = 100;

    /**
     * The interface's state as one {@code RTM_NEWLINK} reported it. Immutable.
     *
     * @param ifIndex index in the namespace the monitor watches
     * @param name current name
     * @param flags {@code ifi_flags} ({@code IFF_UP} 0x1, {@code IFF_RUNNING} 0x40, ...)
     * @param mtu current MTU
     */
    public record LinkState(int ifIndex, String name, int flags, int mtu) {
        /** Administratively up ({@code ip link set up}). */
        public boolean isUp() {
            return (flags & Libc.IFF_UP) != 0;
        }

        /** Up and operational: for a TUN, up with a reader attached. This is what wireguard-go acts on. */
        public boolean isRunning() {
            return (flags & Libc.IFF_RUNNING) != 0;
        }
    }

    /**
     * The interface left this namespace. Immutable.
     *
     * @param ifIndex its index here
     * @param name its last name here
     * @param moved true when it was moved to another network namespace rather than deleted
     * @param newNetnsId the id of the target namespace as seen from this one (when moved, else -1)
     * @param newIfIndex its index in the target namespace (when moved and reported, else 0)
     */
    public record Removal(int ifIndex, String name, boolean moved, int newNetnsId, int newIfIndex) {}

    /** Receives events on the thread that called {@link #poll}. */
    public interface Listener {
        /** The current state, first when the monitor starts and then after every change. */
        void linkChanged(LinkState state);

        /** The interface was deleted or moved away; {@link #poll} returns right after this. */
        void linkRemoved(Removal removal);
    }

    private final int fd;
    private final int wakeFd;
    private final int ifIndex;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state;
    private final MemorySegment buffer;
    private final MemorySegment pollFds;
    private final FdGuard guard;
    private int sequence;
    private LinkState last;
    private boolean removed;

    private LinkMonitor(int fd, int wakeFd, int ifIndex) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.ifIndex = ifIndex;
        this.state = Libc.newCallState(arena);
        this.buffer = arena.allocate(BUFFER, 8);
        this.pollFds = arena.allocate(Structs.Pollfd.LAYOUT, 2);
        this.guard = FdGuard.of(fd, wakeFd, arena);
    }

    /** Monitors interface {@code ifIndex} of this process's network namespace. */
    public static LinkMonitor open(int ifIndex) throws IOException {
        Native.ensureAvailable();
        int fd;
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(temp);
            fd = Libc.check(Libc.socket(st, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, NETLINK_ROUTE),
                    "socket(AF_NETLINK)", st);
        }
        return start(fd, ifIndex);
    }

    /**
     * Monitors a TUN in whatever network namespace it lives in now (also after
     * {@code ip link set DEV netns X}, where {@link #open(int)} from the original namespace cannot
     * see it any more).
     */
    public static LinkMonitor open(LinuxTun tun) throws IOException {
        Native.ensureAvailable();
        int index = tun.ifIndex();
        int nsFd = -1;
        int fd;
        try {
            try {
                nsFd = tun.netnsFd();
            } catch (LinuxException e) {
                if (e.errno() == Errno.EBADFD) {
                    throw e;
                }
            }
            int type = Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK;
            if (nsFd >= 0 && !LinuxTun.isOwnNetns(nsFd)) {
                fd = Netns.socketIn(nsFd, Libc.AF_NETLINK, type, NETLINK_ROUTE);
            } else {
                try (Arena temp = Arena.ofConfined()) {
                    MemorySegment st = Libc.newCallState(temp);
                    fd = Libc.check(Libc.socket(st, Libc.AF_NETLINK, type, NETLINK_ROUTE), "socket(AF_NETLINK)", st);
                }
            }
        } finally {
            Libc.closeQuietly(nsFd);
        }
        return start(fd, index);
    }

    private static LinkMonitor start(int fd, int ifIndex) throws IOException {
        int wakeFd = -1;
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(temp);
            MemorySegment addr = temp.allocate(Structs.SockaddrNl.LAYOUT);
            addr.set(JAVA_SHORT, Structs.SockaddrNl.FAMILY, (short) Libc.AF_NETLINK);
            addr.set(JAVA_INT, Structs.SockaddrNl.GROUPS, RTMGRP_LINK);
            Libc.check(Libc.bind(st, fd, addr, (int) Structs.SockaddrNl.LAYOUT.byteSize()), "bind(AF_NETLINK)", st);
            wakeFd = Libc.check(Libc.eventfd(st, 0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd", st);
            LinkMonitor monitor = new LinkMonitor(fd, wakeFd, ifIndex);
            fd = -1;
            wakeFd = -1;
            try {
                monitor.requestState();
            } catch (IOException e) {
                monitor.close();
                throw e;
            }
            return monitor;
        } finally {
            Libc.closeQuietly(fd);
            Libc.closeQuietly(wakeFd);
        }
    }

    /** The watched interface index. */
    public int ifIndex() {
        return ifIndex;
    }

    /** Sends {@code RTM_GETLINK} for the watched index; the answer arrives as an RTM_NEWLINK. */
    private void requestState() throws IOException {
        try (Arena temp = Arena.ofConfined()) {
            long size = Structs.Nlmsghdr.SIZE + Structs.Ifinfomsg.SIZE;
            MemorySegment req = temp.allocate(size, 8);
            req.set(JAVA_INT, Structs.Nlmsghdr.LEN, (int) size);
            req.set(JAVA_SHORT, Structs.Nlmsghdr.TYPE, RTM_GETLINK);
            req.set(JAVA_SHORT, Structs.Nlmsghdr.FLAGS, NLM_F_REQUEST);
            req.set(JAVA_INT, Structs.Nlmsghdr.SEQ, ++sequence);
            long ifi = Structs.Nlmsghdr.SIZE;
            req.set(JAVA_BYTE, ifi + Structs.Ifinfomsg.FAMILY, (byte) Libc.AF_UNSPEC);
            req.set(JAVA_INT, ifi + Structs.Ifinfomsg.INDEX, ifIndex);
            MemorySegment st = Libc.newCallState(temp);
            Libc.check(Libc.send(st, fd, req, size, 0), "send(RTM_GETLINK)", st);
        }
    }

    /**
     * Delivers events to {@code listener} until {@link #close()} (returns normally) or the
     * interface's removal (returns after {@link Listener#linkRemoved}). Throws when the netlink
     * socket fails.
     */
    public void poll(Listener listener) throws IOException {
        if (!guard.enter()) {
            throw new ClosedChannelException();
        }
        try {
            int interrupted = 0;
            int resyncs = 0;
            while (!removed) {
                long n = Libc.recv(state, fd, buffer, BUFFER, Libc.MSG_DONTWAIT);
                if (n > 0) {
                    parse(n, listener);
                    continue;
                }
                int errno = n < 0 ? Libc.errno(state) : Errno.EAGAIN;
                if (errno == Errno.EAGAIN) {
                    if (!waitReadable()) {
                        return;
                    }
                } else if (errno == Errno.ENOBUFS) {
                    // The kernel dropped events (our queue overflowed): ask for the current state again.
                    if (++resyncs > MAX_RESYNCS) {
                        throw new LinuxException("recv(NETLINK_ROUTE)", errno);
                    }
                    requestState();
                } else if (errno == Errno.EINTR) {
                    if (++interrupted > MAX_EINTR) {
                        throw new LinuxException("recv(NETLINK_ROUTE)", errno);
                    }
                } else {
                    throw new LinuxException("recv(NETLINK_ROUTE)", errno);
                }
            }
        } finally {
            guard.exit();
        }
    }

    private boolean waitReadable() throws LinuxException {
        int interrupted = 0;
        for (;;) {
            Structs.Pollfd.set(pollFds, 0, fd, Libc.POLLIN);
            Structs.Pollfd.set(pollFds, 1, wakeFd, Libc.POLLIN);
            int r = Libc.poll(state, pollFds, 2, -1);
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

    private void parse(long n, Listener listener) throws LinuxException {
        long at = 0;
        while (at + Structs.Nlmsghdr.SIZE <= n && !removed) {
            int len = buffer.get(JAVA_INT, at + Structs.Nlmsghdr.LEN);
            if (len < Structs.Nlmsghdr.SIZE || at + len > n) {
                return; // malformed: ignore the rest of this datagram
            }
            short type = buffer.get(JAVA_SHORT, at + Structs.Nlmsghdr.TYPE);
            long body = at + Structs.Nlmsghdr.SIZE;
            if (type == NLMSG_ERROR && len >= Structs.Nlmsghdr.SIZE + 4) {
                int error = buffer.get(JAVA_INT, body);
                if (error == -Errno.ENODEV) {
                    // Our RTM_GETLINK found no such interface: it is already gone.
                    removed = true;
                    listener.linkRemoved(new Removal(ifIndex, last == null ? "" : last.name(), false, -1, 0));
                } else if (error < 0) {
                    throw new LinuxException("RTM_GETLINK(" + ifIndex + ")", -error);
                }
            } else if ((type == RTM_NEWLINK || type == RTM_DELLINK) && len >= Structs.Nlmsghdr.SIZE + Structs.Ifinfomsg.SIZE) {
                int index = buffer.get(JAVA_INT, body + Structs.Ifinfomsg.INDEX);
                if (index == ifIndex) {
                    link(type, body, at + len, listener);
                }
            }
            at += Structs.Nlmsghdr.align(len);
        }
    }

    private void link(short type, long body, long end, Listener listener) {
        int flags = buffer.get(JAVA_INT, body + Structs.Ifinfomsg.FLAGS);
        String name = last == null ? "" : last.name();
        int mtu = last == null ? 0 : last.mtu();
        int newNetnsId = -1;
        int newIfIndex = 0;
        boolean moved = false;
        long a = body + Structs.Ifinfomsg.SIZE;
        while (a + Structs.Rtattr.SIZE <= end) {
            int alen = Short.toUnsignedInt(buffer.get(JAVA_SHORT, a + Structs.Rtattr.LEN));
            if (alen < Structs.Rtattr.SIZE || a + alen > end) {
                break;
            }
            int atype = buffer.get(JAVA_SHORT, a + Structs.Rtattr.TYPE) & 0x3fff; // strip NLA_F_NESTED / NET_BYTEORDER
            long data = a + Structs.Rtattr.SIZE;
            int dlen = alen - (int) Structs.Rtattr.SIZE;
            switch (atype) {
                case IFLA_IFNAME -> name = cString(data, dlen);
                case IFLA_MTU -> mtu = dlen >= 4 ? buffer.get(JAVA_INT, data) : mtu;
                case IFLA_NEW_NETNSID -> {
                    moved = true;
                    newNetnsId = dlen >= 4 ? buffer.get(JAVA_INT, data) : -1;
                }
                case IFLA_NEW_IFINDEX -> newIfIndex = dlen >= 4 ? buffer.get(JAVA_INT, data) : 0;
                default -> { }
            }
            a += Structs.Nlmsghdr.align(alen);
        }
        if (type == RTM_DELLINK) {
            removed = true;
            listener.linkRemoved(new Removal(ifIndex, name, moved, newNetnsId, newIfIndex));
            return;
        }
        LinkState now = new LinkState(ifIndex, name, flags, mtu);
        if (!now.equals(last)) {
            last = now;
            listener.linkChanged(now);
        }
    }

    private String cString(long data, int max) {
        int len = 0;
        while (len < max && buffer.get(JAVA_BYTE, data + len) != 0) {
            len++;
        }
        byte[] raw = new byte[len];
        MemorySegment.copy(buffer, JAVA_BYTE, data, raw, 0, len);
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** Stops the monitor; a blocked {@link #poll} returns. */
    @Override
    public void close() {
        guard.close();
    }
}
