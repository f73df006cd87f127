package dev.jwg.linux.gso;

import static org.assertj.core.api.Assertions.assertThat;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jwg.device.io.PacketBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpCoalescerTest {
    private static final byte[] TS = Pkt.timestamps(100, 200);

    /** One write as the kernel receives it: virtio header and packet. */
    record Written(VirtioNetHdr hdr, byte[] packet) {}

    private static List<Written> write(boolean coalesce, List<byte[]> packets) throws Exception {
        return write(new TcpCoalescer(coalesce), packets, PacketBatch.HEADROOM);
    }

    private static List<Written> write(TcpCoalescer c, List<byte[]> packets, int offset) throws Exception {
        PacketBatch batch = PacketBatch.allocate(packets.size() + 1, 65535);
        MemorySegment mem = MemorySegment.ofBuffer(batch.memory());
        MemorySegment iovs = Arena.ofAuto().allocate(16L * (packets.size() + 1), 8);
        // slot 0 stays empty (length 0, skipped), so that slot and iovec indices are checked to match
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            int at = batch.region(i + 1) + offset;
            batch.memory().put(at, p);
            batch.set(i + 1, at, p.length);
        }
        batch.setCount(packets.size() + 1);
        List<Written> out = new ArrayList<>();
        c.write(batch, 0, batch.count(), mem, mem.address(), iovs, iovs.address(), new TcpCoalescer.Sink() {
            @Override
            public void write(long address, int length) {
                record(MemorySegment.ofAddress(address).reinterpret(length).toArray(JAVA_BYTE));
            }

            @Override
            public void writev(long iov, int count) {
                MemorySegment v = MemorySegment.ofAddress(iov).reinterpret(16L * count);
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                for (int k = 0; k < count; k++) {
                    long base = v.get(JAVA_LONG, 16L * k);
                    long len = v.get(JAVA_LONG, 16L * k + 8);
                    all.writeBytes(MemorySegment.ofAddress(base).reinterpret(len).toArray(JAVA_BYTE));
                }
                record(all.toByteArray());
            }

            private void record(byte[] b) {
                out.add(new Written(new VirtioNetHdr().decode(b, 0), Pkt.slice(b, VirtioNetHdr.SIZE, b.length)));
            }
        });
        return out;
    }

    /** {@code n} consecutive segments of {@code size} bytes (the last {@code lastSize}), IPv4 IDs counting up. */
    private static List<byte[]> stream(boolean v6, int n, int size, int lastSize, int lastFlags, byte[] options) {
        List<byte[]> out = new ArrayList<>();
        int seq = 0x7fff_ff00;
        for (int i = 0; i < n; i++) {
            int len = i == n - 1 ? lastSize : size;
            int flags = i == n - 1 ? lastFlags : Pkt.ACK;
            out.add(Pkt.tcp(v6, 500 + i, seq, 999, flags, options, Pkt.payload(len, i)));
            seq += len;
        }
        return out;
    }

    private static void assertSingle(Written w, byte[] packet) {
        assertThat(w.hdr().flags).isZero();
        assertThat(w.hdr().gsoType).isZero();
        assertThat(w.hdr().gsoSize).isZero();
        assertThat(w.hdr().hdrLen).isZero();
        assertThat(w.packet()).isEqualTo(packet);
    }

    /** Checks the super-packet's headers, then splits it back and compares with the originals. */
    private static void assertRoundTrip(Written w, List<byte[]> originals, boolean v6) {
        int ip = v6 ? 40 : 20;
        byte[] p = w.packet();
        VirtioNetHdr h = w.hdr();
        assertThat(h.flags).isEqualTo(VirtioNetHdr.F_NEEDS_CSUM);
        assertThat(h.gsoType).isEqualTo(v6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4);
        int tcpLen = ((p[ip + 12] & 0xff) >>> 4) * 4;
        assertThat(h.hdrLen).isEqualTo(ip + tcpLen);
        assertThat(h.gsoSize).isEqualTo(originals.get(0).length - ip - tcpLen);
        assertThat(h.csumStart).isEqualTo(ip);
        assertThat(h.csumOffset).isEqualTo(16);
        if (v6) {
            assertThat(Pkt.u16(p, 4)).isEqualTo(p.length - 40);
        } else {
            assertThat(Pkt.u16(p, 2)).isEqualTo(p.length);
            assertThat(Pkt.ipv4HeaderOk(p)).isTrue();
        }
        assertThat(Pkt.u16(p, ip + 16)).as("pseudo-header seed").isEqualTo(Pkt.pseudo(p, v6, 6, p.length - ip));
        int payload = 0;
        for (byte[] o : originals) {
            payload += o.length - ip - tcpLen;
        }
        assertThat(p.length).isEqualTo(ip + tcpLen + payload);
        // What the kernel would do with it: segment it again; the originals must come back.
        GsoSplitter s = new GsoSplitter();
        assertThat(s.load(MemorySegment.ofArray(p), 0, p.length, h)).isTrue();
        PacketBatch back = PacketBatch.allocate(64, 9000);
        int n = s.split(back, MemorySegment.ofBuffer(back.memory()), 0, 64);
        assertThat(n).isEqualTo(originals.size());
        for (int i = 0; i < n; i++) {
            assertThat(back.packet(i)).as("segment %d", i).isEqualTo(originals.get(i));
        }
    }

    @Test
    void coalescesAnIpv4RunAndSplitsBackToTheSamePackets() throws Exception {
        List<byte[]> in = stream(false, 10, 1368, 1368, Pkt.ACK | Pkt.PSH, TS);
        List<Written> out = write(true, in);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).packet()[33] & 0xff).as("PSH of the last").isEqualTo(Pkt.ACK | Pkt.PSH);
        assertRoundTrip(out.get(0), in, false);
    }

    @Test
    void coalescesIpv6WithAShorterLastSegment() throws Exception {
        List<byte[]> in = stream(true, 5, 1000, 333, Pkt.ACK, new byte[0]);
        List<Written> out = write(true, in);
        assertThat(out).hasSize(1);
        assertRoundTrip(out.get(0), in, true);
    }

    @Test
    void nothingFollowsAShortOrPshSegment() throws Exception {
        List<byte[]> in = new ArrayList<>(stream(false, 3, 1000, 500, Pkt.ACK, TS));
        int seq = Pkt.u32(in.get(2), 24) + 500;
        in.add(Pkt.tcp(false, 503, seq, 999, Pkt.ACK, TS, Pkt.payload(500, 9)));
        List<Written> out = write(true, in);
        assertThat(out).hasSize(2);
        assertRoundTrip(out.get(0), in.subList(0, 3), false);
        assertSingle(out.get(1), in.get(3));

        List<byte[]> psh = new ArrayList<>(stream(false, 2, 1000, 1000, Pkt.ACK | Pkt.PSH, TS));
        psh.add(Pkt.tcp(false, 502, Pkt.u32(psh.get(1), 24) + 1000, 999, Pkt.ACK, TS, Pkt.payload(1000, 3)));
        psh.add(Pkt.tcp(false, 503, Pkt.u32(psh.get(1), 24) + 2000, 999, Pkt.ACK, TS, Pkt.payload(1000, 4)));
        out = write(true, psh);
        assertThat(out).hasSize(2);
        assertRoundTrip(out.get(0), psh.subList(0, 2), false);
        assertRoundTrip(out.get(1), psh.subList(2, 4), false);
    }

    @Test
    void staysWithin64KiB() throws Exception {
        List<byte[]> in = stream(false, 60, 1400, 1400, Pkt.ACK, new byte[0]);
        List<Written> out = write(true, in);
        assertThat(out).hasSize(2);
        assertThat(out.get(0).packet().length).isLessThanOrEqualTo(65535);
        int first = (65535 - 40) / 1400;
        assertRoundTrip(out.get(0), in.subList(0, first), false);
        assertRoundTrip(out.get(1), in.subList(first, 60), false);
    }

    @Test
    void leavesAloneWhatMustNotBeCoalesced() throws Exception {
        List<byte[]> base = stream(false, 2, 1000, 1000, Pkt.ACK, TS);
        byte[] a = base.get(0);
        int next = Pkt.u32(a, 24) + 1000;
        List<byte[]> cases = new ArrayList<>();
        cases.add(Pkt.tcp(false, 501, next + 1, 999, Pkt.ACK, TS, Pkt.payload(1000, 1))); // gap in sequence
        cases.add(Pkt.tcp(false, 501, next, 998, Pkt.ACK, TS, Pkt.payload(1000, 1))); // other ack
        cases.add(Pkt.tcp(false, 501, next, 999, Pkt.ACK | Pkt.FIN, TS, Pkt.payload(1000, 1))); // FIN
        cases.add(Pkt.tcp(false, 501, next, 999, Pkt.ACK, Pkt.timestamps(101, 200), Pkt.payload(1000, 1))); // options differ
        cases.add(Pkt.tcp(false, 501, next, 999, Pkt.ACK, new byte[0], Pkt.payload(1000, 1))); // header length differs
        cases.add(Pkt.tcp(false, 501, next, 999, Pkt.ACK, TS, Pkt.payload(1001, 1))); // larger than the first
        byte[] port = Pkt.tcp(false, 501, next, 999, Pkt.ACK, TS, Pkt.payload(1000, 1));
        Pkt.put16(port, 20, 40001);
        Pkt.fixTcpChecksum(port, false);
        cases.add(port);
        byte[] ttl = Pkt.tcp(false, 501, next, 999, Pkt.ACK, TS, Pkt.payload(1000, 1));
        ttl[8] = 63;
        Pkt.fixIpv4Header(ttl);
        cases.add(ttl);
        byte[] tos = Pkt.tcp(false, 501, next, 999, Pkt.ACK, TS, Pkt.payload(1000, 1));
        tos[1] = 4;
        Pkt.fixIpv4Header(tos);
        cases.add(tos);
        byte[] badIpSum = Pkt.tcp(false, 501, next, 999, Pkt.ACK, TS, Pkt.payload(1000, 1));
        badIpSum[10] ^= 1;
        cases.add(badIpSum);
        cases.add(Pkt.udp(false, 501, Pkt.payload(1000, 1)));
        cases.add(Pkt.tcp(true, 0, next, 999, Pkt.ACK, TS, Pkt.payload(1000, 1))); // other family
        for (int i = 0; i < cases.size(); i++) {
            List<Written> out = write(true, List.of(a, cases.get(i)));
            assertThat(out).as("case %d", i).hasSize(2);
            assertSingle(out.get(0), a);
            assertSingle(out.get(1), cases.get(i));
        }
    }

    @Test
    void neverCoalescesIpv4OptionsFragmentsOrControlSegments() throws Exception {
        byte[] frag = stream(false, 1, 1000, 1000, Pkt.ACK, TS).get(0);
        frag[6] |= 0x20; // MF
        Pkt.fixIpv4Header(frag);
        byte[] syn = Pkt.tcp(false, 1, 5, 0, Pkt.SYN | Pkt.ACK, TS, Pkt.payload(100, 1));
        byte[] empty = Pkt.tcp(false, 1, 5, 0, Pkt.ACK, TS, new byte[0]);
        for (byte[] p : List.of(frag, syn, empty)) {
            List<Written> out = write(true, List.of(p, p, p));
            assertThat(out).hasSize(3);
            for (Written w : out) {
                assertSingle(w, p);
            }
        }
    }

    @Test
    void aFirstPacketWithABadIpv4HeaderIsWrittenAloneAndTheRestStillCoalesce() throws Exception {
        List<byte[]> in = stream(false, 4, 1000, 1000, Pkt.ACK, TS);
        in.get(0)[10] ^= 1;
        List<Written> out = write(true, in);
        assertThat(out).hasSize(2);
        assertSingle(out.get(0), in.get(0));
        assertRoundTrip(out.get(1), in.subList(1, 4), false);
    }

    @Test
    void tcpChecksumsAreTrustedAsTheDecryptionAuthenticatedThePackets() throws Exception {
        List<byte[]> in = stream(false, 3, 1000, 1000, Pkt.ACK, TS);
        byte[] corrupt = in.get(1).clone();
        corrupt[500] ^= 0x55; // what the peer sent, bad TCP checksum included
        List<Written> out = write(true, List.of(in.get(0), corrupt, in.get(2)));
        assertThat(out).hasSize(1);
        byte[] p = out.get(0).packet();
        assertThat(p[500 + 1000] ^ in.get(1)[500]).as("carried as it came").isEqualTo(0x55);
    }

    @Test
    void interleavedFlowsAndOtherTrafficFlushInOrder() throws Exception {
        List<byte[]> s = stream(false, 6, 1000, 1000, Pkt.ACK, TS);
        byte[] ping = Pkt.udp(false, 9, Pkt.payload(56, 1));
        List<byte[]> in = List.of(s.get(0), s.get(1), s.get(2), ping, s.get(3), s.get(4), s.get(5));
        List<Written> out = write(true, in);
        assertThat(out).hasSize(3);
        assertRoundTrip(out.get(0), s.subList(0, 3), false);
        assertSingle(out.get(1), ping);
        assertRoundTrip(out.get(2), s.subList(3, 6), false);
    }

    @Test
    void withoutCoalescingEveryPacketGoesAlone() throws Exception {
        List<byte[]> in = stream(true, 3, 1000, 1000, Pkt.ACK, TS);
        List<Written> out = write(new TcpCoalescer(false), in, PacketBatch.HEADROOM);
        assertThat(out).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertSingle(out.get(i), in.get(i));
        }
        out = write(new TcpCoalescer(true), in, VirtioNetHdr.SIZE);
        assertThat(out).as("10 bytes of headroom are enough").hasSize(1);
        assertRoundTrip(out.get(0), in, true);
        out = write(new TcpCoalescer(true), List.of(in.get(0)), VirtioNetHdr.SIZE);
        assertSingle(out.get(0), in.get(0));
    }

    @Test
    void aRunStopsAt64Segments() throws Exception {
        List<byte[]> in = stream(false, 70, 100, 100, Pkt.ACK, new byte[0]);
        List<Written> out = write(true, in);
        assertThat(out).hasSize(2);
        assertRoundTrip(out.get(0), in.subList(0, TcpCoalescer.MAX_SEGMENTS), false);
        assertRoundTrip(out.get(1), in.subList(TcpCoalescer.MAX_SEGMENTS, 70), false);
    }
}
