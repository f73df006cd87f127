package dev.jwg.cli.wg;

import dev.jwg.linux.Native;
import dev.jwg.linux.Posix;
import java.io.BufferedOutputStream;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Everything a {@code wg} command touches outside itself, so that tests can supply their own: the
 * standard streams, the environment, the clock, the daemons, the terminal, name resolution,
 * randomness. Immutable; thread-safe if its parts are.
 *
 * @param prog the program name in usage and error messages ({@code wg}'s {@code PROG_NAME})
 * @param stdoutIsTerminal whether standard output is a terminal (colour in auto mode)
 * @param stdoutWorldAccessible whether standard output is a regular file others may access (genkey's warning)
 * @param nowSeconds the current Unix time in seconds
 */
record WgContext(
        String prog,
        PrintStream out,
        PrintStream err,
        InputStream in,
        UnaryOperator<String> env,
        LongSupplier nowSeconds,
        Uapi uapi,
        boolean stdoutIsTerminal,
        BooleanSupplier stdoutWorldAccessible,
        EndpointText.Scopes scopes,
        Services services,
        EndpointResolution.Lookup lookup,
        EndpointResolution.Sleeper sleeper,
        RandomGenerator random) {

    /** The real process: fd 0/1/2, the environment, the system clock, {@code /var/run/wireguard}. */
    static WgContext system() {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        return new WgContext("jwg", out, err, new FileInputStream(FileDescriptor.in), System::getenv,
                () -> System.currentTimeMillis() / 1000, SocketUapi.system(), isatty(1),
                WgContext::probeStdoutWorldAccessible, systemScopes(), Services.SYSTEM, EndpointResolution.systemLookup(),
                micros -> Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000), new SecureRandom());
    }

    /** A resolver for endpoints using this context. */
    EndpointResolution endpoints() {
        return new EndpointResolution(lookup, scopes, services, env, err, sleeper);
    }

    /**
     * {@code isatty(fd)}, cheaply in the usual cases: a descriptor that is a pipe, a socket, a regular
     * file or {@code /dev/null} (what scripts and benchmarks give {@code jwg show}) is answered from
     * {@code /proc}; a standard output that is a terminal while standard input is one too (an
     * interactive shell) by {@link Console#isTerminal()}, which the JDK answers with its own
     * {@code isatty}. Only the rest asks the C library through FFM, whose first downcall costs tens
     * of milliseconds on a start.
     */
    private static boolean isatty(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            if (!target.startsWith("/dev/") || target.equals("/dev/null")) {
                return false;
            }
        } catch (Exception e) {
            // no /proc: ask below
        }
        Console console = fd == 1 ? System.console() : null;
        if (console != null && console.isTerminal()) {
            return true;
        }
        return Posix.isatty(fd);
    }

    /** {@code genkey.c}: {@code S_ISREG(st_mode) && (st_mode & S_IRWXO)} for standard output. */
    private static boolean probeStdoutWorldAccessible() {
        try {
            PosixFileAttributes a = Files.readAttributes(Path.of("/proc/self/fd/1"), PosixFileAttributes.class);
            return a.isRegularFile() && (a.permissions().contains(PosixFilePermission.OTHERS_READ)
                    || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                    || a.permissions().contains(PosixFilePermission.OTHERS_EXECUTE));
        } catch (Exception e) {
            return false;
        }
    }

    private static EndpointText.Scopes systemScopes() {
        return new EndpointText.Scopes() {
            @Override
            public OptionalInt indexOf(String name) {
                if (name.isEmpty() || name.length() > 15 || name.indexOf('/') >= 0) {
                    return OptionalInt.empty();
                }
                if (Native.isAvailable()) {
                    try {
                        return OptionalInt.of(Posix.ifNameToIndex(name));
                    } catch (Exception e) {
                        return OptionalInt.empty();
                    }
                }
                try {
                    return OptionalInt.of(Integer.parseInt(
                            Files.readString(Path.of("/sys/class/net", name, "ifindex")).trim()));
                } catch (Exception e) {
                    return OptionalInt.empty();
                }
            }

            @Override
            public Optional<String> nameOf(int index) {
                if (Native.isAvailable()) {
                    try {
                        return Optional.of(Posix.ifIndexToName(index));
                    } catch (Exception e) {
                        return Optional.empty();
                    }
                }
                try (var ds = Files.newDirectoryStream(Path.of("/sys/class/net"))) {
                    for (Path p : ds) {
                        String idx = Files.readString(p.resolve("ifindex")).trim();
                        if (idx.equals(Integer.toString(index))) {
                            return Optional.of(p.getFileName().toString());
                        }
                    }
                } catch (Exception e) {
                    return Optional.empty();
                }
                return Optional.empty();
            }
        };
    }
}
