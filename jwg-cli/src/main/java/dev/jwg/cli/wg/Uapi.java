package dev.jwg.cli.wg;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.linux.Errno;
import java.util.List;

/**
 * What the {@code wg} commands need from the daemons: the interface list, get and set. Failures carry
 * the errno {@code wg} would report. Implementations must be thread-safe.
 */
interface Uapi {
    /** The interfaces, in the order {@code wg show interfaces} lists them. */
    List<String> interfaces() throws Failure;

    /** {@code get=1} on {@code ifname}. */
    DeviceSnapshot get(String ifname) throws Failure;

    /** {@code set=1} with {@code body} (lines ending in newline, without the blank line) on {@code ifname}. */
    void set(String ifname, String body) throws Failure;

    /** A failed call, with its (positive) errno. Immutable. */
    final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int errno;

        Failure(int errno) {
            super(Errno.text(errno), null, false, false);
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }
}
