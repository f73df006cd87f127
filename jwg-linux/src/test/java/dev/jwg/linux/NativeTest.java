package dev.jwg.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The availability probe, errno reporting and the POSIX helpers (no root needed). */
class NativeTest {

    @Test
    void isAvailableOnLinuxX86_64AndAarch64() {
        boolean supported = System.getProperty("os.name").equals("Linux")
                && (Native.arch().equals("x86_64") || Native.arch().equals("aarch64"));
        assertThat(Native.isAvailable()).as("cause: %s", Native.unavailabilityCause()).isEqualTo(supported && Libc.isGlibc());
        if (Native.isAvailable()) {
            assertThat(Native.unavailabilityCause()).isNull();
        }
    }

    @Test
    void exceptionCarriesCallErrnoAndMessage() {
        assumeTrue(Native.isAvailable());
        LinuxException e = new LinuxException("sendmmsg", Errno.ENETUNREACH);
        assertThat(e.getMessage()).isEqualTo("sendmmsg: Network is unreachable (errno 101)");
        assertThat(e.errno()).isEqualTo(101);
        assertThat(e.call()).isEqualTo("sendmmsg");
    }

    @Test
    void capturesErrnoOfAFailedCall() {
        assumeTrue(Native.isAvailable());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            assertThat(Libc.close(state, -1)).isEqualTo(-1);
            assertThat(Libc.errno(state)).isEqualTo(Errno.EBADF);
            assertThatThrownBy(() -> Libc.check(Libc.open(state, arena.allocateFrom("/nonexistent/jwg"), Libc.O_RDWR, 0), "open", state))
                    .isInstanceOfSatisfying(LinuxException.class, ex -> assertThat(ex.errno()).isEqualTo(Errno.ENOENT));
        }
    }

    /** Every downcall has a 64-bit integer shape (docs/cpu-architectures.md, "Downcall shapes"). */
    @Test
    void canonicalShapesWidenArgumentsAndNarrowResults() {
        assumeTrue(Native.isAvailable());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            // a negative int argument arrives as the same int, a -1 result comes back as -1
            assertThat(Libc.fcntl(state, -1, Libc.F_GETFL, 0)).isEqualTo(-1);
            assertThat(Libc.errno(state)).isEqualTo(Errno.EBADF);
            assertThat(Libc.read(state, -1, arena.allocate(8), 8)).isEqualTo(-1L);
            assertThat(Libc.errno(state)).isEqualTo(Errno.EBADF);
            // a pointer result
            assertThat(Libc.strerror(Errno.ENOENT)).isEqualTo("No such file or directory");
            // memory on the Java heap has no address to pass: refused, as the linker refuses it
            assertThatThrownBy(() -> Libc.read(state, -1, MemorySegment.ofArray(new byte[8]), 8))
                    .isInstanceOf(IllegalArgumentException.class);
            // six arguments and a pointer result
            MemorySegment mapped = Libc.mapAnonymous(1 << 20, arena);
            mapped.set(java.lang.foreign.ValueLayout.JAVA_LONG, (1 << 20) - 8, 0x1122334455667788L);
            assertThat(mapped.get(java.lang.foreign.ValueLayout.JAVA_LONG, (1 << 20) - 8)).isEqualTo(0x1122334455667788L);
        }
    }

    @Test
    void posixHelpers() throws Exception {
        assumeTrue(Native.isAvailable());
        assertThat((long) Posix.getpid()).isEqualTo(ProcessHandle.current().pid());
        int previous = Posix.umask(077);
        try {
            assertThat(Posix.umask(077)).isEqualTo(077);
        } finally {
            Posix.umask(previous);
        }
        assertThat(Posix.ifNameToIndex("lo")).isEqualTo(1);
        assertThat(Posix.ifIndexToName(1)).isEqualTo("lo");
        assertThatThrownBy(() -> Posix.ifNameToIndex("jwg-no-such")).isInstanceOfSatisfying(LinuxException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV));
        assertThat(Posix.isatty(-1)).isFalse();
        assertThat(Posix.geteuid()).isEqualTo((int) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid"));
    }

    @Test
    void structLayoutsMatchTheCHeaders() {
        // sizeof/offsetof values printed by a C program on x86_64 glibc (identical on aarch64).
        assertThat(Structs.Ifreq.LAYOUT.byteSize()).isEqualTo(40);
        assertThat(Structs.Ifreq.UNION).isEqualTo(16);
        assertThat(Structs.SockaddrIn.LAYOUT.byteSize()).isEqualTo(16);
        assertThat(Structs.SockaddrIn6.LAYOUT.byteSize()).isEqualTo(28);
        assertThat(Structs.SockaddrIn6.SCOPE_ID).isEqualTo(24);
        assertThat(Structs.Msghdr.LAYOUT.byteSize()).isEqualTo(56);
        assertThat(Structs.Msghdr.CONTROL).isEqualTo(32);
        assertThat(Structs.Msghdr.CONTROLLEN).isEqualTo(40);
        assertThat(Structs.Msghdr.FLAGS).isEqualTo(48);
        assertThat(Structs.Mmsghdr.SIZE).isEqualTo(64);
        assertThat(Structs.Cmsghdr.space(12)).isEqualTo(32);
        assertThat(Structs.Cmsghdr.space(20)).isEqualTo(40);
        assertThat(Structs.Cmsghdr.len(20)).isEqualTo(36);
        assertThat(Structs.InPktinfo.LAYOUT.byteSize()).isEqualTo(12);
        assertThat(Structs.In6Pktinfo.LAYOUT.byteSize()).isEqualTo(20);
        assertThat(Structs.Pollfd.SIZE).isEqualTo(8);
        assertThat(Structs.Nlmsghdr.SIZE).isEqualTo(16);
        assertThat(Structs.Ifinfomsg.SIZE).isEqualTo(16);
        assertThat(Structs.Rtattr.SIZE).isEqualTo(4);
        assertThat(Structs.SockaddrNl.LAYOUT.byteSize()).isEqualTo(12);
    }
}
