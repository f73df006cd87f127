package dev.jwg.cli.quick;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.UapiException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The system {@code jwg up}/{@code down}/{@code save} act on: programs to run and the daemons' UAPI
 * sockets. {@link LinuxHost} is the real one; tests use a recording fake, so plans, rollback and
 * teardown are checked without root. An implementation used by {@link Executor#up} with interrupts
 * enabled must be thread-safe.
 */
public interface Host {

    /**
     * Runs a command with inherited standard output and error (standard input inherited too unless the
     * command has its own), in the C locale, with {@code env} added to the environment.
     *
     * @return the exit status
     */
    int run(SysCommand command, Map<String, String> env) throws IOException;

    /**
     * Runs a query whose output is read, not shown (standard error discarded), in the C locale.
     *
     * @return exit status and standard output
     */
    Output query(List<String> argv) throws IOException;

    /** Sends a UAPI set request (lines after {@code set=1}) to the daemon of {@code ifname}. */
    void uapiSet(String ifname, String body) throws IOException, UapiException;

    /** Asks the daemon of {@code ifname} for its state ({@code get=1}). */
    DeviceSnapshot uapiGet(String ifname) throws IOException, UapiException;

    /** The UAPI socket of {@code ifname}'s daemon ({@code /var/run/wireguard/IF.sock}). */
    Path uapiSocket(String ifname);

    /**
     * Stops the daemon of {@code ifname} by removing its UAPI socket: jwgd and wireguard-go exit when
     * it goes, and the interface goes with them, in whichever network namespace it is now.
     *
     * @param timeout how long to wait for the daemon to exit
     * @return true if it exited within the timeout (or no daemon answered)
     */
    boolean stopDaemon(String ifname, Duration timeout) throws IOException;

    /** Where a program is found on the {@code PATH}, as bash's {@code type -P}; empty if nowhere. */
    Optional<Path> which(String name);

    /**
     * A query's result.
     *
     * @param status exit status
     * @param stdout standard output
     */
    record Output(int status, String stdout) {
        public boolean ok() {
            return status == 0;
        }
    }
}
