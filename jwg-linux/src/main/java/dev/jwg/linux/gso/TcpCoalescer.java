package dev.jwg.linux.gso;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jwg.device.io.PacketBatch;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * GRO for the TUN write path, without copying: runs of consecutive packets of a batch that belong
 * to the same TCP flow and continue each other are written as one GSO super-packet ({@code gso_type}
 * TCPV4/TCPV6) with one {@code writev}, whose iovecs are the first packet (headers included) and the
 * payloads of the others, where they lie in the batch's memory. Everything else goes as single
 * packets with an all-zero virtio header. The kernel then sees one large segment instead of dozens,
 * as it would after its own GRO.
 *
 * <p>A packet joins the run before it when (the rules of the kernel's {@code tcp_gro_receive} and
 * of wireguard-go's {@code tcpPacketsCanCoalesce}, kept simple):
 * <ul>
 * <li>both are IPv4 without options or fragmentation, or IPv6 with TCP as the next header, with
 *     the IP length fields matching the packet length;
 * <li>TCP flags are exactly ACK, or ACK|PSH; a PSH packet ends the run (PSH is only allowed on the
 *     last segment of a super-packet), so do a packet shorter than the first one, 64 KiB and
 *     {@link #MAX_SEGMENTS} packets;
 * <li>same addresses, ports, acknowledgment number, TCP header length and option bytes, and same
 *     IPv4 TOS, DF and TTL or IPv6 version/traffic class/flow label and hop limit;
 * <li>its sequence number is where the run's data ends, and its payload is not larger than the
 *     first packet's, which is the run's {@code gso_size};
 * <li>its IPv4 header checksum verifies (the super-packet gets a new one, which must not hide a bad
 *     one). TCP checksums are not verified: these packets come out of an authenticated decryption,
 *     so they are exactly what the peer sent, and the kernel's WireGuard likewise marks the packets
 *     it decrypts as needing no checksum check ({@code CHECKSUM_UNNECESSARY}).
 * </ul>
 *
 * <p>A super-packet carries the first packet's headers, rewritten in place: the IPv4 total length
 * and header checksum or the IPv6 payload length, PSH if its last packet had it, and in the TCP
 * checksum field the folded pseudo-header sum, as the kernel expects with
 * {@link VirtioNetHdr#F_NEEDS_CSUM} ({@code csum_start} = the TCP header, {@code csum_offset} 16).
 * Every packet's virtio header goes into the 10 bytes before it (the batch's headroom), which is
 * all that is modified besides the first packet's headers.
 *
 * <p>Mutable, not thread-safe: one per writing thread.
 */
public final class TcpCoalescer {
    /** Where packets go: one contiguous packet, or a super-packet in iovecs. */
    public interface Sink {
        /** Writes {@code length} bytes at {@code address} (a virtio header, then the packet). */
        void write(long address, int length) throws IOException;

        /** Writes the {@code count} iovecs at {@code iov} as one packet (a virtio header, then the super-packet). */
        void writev(long iov, int count) throws IOException;
    }

    /** Largest super-packet: the IPv4 total length limit, used for IPv6 too. */
    public static final int MAX_LENGTH = 0xffff;
    /** Most packets in one super-packet (the kernel's GRO stops at 64 too). */
    public static final int MAX_SEGMENTS = 64;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int H = VirtioNetHdr.SIZE;
    private static final long IOV = 16;

    private final VirtioNetHdr hdr = new VirtioNetHdr();
    private final boolean coalesce;
    private long superPackets;

    // The batch being written.
    private MemorySegment mem;
    private long memAddress;
    private MemorySegment iovs;
    private long iovsAddress;

    // The current run: its first packet stays where it is (head*), the others' payloads are iovecs.
    private boolean active;
    private int headIov;
    private long headOff;
    private int headLen;
    private int merged;
    private boolean v6;
    private int ipLen;
    private int hdrLen;
    private int gsoSize;
    private int nextSeq;
    private int length;
    private boolean closed;
    private boolean psh;

    // The packet being looked at, filled by parse().
    private boolean pV6;
    private int pIpLen;
    private int pHdrLen;
    private int pPayload;
    private int pSeq;
    private boolean pPsh;

    /** {@code coalesce} false: every packet is written alone (a TUN with a virtio header but no offloads). */
    public TcpCoalescer(boolean coalesce) {
        this.coalesce = coalesce;
    }

    /** Super-packets written so far (for tests and diagnostics). */
    public long superPackets() {
        return superPackets;
    }

    /**
     * Writes slots {@code from..to-1} of {@code batch} (length 0: skipped) to {@code sink}, coalescing
     * where allowed. {@code mem} is the batch's memory at native address {@code memAddress} (slot
     * {@code i}'s packet at {@code memAddress + offset(i)}); {@code iovs} at {@code iovsAddress} holds
     * an iovec per slot (index {@code i} for slot {@code i}), of which this uses indices {@code from..to-1} only.
     */
    public void write(PacketBatch batch, int from, int to, MemorySegment mem, long memAddress, MemorySegment iovs,
            long iovsAddress, Sink sink) throws IOException {
        this.mem = mem;
        this.memAddress = memAddress;
        this.iovs = iovs;
        this.iovsAddress = iovsAddress;
        active = false;
        try {
            for (int i = from; i < to; i++) {
                int l = batch.length(i);
                if (l == 0) {
                    continue;
                }
                long o = batch.offset(i);
                if (!coalesce || !parse(o, l)) {
                    flush(sink);
                    single(o, l, sink);
                    continue;
                }
                if (active && canAppend(o)) {
                    if (merged == 0 && !v6 && !ipv4HeaderValid(headOff)) {
                        single(headOff, headLen, sink);
                        start(i, o, l);
                        continue;
                    }
                    if (!pV6 && !ipv4HeaderValid(o)) {
                        flush(sink);
                        single(o, l, sink);
                        continue;
                    }
                    append(o);
                    continue;
                }
                flush(sink);
                start(i, o, l);
            }
            flush(sink);
        } finally {
            active = false;
            this.mem = null;
            this.iovs = null;
        }
    }

    /** Parses a possible member of a run at {@code o} into the p* fields; false when it is not one. */
    private boolean parse(long o, int l) {
        if (l < 40) {
            return false;
        }
        int b0 = mem.get(JAVA_BYTE, o);
        int version = (b0 & 0xff) >>> 4;
        if (version == 4) {
            if (b0 != 0x45 || mem.get(JAVA_BYTE, o + 9) != GsoSplitter.TCP || Checksum.u16(mem, o + 2) != l
                    || (mem.get(JAVA_BYTE, o + 6) & 0x3f) != 0 || mem.get(JAVA_BYTE, o + 7) != 0) {
                return false; // options, not TCP, length mismatch, or a fragment
            }
            pV6 = false;
            pIpLen = 20;
        } else if (version == 6) {
            if (l < 60 || mem.get(JAVA_BYTE, o + 6) != GsoSplitter.TCP || Checksum.u16(mem, o + 4) + 40 != l) {
                return false;
            }
            pV6 = true;
            pIpLen = 40;
        } else {
            return false;
        }
        long t = o + pIpLen;
        int tcpLen = ((mem.get(JAVA_BYTE, t + 12) & 0xff) >>> 4) * 4;
        if (tcpLen < 20 || pIpLen + tcpLen >= l) {
            return false; // bad header length, or no payload
        }
        int flags = mem.get(JAVA_BYTE, t + 13) & 0xff;
        if (flags != ACK && flags != (ACK | PSH)) {
            return false;
        }
        pPsh = flags != ACK;
        pHdrLen = pIpLen + tcpLen;
        pPayload = l - pHdrLen;
        pSeq = Checksum.u32(mem, t + 4);
        return true;
    }

    private void start(int slot, long o, int l) {
        active = true;
        headIov = slot;
        headOff = o;
        headLen = l;
        merged = 0;
        v6 = pV6;
        ipLen = pIpLen;
        hdrLen = pHdrLen;
        gsoSize = pPayload;
        nextSeq = pSeq + pPayload;
        length = l;
        closed = pPsh;
        psh = pPsh;
    }

    private boolean canAppend(long o) {
        if (closed || merged + 1 >= MAX_SEGMENTS || pV6 != v6 || pHdrLen != hdrLen || pPayload > gsoSize
                || pSeq != nextSeq || length + pPayload > MAX_LENGTH) {
            return false;
        }
        long h = headOff;
        if (v6) {
            if (mem.get(Checksum.INT, o) != mem.get(Checksum.INT, h) || mem.get(JAVA_BYTE, o + 7) != mem.get(JAVA_BYTE, h + 7)
                    || !equal(o + 8, h + 8, 32)) {
                return false;
            }
        } else {
            if (mem.get(JAVA_BYTE, o + 1) != mem.get(JAVA_BYTE, h + 1)
                    || (mem.get(JAVA_BYTE, o + 6) & 0xe0) != (mem.get(JAVA_BYTE, h + 6) & 0xe0)
                    || mem.get(JAVA_BYTE, o + 8) != mem.get(JAVA_BYTE, h + 8) || !equal(o + 12, h + 12, 8)) {
                return false;
            }
        }
        long t = o + ipLen;
        long ht = h + ipLen;
        return mem.get(Checksum.INT, t) == mem.get(Checksum.INT, ht)          // ports
                && equal(t + 8, ht + 8, 5)                                     // acknowledgment, data offset + reserved bits
                && equal(t + 20, ht + 20, hdrLen - ipLen - 20);                // options
    }

    private boolean equal(long a, long b, int n) {
        return MemorySegment.mismatch(mem, a, a + n, mem, b, b + n) < 0;
    }

    private boolean ipv4HeaderValid(long o) {
        return Checksum.fold(Checksum.add(0, mem, o, 20)) == 0xffff;
    }

    private void append(long o) {
        long iov = (headIov + 1 + merged) * IOV;
        iovs.set(JAVA_LONG, iov, memAddress + o + hdrLen);
        iovs.set(JAVA_LONG, iov + 8, pPayload);
        length += pPayload;
        merged++;
        nextSeq += pPayload;
        psh = pPsh;
        closed = pPsh || pPayload < gsoSize;
    }

    /** Writes the current run, if any: its single packet, or the super-packet. */
    private void flush(Sink sink) throws IOException {
        if (!active) {
            return;
        }
        active = false;
        if (merged == 0) {
            single(headOff, headLen, sink);
            return;
        }
        long p = headOff;
        if (v6) {
            Checksum.putU16(mem, p + 4, length - 40);
        } else {
            Checksum.putU16(mem, p + 2, length);
            Checksum.putU16(mem, p + 10, 0);
            Checksum.putU16(mem, p + 10, Checksum.ipv4Header(mem, p, 20));
        }
        long t = p + ipLen;
        if (psh) {
            mem.set(JAVA_BYTE, t + 13, (byte) (mem.get(JAVA_BYTE, t + 13) | PSH));
        }
        int seed = Checksum.fold(Checksum.pseudoHeader(mem, p, v6, GsoSplitter.TCP, length - ipLen));
        Checksum.putU16(mem, t + VirtioNetHdr.TCP_CSUM_OFFSET, seed);
        hdr.flags = VirtioNetHdr.F_NEEDS_CSUM;
        hdr.gsoType = v6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4;
        hdr.hdrLen = hdrLen;
        hdr.gsoSize = gsoSize;
        hdr.csumStart = ipLen;
        hdr.csumOffset = VirtioNetHdr.TCP_CSUM_OFFSET;
        hdr.encode(mem, p - H);
        long iov = headIov * IOV;
        iovs.set(JAVA_LONG, iov, memAddress + p - H);
        iovs.set(JAVA_LONG, iov + 8, H + headLen);
        superPackets++;
        sink.writev(iovsAddress + iov, 1 + merged);
    }

    /** Writes one packet with an all-zero virtio header in the 10 bytes before it. */
    private void single(long o, int l, Sink sink) throws IOException {
        VirtioNetHdr.encodeNone(mem, o - H);
        sink.write(memAddress + o - H, l + H);
    }
}
