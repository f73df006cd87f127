package dev.jwg.core.tai64n;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Tai64nTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** docs/protocol.md §1.8 examples. */
    @Test
    void knownValues() {
        assertThat(hex(Tai64n.fromEpochNanos(0))).isEqualTo("400000000000000a00000000");
        assertThat(hex(Tai64n.fromEpochNanos(1_700_000_000L * S))).isEqualTo("400000006553f10a00000000");
    }

    @Test
    void lowTwentyFourNanosecondBitsAreCleared() {
        byte[] t = Tai64n.fromEpochNanos(5 * S + 999_999_999L);
        // 999_999_999 = 0x3B9AC9FF -> 0x3B000000
        assertThat(hex(t)).isEqualTo("400000000000000f3b000000");
        assertThat(hex(Tai64n.fromEpochNanos(0xFF_FFFFL))).isEqualTo("400000000000000a00000000");
        assertThat(hex(Tai64n.fromEpochNanos(0x100_0000L))).isEqualTo("400000000000000a01000000");
    }

    @Test
    void negativeEpochRoundsTowardsThePast() {
        // 1 ns before the epoch: second -1, nanos 999_999_999 (whitened)
        assertThat(hex(Tai64n.fromEpochNanos(-1))).isEqualTo("40000000000000093b000000");
    }

    @Test
    void writeAtOffset() {
        byte[] buf = new byte[20];
        Tai64n.write(1_700_000_000L * S, buf, 4);
        assertThat(hex(buf)).isEqualTo("00000000400000006553f10a0000000000000000");
        assertThatThrownBy(() -> Tai64n.write(0, buf, 9)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** wireguard-go tai64n_test.go: 10 ms later is not newer (same whitened slot), 20 ms later is. */
    @Test
    void whiteningGranularity() {
        long start = 123_456_789L; // inside the slot [7 * 2^24, 8 * 2^24) ns
        byte[] t0 = Tai64n.fromEpochNanos(start);
        assertThat(Tai64n.compare(Tai64n.fromEpochNanos(start + 10 * MS), t0)).isZero();
        assertThat(Tai64n.isAfter(Tai64n.fromEpochNanos(start + 10 * MS), t0)).isFalse();
        assertThat(Tai64n.isAfter(Tai64n.fromEpochNanos(start + 20 * MS), t0)).isTrue();
        assertThat(Tai64n.isAfter(Tai64n.fromEpochNanos(start + S), t0)).isTrue();
        assertThat(Tai64n.isAfter(Tai64n.fromEpochNanos(start - S), t0)).isFalse();
        assertThat(Tai64n.isAfter(t0, Tai64n.fromEpochNanos(start - S))).isTrue();
    }

    @Test
    void monotonicForRandomTimes() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            long t = rnd.nextLong(-10L * 365 * 86400 * S, 200L * 365 * 86400 * S);
            byte[] a = Tai64n.fromEpochNanos(t);
            assertThat(Tai64n.compare(Tai64n.fromEpochNanos(t + rnd.nextLong(0, 10 * MS)), a)).isNotNegative();
            assertThat(Tai64n.isAfter(Tai64n.fromEpochNanos(t + 20 * MS + rnd.nextLong(0, 100 * S)), a)).isTrue();
            assertThat(Tai64n.compare(a, a.clone())).isZero();
        }
    }

    @Test
    void compareIsUnsignedBytewise() {
        byte[] a = Tai64n.fromEpochNanos(0);
        byte[] b = a.clone();
        b[11] = (byte) 0x80; // 0x80 > 0x7f unsigned
        byte[] c = a.clone();
        c[11] = 0x7f;
        assertThat(Tai64n.isAfter(b, c)).isTrue();
        assertThat(Tai64n.compare(c, b)).isNegative();
    }

    @Test
    void rejectsWrongLengths() {
        assertThatThrownBy(() -> Tai64n.compare(new byte[11], new byte[12]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 bytes");
    }
}
