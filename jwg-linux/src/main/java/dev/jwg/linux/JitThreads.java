package dev.jwg.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM's JIT compiler threads, found by name in {@code /proc/self/task}, and their scheduling
 * policy. The daemon makes them {@code SCHED_IDLE} for the first seconds after it is ready
 * ({@link #idleFor}): compilation still running then (C2 finishing what the start-up began) must
 * not delay the first packets. Such a thread gets the smallest share the scheduler gives, and a
 * waking thread of any other policy preempts it at once; a higher nice value only shrinks the
 * share, and a compiler holding a CPU kept it while a packet thread waited (docs/performance.md,
 * "Warm from the first packet"). It restores {@code SCHED_OTHER} after, because a compiler starved
 * by a saturating stream would leave code the stream needs uncompiled for long. Restoring needs
 * CAP_SYS_NICE, so an unprivileged daemon does not change the policy at all. Threads the
 * compilers start meanwhile inherit it and are restored with the others. {@link #awaitQuiet}
 * tells when they have compiled what they had queued (for {@code JWG_WARMUP=full}). Stateless
 * and thread-safe.
 */
public final class JitThreads {
    private JitThreads() {}

    /** {@code SCHED_OTHER} and {@code SCHED_IDLE} of {@code <sched.h>}. */
    static final int SCHED_OTHER = 0;
    static final int SCHED_IDLE = 5;

    private static final class SetScheduler {
        static final MethodHandle SCHED_SETSCHEDULER = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("sched_setscheduler").orElseThrow(),
                Libc.shape(3)); // Libc's canonical shapes: the pointer to struct sched_param as a 64-bit integer
    }

    /** HotSpot's compiler threads ("C1 CompilerThread0", ...), as the kernel truncates their names. */
    static boolean isCompilerThread(String comm) {
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    /**
     * Puts every JIT compiler thread under {@code SCHED_IDLE} ({@code idle}) or back under
     * {@code SCHED_OTHER}. Returns how many threads were changed; 0 where there is no {@code /proc},
     * no such thread or no permission.
     */
    public static int setIdle(boolean idle) {
        if (!Native.isAvailable()) {
            return 0;
        }
        List<Path> tasks;
        try {
            tasks = compilerTasks();
        } catch (IOException e) {
            return 0;
        }
        int changed = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment param = arena.allocate(ValueLayout.JAVA_INT); // sched_priority 0, as both policies require
            for (Path task : tasks) {
                if (setScheduler(Integer.parseInt(task.getFileName().toString()), idle ? SCHED_IDLE : SCHED_OTHER, param) == 0) {
                    changed++;
                }
            }
        }
        return changed;
    }

    /** The {@code /proc/self/task/TID} directories of the compiler threads alive now. */
    private static List<Path> compilerTasks() throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (isCompilerThread(Files.readString(task.resolve("comm")).strip())) {
                        found.add(task);
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return found;
    }

    /**
     * Puts the compiler threads under {@code SCHED_IDLE} now and back under {@code SCHED_OTHER}
     * after {@code millis}, on a thread that then ends; does nothing unless this process may
     * restore the policy (root).
     */
    public static void idleFor(long millis) {
        if (!Native.isAvailable() || Libc.geteuid() != 0 || setIdle(true) == 0) {
            return;
        }
        Thread.ofPlatform().name("jwg-jit-priority").daemon().start(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                // restore at once
            }
            setIdle(false);
        });
    }

    /** How often {@link #awaitQuiet} looks at the compiler threads' CPU time. */
    private static final long LOOK_MILLIS = 5;

    /**
     * Waits until the JIT compiler threads have used no CPU for {@code quietMillis} (what the JIT
     * queued is compiled), looking every few milliseconds, for at most {@code maxMillis}. Returns
     * the milliseconds waited, or -1 at once where {@code /proc} cannot tell.
     */
    public static long awaitQuiet(long quietMillis, long maxMillis) {
        long start = System.nanoTime();
        long used = compilerNanos();
        if (used < 0) {
            return -1;
        }
        long quietSince = start;
        for (long now = start; now - quietSince < quietMillis * 1_000_000L && now - start < maxMillis * 1_000_000L; now = System.nanoTime()) {
            try {
                Thread.sleep(LOOK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long latest = compilerNanos();
            if (latest != used) {
                used = latest;
                quietSince = System.nanoTime();
            }
        }
        return (System.nanoTime() - start) / 1_000_000L;
    }

    /**
     * CPU time the compiler threads alive now have used, in ns (the first field of
     * {@code /proc/self/task/TID/schedstat}), or -1 without {@code /proc}.
     */
    static long compilerNanos() {
        List<Path> tasks;
        try {
            tasks = compilerTasks();
        } catch (IOException e) {
            return -1;
        }
        long sum = 0;
        for (Path task : tasks) {
            try {
                String stat = Files.readString(task.resolve("schedstat"));
                sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
            } catch (IOException | NumberFormatException | StringIndexOutOfBoundsException gone) {
                // the thread ended meanwhile (or a kernel without schedstat: nothing to add)
            }
        }
        return sum;
    }

    private static int setScheduler(int tid, int policy, MemorySegment param) {
        try {
            return (int) (long) SetScheduler.SCHED_SETSCHEDULER.invokeExact((long) tid, (long) policy, param.address());
        } catch (Throwable t) {
            throw new IllegalStateException("sched_setscheduler failed", t);
        }
    }
}
