package dev.jwg.linux;


import java.io.IOException;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM's JIT compiler threads, found by name in {@code /proc/self/task}, and their scheduling
 * priority. The daemon lowers it for the first seconds after it is ready ({@link #lowerFor}):
 * compilation still running then (C2 finishing what the start-up began, up to a second of CPU)
 * must not delay the first packets, which the kernel then schedules first; and it restores it
 * after, because a compiler kept at nice 10 gets a few percent of a CPU under a saturating
 * stream and would leave code the stream needs uncompiled for long. Restoring needs CAP_SYS_NICE,
 * so an unprivileged daemon does not lower it at all. Threads the compilers start later inherit
 * the value. Stateless and thread-safe.
 */
public final class JitThreads {
    private JitThreads() {}

    private static final int PRIO_PROCESS = 0;

    private static final class SetPriority {
        static final MethodHandle SETPRIORITY = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("setpriority").orElseThrow(),
                Libc.shape(3)); // Libc's canonical shapes
    }

    /** HotSpot's compiler threads ("C1 CompilerThread0", ...), as the kernel truncates their names. */
    static boolean isCompilerThread(String comm) {
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    /**
     * Sets the nice value of every JIT compiler thread to {@code nice} (0–19). Returns how many
     * threads were changed; 0 where there is no {@code /proc} or no such thread.
     */
    public static int setNice(int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice " + nice);
        }
        if (!Native.isAvailable()) {
            return 0;
        }
        int changed = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                if (isCompilerThread(comm) && setpriority(Integer.parseInt(task.getFileName().toString()), nice) == 0) {
                    changed++;
                }
            }
        } catch (IOException e) {
            return changed;
        }
        return changed;
    }

    /**
     * Sets the compiler threads to {@code nice} now and back to 0 after {@code millis}, on a thread
     * that then ends; does nothing unless this process may raise a priority again (root).
     */
    public static void lowerFor(int nice, long millis) {
        if (!Native.isAvailable() || Libc.geteuid() != 0 || setNice(nice) == 0) {
            return;
        }
        Thread.ofPlatform().name("jwg-jit-priority").daemon().start(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                // restore at once
            }
            setNice(0);
        });
    }

    private static int setpriority(int tid, int nice) {
        try {
            return (int) (long) SetPriority.SETPRIORITY.invokeExact((long) PRIO_PROCESS, (long) tid, (long) nice);
        } catch (Throwable t) {
            throw new IllegalStateException("setpriority failed", t);
        }
    }
}
