package dev.jwg.core.tunnel;

import static dev.jwg.core.wire.Messages.TYPE_INITIATION;
import static dev.jwg.core.wire.Messages.TYPE_TRANSPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.Protocol;
import dev.jwg.core.tunnel.TwoPeerHarness.Datagram;
import dev.jwg.core.tunnel.TwoPeerHarness.Side;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A runtime that ticks only when {@link Node#nextTickAt} says, or when the
 * {@link Node#setTimerWakeup wake-up} runs, never misses a timer: each fires at its exact
 * deadline on a fake clock, and an idle tunnel is ticked only when something is due.
 */
class TimerPlanTest {
    private static final long SECOND = 1_000_000_000L;

    /** Two nodes, each driven like the device's timer thread: sleep until the plan or a wake-up. */
    private static final class Sleepers {
        final TwoPeerHarness h;
        final Sleeper a;
        final Sleeper b;

        Sleepers(long seed) {
            h = new TwoPeerHarness(seed);
            a = new Sleeper(h.a);
            b = new Sleeper(h.b);
        }

        /** Lets {@code seconds} of fake time pass, jumping from one planned tick to the next. */
        void idle(double seconds) {
            long end = h.clock.nanoTime() + Math.round(seconds * SECOND);
            while (true) {
                long next = Math.min(a.plan, b.plan);
                if (next > end) {
                    break;
                }
                long now = h.clock.nanoTime();
                if (next > now) {
                    h.clock.advanceNanos(next - now);
                }
                a.tickIfDue();
                b.tickIfDue();
                settle();
            }
            h.clock.advanceNanos(end - h.clock.nanoTime());
            settle();
        }

        /** Delivers what is in flight; a node whose wake-up ran ticks and plans again, as the device's thread would. */
        void settle() {
            do {
                h.deliverAll();
                a.check();
                b.check();
            } while (a.wokenTick() | b.wokenTick());
        }
    }

    private static final class Sleeper {
        final Side side;
        long plan;
        boolean woken;
        int ticks;

        Sleeper(Side side) {
            this.side = side;
            side.node.setTimerWakeup(() -> woken = true);
            plan = side.node.nextTickAt();
        }

        void tickIfDue() {
            if (side.node.now() >= plan) {
                tick();
            }
        }

        boolean wokenTick() {
            if (!woken) {
                return false;
            }
            tick();
            return true;
        }

        private void tick() {
            woken = false;
            ticks++;
            side.node.tick(side);
            long now = side.node.now();
            var due = side.node.nextDeadline();
            assertThat(due.isEmpty() || due.getAsLong() > now).as("%s: every due timer ran", side).isTrue();
            plan = side.node.nextTickAt();
        }

        /** The invariant: unless woken, the plan is no later than any pending deadline. */
        void check() {
            if (woken) {
                return;
            }
            var due = side.node.nextDeadline();
            if (due.isPresent()) {
                assertThat(plan).as("%s sleeps past a deadline", side).isLessThanOrEqualTo(due.getAsLong());
            }
        }
    }

    private static List<Long> sentTimes(TwoPeerHarness h, Side from, java.util.function.Predicate<Datagram> kind) {
        return h.sent.stream().filter(d -> d.from() == from && kind.test(d)).map(Datagram::sentAt).toList();
    }

    @Test
    void anIdleNodeWithoutSessionsPlansNoTick() {
        var s = new Sleepers(1);
        assertThat(s.a.plan).isEqualTo(Node.NO_TICK);
        s.idle(3600);
        assertThat(s.a.ticks + s.b.ticks).isZero();
    }

    @Test
    void thePassiveKeepaliveGoesOutExactlyTenSecondsAfterTheLastData() {
        var s = new Sleepers(2);
        s.h.a.sendIp(1, 50);
        s.settle();
        long received = s.h.clock.nanoTime();
        s.idle(60);
        List<Long> keepalives = sentTimes(s.h, s.h.b, Datagram::isKeepalive);
        assertThat(keepalives).containsExactly(received + Protocol.KEEPALIVE_TIMEOUT);
    }

    @Test
    void persistentKeepalivesKeepAnExactCadenceAndWakeOnlyForThem() {
        var s = new Sleepers(3);
        s.h.a.peer.setPersistentKeepalive(25, s.h.a);
        s.settle();
        s.idle(1);
        int ticksBefore = s.a.ticks;
        List<Long> before = sentTimes(s.h, s.h.a, d -> d.type() == TYPE_TRANSPORT);
        s.idle(100);
        List<Long> times = sentTimes(s.h, s.h.a, d -> d.type() == TYPE_TRANSPORT);
        assertThat(times).hasSize(before.size() + 4);
        List<Long> gaps = IntStream.range(1, times.size()).mapToObj(i -> times.get(i) - times.get(i - 1)).toList();
        assertThat(gaps.subList(gaps.size() - 4, gaps.size())).containsOnly(25 * SECOND);
        assertThat(s.a.ticks - ticksBefore).as("one tick per keepalive").isEqualTo(4);
    }

    @Test
    void handshakeRetriesFollowRekeyTimeoutThenGiveUpAndKeysAreZeroed() {
        var s = new Sleepers(4);
        s.h.filter = d -> false;
        s.h.a.sendIp(1, 50);
        s.settle();
        s.idle(200);
        List<Long> inits = sentTimes(s.h, s.h.a, d -> d.type() == TYPE_INITIATION);
        assertThat(inits).hasSize(2 + Protocol.MAX_TIMER_HANDSHAKES);
        for (int i = 1; i < inits.size(); i++) {
            assertThat(inits.get(i) - inits.get(i - 1))
                    .isBetween(Protocol.REKEY_TIMEOUT, Protocol.REKEY_TIMEOUT + Protocol.REKEY_TIMEOUT_JITTER_MAX);
        }
        assertThat(s.a.ticks).as("a tick per retry, the give-up, nothing else").isLessThanOrEqualTo(inits.size() + 1);
    }

    @Test
    void keyMaterialIsZeroedAtExactly540Seconds() {
        var s = new Sleepers(5);
        s.h.a.sendIp(1, 50);
        s.settle();
        long installed = s.h.clock.nanoTime();
        s.h.filter = d -> false;
        s.idle(Protocol.ZERO_KEY_MATERIAL_TIME / (double) SECOND - 0.001);
        assertThat(s.h.a.peer.hasKeyMaterial()).isTrue();
        s.idle(0.001);
        assertThat(s.h.clock.nanoTime() - installed).isEqualTo(Protocol.ZERO_KEY_MATERIAL_TIME);
        assertThat(s.h.a.peer.hasKeyMaterial()).isFalse();
        assertThat(s.h.b.peer.hasKeyMaterial()).isFalse();
    }

    @Test
    void theRateLimiterIsSweptWhileItHoldsEntriesOnly() {
        var s = new Sleepers(6);
        s.h.b.node.markUnderLoad();
        s.h.a.sendIp(1, 50);
        s.settle(); // cookie reply; A's retry carries mac2 and passes the rate limiter
        s.idle(6);
        assertThat(s.h.b.deliveredSeqs()).containsExactly(1);
        s.idle(5);
        int ticks = s.b.ticks;
        s.idle(3600);
        assertThat(s.b.ticks - ticks).as("an empty rate limiter and a zeroed session: a few ticks at most").isLessThanOrEqualTo(3);
    }

    /**
     * Random traffic, loss, keepalive settings and key changes over an hour of fake time: after
     * every step no node sleeps past one of its deadlines, and every due timer runs when ticked.
     */
    @Test
    void randomTrafficNeverLeavesADeadlineBehindThePlan() {
        for (long seed = 10; seed < 16; seed++) {
            var s = new Sleepers(seed);
            SplittableRandom r = new SplittableRandom(seed);
            for (int step = 0; step < 400; step++) {
                Side side = r.nextBoolean() ? s.h.a : s.h.b;
                switch (r.nextInt(8)) {
                    case 0, 1, 2 -> side.sendIp(step, 1 + r.nextInt(200));
                    case 3 -> s.h.loss = r.nextDouble() < 0.5 ? 0 : r.nextDouble();
                    case 4 -> side.peer.setPersistentKeepalive(r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(30), side);
                    case 5 -> side.node.markUnderLoad();
                    default -> { }
                }
                s.settle();
                s.idle(r.nextDouble() * (r.nextInt(10) == 0 ? 300 : 8));
            }
            assertThat(s.h.a.delivered.size() + s.h.b.delivered.size()).as("seed %d moved data", seed).isPositive();
        }
    }
}
