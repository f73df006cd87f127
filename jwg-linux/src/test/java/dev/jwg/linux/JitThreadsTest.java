package dev.jwg.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compiler threads' scheduling policy, read back from {@code /proc/self/task/TID/stat}. */
class JitThreadsTest {
    @Test
    void recognisesHotSpotsCompilerThreadsByTheirTruncatedNames() {
        assertThat(JitThreads.isCompilerThread("C2 CompilerThre")).isTrue();
        assertThat(JitThreads.isCompilerThread("C1 CompilerThre")).isTrue();
        assertThat(JitThreads.isCompilerThread("wg0-tun-reader")).isFalse();
    }

    @Test
    void compilerThreadsGoIdleAndComeBack() throws IOException {
        assumeTrue(Native.isAvailable() && Libc.geteuid() == 0, "needs the Linux bindings and root (restoring the policy needs CAP_SYS_NICE)");
        try {
            assertThat(JitThreads.setIdle(true)).isPositive();
            assertThat(compilerPolicies()).isNotEmpty().containsOnly(JitThreads.SCHED_IDLE);
        } finally {
            JitThreads.setIdle(false);
        }
        assertThat(compilerPolicies()).isNotEmpty().containsOnly(JitThreads.SCHED_OTHER);
    }

    @Test
    void compilerTimeIsReadFromProc() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/task")), "needs /proc");
        long first = JitThreads.compilerNanos();
        assertThat(first).isPositive(); // this JVM has compiled something by the time tests run
        assertThat(JitThreads.compilerNanos()).isGreaterThanOrEqualTo(first);
    }

    @Test
    void awaitQuietWaitsAtLeastTheQuietTime() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/task")), "needs /proc");
        // The compilers of a test JVM go quiet long before a minute; the wait covers the quiet time.
        assertThat(JitThreads.awaitQuiet(20, 60_000)).isGreaterThanOrEqualTo(20);
    }

    @Test
    void awaitQuietStopsAtItsLimit() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/task")), "needs /proc");
        // Asked for an hour of quiet with no time to wait: returns after one look at most.
        assertThat(JitThreads.awaitQuiet(3_600_000, 0)).isBetween(0L, 3_600_000L - 1);
    }

    /** The policy (field 41 of {@code stat}) of every compiler thread of this JVM. */
    private static List<Integer> compilerPolicies() throws IOException {
        return Shell.threadStats(JitThreads::isCompilerThread).stream().map(f -> Integer.parseInt(f[41 - 3])).toList();
    }
}
