package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The receive side of a socket's {@code recvmmsg}: {@code capacity} mmsghdrs, each wired once to
 * its own iovec, {@code bufferSize}-byte payload buffer, sockaddr and control buffer; message i
 * reads into its own buffer. Each datagram is then copied once into its batch slot (a GRO buffer
 * holds several, and is cut as it is copied). Sending needs no such area: a send's mmsghdrs live
 * with its batch ({@link LinuxBatch}) and its iovecs point at the slots. The sizes and offsets
 * here ({@link #NAME_SIZE}, {@link #CONTROL_SIZE}, {@link #hdr}) are shared with that.
 *
 * <p>Mutable, not thread-safe: owned by the socket's receiving thread.
 */
final class MessageArray {
    /** sockaddr_in6 (28 bytes) rounded up. */
    static final long NAME_SIZE = 32;
    /**
     * Room for every control message of one datagram: an IPv4 datagram on the dual-stack socket
     * comes with UDP_GRO (CMSG_SPACE(int) = 24), IPV6_PKTINFO (40) and IP_PKTINFO (32); a send
     * has a pktinfo and UDP_SEGMENT (CMSG_SPACE(u16) = 24).
     */
    static final long CONTROL_SIZE = 128;

    final int capacity;
    final int bufferSize;
    final MemorySegment msgs;
    final MemorySegment iovs;
    final MemorySegment names;
    final MemorySegment controls;
    final MemorySegment buffers;
    final MemorySegment state;

    MessageArray(Arena arena, int capacity, int bufferSize) {
        this.capacity = capacity;
        this.bufferSize = bufferSize;
        this.msgs = arena.allocate(Structs.Mmsghdr.SIZE * capacity, 8);
        this.iovs = arena.allocate(Structs.Iovec.LAYOUT.byteSize() * capacity, 8);
        this.names = arena.allocate(NAME_SIZE * capacity, 8);
        this.controls = arena.allocate(CONTROL_SIZE * capacity, 8);
        // 128 messages of 64 KiB: mapped, not allocated, so that only the pages in use are resident
        this.buffers = Libc.mapAnonymous((long) bufferSize * capacity, arena);
        this.state = Libc.newCallState(arena);
        long iovSize = Structs.Iovec.LAYOUT.byteSize();
        for (int i = 0; i < capacity; i++) {
            long iov = i * iovSize;
            iovs.set(ADDRESS, iov + Structs.Iovec.BASE, buffers.asSlice((long) i * bufferSize));
            iovs.set(JAVA_LONG, iov + Structs.Iovec.LEN, bufferSize);
            long h = hdr(i);
            msgs.set(ADDRESS, h + Structs.Msghdr.NAME, names.asSlice(i * NAME_SIZE));
            msgs.set(ADDRESS, h + Structs.Msghdr.IOV, iovs.asSlice(iov));
            msgs.set(JAVA_LONG, h + Structs.Msghdr.IOVLEN, 1);
        }
    }

    boolean fits(int capacity, int bufferSize) {
        return this.capacity >= capacity && this.bufferSize >= bufferSize;
    }

    /** Offset of slot i's msghdr in {@link #msgs}. */
    static long hdr(int i) {
        return i * Structs.Mmsghdr.SIZE + Structs.Mmsghdr.HDR;
    }

    long name(int i) {
        return i * NAME_SIZE;
    }

    long control(int i) {
        return i * CONTROL_SIZE;
    }

    long buffer(int i) {
        return (long) i * bufferSize;
    }

    /**
     * Prepares every message for receiving: full name and control room, its full payload buffer.
     * After a {@code recvmmsg}, only the messages it filled need {@link #rearmForReceive}.
     */
    void prepareForReceive(int nameLength) {
        long iovSize = Structs.Iovec.LAYOUT.byteSize();
        for (int i = 0; i < capacity; i++) {
            iovs.set(JAVA_LONG, i * iovSize + Structs.Iovec.BASE, buffers.address() + buffer(i));
            iovs.set(JAVA_LONG, i * iovSize + Structs.Iovec.LEN, bufferSize);
            msgs.set(JAVA_LONG, hdr(i) + Structs.Msghdr.CONTROL, controls.address() + control(i));
            rearmForReceive(i, nameLength);
        }
    }

    /**
     * Gives message i back the room {@code recvmmsg} shrank to what it wrote (name and control
     * lengths) and clears its flags and length; the iovec and pointers are left alone.
     */
    void rearmForReceive(int i, int nameLength) {
        long h = hdr(i);
        msgs.set(JAVA_INT, h + Structs.Msghdr.NAMELEN, nameLength);
        msgs.set(JAVA_LONG, h + Structs.Msghdr.CONTROLLEN, CONTROL_SIZE);
        msgs.set(JAVA_INT, h + Structs.Msghdr.FLAGS, 0);
        msgs.set(JAVA_INT, i * Structs.Mmsghdr.SIZE + Structs.Mmsghdr.LEN, 0);
    }

    int receivedLength(int i) {
        return msgs.get(JAVA_INT, i * Structs.Mmsghdr.SIZE + Structs.Mmsghdr.LEN);
    }

    int receivedFlags(int i) {
        return msgs.get(JAVA_INT, hdr(i) + Structs.Msghdr.FLAGS);
    }

    long receivedControlLength(int i) {
        return msgs.get(JAVA_LONG, hdr(i) + Structs.Msghdr.CONTROLLEN);
    }
}
