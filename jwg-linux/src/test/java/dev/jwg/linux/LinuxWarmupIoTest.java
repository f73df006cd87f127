package dev.jwg.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwg.device.SystemClock;
import dev.jwg.device.io.PacketBatch;
import dev.jwg.device.tuning.Warmup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JIT warm-up on its Linux I/O: real {@link LinuxTun}s over socket pairs and real
 * {@link LinuxUdpBind}s on 127.0.0.1, driven by two private devices. Needs no root.
 *
 * <p>The warm-up may lose packets by design (a packet not back within its timeout counts as lost,
 * crossing handshakes after a clock jump drop some, loopback UDP may drop), and stops with an
 * exception after {@code MAX_LOST} in a row; so the tests check that packets went there and back
 * (most of them, never more than were sent), not an exact count.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinuxWarmupIoTest {
    private static final Set<Offload> TUN_OFFLOADS = EnumSet.of(Offload.VNET_HDR, Offload.CSUM, Offload.TSO4, Offload.TSO6);
    /** 96 rounds: 12 times the burst cycle 1,1,1,2,1,1,1,4 (12 packets), each packet there and back. */
    private static final int ROUNDS = 96;
    private static final int DELIVERED = 12 * 12 * 2;

    @BeforeEach
    void loopbackUsable() {
        assumeTrue(Native.isAvailable(), "Linux bindings unavailable");
        try {
            LinuxUdpBind.openLoopback(false).close();
        } catch (IOException e) {
            assumeTrue(false, "no usable loopback: " + e.getMessage());
        }
    }

    @Test
    void everyPacketComesBackWithTheVirtioHeaderAndOffloads() throws Exception {
        assertThat(run(new LinuxWarmupIo(TUN_OFFLOADS, true), "jwu0")).isBetween(DELIVERED / 2, DELIVERED);
    }

    @Test
    void aLongRunWithFreshDevicesAndClockJumps() throws Exception {
        // six pairs of devices, the clock jumping ahead 22 times (handshakes, re-keys, expired keys)
        assertThat(new Warmup("jwu4", new LinuxWarmupIo(TUN_OFFLOADS, true), SystemClock.INSTANCE, new SecureRandom())
                .run(2_400, TimeUnit.SECONDS.toNanos(600))).isBetween(300 * 12 * 2 / 2, 300 * 12 * 2);
    }

    @Test
    void everyPacketComesBackOnAPlainTunAndSocket() throws Exception {
        assertThat(run(new LinuxWarmupIo(EnumSet.noneOf(Offload.class), false), "jwu1")).isBetween(DELIVERED / 2, DELIVERED);
    }

    @Test
    void leavesNoDescriptorThreadOrInterfaceBehind() throws Exception {
        List<String> links = links();
        long fds = openDescriptors();
        run(new LinuxWarmupIo(TUN_OFFLOADS, true), "jwu2");
        // Devices release their descriptors when their last I/O thread has left.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((openDescriptors() > fds || !threadsNamed("jwu2").isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(openDescriptors()).isLessThanOrEqualTo(fds);
        assertThat(threadsNamed("jwu2")).isEmpty();
        assertThat(links()).isEqualTo(links);
    }

    @Test
    void theSocketsTakeNothingButLoopbackTraffic() throws Exception {
        try (LinuxUdpBind warm = LinuxUdpBind.openLoopback(true); LinuxUdpBind other = LinuxUdpBind.open(0)) {
            LinuxUdpBindTest.sendOne(other, "to 127.0.0.2", new byte[] {127, 0, 0, 2}, warm.port(), null);
            LinuxUdpBindTest.sendOne(other, "to 127.0.0.1", LinuxUdpBind.LOOPBACK4, warm.port(), null);
            PacketBatch in = PacketBatch.allocate(4, 1500);
            assertThat(warm.receive(in)).isEqualTo(1);
            assertThat(new String(in.packet(0), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("to 127.0.0.1");
        }
    }

    @Test
    void inAPrivateNetworkTheWarmupRunsAndTakesNoPortOfTheHost() throws Exception {
        run(new LinuxWarmupIo(TUN_OFFLOADS, true), "jwu6"); // whatever a first run opens for good is open now
        long fds = openDescriptors();
        LinuxWarmupIo io;
        try {
            io = LinuxWarmupIo.inPrivateNetwork(TUN_OFFLOADS, true);
        } catch (LinuxException e) {
            assumeTrue(false, "no private network namespace here (needs CAP_SYS_ADMIN): " + e.getMessage());
            return;
        }
        try (io) {
            assertThat(io.isPrivate()).isTrue();
            assertThat(run(io, "jwu5")).isBetween(DELIVERED / 2, DELIVERED);
            try (var warm = (LinuxUdpBind) io.openBind();
                 LinuxUdpBind host = LinuxUdpBind.open(warm.port(), false)) {
                // the port is free in the host's namespace: the warm-up's socket is not there
                assertThat(host.port()).isEqualTo(warm.port());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (openDescriptors() > fds && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(openDescriptors()).as("the namespace's descriptor and the sockets are closed").isLessThanOrEqualTo(fds);
    }

    @Test
    void aTunOverASocketReportsItsMtu() throws Exception {
        try (Warmup.Wire wire = new LinuxWarmupIo(TUN_OFFLOADS, true).openWire("jwu3", 1280)) {
            assertThat(wire.device().mtu()).isEqualTo(1280);
            assertThat(wire.device().name()).isEqualTo("jwu3");
        }
    }

    private static int run(Warmup.Io io, String name) throws IOException {
        return new Warmup(name, io, SystemClock.INSTANCE, new SecureRandom()).run(ROUNDS, TimeUnit.SECONDS.toNanos(600));
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static List<String> links() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).toList();
    }
}
