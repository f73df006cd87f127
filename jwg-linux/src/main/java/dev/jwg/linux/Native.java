package dev.jwg.linux;

import java.util.Locale;

/**
 * Whether this module's native bindings work here: Linux on x86_64 or aarch64 with glibc, and the
 * JVM allowing native access. Callers check {@link #isAvailable()} once and fall back (or exit
 * with {@link #unavailabilityCause()}) instead of meeting a linkage error deep in the I/O path.
 * The public factories of this package call {@link #ensureAvailable()} themselves.
 *
 * <p>Other architectures are refused on purpose: the struct layouts, ioctl numbers and socket
 * constants in {@link Structs} and {@link Libc} are those of LP64 asm-generic Linux (x86_64 and
 * aarch64 agree on every one we use); MIPS, SPARC, PowerPC and 32-bit targets differ.
 *
 * <p>Thread-safe; the probe runs once.
 */
public final class Native {
    private Native() {}

    private static final Throwable CAUSE = probe();

    /** True when the Linux bindings can be used. */
    public static boolean isAvailable() {
        return CAUSE == null;
    }

    /** Why the bindings cannot be used, or null when they can. */
    public static Throwable unavailabilityCause() {
        return CAUSE;
    }

    /** Throws {@link UnsupportedOperationException} (with the cause) unless {@link #isAvailable()}. */
    public static void ensureAvailable() {
        if (CAUSE != null) {
            throw new UnsupportedOperationException("jwg Linux bindings unavailable: " + CAUSE.getMessage(), CAUSE);
        }
    }

    /** The normalised architecture name: "x86_64", "aarch64", or what the JVM reports. */
    static String arch() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }

    private static Throwable probe() {
        String os = System.getProperty("os.name", "");
        if (!os.equals("Linux")) {
            return new UnsupportedOperationException("not Linux but " + os);
        }
        String arch = arch();
        if (!arch.equals("x86_64") && !arch.equals("aarch64")) {
            return new UnsupportedOperationException("architecture " + arch + " is not supported (x86_64 and aarch64 only)");
        }
        if (!"64".equals(System.getProperty("sun.arch.data.model", "64"))) {
            return new UnsupportedOperationException("a 64-bit JVM is required");
        }
        try {
            Module module = Native.class.getModule();
            if (!module.isNativeAccessEnabled()) {
                return new IllegalCallerException("native access is disabled; run java with --enable-native-access="
                        + (module.isNamed() ? module.getName() : "ALL-UNNAMED"));
            }
            if (!Libc.isGlibc()) {
                return new UnsupportedOperationException("the C library is not glibc");
            }
            Libc.getpid(); // links every handle in Libc and makes one real call
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
