package dev.jwg.cli.quick;

import dev.jwg.config.model.ConfigFiles;

import dev.jwg.config.uapi.UapiErrno;
import dev.jwg.config.uapi.UapiException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs plans on a {@link Host}, printing each step as it goes, and takes them back.
 *
 * <ul>
 *   <li>{@link #up}: runs the steps in order and records each completed one in the state
 *       {@linkplain StateFile.Journal journal}. If a step fails, or the process is interrupted
 *       (SIGINT/SIGTERM), everything done so far is undone in exact reverse order — wg-quick's
 *       {@code trap del_if} — and the state file removed: nothing is left behind.
 *   <li>{@link #undoAll}: {@code jwg down}'s teardown of a recorded state, in wg-quick's order: policy
 *       rules, routes outside the link, the link, DNS, firewall. A failing undo is reported and the
 *       rest still run.
 * </ul>
 *
 * Not thread-safe, except for the interrupt handling of {@link #up}.
 */
public final class Executor {
    private final Host host;
    private final PrintStream err;
    private final Map<String, String> hookEnv;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean finished;
    private volatile boolean interrupted;

    /**
     * @param host where to act
     * @param err where the {@code [#]} lines go (wg-quick prints them to standard error)
     * @param hookEnv added to the environment of hooks ({@code INTERFACE}, {@code CONFIG_FILE})
     */
    public Executor(Host host, PrintStream err, Map<String, String> hookEnv) {
        this.host = host;
        this.err = err;
        this.hookEnv = Map.copyOf(hookEnv);
    }

    /** Why a step failed. */
    static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs {@code plan}; on failure undoes what was done.
     *
     * @param journal records completed steps; its file is deleted after a rollback
     * @param stateFiles where the journal lives, to delete it after a rollback
     * @param interruptible whether SIGINT/SIGTERM roll back too (a JVM shutdown hook)
     * @return true if every step succeeded
     */
    public boolean up(Plan plan, StateFile.Journal journal, StateFile stateFiles, boolean interruptible) {
        List<Undo> done = new ArrayList<>();
        Thread onSignal = new Thread(() -> abortFromSignal(plan, done, journal, stateFiles), "jwg-up-rollback");
        if (interruptible) {
            Runtime.getRuntime().addShutdownHook(onSignal);
        }
        try {
            for (Step s : plan.steps()) {
                lock.lock();
                try {
                    if (finished) {
                        return false; // rolled back by the signal handler
                    }
                    if (interrupted) {
                        err.println("[!] interrupted; undoing what was done");
                        rollback(done, journal, stateFiles);
                        return false;
                    }
                    try {
                        execute(plan.ifname(), s);
                        if (!(s instanceof Step.Note)) {
                            journal.record(new StateFile.Entry(s.line().substring(4), s.undo()));
                        }
                    } catch (StepFailed e) {
                        err.println("[!] " + e.getMessage() + "; undoing what was done");
                        rollback(done, journal, stateFiles);
                        return false;
                    } catch (IOException e) {
                        s.undo().ifPresent(done::add); // the step ran: take it back too
                        err.println("[!] cannot record the state in " + journal.path() + ": " + ConfigFiles.reason(e)
                                + "; undoing what was done");
                        rollback(done, journal, stateFiles);
                        return false;
                    }
                    s.undo().ifPresent(done::add);
                } finally {
                    lock.unlock();
                }
            }
            lock.lock();
            try {
                if (finished) {
                    return false;
                }
                if (interrupted) {
                    err.println("[!] interrupted; undoing what was done");
                    rollback(done, journal, stateFiles);
                    return false;
                }
                journal.complete();
                finished = true;
                return true;
            } catch (IOException e) {
                err.println("[!] cannot record the state in " + journal.path() + ": " + ConfigFiles.reason(e)
                        + "; undoing what was done");
                rollback(done, journal, stateFiles);
                return false;
            } finally {
                lock.unlock();
            }
        } finally {
            if (interruptible) {
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run
                }
            }
            try {
                journal.close();
            } catch (IOException ignored) {
                // the content was forced to disk after every step
            }
        }
    }

    /**
     * SIGINT/SIGTERM, as wg-quick's {@code trap 'del_if; exit' INT TERM EXIT}: the step running now
     * completes, then the main thread sees {@link #interrupted} and rolls back. Only if it does not get
     * there in time (a hung step) does this thread roll back what it can.
     */
    private void abortFromSignal(Plan plan, List<Undo> done, StateFile.Journal journal, StateFile stateFiles) {
        interrupted = true;
        try {
            if (!lock.tryLock(30, TimeUnit.SECONDS)) {
                err.println("[!] interrupted while a step was still running; 'jwg down " + plan.ifname()
                        + "' removes what was done");
                return;
            }
        } catch (InterruptedException e) {
            return;
        }
        try {
            if (!finished) {
                err.println("[!] interrupted; undoing what was done");
                rollback(done, journal, stateFiles);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Undoes in exact reverse order, removes the state file and marks the run finished. */
    private void rollback(List<Undo> done, StateFile.Journal journal, StateFile stateFiles) {
        finished = true;
        for (Undo u : done.reversed()) {
            undo(u);
        }
        try {
            journal.close();
            java.nio.file.Files.deleteIfExists(journal.path());
        } catch (IOException e) {
            err.println("[!] cannot remove " + journal.path() + ": " + ConfigFiles.reason(e));
        }
    }

    /**
     * The undos of a state in {@code jwg down}'s order: by {@link Undo.Kind} (rules, outside routes, link,
     * DNS, firewall), most recent first within a kind.
     */
    static List<Undo> downOrder(List<Undo> recorded) {
        List<Undo> out = new ArrayList<>(recorded.reversed());
        out.sort(Comparator.comparingInt(u -> u.kind().downOrder())); // stable: keeps reverse order within a kind
        return out;
    }

    /** Where {@code jwg down} finds the interface of the state it takes down. */
    public enum LinkPlace {
        /** In this network namespace: deleting it ends the daemon. */
        HERE,
        /**
         * Not in this network namespace, but its daemon still answers: the interface was moved to
         * another namespace ({@code ip link set IF netns NAME}, typically by a PostUp), while the
         * daemon and its UDP socket stay here. Stopping the daemon removes it where it is.
         */
        ELSEWHERE,
        /** Gone already, daemon and all. */
        GONE
    }

    /** How long {@code down} waits for a daemon stopped through its socket to exit. */
    static final Duration DAEMON_EXIT = Duration.ofSeconds(10);

    /**
     * Runs the undos of a recorded state in {@link #downOrder}. The link's undo depends on where the
     * link is: deleted when it is here; when it was moved to another network namespace, the daemon is
     * stopped by removing its UAPI socket (as wg-quick does on macOS), which takes the interface with
     * it; skipped when it is already gone.
     *
     * @return true if every undo succeeded
     */
    public boolean undoAll(StateFile.State state, LinkPlace link) {
        boolean ok = true;
        for (Undo u : downOrder(state.undos())) {
            if (u.kind() == Undo.Kind.LINK && link == LinkPlace.GONE) {
                err.println("[!] " + state.ifname() + " is already gone");
                continue;
            }
            if (u.kind() == Undo.Kind.LINK && link == LinkPlace.ELSEWHERE) {
                ok &= stopDaemon(state.ifname());
                continue;
            }
            ok &= undo(u);
        }
        return ok;
    }

    private boolean stopDaemon(String ifname) {
        err.println("[!] " + ifname + " is in another network namespace; stopping its daemon removes it there");
        err.println("[#] rm -f " + host.uapiSocket(ifname));
        try {
            if (host.stopDaemon(ifname, DAEMON_EXIT)) {
                return true;
            }
            err.println("[!] the daemon of " + ifname + " did not exit within " + DAEMON_EXIT.toSeconds() + " s; going on");
        } catch (IOException e) {
            err.println("[!] cannot stop the daemon of " + ifname + ": " + e.getMessage() + "; going on");
        }
        return false;
    }

    private boolean undo(Undo u) {
        err.println("[#] " + u.command().display());
        try {
            int status = host.run(u.command(), Map.of());
            if (status != 0) {
                err.println("[!] '" + u.command().display() + "' failed with exit status " + status + "; going on");
                return false;
            }
            return true;
        } catch (IOException e) {
            err.println("[!] " + e.getMessage() + "; going on");
            return false;
        }
    }

    /**
     * Runs steps without a journal or rollback: the hooks of {@code down}.
     *
     * @return true if every step succeeded; stops at the first failure, as wg-quick's {@code set -e} does
     */
    public boolean runAll(String ifname, List<Step> steps) {
        for (Step s : steps) {
            try {
                execute(ifname, s);
            } catch (StepFailed e) {
                err.println("[!] " + e.getMessage());
                return false;
            }
        }
        return true;
    }

    private void execute(String ifname, Step s) throws StepFailed {
        err.println(s.line());
        try {
            switch (s) {
                case Step.Run r -> check(r.command().display(), host.run(r.command(), Map.of()));
                case Step.Hook h -> check(h.text(), host.run(
                        SysCommand.of("bash", "-e", "-o", "pipefail", "-O", "extglob", "-c", h.text()), hookEnv));
                case Step.UapiSet u -> host.uapiSet(ifname, u.body());
                case Step.Note n -> {
                    // printed above; nothing to run
                }
            }
        } catch (UapiException e) {
            throw new StepFailed(s.line().substring(4) + ": refused by the daemon (" + UapiErrno.name(e.errno()) + ")", e);
        } catch (IOException e) {
            throw new StepFailed(s.line().substring(4) + ": " + e.getMessage(), e);
        }
    }

    private static void check(String what, int status) throws StepFailed {
        if (status != 0) {
            throw new StepFailed("'" + what + "' failed with exit status " + status, null);
        }
    }
}
