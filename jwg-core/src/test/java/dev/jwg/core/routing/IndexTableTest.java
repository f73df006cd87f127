package dev.jwg.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class IndexTableTest {

    /** A value that knows its index, so a reader can tell a right answer from a wrong one. */
    record Value(int index, String tag) {}

    /** Cycles through a short fixed sequence: most draws collide with indices already in use. */
    static final class RepeatingGenerator implements RandomGenerator {
        private final int[] seq;
        private int pos;

        RepeatingGenerator(int... seq) {
            this.seq = seq;
        }

        @Override
        public int nextInt() {
            int v = seq[pos];
            pos = (pos + 1) % seq.length;
            return v;
        }

        @Override
        public long nextLong() {
            return nextInt();
        }
    }

    @Test
    void allocateGetRemove() {
        IndexTable<String> t = new IndexTable<>();
        RandomGenerator rng = new SplittableRandom(1);
        int a = t.allocate("a", rng);
        int b = t.allocate("b", rng);
        assertThat(a).isNotEqualTo(b);
        assertThat(t.get(a)).isEqualTo("a");
        assertThat(t.get(b)).isEqualTo("b");
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.remove(a, "b")).as("maps to another value").isFalse();
        assertThat(t.remove(a, new String("a"))).as("identity, not equals").isFalse();
        assertThat(t.get(a)).isEqualTo("a");
        assertThat(t.remove(b + 1 == a ? b + 2 : b + 1, "b")).as("unknown index").isFalse();
        String aValue = t.get(a);
        assertThat(t.remove(a, aValue)).isTrue();
        assertThat(t.get(a)).isNull();
        assertThat(t.remove(a, aValue)).isFalse();
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void indicesCanBeZeroAndNegative() {
        IndexTable<String> t = new IndexTable<>();
        RandomGenerator rng = new RepeatingGenerator(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertThat(t.allocate("zero", rng)).isZero();
        assertThat(t.allocate("minus one", rng)).isEqualTo(-1);
        assertThat(t.allocate("min", rng)).isEqualTo(Integer.MIN_VALUE);
        assertThat(t.allocate("max", rng)).isEqualTo(Integer.MAX_VALUE);
        assertThat(t.get(0)).isEqualTo("zero");
        assertThat(t.get(-1)).isEqualTo("minus one");
        assertThat(t.get(Integer.MIN_VALUE)).isEqualTo("min");
        assertThat(t.get(Integer.MAX_VALUE)).isEqualTo("max");
        assertThat(t.get(1)).isNull();
        // removing index 0 leaves a tombstone; index 0 must not match it afterwards
        assertThat(t.remove(0, t.get(0))).isTrue();
        assertThat(t.get(0)).isNull();
        assertThat(t.allocate("zero again", rng)).isZero();
        assertThat(t.get(0)).isEqualTo("zero again");
    }

    @Test
    void neverReturnsAnIndexInUseWhenTheGeneratorRepeats() {
        int[] seq = new int[1000];
        SplittableRandom s = new SplittableRandom(7);
        for (int i = 0; i < seq.length; i++) seq[i] = s.nextInt(600) - 300; // about 600 distinct values, many repeats
        RandomGenerator rng = new RepeatingGenerator(seq);
        long distinct = java.util.Arrays.stream(seq).distinct().count();
        IndexTable<Value> t = new IndexTable<>();
        Map<Integer, Value> model = new HashMap<>();
        for (int i = 0; i < distinct; i++) {
            Value v = new Value(i, "v" + i);
            int idx = t.allocate(v, rng);
            assertThat(model.put(idx, v)).as("index %d handed out twice", idx).isNull();
        }
        assertThat(t.size()).isEqualTo(model.size()).isEqualTo((int) distinct);
        model.forEach((idx, v) -> assertThat(t.get(idx)).isSameAs(v));
        // every value of the sequence is in use now: a generator that repeats forever is an error, not a hang
        assertThatThrownBy(() -> t.allocate(new Value(-1, "x"), rng)).isInstanceOf(IllegalStateException.class);
        // free some, and they are handed out again
        int freed = 0;
        for (Map.Entry<Integer, Value> e : model.entrySet()) {
            if (freed < 100) {
                assertThat(t.remove(e.getKey(), e.getValue())).isTrue();
                freed++;
            }
        }
        for (int i = 0; i < 100; i++) {
            int idx = t.allocate(new Value(i, "again"), rng);
            assertThat(t.get(idx).tag()).isEqualTo("again");
        }
        assertThat(t.size()).isEqualTo((int) distinct);
    }

    @Test
    void replace() {
        IndexTable<String> t = new IndexTable<>();
        RandomGenerator rng = new SplittableRandom(3);
        int i = t.allocate("handshake", rng);
        assertThat(t.replace(i, "keypair")).isTrue();
        assertThat(t.get(i)).isEqualTo("keypair");
        assertThat(t.replace(i + 1, "x")).isFalse();
        assertThat(t.get(i + 1)).isNull();
        assertThat(t.size()).isEqualTo(1);
        String current = t.get(i);
        assertThat(t.replace(i, "other", "y")).isFalse();
        assertThat(t.replace(i, current, "keypair2")).isTrue();
        assertThat(t.get(i)).isEqualTo("keypair2");
        assertThatThrownBy(() -> t.replace(i, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> t.allocate(null, rng)).isInstanceOf(NullPointerException.class);
    }

    /** Many allocations and removals through growth, tombstone sweeps and shrinking, against a map. */
    @Test
    void randomizedAgainstMap() {
        SplittableRandom rnd = new SplittableRandom(11);
        RandomGenerator rng = new SplittableRandom(12);
        IndexTable<Value> t = new IndexTable<>();
        Map<Integer, Value> model = new HashMap<>();
        List<Integer> keys = new ArrayList<>();
        for (int op = 0; op < 200_000; op++) {
            int phase = (op / 20_000) % 2; // alternately grow and shrink
            if (keys.isEmpty() || rnd.nextInt(100) < (phase == 0 ? 70 : 30)) {
                Value v = new Value(op, "v");
                int idx = t.allocate(v, rng);
                assertThat(model.put(idx, v)).isNull();
                keys.add(idx);
            } else {
                int k = keys.size() - 1 - rnd.nextInt(Math.min(keys.size(), 50));
                int idx = keys.get(k);
                keys.set(k, keys.getLast());
                keys.removeLast();
                assertThat(t.remove(idx, model.remove(idx))).isTrue();
            }
            if (op % 10_000 == 0) {
                assertThat(t.size()).isEqualTo(model.size());
                for (Map.Entry<Integer, Value> e : model.entrySet()) {
                    assertThat(t.get(e.getKey())).isSameAs(e.getValue());
                }
                for (int q = 0; q < 1000; q++) {
                    int idx = rnd.nextInt();
                    assertThat(t.get(idx)).isSameAs(model.get(idx));
                }
            }
        }
    }

    /**
     * Readers call get() on indices that stay mapped while a writer allocates, replaces and removes
     * others, forcing resizes and tombstone sweeps. Stable indices must always answer their value;
     * churning indices may answer null (not yet or no longer mapped) but never a wrong value.
     */
    @Test
    void lockFreeReadersDuringWrites() throws Exception {
        IndexTable<Value> t = new IndexTable<>();
        RandomGenerator rng = new SplittableRandom(5);
        int stableCount = 256;
        int[] stable = new int[stableCount];
        Value[] stableValue = new Value[stableCount];
        for (int i = 0; i < stableCount; i++) {
            stable[i] = t.allocate(new Value(-1, "placeholder"), rng);
            stableValue[i] = new Value(stable[i], "stable");
            assertThat(t.replace(stable[i], stableValue[i])).isTrue();
        }
        AtomicIntegerArray recent = new AtomicIntegerArray(1024); // churn indices readers probe
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        Runnable reader = () -> {
            long n = 0;
            SplittableRandom r = new SplittableRandom(Thread.currentThread().getName().hashCode());
            while (!stop.get() && failure.get() == null) {
                int i = r.nextInt(stableCount);
                if (t.get(stable[i]) != stableValue[i]) failure.set("stable index " + stable[i] + " lost");
                int idx = recent.get(r.nextInt(recent.length()));
                Value v = t.get(idx);
                if (v != null && v.index() != idx && v.index() != -1) {
                    failure.set("index " + idx + " answered the value of " + v.index());
                }
                if (++n % 64 == 0) reads.addAndGet(2 * 64);
            }
        };
        Thread[] readers = {new Thread(reader, "r1"), new Thread(reader, "r2")};
        for (Thread r : readers) r.start();
        // A fixed amount of work on both sides, however the threads are scheduled; the deadline
        // only stops a broken run.
        long deadline = System.nanoTime() + 120_000_000_000L;
        SplittableRandom rnd = new SplittableRandom(6);
        List<Integer> churn = new ArrayList<>();
        int ops = 0;
        try {
            while ((ops < 200_000 || reads.get() < 100_000) && System.nanoTime() < deadline && failure.get() == null) {
                for (int k = 0; k < 500; k++, ops++) {
                    boolean growing = ops / 50_000 % 2 == 0;
                    if (churn.size() < 5000 && (churn.isEmpty() || rnd.nextInt(100) < (growing ? 60 : 40))) {
                        int idx = t.allocate(new Value(-1, "placeholder"), rng);
                        assertThat(t.replace(idx, new Value(idx, "churn"))).isTrue();
                        churn.add(idx);
                        recent.set(rnd.nextInt(recent.length()), idx);
                    } else {
                        int idx = churn.remove(rnd.nextInt(churn.size()));
                        Value v = t.get(idx);
                        if (rnd.nextInt(4) == 0) {
                            Value w = new Value(idx, "replaced");
                            assertThat(t.replace(idx, v, w)).isTrue();
                            v = w;
                        }
                        assertThat(t.remove(idx, v)).isTrue();
                    }
                }
            }
        } finally {
            stop.set(true);
            for (Thread r : readers) r.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(ops).isGreaterThanOrEqualTo(200_000);
        assertThat(reads.get()).isGreaterThanOrEqualTo(100_000);
        assertThat(t.size()).isEqualTo(stableCount + churn.size());
        for (int i = 0; i < stableCount; i++) assertThat(t.get(stable[i])).isSameAs(stableValue[i]);
    }
}
