package dev.jwg.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.Protocol;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    private static final long W = ReplayWindow.WINDOW_SIZE;
    private static final long L = W + 1;
    private static final long R = Protocol.REJECT_AFTER_MESSAGES;

    @Test
    void windowMatchesWireguardGo() {
        assertThat(W).isEqualTo(8128);
    }

    /** docs/protocol.md §7.8: the kernel's selftest/counter.c sequence, as in wireguard-go's replay_test.go. */
    @Test
    void kernelSelftestSequence() {
        long[][] steps = {
            {0, 1}, {1, 1}, {1, 0}, {9, 1}, {8, 1}, {7, 1}, {7, 0},
            {L, 1}, {L - 1, 1}, {L - 1, 0}, {L - 2, 1}, {2, 1}, {2, 0},
            {L + 16, 1}, {3, 0}, {L + 16, 0}, {4 * L, 1},
            {4 * L - (L - 1), 1}, {10, 0}, {4 * L - L, 0}, {4 * L - (L + 1), 0},
            {4 * L - (L - 2), 1}, {4 * L + 1 - L, 0}, {0, 0},
            {R, 0}, {R - 1, 1}, {R, 0}, {R - 1, 0}, {R - 2, 1}, {R + 1, 0}, {R + 2, 0},
            {R - 2, 0}, {R - 3, 1}, {0, 0},
        };
        assertThat(steps.length).isEqualTo(34);
        ReplayWindow w = new ReplayWindow();
        for (int i = 0; i < steps.length; i++) {
            assertThat(w.validate(steps[i][0]))
                .as("step %d: validate(%s)", i + 1, Long.toUnsignedString(steps[i][0]))
                .isEqualTo(steps[i][1] == 1);
        }
    }

    @Test
    void bulkA_ascendingFromOneThenZero() {
        ReplayWindow w = new ReplayWindow();
        for (long i = 1; i <= W; i++) assertThat(w.validate(i)).as("%d", i).isTrue();
        assertThat(w.validate(0)).isTrue();
        assertThat(w.validate(0)).isFalse();
    }

    @Test
    void bulkB_ascendingFromTwoThenOneThenZero() {
        ReplayWindow w = new ReplayWindow();
        for (long i = 2; i <= W + 1; i++) assertThat(w.validate(i)).as("%d", i).isTrue();
        assertThat(w.validate(1)).isTrue();
        assertThat(w.validate(0)).isFalse();
    }

    @Test
    void bulkC_descendingToZero() {
        ReplayWindow w = new ReplayWindow();
        for (long i = W; i >= 0; i--) assertThat(w.validate(i)).as("%d", i).isTrue();
    }

    @Test
    void bulkD_descendingFromWindowPlusOneThenZero() {
        ReplayWindow w = new ReplayWindow();
        for (long i = W + 1; i >= 1; i--) assertThat(w.validate(i)).as("%d", i).isTrue();
        assertThat(w.validate(0)).isFalse();
    }

    @Test
    void bulkE_descendingThenAdvanceOneThenZero() {
        ReplayWindow w = new ReplayWindow();
        for (long i = W; i >= 1; i--) assertThat(w.validate(i)).as("%d", i).isTrue();
        assertThat(w.validate(W + 1)).isTrue();
        assertThat(w.validate(0)).isFalse();
    }

    @Test
    void bulkF_descendingThenZeroThenAdvance() {
        ReplayWindow w = new ReplayWindow();
        for (long i = W; i >= 1; i--) assertThat(w.validate(i)).as("%d", i).isTrue();
        assertThat(w.validate(0)).isTrue();
        assertThat(w.validate(W + 1)).isTrue();
    }

    @Test
    void resetForgetsEverything() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.validate(5000)).isTrue();
        assertThat(w.validate(0)).isTrue();
        w.reset();
        assertThat(w.validate(0)).isTrue();
        assertThat(w.validate(5000)).isTrue();
        assertThat(w.validate(5000)).isFalse();
    }

    @Test
    void countersWithTheTopBitSetAreHandledUnsigned() {
        ReplayWindow w = new ReplayWindow();
        long big = 0x8000_0000_0000_0000L;
        assertThat(w.validate(big)).isTrue();
        assertThat(w.validate(big - 1)).isTrue();
        assertThat(w.validate(big - W)).isTrue();
        assertThat(w.validate(big - W - 1)).isFalse();
        assertThat(w.validate(5)).isFalse();
        assertThat(w.validate(big + 1)).isTrue();
    }

    /** Random traffic against a model that remembers every accepted counter. */
    @Test
    void randomizedAgainstExactModel() {
        SplittableRandom rnd = new SplittableRandom(6479);
        for (int round = 0; round < 20; round++) {
            ReplayWindow w = new ReplayWindow();
            java.util.HashSet<Long> seen = new java.util.HashSet<>();
            boolean any = false;
            long highest = 0;
            // Counters are base + offset with 0 <= offset; near the limit the offsets cross R.
            long base = round % 2 == 0 ? 0 : R - 1_000_000;
            long room = round % 2 == 0 ? Long.MAX_VALUE : R + 8000 - base - 20_000; // no wrap past 2^64
            long next = 0;
            for (int i = 0; i < 20_000 && next <= room; i++) {
                long off;
                int pick = rnd.nextInt(10);
                if (pick < 5) off = next++;                                       // in order
                else if (pick < 8) off = Math.max(0, next - rnd.nextLong(1, 9000)); // reordered / old
                else if (pick < 9) off = next + rnd.nextLong(0, 20_000);          // jump ahead
                else off = Math.max(0, next - 1 - rnd.nextInt(3));                // duplicate-ish
                next = Math.max(next, off + 1);
                long c = base + off;
                boolean expect = Long.compareUnsigned(c, R) < 0
                    && !seen.contains(c)
                    && (!any || Long.compareUnsigned(c, highest) >= 0 || highest - c <= W);
                assertThat(w.validate(c)).as("round %d step %d counter %s", round, i, Long.toUnsignedString(c))
                    .isEqualTo(expect);
                if (expect) {
                    seen.add(c);
                    if (!any || Long.compareUnsigned(c, highest) > 0) highest = c;
                    any = true;
                }
            }
        }
    }
}
