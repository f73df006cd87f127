package dev.jwg.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Test helpers: run iproute2 commands, make unique names, create and remove network namespaces. */
final class Shell {
    private Shell() {}

    /** True when the real-kernel tests can run: the bindings work, we are root, TUN and iproute2 exist. */
    static boolean rootTestsPossible() {
        return Native.isAvailable() && Posix.geteuid() == 0 && Files.exists(Path.of("/dev/net/tun")) && onPath("ip");
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", program)) || Files.isExecutable(Path.of("/sbin", program));
    }

    /** A name like {@code jwgt3fa9c1} (at most 15 characters), unique enough for parallel runs. */
    static String unique(String prefix) {
        return prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    }

    /** Runs a command, waits up to 10 s, returns its output; throws when it fails. */
    static String run(String... command) throws IOException, InterruptedException {
        Result r = exec(command);
        if (r.status != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.status + "): " + r.output);
        }
        return r.output;
    }

    /** Runs a command, ignoring failure (clean-up). */
    static void quietly(String... command) {
        try {
            exec(command);
        } catch (IOException | InterruptedException e) {
            // clean-up best effort
        }
    }

    record Result(int status, String output) {}

    static Result exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /**
     * Waits (up to 10 s) until the thread named {@code name} (at most 15 characters, the kernel's
     * limit) sleeps in the kernel, e.g. blocked in a read: the point where a test may close or
     * delete what it waits on. Polls /proc; throws when the thread never gets there.
     */
    static void awaitSleepingInKernel(String name) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (threadStats(name::equals).stream().anyMatch(f -> f[0].equals("S"))) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IOException("thread " + name + " never blocked in the kernel");
    }

    /**
     * The fields of {@code /proc/self/task/TID/stat} after the command name (field 3, the state,
     * first) of every thread of this JVM whose name (as the kernel truncates it) passes
     * {@code name}; a thread that ends meanwhile is left out.
     */
    static List<String[]> threadStats(Predicate<String> name) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (name.test(Files.readString(task.resolve("comm")).strip())) {
                        String stat = Files.readString(task.resolve("stat"));
                        out.add(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
                    }
                } catch (IOException gone) {
                    // the task ended meanwhile
                }
            }
        }
        return out;
    }

    /** Starts a command in the background. */
    static Process start(String... command) throws IOException {
        return new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    }

    /** A network namespace that exists until closed. */
    static final class Namespace implements AutoCloseable {
        final String name;

        Namespace() throws IOException, InterruptedException {
            name = unique("jwgns");
            Shell.run("ip", "netns", "add", name);
        }

        /** Runs {@code command} inside the namespace. */
        String run(String... command) throws IOException, InterruptedException {
            String[] full = new String[command.length + 4];
            full[0] = "ip";
            full[1] = "netns";
            full[2] = "exec";
            full[3] = name;
            System.arraycopy(command, 0, full, 4, command.length);
            return Shell.run(full);
        }

        Process start(String... command) throws IOException {
            String[] full = new String[command.length + 4];
            full[0] = "ip";
            full[1] = "netns";
            full[2] = "exec";
            full[3] = name;
            System.arraycopy(command, 0, full, 4, command.length);
            return Shell.start(full);
        }

        @Override
        public void close() {
            quietly("ip", "netns", "del", name);
        }
    }
}
