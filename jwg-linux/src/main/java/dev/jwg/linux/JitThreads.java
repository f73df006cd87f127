package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM's JIT compiler threads, found by name in {@code /proc/self/task}, and their scheduling
 * priority. The daemon lowers it once it is ready: compilation still running then (C2 finishing
 * what the start-up began, about a second of CPU) must not delay the first packets, which the
 * kernel then schedules first. Raising one's own nice value needs no privilege; threads the
 * compilers start later inherit it. Stateless and thread-safe.
 */
public final class JitThreads {
    private JitThreads() {}

    private static final int PRIO_PROCESS = 0;

    private static final class SetPriority {
        static final MethodHandle SETPRIORITY = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("setpriority").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
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

    private static int setpriority(int tid, int nice) {
        try {
            return (int) SetPriority.SETPRIORITY.invokeExact(PRIO_PROCESS, tid, nice);
        } catch (Throwable t) {
            throw new IllegalStateException("setpriority failed", t);
        }
    }
}
