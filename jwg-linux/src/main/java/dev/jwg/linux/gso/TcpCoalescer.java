package dev.jwg.linux.gso;

import dev.jwg.device.io.PacketBatch;
import java.io.IOException;
import java.util.Arrays;

/**
 * GRO for the TUN write path: runs of consecutive packets of one batch that belong to the same
 * TCP flow and continue each other are written as one GSO super-packet
 * ({@code gso_type} TCPV4/TCPV6), everything else as single packets with an all-zero virtio
 * header. The kernel then sees one large segment instead of dozens, as it would after its own GRO.
 *
 * <p>A packet joins the run before it when (the rules of the kernel's {@code tcp_gro_receive} and
 * of wireguard-go's {@code tcpPacketsCanCoalesce}, kept simple):
 * <ul>
 * <li>both are IPv4 without options or fragmentation, or IPv6 with TCP as the next header, with
 *     the IP length fields matching the packet length;
 * <li>TCP flags are exactly ACK, or ACK|PSH; a PSH packet ends the run (PSH is only allowed on the
 *     last segment of a super-packet), so do a packet shorter than the first one and 64 KiB;
 * <li>same addresses, ports, acknowledgment number, TCP header length and option bytes, and same
 *     IPv4 TOS, DF and TTL or IPv6 version/traffic class/flow label and hop limit;
 * <li>its sequence number is where the run's data ends, and its payload is not larger than the
 *     first packet's, which is the run's {@code gso_size};
 * <li>its TCP checksum (and IPv4 header checksum) verifies, as does the first packet's: the
 *     kernel completes the checksum of a super-packet, so a corrupt segment must not be hidden in it.
 * </ul>
 *
 * <p>A super-packet carries the first packet's headers with the IPv4 total length and header
 * checksum or the IPv6 payload length rewritten, PSH if its last packet had it, and in the TCP
 * checksum field the folded pseudo-header sum, as the kernel expects with
 * {@link VirtioNetHdr#F_NEEDS_CSUM} ({@code csum_start} = the TCP header, {@code csum_offset} 16).
 *
 * <p>Single packets whose offset leaves room for the virtio header are written from their own
 * buffer with the header put into the bytes just before them (the batch's headroom); nothing else
 * of a batch is modified.
 *
 * <p>Mutable, not thread-safe: one per TUN, used under its write lock.
 */
public final class TcpCoalescer {
    /** Where packets go, each starting with its virtio header: {@code b[off, off+len)}. */
    @FunctionalInterface
    public interface Sink {
        void write(byte[] b, int off, int len) throws IOException;
    }

    /** Largest super-packet: the IPv4 total length limit, used for IPv6 too. */
    public static final int MAX_LENGTH = 0xffff;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int H = VirtioNetHdr.SIZE;

    private final byte[] staging;
    private final VirtioNetHdr hdr = new VirtioNetHdr();
    private final boolean coalesce;
    private long superPackets;

    // The current run. While merged == 0 its only packet stays in the caller's buffer (head*).
    private boolean active;
    private byte[] headBuf;
    private int headOff;
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
        this(coalesce, new byte[H + MAX_LENGTH]);
    }

    /**
     * Like {@link #TcpCoalescer(boolean)}, building super-packets in the caller's {@code staging} array
     * (at least {@link VirtioNetHdr#SIZE} + {@link #MAX_LENGTH} bytes). The sink then gets every packet
     * either in {@code staging} at offset 0, or in a batch buffer while {@code staging} holds nothing
     * this coalescer still needs: a sink may use it as scratch space for such a packet (a TUN copies
     * it there, to write from one array whose memory segment it made once).
     */
    public TcpCoalescer(boolean coalesce, byte[] staging) {
        if (staging.length < H + MAX_LENGTH) {
            throw new IllegalArgumentException("staging array of " + staging.length + " bytes");
        }
        this.coalesce = coalesce;
        this.staging = staging;
    }

    /** Super-packets written so far (for tests and diagnostics). */
    public long superPackets() {
        return superPackets;
    }

    /** Writes the first {@code batch.count()} packets to {@code sink}, coalescing where allowed. */
    public void write(PacketBatch batch, Sink sink) throws IOException {
        active = false;
        try {
            int count = batch.count();
            for (int i = 0; i < count; i++) {
                byte[] b = batch.buffer(i);
                int o = batch.offset(i);
                int l = batch.length(i);
                if (!coalesce || !parse(b, o, l)) {
                    flush(sink);
                    single(b, o, l, sink);
                    continue;
                }
                if (active && canAppend(b, o, l)) {
                    if (merged == 0) {
                        if (!valid(headBuf, headOff, headLen, v6, ipLen)) {
                            single(headBuf, headOff, headLen, sink);
                            start(b, o, l);
                            continue;
                        }
                        System.arraycopy(headBuf, headOff, staging, H, headLen);
                        length = headLen;
                    }
                    if (!valid(b, o, l, pV6, pIpLen)) {
                        flush(sink);
                        single(b, o, l, sink);
                        continue;
                    }
                    append(b, o);
                    continue;
                }
                flush(sink);
                start(b, o, l);
            }
            flush(sink);
        } finally {
            active = false;
            headBuf = null;
        }
    }

    /** Parses a possible member of a run into the p* fields; false when it is not one. */
    private boolean parse(byte[] b, int o, int l) {
        if (l < 40) {
            return false;
        }
        int version = (b[o] & 0xff) >>> 4;
        if (version == 4) {
            if (b[o] != 0x45 || b[o + 9] != GsoSplitter.TCP || Checksum.u16(b, o + 2) != l
                    || (b[o + 6] & 0x3f) != 0 || b[o + 7] != 0) {
                return false; // options, not TCP, length mismatch, or a fragment
            }
            pV6 = false;
            pIpLen = 20;
        } else if (version == 6) {
            if (l < 60 || b[o + 6] != GsoSplitter.TCP || Checksum.u16(b, o + 4) + 40 != l) {
                return false;
            }
            pV6 = true;
            pIpLen = 40;
        } else {
            return false;
        }
        int t = o + pIpLen;
        int tcpLen = ((b[t + 12] & 0xff) >>> 4) * 4;
        if (tcpLen < 20 || pIpLen + tcpLen >= l) {
            return false; // bad header length, or no payload
        }
        int flags = b[t + 13] & 0xff;
        if (flags != ACK && flags != (ACK | PSH)) {
            return false;
        }
        pPsh = flags != ACK;
        pHdrLen = pIpLen + tcpLen;
        pPayload = l - pHdrLen;
        pSeq = Checksum.u32(b, t + 4);
        return true;
    }

    private void start(byte[] b, int o, int l) {
        active = true;
        headBuf = b;
        headOff = o;
        headLen = l;
        merged = 0;
        v6 = pV6;
        ipLen = pIpLen;
        hdrLen = pHdrLen;
        gsoSize = pPayload;
        nextSeq = pSeq + pPayload;
        closed = pPsh;
        psh = pPsh;
    }

    private boolean canAppend(byte[] b, int o, int l) {
        if (closed || pV6 != v6 || pHdrLen != hdrLen || pPayload > gsoSize || pSeq != nextSeq) {
            return false;
        }
        if ((merged == 0 ? headLen : length) + pPayload > MAX_LENGTH) {
            return false;
        }
        byte[] h = merged == 0 ? headBuf : staging;
        int ho = merged == 0 ? headOff : H;
        if (v6) {
            if (!Arrays.equals(b, o, o + 4, h, ho, ho + 4) || b[o + 7] != h[ho + 7]
                    || !Arrays.equals(b, o + 8, o + 40, h, ho + 8, ho + 40)) {
                return false;
            }
        } else {
            if (b[o + 1] != h[ho + 1] || (b[o + 6] & 0xe0) != (h[ho + 6] & 0xe0) || b[o + 8] != h[ho + 8]
                    || !Arrays.equals(b, o + 12, o + 20, h, ho + 12, ho + 20)) {
                return false;
            }
        }
        int t = o + ipLen;
        int ht = ho + ipLen;
        return Arrays.equals(b, t, t + 4, h, ht, ht + 4)          // ports
                && Arrays.equals(b, t + 8, t + 13, h, ht + 8, ht + 13) // acknowledgment, data offset + reserved bits
                && Arrays.equals(b, t + 20, o + hdrLen, h, ht + 20, ho + hdrLen); // options
    }

    private static boolean valid(byte[] b, int o, int l, boolean v6, int ipLen) {
        if (!v6 && Checksum.fold(Checksum.add(0, b, o, 20)) != 0xffff) {
            return false;
        }
        return Checksum.transportValid(b, o, l, v6, GsoSplitter.TCP, ipLen);
    }

    private void append(byte[] b, int o) {
        System.arraycopy(b, o + hdrLen, staging, H + length, pPayload);
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
            single(headBuf, headOff, headLen, sink);
            return;
        }
        int p = H;
        if (v6) {
            Checksum.putU16(staging, p + 4, length - 40);
        } else {
            Checksum.putU16(staging, p + 2, length);
            Checksum.putU16(staging, p + 10, 0);
            Checksum.putU16(staging, p + 10, Checksum.ipv4Header(staging, p, 20));
        }
        int t = p + ipLen;
        if (psh) {
            staging[t + 13] |= PSH;
        }
        int seed = Checksum.fold(Checksum.pseudoHeader(staging, p, v6, GsoSplitter.TCP, length - ipLen));
        Checksum.putU16(staging, t + VirtioNetHdr.TCP_CSUM_OFFSET, seed);
        hdr.flags = VirtioNetHdr.F_NEEDS_CSUM;
        hdr.gsoType = v6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4;
        hdr.hdrLen = hdrLen;
        hdr.gsoSize = gsoSize;
        hdr.csumStart = ipLen;
        hdr.csumOffset = VirtioNetHdr.TCP_CSUM_OFFSET;
        hdr.encode(staging, 0);
        superPackets++;
        sink.write(staging, 0, H + length);
    }

    /** Writes one packet with an all-zero virtio header. The staging buffer must be free. */
    private void single(byte[] b, int o, int l, Sink sink) throws IOException {
        if (o >= H) {
            VirtioNetHdr.encodeNone(b, o - H);
            sink.write(b, o - H, l + H);
        } else {
            VirtioNetHdr.encodeNone(staging, 0);
            System.arraycopy(b, o, staging, H, l);
            sink.write(staging, 0, l + H);
        }
    }
}
