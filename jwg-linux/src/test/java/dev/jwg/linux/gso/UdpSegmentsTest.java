package dev.jwg.linux.gso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.device.io.PacketBatch;
import org.junit.jupiter.api.Test;

class UdpSegmentsTest {
    private static PacketBatch batch(int... lengths) {
        PacketBatch b = PacketBatch.allocate(lengths.length, 2048);
        for (int i = 0; i < lengths.length; i++) {
            b.set(i, b.offset(i), lengths[i]);
            b.remoteAddress(i)[0] = (byte) 192;
            b.remoteAddress(i)[3] = 1;
            b.setRemote(i, 4, 51820);
        }
        b.setCount(lengths.length);
        return b;
    }

    @Test
    void groupsEqualSizesAndAShorterLast() {
        PacketBatch b = batch(1452, 1452, 1452, 700, 1452, 1452);
        assertThat(UdpSegments.runEnd(b, 0, 6)).isEqualTo(4);
        assertThat(UdpSegments.runEnd(b, 4, 6)).isEqualTo(6);
        assertThat(UdpSegments.runEnd(b, 5, 6)).isEqualTo(6);
    }

    @Test
    void aLargerDatagramStartsANewRun() {
        PacketBatch b = batch(148, 1452, 1452);
        assertThat(UdpSegments.runEnd(b, 0, 3)).isEqualTo(1);
        assertThat(UdpSegments.runEnd(b, 1, 3)).isEqualTo(3);
        assertThat(UdpSegments.runEnd(batch(100, 0, 100), 0, 3)).as("empty datagram").isEqualTo(1);
        assertThat(UdpSegments.runEnd(batch(0, 0), 0, 2)).isEqualTo(1);
    }

    @Test
    void otherDestinationOrSourceEndsTheRun() {
        PacketBatch b = batch(100, 100, 100, 100, 100);
        b.setRemote(1, 4, 51821);
        assertThat(UdpSegments.runEnd(b, 0, 5)).isEqualTo(1);
        b.remoteAddress(2)[3] = 2;
        assertThat(UdpSegments.runEnd(b, 2, 5)).isEqualTo(3);
        b.setLocal(4, 4, 0);
        assertThat(UdpSegments.runEnd(b, 3, 5)).isEqualTo(4);
        PacketBatch s = batch(100, 100, 100);
        for (int i = 0; i < 3; i++) {
            s.localAddress(i)[0] = 10;
            s.setLocal(i, 4, 0);
        }
        s.localAddress(2)[3] = 9;
        assertThat(UdpSegments.runEnd(s, 0, 3)).isEqualTo(2);
        PacketBatch six = batch(100, 100);
        six.setRemote(0, 6, 51820);
        six.setRemote(1, 6, 51820);
        six.remoteAddress(1)[15] = 7;
        assertThat(UdpSegments.runEnd(six, 0, 2)).as("all 16 bytes of an IPv6 address count").isEqualTo(1);
    }

    @Test
    void boundedBySegmentsAndBytes() {
        int[] small = new int[100];
        java.util.Arrays.fill(small, 100);
        assertThat(UdpSegments.runEnd(batch(small), 0, 100)).isEqualTo(UdpSegments.MAX_SEGMENTS);
        int[] big = new int[60];
        java.util.Arrays.fill(big, 1452);
        int end = UdpSegments.runEnd(batch(big), 0, 60);
        assertThat(end).isEqualTo(UdpSegments.MAX_BYTES / 1452);
        assertThat(UdpSegments.runEnd(batch(big), 0, 3)).as("limited by end").isEqualTo(3);
    }
}
