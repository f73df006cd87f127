package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Small POSIX helpers the daemon needs around its UAPI socket and start-up: {@code umask} (the UAPI
 * socket is bound under umask 077), process id, terminal detection, interface name/index lookups.
 *
 * <p>Stateless and thread-safe (but note that the umask is per process).
 */
public final class Posix {
    private Posix() {}

    /** Sets the process umask and returns the previous one. */
    public static int umask(int mask) {
        Native.ensureAvailable();
        return Libc.umask(mask);
    }

    public static int getpid() {
        Native.ensureAvailable();
        return Libc.getpid();
    }

    /** The effective user id (0 for root). */
    public static int geteuid() {
        Native.ensureAvailable();
        return Libc.geteuid();
    }

    /**
     * True when {@code fd} refers to a terminal. Links {@code isatty} alone, not the whole of
     * {@link Libc} (which {@link Native}'s probe does): {@code jwg show} asks this on every start, and
     * linking every handle would cost it a noticeable part of its start-up. False when the call
     * cannot be made.
     */
    public static boolean isatty(int fd) {
        try {
            return (int) Tty.ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            return false;
        }
    }

    /** The one downcall {@link #isatty} needs, linked on first use. */
    private static final class Tty {
        static final MethodHandle ISATTY = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("isatty").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /** The index of interface {@code name} in this process's network namespace. */
    public static int ifNameToIndex(String name) throws LinuxException {
        Native.ensureAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int index = Libc.ifNameToIndex(state, arena.allocateFrom(name, StandardCharsets.UTF_8));
            if (index == 0) {
                throw new LinuxException("if_nametoindex(" + name + ")", Libc.errno(state));
            }
            return index;
        }
    }

    /** The name of interface {@code index} in this process's network namespace. */
    public static String ifIndexToName(int index) throws LinuxException {
        Native.ensureAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            MemorySegment buf = arena.allocate(JAVA_BYTE, Libc.IFNAMSIZ);
            MemorySegment result = Libc.ifIndexToName(state, index, buf);
            if (result.equals(MemorySegment.NULL)) {
                throw new LinuxException("if_indextoname(" + index + ")", Libc.errno(state));
            }
            return buf.getString(0, StandardCharsets.UTF_8);
        }
    }

    /** Closes a file descriptor (e.g. one inherited through {@code WG_TUN_FD} that turned out unusable). */
    public static void close(int fd) throws LinuxException {
        Native.ensureAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            Libc.check(Libc.close(state, fd), "close", state);
        }
    }
}
