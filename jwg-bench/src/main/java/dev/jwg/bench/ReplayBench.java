package dev.jwg.bench;

import dev.jwg.core.replay.ReplayWindow;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay-window check per received transport packet: counters in order (the common case) and
 * slightly reordered (each group of 16 packets arrives back to front, as after a parallel decrypt
 * that lost ordering).
 *
 * <p>Run: {@code java -cp 'jwg-bench/target/classes:jwg-bench/target/lib/*' org.openjdk.jmh.Main ReplayBench}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ReplayBench {

    private final ReplayWindow window = new ReplayWindow();
    private long counter;

    @Benchmark
    public boolean validateInOrder() {
        return window.validate(counter++);
    }

    @Benchmark
    public boolean validateReordered() {
        long n = counter++;
        return window.validate((n & ~15L) + (15 - (n & 15)));
    }
}
