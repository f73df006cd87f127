package dev.jwg.linux.gso;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.jwg.device.io.PacketBatch;
import java.lang.foreign.MemorySegment;

/**
 * Segmentation in software of the GSO super-packets a TUN with offloads hands over (what the
 * kernel's {@code tcp_gso_segment}/{@code __udp_gso_segment} would have done had the TUN not
 * offered TSO/USO): one TCP (or UDP) segment per {@code gso_size} bytes of payload, each a complete
 * IP packet with its own valid checksums.
 *
 * <p>Every segment gets a copy of the IP and transport headers with: IPv4 total length, IPv4 ID
 * (first ID + segment index) and header checksum; IPv6 payload length; TCP sequence number (first
 * + index × gso_size), FIN and PSH kept on the last segment only, CWR on the first only; UDP
 * length; and the full TCP/UDP checksum over the pseudo-header, header and payload (a UDP
 * checksum of 0 is sent as 0xffff).
 *
 * <p>The header the kernel reports in {@code hdr_len} is not trusted (for forwarded packets it can
 * cover the whole first segment): the transport header is located from the IP header, or from
 * {@code csum_start} when the checksum is partial, and its length read from the TCP data offset.
 *
 * <p>Resumable: {@link #load} takes a super-packet, {@link #split} writes as many segments as the
 * caller has slots for and can be called again for the rest, so a super-packet that does not fit
 * one batch is finished in the next. The source bytes must stay unchanged until
 * {@link #remaining()} is 0; they are never modified. Splitting is the one copy of the send path:
 * each segment is built in its slot of the batch's memory, where it is then encrypted and sent.
 *
 * <p>Mutable, not thread-safe: one per TUN reader.
 */
public final class GsoSplitter {
    static final int TCP = 6;
    static final int UDP = 17;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;

    private MemorySegment buf;
    private long off;
    private int len;
    private boolean v6;
    private int protocol;
    private int transport;
    private int hdrLen;
    private int gsoSize;
    private int segments;
    private int next;
    private int firstSeq;
    private int firstId;

    /**
     * Takes the super-packet {@code buf[off, off+len)} (IP header first, virtio header already
     * decoded into {@code hdr}). Returns false, leaving nothing loaded, when it is malformed or of
     * a GSO type this class does not handle: the caller drops it.
     */
    public boolean load(MemorySegment buf, long off, int len, VirtioNetHdr hdr) {
        clear();
        if (len < 20) {
            return false;
        }
        int type = hdr.gsoType & ~VirtioNetHdr.GSO_ECN;
        int version = (buf.get(JAVA_BYTE, off) & 0xff) >>> 4;
        int proto;
        switch (type) {
            case VirtioNetHdr.GSO_TCPV4 -> {
                if (version != 4) {
                    return false;
                }
                proto = TCP;
            }
            case VirtioNetHdr.GSO_TCPV6 -> {
                if (version != 6) {
                    return false;
                }
                proto = TCP;
            }
            case VirtioNetHdr.GSO_UDP_L4 -> proto = UDP;
            default -> {
                return false;
            }
        }
        boolean partial = (hdr.flags & VirtioNetHdr.F_NEEDS_CSUM) != 0;
        int t;
        if (version == 4) {
            t = (buf.get(JAVA_BYTE, off) & 0x0f) * 4;
            if (t < 20 || (buf.get(JAVA_BYTE, off + 9) & 0xff) != proto || (partial && hdr.csumStart != t)) {
                return false;
            }
        } else if (version == 6) {
            t = partial ? hdr.csumStart : 40;
            if (t < 40 || (t == 40 && (buf.get(JAVA_BYTE, off + 6) & 0xff) != proto)) {
                return false;
            }
        } else {
            return false;
        }
        int headers;
        if (proto == TCP) {
            if (len < t + 20) {
                return false;
            }
            int tcpLen = ((buf.get(JAVA_BYTE, off + t + 12) & 0xff) >>> 4) * 4;
            if (tcpLen < 20) {
                return false;
            }
            headers = t + tcpLen;
        } else {
            headers = t + 8;
        }
        if (hdr.gsoSize == 0 || len <= headers || headers + hdr.gsoSize > 0xffff) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.v6 = version == 6;
        this.protocol = proto;
        this.transport = t;
        this.hdrLen = headers;
        this.gsoSize = hdr.gsoSize;
        this.segments = (len - headers + gsoSize - 1) / gsoSize;
        this.next = 0;
        this.firstId = v6 ? 0 : Checksum.u16(buf, off + 4);
        this.firstSeq = proto == TCP ? Checksum.u32(buf, off + t + 4) : 0;
        return true;
    }

    /** Segments not yet written. */
    public int remaining() {
        return segments - next;
    }

    /** Length of the largest segment (IP and transport headers plus gso_size): what a slot must hold. */
    public int segmentLength() {
        return hdrLen + gsoSize;
    }

    /**
     * Writes the next segments, at most {@code maxSegments}, into slots {@code slot, slot+1, ...} of
     * {@code out} (each at its standard offset, {@code region + HEADROOM}), whose memory is
     * {@code mem}; returns how many. The slots must hold {@link #segmentLength()} bytes.
     */
    public int split(PacketBatch out, MemorySegment mem, int slot, int maxSegments) {
        int n = Math.min(maxSegments, remaining());
        for (int i = 0; i < n; i++) {
            segment(next++, out, mem, slot + i);
        }
        if (next == segments) {
            clear();
        }
        return n;
    }

    /** Forgets the loaded super-packet. */
    public void clear() {
        buf = null;
        segments = 0;
        next = 0;
    }

    private void segment(int k, PacketBatch out, MemorySegment d, int slot) {
        int dataStart = hdrLen + k * gsoSize;
        int dataLen = Math.min(gsoSize, len - dataStart);
        int total = hdrLen + dataLen;
        long at = out.region(slot) + PacketBatch.HEADROOM;
        MemorySegment.copy(buf, off, d, at, hdrLen);
        MemorySegment.copy(buf, off + dataStart, d, at + hdrLen, dataLen);
        if (v6) {
            Checksum.putU16(d, at + 4, total - 40);
        } else {
            Checksum.putU16(d, at + 2, total);
            Checksum.putU16(d, at + 4, firstId + k);
            Checksum.putU16(d, at + 10, 0);
            Checksum.putU16(d, at + 10, Checksum.ipv4Header(d, at, transport));
        }
        long t = at + transport;
        long field;
        if (protocol == TCP) {
            Checksum.putU32(d, t + 4, firstSeq + k * gsoSize);
            int flags = d.get(JAVA_BYTE, t + 13) & 0xff;
            if (k != segments - 1) {
                flags &= ~(FIN | PSH);
            }
            if (k != 0) {
                flags &= ~CWR;
            }
            d.set(JAVA_BYTE, t + 13, (byte) flags);
            field = t + VirtioNetHdr.TCP_CSUM_OFFSET;
        } else {
            Checksum.putU16(d, t + 4, total - transport);
            field = t + VirtioNetHdr.UDP_CSUM_OFFSET;
        }
        Checksum.putU16(d, field, 0);
        long sum = Checksum.pseudoHeader(d, at, v6, protocol, total - transport);
        int c = Checksum.finish(Checksum.add(sum, d, t, total - transport));
        Checksum.putU16(d, field, c == 0 && protocol == UDP ? 0xffff : c);
        out.set(slot, (int) at, total);
    }

    /**
     * Completes a partial checksum (a packet read with {@link VirtioNetHdr#F_NEEDS_CSUM} and no
     * GSO): the kernel left the pseudo-header sum in the field at {@code csumStart + csumOffset},
     * so the sum from {@code csumStart} to the end, complemented, is the checksum (0 is written as
     * 0xffff, as the kernel's {@code skb_checksum_help} does). False when the offsets lie outside
     * the packet: the caller drops it.
     */
    public static boolean completeChecksum(MemorySegment b, long off, int len, int csumStart, int csumOffset) {
        int field = csumStart + csumOffset;
        if (csumStart >= len || field + 2 > len) {
            return false;
        }
        int c = Checksum.finish(Checksum.add(0, b, off + csumStart, len - csumStart));
        Checksum.putU16(b, off + field, c == 0 ? 0xffff : c);
        return true;
    }
}
