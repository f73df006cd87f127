package dev.jwg.linux.gso;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    @Test
    void matchesTheNaiveSumAtEveryLengthAndOffset() {
        Random r = new Random(1);
        byte[] b = new byte[3000];
        r.nextBytes(b);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; len < 1500; len += (len < 40 ? 1 : 37)) {
                int expected = Pkt.naiveSum(0, b, off, len);
                assertThat(Checksum.fold(Checksum.add(0, MemorySegment.ofArray(b), off, len))).as("off %d len %d", off, len).isEqualTo(expected);
            }
        }
    }

    @Test
    void sumsOfAllOnesFoldWithoutOverflow() {
        byte[] b = new byte[65534];
        java.util.Arrays.fill(b, (byte) 0xff);
        assertThat(Checksum.fold(Checksum.add(0, MemorySegment.ofArray(b), 0, b.length))).isEqualTo(0xffff);
        assertThat(Checksum.finish(Checksum.add(0, MemorySegment.ofArray(b), 0, b.length))).isZero();
        assertThat(Checksum.fold(Checksum.add(0, MemorySegment.ofArray(b), 0, 65533))).as("odd last byte is a high byte").isEqualTo(0xff00);
        assertThat(Checksum.fold(0x1_0000_0000L)).isEqualTo(1);
        assertThat(Checksum.fold(0xffff_ffffL)).isEqualTo(0xffff);
    }

    @Test
    void piecesAtEvenBoundariesAddUp() {
        byte[] b = Pkt.payload(1001, 7);
        long whole = Checksum.add(0, MemorySegment.ofArray(b), 0, 1001);
        MemorySegment s = MemorySegment.ofArray(b);
        long pieces = Checksum.add(Checksum.add(Checksum.add(0, s, 0, 10), s, 10, 500), s, 510, 491);
        assertThat(Checksum.fold(pieces)).isEqualTo(Checksum.fold(whole));
    }

    @Test
    void verifiesBuiltPackets() {
        byte[] p4 = Pkt.tcp(false, 1, 100, 200, Pkt.ACK, Pkt.timestamps(1, 2), Pkt.payload(999, 1));
        byte[] p6 = Pkt.tcp(true, 0, 100, 200, Pkt.ACK, new byte[0], Pkt.payload(1000, 2));
        assertThat(Checksum.transportValid(MemorySegment.ofArray(p4), 0, p4.length, false, 6, 20)).isTrue();
        assertThat(Checksum.transportValid(MemorySegment.ofArray(p6), 0, p6.length, true, 6, 40)).isTrue();
        assertThat(Checksum.ipv4Header(MemorySegment.ofArray(p4), 0, 20)).isEqualTo(Pkt.u16(p4, 10));
        p4[100] ^= 1;
        assertThat(Checksum.transportValid(MemorySegment.ofArray(p4), 0, p4.length, false, 6, 20)).isFalse();
    }
}
