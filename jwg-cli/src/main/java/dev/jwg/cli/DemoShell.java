package dev.jwg.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs the commands of {@code jwg demo} the way wg-quick does: each one is printed first as
 * {@code [#] command}, exactly as it is executed (shell redirections only where the process really
 * gets that file as its stdin or stdout). Output goes to a file, never a pipe, so a daemon that
 * a command leaves behind cannot hold us up. Every command has a time limit.
 *
 * <p>Not thread-safe, except {@link #destroyRunning}, which the shutdown hook may call.
 */
final class DemoShell {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /** What a command did: its exit status (-1 when it timed out) and its merged stdout/stderr. */
    record Result(List<String> command, int exit, String output) {
        boolean ok() { return exit == 0; }
    }

    /** A step of the demo went wrong; the message says what, the output shows why. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final String output;

        Failure(String message, String output) {
            super(message);
            this.output = output;
        }
    }

    private final PrintStream out;
    private final Path work;
    private final List<Process> running = new ArrayList<>();
    private final Map<Process, Path> logs = new HashMap<>();
    private volatile boolean stopped;
    private int sequence;

    DemoShell(PrintStream out, Path work) {
        this.out = out;
        this.work = work;
    }

    /** Runs and prints a command; fails the step unless it exits 0. */
    Result must(Duration timeout, String... command) throws Failure {
        Result r = run(timeout, null, null, command);
        if (!r.ok()) {
            throw failure(r);
        }
        return r;
    }

    /** Runs and prints a command, whatever its exit status. */
    Result run(Duration timeout, String... command) {
        return run(timeout, null, null, command);
    }

    /** Runs a command without printing it (probes that are not part of the story). */
    Result quiet(Duration timeout, String... command) {
        return exec(timeout, null, null, List.of(command));
    }

    /** Runs and prints {@code command < stdin > stdout} (either may be null). */
    Result run(Duration timeout, Path stdin, Path stdout, String... command) {
        List<String> cmd = List.of(command);
        if (stopped) {
            return new Result(cmd, -1, "");
        }
        StringBuilder line = new StringBuilder("[#] ").append(display(cmd));
        if (stdin != null) {
            line.append(" < ").append(quote(stdin.toString()));
        }
        if (stdout != null) {
            line.append(" > ").append(quote(stdout.toString()));
        }
        out.println(line);
        out.flush();
        return exec(timeout, stdin, stdout, cmd);
    }

    /** Starts a command in the background ({@code [#] command &}); {@link #destroyRunning} ends it. */
    Process background(String... command) throws Failure {
        List<String> cmd = List.of(command);
        if (stopped) {
            throw new Failure("stopped", "");
        }
        out.println("[#] " + display(cmd) + " &");
        out.flush();
        try {
            Path log = work.resolve("bg-" + (++sequence) + ".out");
            Process p = builder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            synchronized (running) {
                running.add(p);
                logs.put(p, log);
            }
            return p;
        } catch (IOException e) {
            throw new Failure("cannot start " + cmd.getFirst() + ": " + e.getMessage(), "");
        }
    }

    /** The output a background process wrote so far. */
    String backgroundOutput(Process p) {
        Path log;
        synchronized (running) {
            log = logs.get(p);
        }
        try {
            return log != null && Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** From now on commands are refused (the demo is being torn down), and running ones end. */
    void stop() {
        stopped = true;
        destroyRunning();
    }

    /** Ends every command still running (on failure, Ctrl-C or at the end). */
    void destroyRunning() {
        synchronized (running) {
            for (Process p : running) {
                if (p.isAlive()) {
                    p.destroy();
                    try {
                        if (!p.waitFor(2, TimeUnit.SECONDS)) {
                            p.destroyForcibly();
                        }
                    } catch (InterruptedException e) {
                        p.destroyForcibly();
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    Failure failure(Result r) {
        String why = r.exit() < 0 ? "timed out" : "failed with exit status " + r.exit();
        return new Failure(display(r.command()) + " " + why, r.output());
    }

    private Result exec(Duration timeout, Path stdin, Path stdout, List<String> cmd) {
        if (stopped) {
            return new Result(cmd, -1, "");
        }
        Path capture = work.resolve("cmd-" + (++sequence) + ".out");
        ProcessBuilder pb = builder(cmd);
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.from(stdin.toFile()));
        if (stdout != null) {
            pb.redirectOutput(stdout.toFile());
            pb.redirectError(capture.toFile());
        } else {
            pb.redirectErrorStream(true);
            pb.redirectOutput(capture.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(cmd, 127, e.getMessage());
        }
        synchronized (running) {
            running.add(p);
        }
        int exit;
        try {
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                exit = p.exitValue();
            } else {
                p.destroyForcibly();
                exit = -1;
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            exit = -1;
        } finally {
            synchronized (running) {
                running.remove(p);
            }
        }
        String output;
        try {
            output = Files.readString(capture, StandardCharsets.UTF_8);
            Files.deleteIfExists(capture);
        } catch (IOException e) {
            output = "";
        }
        return new Result(cmd, exit, output);
    }

    private static ProcessBuilder builder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        // The daemons must behave as wg-quick would start them: in the background, quiet.
        env.remove("WG_PROCESS_FOREGROUND");
        env.remove("LOG_LEVEL");
        env.put("WG_COLOR_MODE", "never");
        return pb;
    }

    /** Prints a command's output indented under its {@code [#]} line. */
    void show(Result r) {
        show(r.output());
    }

    void show(String text) {
        if (text.isBlank()) {
            return;
        }
        for (String l : text.stripTrailing().split("\n", -1)) {
            out.println("    " + l);
        }
        out.flush();
    }

    /** The command as a shell would need it typed. */
    static String display(List<String> cmd) {
        List<String> parts = new ArrayList<>();
        for (String a : cmd) {
            parts.add(quote(a));
        }
        return String.join(" ", parts);
    }

    static String quote(String arg) {
        if (!arg.isEmpty() && SAFE.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** The first executable called {@code name} on the PATH, then in the sbin directories. */
    static Optional<Path> which(String name) {
        String path = System.getenv("PATH");
        path = (path == null ? "" : path) + ":/usr/local/sbin:/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
