package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;

/**
 * The glibc functions jwg calls, as FFM downcalls created once. Every function that can fail
 * captures {@code errno} into a caller-supplied call-state segment (first argument, see
 * {@link #newCallState}); {@link #errno} reads it back. Hot paths keep one call-state segment per
 * direction so that a system call allocates nothing; the control plane uses {@link #check} to turn a
 * failed call into a {@link LinuxException}.
 *
 * <p>Constants are Linux's generic values, identical on x86_64 and aarch64 (the only architectures
 * {@link Native} accepts); they were checked against this machine's headers with a C program.
 *
 * <p>Stateless and thread-safe.
 */
final class Libc {
    private Libc() {}

    // fcntl.h / eventfd.h
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int EFD_NONBLOCK = O_NONBLOCK;
    static final int EFD_CLOEXEC = O_CLOEXEC;

    // socket.h
    static final int AF_UNSPEC = 0;
    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_NETLINK = 16;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_SEQPACKET = 5;
    static final int SOCK_NONBLOCK = O_NONBLOCK;
    static final int SOCK_CLOEXEC = O_CLOEXEC;
    static final int SOL_SOCKET = 1;
    static final int SO_ERROR = 4;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    static final int SO_MARK = 36;
    static final int MSG_CTRUNC = 0x8;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_IPV6 = 41;
    static final int IP_PKTINFO = 8;
    static final int IPV6_V6ONLY = 26;
    static final int IPV6_RECVPKTINFO = 49;
    static final int IPV6_PKTINFO = 50;

    // poll.h
    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    // ioctls (asm-generic/ioctl.h encoding, shared by x86_64 and aarch64)
    static final long TUNSETIFF = 0x400454caL;
    static final long TUNGETIFF = 0x800454d2L;
    static final long TUNGETDEVNETNS = 0x54e3L;
    /** {@code _IOW('T', 208, unsigned int)}; the flags are passed by value, not through a pointer. */
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final long TUNGETVNETHDRSZ = 0x800454d7L;
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    static final long SIOCGIFMTU = 0x8921L;
    static final long SIOCSIFMTU = 0x8922L;
    static final long SIOCGIFINDEX = 0x8933L;

    // if_tun.h / if.h
    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_VNET_HDR = 0x4000;
    static final int IFF_UP = 0x1;
    static final int IFF_RUNNING = 0x40;
    static final int IFNAMSIZ = 16;
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    static final int TUN_F_USO4 = 0x20;
    static final int TUN_F_USO6 = 0x40;

    // udp.h (SOL_UDP is IPPROTO_UDP)
    static final int SOL_UDP = 17;
    static final int UDP_SEGMENT = 103;
    static final int UDP_GRO = 104;

    // sched.h
    static final int CLONE_NEWNET = 0x40000000;
    // sockios.h, if.h: interface flags through a socket of the namespace
    static final long SIOCGIFFLAGS = 0x8913L;
    static final long SIOCSIFFLAGS = 0x8914L;
    /** {@code struct ifreq}: the name, then a union whose first member is {@code short ifr_flags}. */
    static final int IFREQ_SIZE = 40;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE = CALL_STATE.varHandle(PathElement.groupElement("errno"));

    // Every function is linked through one of a few canonical shapes: all arguments and the
    // result are 64-bit integers (docs/cpu-architectures.md, "Downcall shapes"). On the LP64 ABIs jwg
    // runs on (x86_64 System V, AArch64 AAPCS64) an int, a long and a pointer argument all travel
    // in one general-purpose register, of which the callee reads only the bits of its own type, and
    // an int result is the low half of the result register (so wrappers cast it back to int). The
    // linker generates code for each distinct shape when the JVM starts, and a descriptor per C
    // prototype made that a large part of jwgd's start. Segments are passed by address, each kept
    // reachable until its call returns (Reference.reachabilityFence), as the linker would.
    private static final MethodHandle OPEN = errno("open", 3, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = errno("close", 1);
    private static final MethodHandle READ = errno("read", 3);
    private static final MethodHandle WRITE = errno("write", 3);
    // Calls without errno capture, for the per-packet fast path: capturing errno makes the
    // linker slice the call-state segment on every call (SharedUtils.checkCaptureSegment), an object
    // only escape analysis removes, and the JFR allocation profile of jwgd showed it did not always.
    // Callers that get -1 repeat the call with the capturing handle to learn errno (see readAt).
    private static final MethodHandle POLL_FAST = plain("poll", 3);
    // The data path's calls on packet memory, by raw address, so that no memory segment is made per
    // call. Every descriptor they are used on is non-blocking, so they are critical calls (no
    // thread-state transition).
    private static final Linker.Option SHORT = Linker.Option.critical(false);
    private static final MethodHandle READ_AT = plain("read", 3, SHORT);
    private static final MethodHandle WRITE_AT = plain("write", 3, SHORT);
    private static final MethodHandle WRITEV_AT = plain("writev", 3, SHORT);
    private static final MethodHandle SENDMMSG_AT = plain("sendmmsg", 4, SHORT);
    private static final MethodHandle WRITEV = errno("writev", 3);
    private static final MethodHandle SENDMMSG = errno("sendmmsg", 4);
    private static final MethodHandle RECVMMSG_FAST = plain("recvmmsg", 5);
    private static final MethodHandle IOCTL = errno("ioctl", 3, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle FCNTL = errno("fcntl", 3, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SOCKET = errno("socket", 3);
    private static final MethodHandle SOCKETPAIR = errno("socketpair", 4);
    private static final MethodHandle BIND = errno("bind", 3);
    private static final MethodHandle SETSOCKOPT = errno("setsockopt", 5);
    private static final MethodHandle GETSOCKOPT = errno("getsockopt", 5);
    private static final MethodHandle GETSOCKNAME = errno("getsockname", 3);
    private static final MethodHandle SEND = errno("send", 4);
    private static final MethodHandle RECV = errno("recv", 4);
    private static final MethodHandle RECVMMSG = errno("recvmmsg", 5);
    private static final MethodHandle POLL = errno("poll", 3);
    private static final MethodHandle EVENTFD = errno("eventfd", 2);
    private static final MethodHandle SETNS = errno("setns", 2);
    private static final MethodHandle UNSHARE = errno("unshare", 1);
    private static final MethodHandle IF_NAMETOINDEX = errno("if_nametoindex", 1);
    private static final MethodHandle IF_INDEXTONAME = errno("if_indextoname", 2);
    private static final MethodHandle MMAP = plain("mmap", 6);
    private static final MethodHandle MUNMAP = plain("munmap", 2);
    private static final MethodHandle UMASK = plain("umask", 1);
    private static final MethodHandle GETPID = plain("getpid", 0);
    private static final MethodHandle GETEUID = plain("geteuid", 0);
    private static final MethodHandle ISATTY = plain("isatty", 1);
    private static final MethodHandle STRERROR = plain("strerror", 1);

    /** {@code (MemorySegment callState, long x arity) -> long}, capturing errno into the call state. */
    private static MethodHandle errno(String name, int arity, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol(name), shape(arity), options);
    }

    /** {@code (long x arity) -> long}. */
    private static MethodHandle plain(String name, int arity, Linker.Option... options) {
        return LINKER.downcallHandle(symbol(name), shape(arity), options);
    }

    /** The canonical shape of {@code arity} 64-bit integer arguments and a 64-bit integer result. */
    static FunctionDescriptor shape(int arity) {
        MemoryLayout[] arguments = new MemoryLayout[arity];
        Arrays.fill(arguments, JAVA_LONG);
        return FunctionDescriptor.of(JAVA_LONG, arguments);
    }

    /**
     * The address of native memory for a downcall argument. A heap segment has none: it is refused,
     * as the linker refuses one for a pointer argument.
     */
    private static long address(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("not native memory");
        }
        return segment.address();
    }

    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    /** True when the C library is glibc (musl and others have no {@code gnu_get_libc_version}). */
    static boolean isGlibc() {
        return LOOKUP.find("gnu_get_libc_version").isPresent();
    }

    /** A call-state segment for the errno of one thread's calls at a time. */
    static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The errno the last call that used {@code state} left behind. */
    static int errno(MemorySegment state) {
        return (int) ERRNO_VALUE.get(state, 0L);
    }

    /** Returns {@code result} when it is not negative, else throws a {@link LinuxException} for {@code call}. */
    static int check(int result, String call, MemorySegment state) throws LinuxException {
        if (result < 0) {
            throw new LinuxException(call, errno(state));
        }
        return result;
    }

    static long check(long result, String call, MemorySegment state) throws LinuxException {
        if (result < 0) {
            throw new LinuxException(call, errno(state));
        }
        return result;
    }

    static String strerror(int errno) {
        try {
            long text = (long) STRERROR.invokeExact((long) errno);
            return text == 0 ? "errno " + errno : MemorySegment.ofAddress(text).reinterpret(256).getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int open(MemorySegment state, MemorySegment path, int flags, int mode) {
        try {
            return (int) (long) OPEN.invokeExact(state, address(path), (long) flags, (long) mode);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(path);
        }
    }

    static int close(MemorySegment state, int fd) {
        try {
            return (int) (long) CLOSE.invokeExact(state, (long) fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long read(MemorySegment state, int fd, MemorySegment buf, long count) {
        try {
            return (long) READ.invokeExact(state, (long) fd, address(buf), count);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    static long write(MemorySegment state, int fd, MemorySegment buf, long count) {
        try {
            return (long) WRITE.invokeExact(state, (long) fd, address(buf), count);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    /** {@code read} into native memory at {@code address}, without errno (non-blocking descriptors; on -1 repeat with capture). */
    static long readAt(int fd, long address, long count) {
        try {
            return (long) READ_AT.invokeExact((long) fd, address, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@link #readAt} capturing errno into {@code state}. */
    static long readAt(MemorySegment state, int fd, long address, long count) {
        try {
            return (long) READ.invokeExact(state, (long) fd, address, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code write} from native memory at {@code address}, without errno (non-blocking descriptors). */
    static long writeAt(int fd, long address, long count) {
        try {
            return (long) WRITE_AT.invokeExact((long) fd, address, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@link #writeAt} capturing errno into {@code state}. */
    static long writeAt(MemorySegment state, int fd, long address, long count) {
        try {
            return (long) WRITE.invokeExact(state, (long) fd, address, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code writev} of {@code count} iovecs at {@code iov}, without errno (non-blocking descriptors). */
    static long writevAt(int fd, long iov, int count) {
        try {
            return (long) WRITEV_AT.invokeExact((long) fd, iov, (long) count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@link #writevAt} capturing errno into {@code state}. */
    static long writevAt(MemorySegment state, int fd, long iov, int count) {
        try {
            return (long) WRITEV.invokeExact(state, (long) fd, iov, (long) count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code sendmmsg} of the {@code vlen} mmsghdrs at {@code msgs}, without errno (non-blocking socket). */
    static int sendmmsgAt(int fd, long msgs, int vlen, int flags) {
        try {
            return (int) (long) SENDMMSG_AT.invokeExact((long) fd, msgs, (long) vlen, (long) flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@link #sendmmsgAt} capturing errno into {@code state}. */
    static int sendmmsgAt(MemorySegment state, int fd, long msgs, int vlen, int flags) {
        try {
            return (int) (long) SENDMMSG.invokeExact(state, (long) fd, msgs, (long) vlen, (long) flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int ioctl(MemorySegment state, int fd, long request, MemorySegment arg) {
        try {
            return (int) (long) IOCTL.invokeExact(state, (long) fd, request, address(arg));
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(arg);
        }
    }

    static int fcntl(MemorySegment state, int fd, int cmd, int arg) {
        try {
            return (int) (long) FCNTL.invokeExact(state, (long) fd, (long) cmd, (long) arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int socket(MemorySegment state, int domain, int type, int protocol) {
        try {
            return (int) (long) SOCKET.invokeExact(state, (long) domain, (long) type, (long) protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code socketpair(2)}: the two descriptors go to {@code fds} (two ints). */
    static int socketpair(MemorySegment state, int domain, int type, int protocol, MemorySegment fds) {
        try {
            return (int) (long) SOCKETPAIR.invokeExact(state, (long) domain, (long) type, (long) protocol, address(fds));
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(fds);
        }
    }

    static int bind(MemorySegment state, int fd, MemorySegment addr, int len) {
        try {
            return (int) (long) BIND.invokeExact(state, (long) fd, address(addr), (long) len);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(addr);
        }
    }

    static int setsockopt(MemorySegment state, int fd, int level, int name, MemorySegment value, int len) {
        try {
            return (int) (long) SETSOCKOPT.invokeExact(state, (long) fd, (long) level, (long) name, address(value), (long) len);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(value);
        }
    }

    static int getsockopt(MemorySegment state, int fd, int level, int name, MemorySegment value, MemorySegment len) {
        try {
            return (int) (long) GETSOCKOPT.invokeExact(state, (long) fd, (long) level, (long) name, address(value), address(len));
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(value);
            Reference.reachabilityFence(len);
        }
    }

    static int getsockname(MemorySegment state, int fd, MemorySegment addr, MemorySegment len) {
        try {
            return (int) (long) GETSOCKNAME.invokeExact(state, (long) fd, address(addr), address(len));
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(addr);
            Reference.reachabilityFence(len);
        }
    }

    static long send(MemorySegment state, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) SEND.invokeExact(state, (long) fd, address(buf), len, (long) flags);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    static long recv(MemorySegment state, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) RECV.invokeExact(state, (long) fd, address(buf), len, (long) flags);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    static int recvmmsg(MemorySegment state, int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) (long) RECVMMSG.invokeExact(state, (long) fd, address(msgvec), (long) vlen, (long) flags, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(msgvec);
        }
    }

    /** {@code recvmmsg} without capturing errno; on -1 repeat with {@link #recvmmsg} to learn it. */
    static int recvmmsgFast(int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) (long) RECVMMSG_FAST.invokeExact((long) fd, address(msgvec), (long) vlen, (long) flags, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(msgvec);
        }
    }

    static int sendmmsg(MemorySegment state, int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) (long) SENDMMSG.invokeExact(state, (long) fd, address(msgvec), (long) vlen, (long) flags);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(msgvec);
        }
    }

    /**
     * {@code poll} without capturing errno, for the data threads' waits; on -1 (almost always EINTR)
     * poll again with {@link #poll} to learn errno.
     */
    static int pollFast(MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            return (int) (long) POLL_FAST.invokeExact(address(fds), nfds, (long) timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(fds);
        }
    }

    static int poll(MemorySegment state, MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            return (int) (long) POLL.invokeExact(state, address(fds), nfds, (long) timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(fds);
        }
    }

    static int eventfd(MemorySegment state, int initval, int flags) {
        try {
            return (int) (long) EVENTFD.invokeExact(state, (long) initval, (long) flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int unshare(MemorySegment state, int flags) {
        try {
            return (int) (long) UNSHARE.invokeExact(state, (long) flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int setns(MemorySegment state, int fd, int nstype) {
        try {
            return (int) (long) SETNS.invokeExact(state, (long) fd, (long) nstype);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int ifNameToIndex(MemorySegment state, MemorySegment name) {
        try {
            return (int) (long) IF_NAMETOINDEX.invokeExact(state, address(name));
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(name);
        }
    }

    static MemorySegment ifIndexToName(MemorySegment state, int index, MemorySegment buf) {
        try {
            long result = (long) IF_INDEXTONAME.invokeExact(state, (long) index, address(buf));
            return result == 0 ? MemorySegment.NULL : buf;
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;

    /**
     * {@code size} bytes of private anonymous memory, unmapped when {@code arena} closes. Unlike
     * {@link Arena#allocate}, which zeroes (and so touches) every page, the kernel hands out its
     * zero pages only when they are first written: a large, mostly idle buffer costs address space,
     * not resident memory.
     *
     * @throws OutOfMemoryError if the kernel refuses the mapping
     */
    static MemorySegment mapAnonymous(long size, Arena arena) {
        long address;
        try {
            address = (long) MMAP.invokeExact(0L, size, (long) (PROT_READ | PROT_WRITE),
                    (long) (MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE), -1L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (address == -1L || address == 0L) {
            throw new OutOfMemoryError("mmap of " + size + " bytes failed");
        }
        return MemorySegment.ofAddress(address).reinterpret(size, arena, segment -> {
            try {
                long ignored = (long) MUNMAP.invokeExact(segment.address(), size);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        });
    }

    static int umask(int mask) {
        try {
            return (int) (long) UMASK.invokeExact((long) mask);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getpid() {
        try {
            return (int) (long) GETPID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int geteuid() {
        try {
            return (int) (long) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int isatty(int fd) {
        try {
            return (int) (long) ISATTY.invokeExact((long) fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Closes {@code fd} if it is valid, ignoring errors (for clean-up paths). */
    static void closeQuietly(int fd) {
        if (fd >= 0) {
            try (Arena arena = Arena.ofConfined()) {
                close(newCallState(arena), fd);
            }
        }
    }

    /** Writes 1 to an eventfd so that a poll on it wakes up. */
    static void signal(MemorySegment state, int eventFd, MemorySegment eightBytes) {
        eightBytes.set(JAVA_LONG, 0, 1L);
        write(state, eventFd, eightBytes, 8);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}
