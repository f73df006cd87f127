package dev.jwg.linux;


import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * The C heap of this process (glibc's malloc), which the JVM's compilers, class loading and the
 * native libraries allocate from. glibc keeps freed memory in its arenas for reuse rather than
 * giving it back: after a JIT warm-up that is tens of megabytes of resident but unused memory
 * (figures in docs/performance.md ("Measurements behind design choices")). {@link #trim()} hands the free pages back.
 * Stateless and thread-safe.
 */
public final class NativeHeap {
    private NativeHeap() {}

    /** glibc's {@code malloc_trim}, looked up only when first used (musl has none). */
    private static final class Trim {
        static final MethodHandle MALLOC_TRIM = Libc.isGlibc()
                ? Linker.nativeLinker().downcallHandle(Linker.nativeLinker().defaultLookup().find("malloc_trim").orElseThrow(),
                        Libc.shape(1)) // Libc's canonical shapes
                : null;
    }

    /**
     * Returns the free memory of every malloc arena to the system ({@code malloc_trim(0)}).
     * Returns false when there is no such call (not glibc) or nothing could be returned. Takes
     * about a millisecond; call it after a burst of allocation, not on a hot path.
     */
    public static boolean trim() {
        if (!Native.isAvailable() || Trim.MALLOC_TRIM == null) {
            return false;
        }
        try {
            return (int) (long) Trim.MALLOC_TRIM.invokeExact(0L) != 0;
        } catch (Throwable t) {
            throw new IllegalStateException("malloc_trim failed", t);
        }
    }
}
