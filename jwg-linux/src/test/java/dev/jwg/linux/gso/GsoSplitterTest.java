package dev.jwg.linux.gso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.device.io.PacketBatch;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GsoSplitterTest {

    /** What the kernel hands over: one large packet, the TCP/UDP checksum field seeded with the pseudo-header sum. */
    private static byte[] superTcp(boolean v6, int id, int seq, int flags, byte[] options, byte[] payload) {
        byte[] p = Pkt.tcp(v6, id, seq, 777, flags, options, payload);
        int ip = v6 ? 40 : 20;
        Pkt.put16(p, ip + 16, Pkt.pseudo(p, v6, 6, p.length - ip));
        return p;
    }

    private static byte[] superUdp(boolean v6, int id, byte[] payload) {
        byte[] p = Pkt.udp(v6, id, payload);
        int ip = v6 ? 40 : 20;
        Pkt.put16(p, ip + 6, Pkt.pseudo(p, v6, 17, p.length - ip));
        return p;
    }

    private static VirtioNetHdr hdr(int type, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        VirtioNetHdr h = new VirtioNetHdr();
        h.flags = VirtioNetHdr.F_NEEDS_CSUM;
        h.gsoType = type;
        h.hdrLen = hdrLen;
        h.gsoSize = gsoSize;
        h.csumStart = csumStart;
        h.csumOffset = csumOffset;
        return h;
    }

    /** Splits with batches of {@code slots} slots until done; returns every segment. */
    private static List<byte[]> split(byte[] in, VirtioNetHdr h, int slots) {
        GsoSplitter s = new GsoSplitter();
        byte[] buf = new byte[in.length + 20];
        System.arraycopy(in, 0, buf, 7, in.length);
        assertThat(s.load(MemorySegment.ofArray(buf), 7, in.length, h)).isTrue();
        List<byte[]> out = new ArrayList<>();
        PacketBatch batch = PacketBatch.allocate(slots, 9000);
        MemorySegment mem = MemorySegment.ofBuffer(batch.memory());
        while (s.remaining() > 0) {
            int first = 1; // start past slot 0 to check the slot argument is honoured
            int n = s.split(batch, mem, first, slots - first);
            assertThat(n).isPositive();
            for (int i = first; i < first + n; i++) {
                assertThat(batch.offset(i)).isEqualTo(batch.region(i) + PacketBatch.HEADROOM);
                out.add(batch.packet(i));
            }
        }
        assertThat(Pkt.slice(buf, 7, 7 + in.length)).as("source untouched").isEqualTo(in);
        return out;
    }

    private static void checkTcp(boolean v6, int id, int seq, int flags, byte[] options, byte[] payload, int gso, int slots) {
        byte[] in = superTcp(v6, id, seq, flags, options, payload);
        int ip = v6 ? 40 : 20;
        List<byte[]> segs = split(in, hdr(v6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4, ip + 20 + options.length, gso, ip, 16), slots);
        int expected = (payload.length + gso - 1) / gso;
        assertThat(segs).hasSize(expected);
        for (int k = 0; k < expected; k++) {
            int from = k * gso;
            int to = Math.min(payload.length, from + gso);
            int f = flags;
            if (k != expected - 1) {
                f &= ~(Pkt.FIN | Pkt.PSH);
            }
            if (k != 0) {
                f &= ~Pkt.CWR;
            }
            byte[] want = Pkt.tcp(v6, id + k, seq + from, 777, f, options, Pkt.slice(payload, from, to));
            byte[] got = segs.get(k);
            assertThat(got).as("segment %d", k).isEqualTo(want);
            assertThat(Pkt.transportOk(got, v6, 6, ip)).isTrue();
            if (!v6) {
                assertThat(Pkt.ipv4HeaderOk(got)).isTrue();
            }
        }
    }

    @Test
    void splitsIpv4TsoWithTimestampsPshAndFin() {
        checkTcp(false, 1000, 123456, Pkt.ACK | Pkt.PSH | Pkt.FIN, Pkt.timestamps(11, 22), Pkt.payload(10_000, 1), 1368, 64);
    }

    @Test
    void sequenceNumbersAndIdsWrapAround() {
        checkTcp(false, 0xfffe, 0xffff_f000, Pkt.ACK, new byte[0], Pkt.payload(9000, 2), 1460, 64);
    }

    @Test
    void splitsIpv6TsoWithOddSizes() {
        checkTcp(true, 0, 42, Pkt.ACK | Pkt.PSH, Pkt.timestamps(5, 6), Pkt.payload(5003, 3), 1001, 64);
        checkTcp(true, 0, 42, Pkt.ACK | Pkt.CWR, new byte[0], Pkt.payload(4001, 4), 999, 64);
    }

    @Test
    void aSuperPacketOfOneSegmentIsStillFixedUp() {
        checkTcp(false, 7, 1, Pkt.ACK | Pkt.PSH, new byte[0], Pkt.payload(100, 5), 1448, 4);
    }

    @Test
    void sixtyFourKilobytesAcrossSmallBatches() {
        checkTcp(false, 9, 5, Pkt.ACK | Pkt.PSH, Pkt.timestamps(1, 2), Pkt.payload(65535 - 52, 6), 1368, 4);
        checkTcp(true, 0, 5, Pkt.ACK, Pkt.timestamps(1, 2), Pkt.payload(65535 - 32, 7), 1348, 7);
    }

    @Test
    void doesNotTrustTheKernelsHeaderLength() {
        byte[] payload = Pkt.payload(3000, 8);
        byte[] in = superTcp(false, 1, 1, Pkt.ACK, new byte[0], payload);
        List<byte[]> segs = split(in, hdr(VirtioNetHdr.GSO_TCPV4, 40 + 1000, 1000, 20, 16), 8);
        assertThat(segs).hasSize(3);
        assertThat(segs.get(2)).isEqualTo(Pkt.tcp(false, 3, 2001, 777, Pkt.ACK, new byte[0], Pkt.slice(payload, 2000, 3000)));
    }

    @Test
    void withoutPartialChecksumTheTransportHeaderIsFoundFromTheIpHeader() {
        byte[] payload = Pkt.payload(2500, 9);
        byte[] in = superTcp(true, 0, 1, Pkt.ACK, new byte[0], payload);
        VirtioNetHdr h = hdr(VirtioNetHdr.GSO_TCPV6, 60, 1200, 0, 0);
        h.flags = 0;
        List<byte[]> segs = split(in, h, 8);
        assertThat(segs).hasSize(3);
        assertThat(segs.get(1)).isEqualTo(Pkt.tcp(true, 0, 1201, 777, Pkt.ACK, new byte[0], Pkt.slice(payload, 1200, 2400)));
    }

    @Test
    void splitsUdpL4() {
        for (boolean v6 : new boolean[] {false, true}) {
            byte[] payload = Pkt.payload(4000, v6 ? 10 : 11);
            byte[] in = superUdp(v6, 300, payload);
            int ip = v6 ? 40 : 20;
            List<byte[]> segs = split(in, hdr(VirtioNetHdr.GSO_UDP_L4, ip + 8, 1472, ip, 6), 16);
            assertThat(segs).hasSize(3);
            for (int k = 0; k < 3; k++) {
                int from = k * 1472;
                byte[] want = Pkt.udp(v6, 300 + k, Pkt.slice(payload, from, Math.min(4000, from + 1472)));
                if (!v6) {
                    want[6] = in[6]; // UDP built without DF; copy the super-packet's flags byte
                    Pkt.fixIpv4Header(want);
                }
                assertThat(segs.get(k)).as("%s segment %d", v6 ? "IPv6" : "IPv4", k).isEqualTo(want);
                assertThat(Pkt.transportOk(segs.get(k), v6, 17, ip)).isTrue();
            }
        }
    }

    @Test
    void refusesMalformedSuperPackets() {
        GsoSplitter s = new GsoSplitter();
        byte[] v4 = superTcp(false, 1, 1, Pkt.ACK, new byte[0], Pkt.payload(3000, 1));
        byte[] v6 = superTcp(true, 1, 1, Pkt.ACK, new byte[0], Pkt.payload(3000, 1));
        byte[] udp = superUdp(false, 1, Pkt.payload(3000, 1));
        assertThat(s.load(MemorySegment.ofArray(v6), 0, v6.length, hdr(VirtioNetHdr.GSO_TCPV4, 60, 1000, 40, 16))).as("version").isFalse();
        assertThat(s.load(MemorySegment.ofArray(v4), 0, v4.length, hdr(VirtioNetHdr.GSO_TCPV6, 40, 1000, 20, 16))).as("version").isFalse();
        assertThat(s.load(MemorySegment.ofArray(udp), 0, udp.length, hdr(VirtioNetHdr.GSO_TCPV4, 28, 1000, 20, 16))).as("protocol").isFalse();
        assertThat(s.load(MemorySegment.ofArray(v4), 0, v4.length, hdr(VirtioNetHdr.GSO_TCPV4, 40, 0, 20, 16))).as("gso_size 0").isFalse();
        assertThat(s.load(MemorySegment.ofArray(v4), 0, v4.length, hdr(VirtioNetHdr.GSO_UDP, 40, 1000, 20, 16))).as("UFO").isFalse();
        assertThat(s.load(MemorySegment.ofArray(v4), 0, v4.length, hdr(VirtioNetHdr.GSO_TCPV4, 40, 1000, 24, 16))).as("csum_start").isFalse();
        assertThat(s.load(MemorySegment.ofArray(v4), 0, 40, hdr(VirtioNetHdr.GSO_TCPV4, 40, 1000, 20, 16))).as("no payload").isFalse();
        assertThat(s.load(MemorySegment.ofArray(v4), 0, 30, hdr(VirtioNetHdr.GSO_TCPV4, 40, 1000, 20, 16))).as("truncated").isFalse();
        assertThat(s.load(MemorySegment.ofArray(v4), 0, 19, hdr(VirtioNetHdr.GSO_TCPV4, 40, 1000, 20, 16))).as("truncated").isFalse();
        byte[] badOffset = v4.clone();
        badOffset[32] = 0x40; // TCP data offset 4 words
        assertThat(s.load(MemorySegment.ofArray(badOffset), 0, badOffset.length, hdr(VirtioNetHdr.GSO_TCPV4, 40, 1000, 20, 16))).isFalse();
        assertThat(s.remaining()).isZero();
        assertThat(s.load(MemorySegment.ofArray(v4), 0, v4.length, hdr(VirtioNetHdr.GSO_TCPV4, 40, 1000, 20, 16))).isTrue();
        assertThat(s.remaining()).isEqualTo(3);
        assertThat(s.segmentLength()).isEqualTo(1040);
    }

    @Test
    void completesPartialChecksums() {
        byte[] tcp = Pkt.tcp(false, 1, 2, 3, Pkt.ACK | Pkt.PSH, Pkt.timestamps(1, 2), Pkt.payload(777, 1));
        byte[] partial = tcp.clone();
        Pkt.put16(partial, 36, Pkt.pseudo(partial, false, 6, partial.length - 20));
        byte[] buf = new byte[partial.length + 3];
        System.arraycopy(partial, 0, buf, 3, partial.length);
        assertThat(GsoSplitter.completeChecksum(MemorySegment.ofArray(buf), 3, partial.length, 20, 16)).isTrue();
        assertThat(Pkt.slice(buf, 3, buf.length)).isEqualTo(tcp);

        byte[] udp = Pkt.udp(true, 0, Pkt.payload(333, 2));
        byte[] partialUdp = udp.clone();
        Pkt.put16(partialUdp, 46, Pkt.pseudo(partialUdp, true, 17, partialUdp.length - 40));
        assertThat(GsoSplitter.completeChecksum(MemorySegment.ofArray(partialUdp), 0, partialUdp.length, 40, 6)).isTrue();
        assertThat(partialUdp).isEqualTo(udp);

        assertThat(GsoSplitter.completeChecksum(MemorySegment.ofArray(tcp), 0, tcp.length, tcp.length, 0)).isFalse();
        assertThat(GsoSplitter.completeChecksum(MemorySegment.ofArray(tcp), 0, tcp.length, 20, tcp.length - 21)).isFalse();
    }
}
