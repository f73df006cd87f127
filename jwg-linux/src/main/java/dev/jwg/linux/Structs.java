package dev.jwg.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One layout per C struct jwg passes to the kernel, with the byte offsets of the fields it uses.
 * Layouts are those of LP64 glibc on x86_64 and aarch64 (identical there; {@link Native} refuses
 * other architectures), as the C headers' {@code sizeof}/{@code offsetof} give them.
 *
 * <p>Constants only; thread-safe.
 */
final class Structs {
    private Structs() {}

    /** Network byte order for ports and IPv4/IPv6 addresses inside sockaddrs. */
    static final ValueLayout.OfShort NET_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);

    /** {@code struct ifreq}: 16-byte name then a 24-byte union (flags, mtu, ifindex all at offset 16). */
    static final class Ifreq {
        static final StructLayout LAYOUT = structLayout(
                sequenceLayout(16, JAVA_BYTE).withName("ifr_name"),
                JAVA_INT.withName("ifr_ifru"),
                paddingLayout(20));
        static final long NAME = LAYOUT.byteOffset(groupElement("ifr_name"));
        /** {@code ifr_flags} (short), {@code ifr_mtu} and {@code ifr_ifindex} (int) share this offset. */
        static final long UNION = LAYOUT.byteOffset(groupElement("ifr_ifru"));
    }

    /** {@code struct sockaddr_in} (16 bytes). */
    static final class SockaddrIn {
        static final StructLayout LAYOUT = structLayout(
                JAVA_SHORT.withName("sin_family"),
                NET_SHORT.withName("sin_port"),
                sequenceLayout(4, JAVA_BYTE).withName("sin_addr"),
                paddingLayout(8));
        static final long FAMILY = LAYOUT.byteOffset(groupElement("sin_family"));
        static final long PORT = LAYOUT.byteOffset(groupElement("sin_port"));
        static final long ADDR = LAYOUT.byteOffset(groupElement("sin_addr"));
    }

    /** {@code struct sockaddr_in6} (28 bytes). */
    static final class SockaddrIn6 {
        static final StructLayout LAYOUT = structLayout(
                JAVA_SHORT.withName("sin6_family"),
                NET_SHORT.withName("sin6_port"),
                JAVA_INT.withName("sin6_flowinfo"),
                sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
                JAVA_INT.withName("sin6_scope_id"));
        static final long FAMILY = LAYOUT.byteOffset(groupElement("sin6_family"));
        static final long PORT = LAYOUT.byteOffset(groupElement("sin6_port"));
        static final long FLOWINFO = LAYOUT.byteOffset(groupElement("sin6_flowinfo"));
        static final long ADDR = LAYOUT.byteOffset(groupElement("sin6_addr"));
        static final long SCOPE_ID = LAYOUT.byteOffset(groupElement("sin6_scope_id"));
    }

    /** {@code struct sockaddr_nl} (12 bytes). */
    static final class SockaddrNl {
        static final StructLayout LAYOUT = structLayout(
                JAVA_SHORT.withName("nl_family"),
                JAVA_SHORT.withName("nl_pad"),
                JAVA_INT.withName("nl_pid"),
                JAVA_INT.withName("nl_groups"));
        static final long FAMILY = LAYOUT.byteOffset(groupElement("nl_family"));
        static final long PID = LAYOUT.byteOffset(groupElement("nl_pid"));
        static final long GROUPS = LAYOUT.byteOffset(groupElement("nl_groups"));
    }

    /** {@code struct iovec} (16 bytes). */
    static final class Iovec {
        static final StructLayout LAYOUT = structLayout(
                ADDRESS.withName("iov_base"),
                JAVA_LONG.withName("iov_len"));
        static final long BASE = LAYOUT.byteOffset(groupElement("iov_base"));
        static final long LEN = LAYOUT.byteOffset(groupElement("iov_len"));
    }

    /** {@code struct msghdr} (56 bytes). */
    static final class Msghdr {
        static final StructLayout LAYOUT = structLayout(
                ADDRESS.withName("msg_name"),
                JAVA_INT.withName("msg_namelen"),
                paddingLayout(4),
                ADDRESS.withName("msg_iov"),
                JAVA_LONG.withName("msg_iovlen"),
                ADDRESS.withName("msg_control"),
                JAVA_LONG.withName("msg_controllen"),
                JAVA_INT.withName("msg_flags"),
                paddingLayout(4));
        static final long NAME = LAYOUT.byteOffset(groupElement("msg_name"));
        static final long NAMELEN = LAYOUT.byteOffset(groupElement("msg_namelen"));
        static final long IOV = LAYOUT.byteOffset(groupElement("msg_iov"));
        static final long IOVLEN = LAYOUT.byteOffset(groupElement("msg_iovlen"));
        static final long CONTROL = LAYOUT.byteOffset(groupElement("msg_control"));
        static final long CONTROLLEN = LAYOUT.byteOffset(groupElement("msg_controllen"));
        static final long FLAGS = LAYOUT.byteOffset(groupElement("msg_flags"));
    }

    /** {@code struct mmsghdr} (64 bytes): a msghdr and the byte count the kernel fills in. */
    static final class Mmsghdr {
        static final StructLayout LAYOUT = structLayout(
                Msghdr.LAYOUT.withName("msg_hdr"),
                JAVA_INT.withName("msg_len"),
                paddingLayout(4));
        static final long HDR = LAYOUT.byteOffset(groupElement("msg_hdr"));
        static final long LEN = LAYOUT.byteOffset(groupElement("msg_len"));
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct cmsghdr} (16 bytes); data follows, aligned to 8. */
    static final class Cmsghdr {
        static final StructLayout LAYOUT = structLayout(
                JAVA_LONG.withName("cmsg_len"),
                JAVA_INT.withName("cmsg_level"),
                JAVA_INT.withName("cmsg_type"));
        static final long LEN = LAYOUT.byteOffset(groupElement("cmsg_len"));
        static final long LEVEL = LAYOUT.byteOffset(groupElement("cmsg_level"));
        static final long TYPE = LAYOUT.byteOffset(groupElement("cmsg_type"));
        static final long DATA = LAYOUT.byteSize();

        static long align(long n) {
            return (n + 7) & ~7L;
        }

        /** {@code CMSG_LEN(n)}. */
        static long len(long dataLength) {
            return DATA + dataLength;
        }

        /** {@code CMSG_SPACE(n)}. */
        static long space(long dataLength) {
            return DATA + align(dataLength);
        }
    }

    /** {@code struct in_pktinfo} (12 bytes). */
    static final class InPktinfo {
        static final StructLayout LAYOUT = structLayout(
                JAVA_INT.withName("ipi_ifindex"),
                sequenceLayout(4, JAVA_BYTE).withName("ipi_spec_dst"),
                sequenceLayout(4, JAVA_BYTE).withName("ipi_addr"));
        static final long IFINDEX = LAYOUT.byteOffset(groupElement("ipi_ifindex"));
        static final long SPEC_DST = LAYOUT.byteOffset(groupElement("ipi_spec_dst"));
        static final long ADDR = LAYOUT.byteOffset(groupElement("ipi_addr"));
    }

    /** {@code struct in6_pktinfo} (20 bytes). */
    static final class In6Pktinfo {
        static final StructLayout LAYOUT = structLayout(
                sequenceLayout(16, JAVA_BYTE).withName("ipi6_addr"),
                JAVA_INT.withName("ipi6_ifindex"));
        static final long ADDR = LAYOUT.byteOffset(groupElement("ipi6_addr"));
        static final long IFINDEX = LAYOUT.byteOffset(groupElement("ipi6_ifindex"));
    }

    /** {@code struct pollfd} (8 bytes). */
    static final class Pollfd {
        static final StructLayout LAYOUT = structLayout(
                JAVA_INT.withName("fd"),
                JAVA_SHORT.withName("events"),
                JAVA_SHORT.withName("revents"));
        static final long FD = LAYOUT.byteOffset(groupElement("fd"));
        static final long EVENTS = LAYOUT.byteOffset(groupElement("events"));
        static final long REVENTS = LAYOUT.byteOffset(groupElement("revents"));
        static final long SIZE = LAYOUT.byteSize();

        static void set(MemorySegment fds, int i, int fd, short events) {
            fds.set(JAVA_INT, i * SIZE + FD, fd);
            fds.set(JAVA_SHORT, i * SIZE + EVENTS, events);
            fds.set(JAVA_SHORT, i * SIZE + REVENTS, (short) 0);
        }

        static short revents(MemorySegment fds, int i) {
            return fds.get(JAVA_SHORT, i * SIZE + REVENTS);
        }
    }

    /** {@code struct nlmsghdr} (16 bytes); messages are aligned to 4. */
    static final class Nlmsghdr {
        static final StructLayout LAYOUT = structLayout(
                JAVA_INT.withName("nlmsg_len"),
                JAVA_SHORT.withName("nlmsg_type"),
                JAVA_SHORT.withName("nlmsg_flags"),
                JAVA_INT.withName("nlmsg_seq"),
                JAVA_INT.withName("nlmsg_pid"));
        static final long LEN = LAYOUT.byteOffset(groupElement("nlmsg_len"));
        static final long TYPE = LAYOUT.byteOffset(groupElement("nlmsg_type"));
        static final long FLAGS = LAYOUT.byteOffset(groupElement("nlmsg_flags"));
        static final long SEQ = LAYOUT.byteOffset(groupElement("nlmsg_seq"));
        static final long PID = LAYOUT.byteOffset(groupElement("nlmsg_pid"));
        static final long SIZE = LAYOUT.byteSize();

        static long align(long n) {
            return (n + 3) & ~3L;
        }
    }

    /** {@code struct ifinfomsg} (16 bytes). */
    static final class Ifinfomsg {
        static final StructLayout LAYOUT = structLayout(
                JAVA_BYTE.withName("ifi_family"),
                JAVA_BYTE.withName("ifi_pad"),
                JAVA_SHORT.withName("ifi_type"),
                JAVA_INT.withName("ifi_index"),
                JAVA_INT.withName("ifi_flags"),
                JAVA_INT.withName("ifi_change"));
        static final long FAMILY = LAYOUT.byteOffset(groupElement("ifi_family"));
        static final long INDEX = LAYOUT.byteOffset(groupElement("ifi_index"));
        static final long FLAGS = LAYOUT.byteOffset(groupElement("ifi_flags"));
        static final long CHANGE = LAYOUT.byteOffset(groupElement("ifi_change"));
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct rtattr} (4 bytes); attributes are aligned to 4. */
    static final class Rtattr {
        static final StructLayout LAYOUT = structLayout(
                JAVA_SHORT.withName("rta_len"),
                JAVA_SHORT.withName("rta_type"));
        static final long LEN = LAYOUT.byteOffset(groupElement("rta_len"));
        static final long TYPE = LAYOUT.byteOffset(groupElement("rta_type"));
        static final long SIZE = LAYOUT.byteSize();
    }
}
