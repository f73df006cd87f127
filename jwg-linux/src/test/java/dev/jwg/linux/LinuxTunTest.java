package dev.jwg.linux;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwg.device.io.PacketBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real TUN devices (root only); traffic stays inside namespaces the test creates. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinuxTunTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void needRoot() {
        assumeTrue(Shell.rootTestsPossible(), "needs root, /dev/net/tun and iproute2");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private <T extends AutoCloseable> T later(T resource) {
        cleanup.add(resource);
        return resource;
    }

    private LinuxTun tun(int mtu) throws Exception {
        String name = Shell.unique("jwgt");
        LinuxTun tun = later(LinuxTun.create(name, mtu));
        later(() -> Shell.quietly("ip", "link", "del", name));
        return tun;
    }

    /** A namespace holding the TUN, addressed 198.51.100.1/24 (TEST-NET-2), up, IPv6 off so no stray packets. */
    private Shell.Namespace namespaceWith(LinuxTun tun) throws Exception {
        Shell.Namespace ns = later(new Shell.Namespace());
        Shell.run("ip", "link", "set", tun.name(), "netns", ns.name);
        ns.run("sysctl", "-qw", "net.ipv6.conf." + tun.name() + ".disable_ipv6=1");
        ns.run("ip", "addr", "add", "198.51.100.1/24", "dev", tun.name());
        ns.run("ip", "link", "set", tun.name(), "up");
        return ns;
    }

    @Test
    void createsWithRequestedNameAndMtu() throws Exception {
        LinuxTun tun = tun(1380);
        assertThat(tun.name()).startsWith("jwgt");
        assertThat(Shell.run("ip", "-o", "link", "show", tun.name())).contains("mtu 1380");
        assertThat(tun.mtu()).isEqualTo(1380);
        assertThat(tun.ifIndex()).isEqualTo(Posix.ifNameToIndex(tun.name()));
        tun.setMtu(1300);
        assertThat(Shell.run("ip", "-o", "link", "show", tun.name())).contains("mtu 1300");
        assertThat(tun.isDeleted()).isFalse();
        tun.close();
        assertThat(Shell.exec("ip", "link", "show", tun.name()).status()).isNotZero();
    }

    @Test
    void kernelChoosesNameWhenEmpty() throws Exception {
        try (LinuxTun tun = LinuxTun.create("", 0)) {
            assertThat(tun.name()).startsWith("tun");
            assertThat(tun.mtu()).isEqualTo(1500);
        }
    }

    @Test
    void rejectsBadNames() {
        assertThatThrownBy(() -> LinuxTun.create("this-name-is-too-long", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinuxTun.create("a/b", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answersPingThroughTheTun() throws Exception {
        assumeTrue(Shell.onPath("ping"), "needs ping (Debian package iputils-ping)");
        LinuxTun tun = tun(1420);
        Shell.Namespace ns = namespaceWith(tun);
        Process ping = ns.start("ping", "-c", "1", "-W", "5", "198.51.100.2");
        later(ping::destroyForcibly);
        PacketBatch batch = PacketBatch.allocate(8, 1420);
        boolean answered = false;
        long deadline = System.nanoTime() + SECONDS.toNanos(5);
        while (!answered && System.nanoTime() < deadline) {
            int n = tun.read(batch);
            assertThat(n).isPositive();
            for (int i = 0; i < n; i++) {
                byte[] b = batch.packet(i);
                int off = 0;
                int len = batch.length(i);
                if (Packets.isIcmpEchoRequest(b, off, len)) {
                    assertThat(b[off + 12]).isEqualTo((byte) 198); // source 198.51.100.1
                    Packets.toEchoReply(b, off, len);
                    PacketBatch reply = PacketBatch.allocate(1, 1420);
                    reply.put(0, b, off, len);
                    reply.setCount(1);
                    tun.write(reply);
                    answered = true;
                }
            }
        }
        assertThat(answered).as("saw the echo request").isTrue();
        assertThat(ping.waitFor(5, SECONDS)).isTrue();
        assertThat(ping.exitValue()).as(new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void readsSeveralPacketsInOneBatch() throws Exception {
        LinuxTun tun = tun(1420);
        Shell.Namespace ns = namespaceWith(tun);
        // The namespace forwards 198.51.100.2 -> 198.51.100.3 straight back out of the TUN.
        ns.run("sysctl", "-qw", "net.ipv4.ip_forward=1");
        ns.run("sysctl", "-qw", "net.ipv4.conf.all.send_redirects=0");
        ns.run("sysctl", "-qw", "net.ipv4.conf." + tun.name() + ".send_redirects=0");
        ns.run("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0");
        ns.run("sysctl", "-qw", "net.ipv4.conf." + tun.name() + ".rp_filter=0");
        int count = 8;
        PacketBatch out = PacketBatch.allocate(count, 1420);
        byte[] src = {(byte) 198, 51, 100, 2};
        byte[] dst = {(byte) 198, 51, 100, 3};
        for (int i = 0; i < count; i++) {
            int marker = i;
            TestBatches.fill(out, i, t -> Packets.udp(t, PacketBatch.HEADROOM, 200, src, dst, 1000, 2000, marker));
        }
        out.setCount(count);
        tun.write(out);
        PacketBatch in = PacketBatch.allocate(32, 1420);
        List<Integer> markers = new ArrayList<>();
        int largest = 0;
        while (markers.size() < count) {
            int n = tun.read(in);
            largest = Math.max(largest, n);
            for (int i = 0; i < n; i++) {
                byte[] b = in.packet(i);
                int off = 0;
                assertThat(in.length(i)).isEqualTo(200);
                assertThat(b[off + 8]).as("ttl decremented by forwarding").isEqualTo((byte) 63);
                markers.add((int) b[off + 28]);
            }
        }
        assertThat(markers).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(largest).as("packets per read").isGreaterThan(1);
    }

    @Test
    void dropsPacketsLargerThanTheBatchTakes() throws Exception {
        assumeTrue(Shell.onPath("ping"), "needs ping (Debian package iputils-ping)");
        LinuxTun tun = tun(1420);
        Shell.Namespace ns = namespaceWith(tun);
        // One after the other: the large packet is in the TUN's queue before the small one.
        later(ns.start("sh", "-c", "ping -c 1 -W 1 -s 1000 198.51.100.2; ping -c 1 -W 1 -s 10 198.51.100.2")::destroyForcibly);
        PacketBatch small = PacketBatch.allocate(4, 500);
        int n = tun.read(small);
        assertThat(n).isEqualTo(1);
        assertThat(small.length(0)).isEqualTo(20 + 8 + 10);
    }

    @Test
    void refusesANameAnotherTunHolds() throws Exception {
        LinuxTun tun = tun(0);
        assertThatThrownBy(() -> LinuxTun.create(tun.name(), 0)).isInstanceOfSatisfying(LinuxException.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.EBUSY);
            assertThat(e.call()).isEqualTo("ioctl(TUNSETIFF)");
        });
    }

    @Test
    void survivesCloseDuringTraffic() throws Exception {
        LinuxTun tun = tun(1420);
        Shell.Namespace ns = namespaceWith(tun);
        ns.run("sysctl", "-qw", "net.ipv4.ip_forward=1");
        ns.run("sysctl", "-qw", "net.ipv4.conf.all.send_redirects=0");
        ns.run("sysctl", "-qw", "net.ipv4.conf." + tun.name() + ".send_redirects=0");
        ns.run("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0");
        ns.run("sysctl", "-qw", "net.ipv4.conf." + tun.name() + ".rp_filter=0");
        PacketBatch out = PacketBatch.allocate(16, 1420);
        for (int i = 0; i < 16; i++) {
            int marker = i;
            TestBatches.fill(out, i, t -> Packets.udp(t, PacketBatch.HEADROOM, 1000,
                    new byte[] {(byte) 198, 51, 100, 2}, new byte[] {(byte) 198, 51, 100, 3}, 1, 2, marker));
        }
        out.setCount(16);
        var executor = Executors.newFixedThreadPool(3);
        later(executor::shutdownNow);
        java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            PacketBatch in = PacketBatch.allocate(32, 1420);
            for (;;) {
                int n = readQuietly(tun, in);
                if (n < 0) {
                    return n;
                }
                read.addAndGet(n);
            }
        }, executor);
        List<CompletableFuture<Throwable>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            writers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    for (;;) {
                        tun.write(out);
                    }
                } catch (Throwable t) {
                    return t;
                }
            }, executor));
        }
        long deadline = System.nanoTime() + SECONDS.toNanos(10);
        while (read.get() < 64 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(read.get()).as("packets read before the close").isGreaterThanOrEqualTo(64);
        tun.close();
        assertThat(reader.get(30, SECONDS)).isEqualTo(-1);
        for (CompletableFuture<Throwable> w : writers) {
            assertThat(w.get(30, SECONDS)).isInstanceOf(ClosedChannelException.class);
        }
    }

    @Test
    void closeWakesBlockedRead() throws Exception {
        LinuxTun tun = tun(0);
        var executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "jwgt-rd-close"));
        later(executor::shutdownNow);
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> readQuietly(tun), executor);
        Shell.awaitSleepingInKernel("jwgt-rd-close");
        assertThat(read).isNotDone();
        tun.close();
        assertThat(read.get(30, SECONDS)).isEqualTo(-1);
        assertThat(tun.read(PacketBatch.allocate(1, 1500))).isEqualTo(-1);
        PacketBatch one = PacketBatch.allocate(1, 1500);
        one.setCount(1);
        assertThatThrownBy(() -> tun.write(one)).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void deletingTheLinkEndsReads() throws Exception {
        LinuxTun tun = tun(0);
        var executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "jwgt-rd-delete"));
        later(executor::shutdownNow);
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> readQuietly(tun), executor);
        Shell.awaitSleepingInKernel("jwgt-rd-delete");
        assertThat(read).isNotDone();
        Shell.run("ip", "link", "del", tun.name());
        assertThat(read.get(30, SECONDS)).isEqualTo(-1);
        assertThat(tun.isDeleted()).isTrue();
        PacketBatch one = PacketBatch.allocate(1, 1500);
        TestBatches.fill(one, 0, t -> Packets.udp(t, PacketBatch.HEADROOM, 40, new byte[4], new byte[4], 1, 2, 0));
        one.setCount(1);
        assertThatThrownBy(() -> tun.write(one)).isInstanceOfSatisfying(LinuxException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EBADFD));
    }

    @Test
    void dropsPacketsTheKernelRefuses() throws Exception {
        LinuxTun tun = tun(0);
        PacketBatch batch = PacketBatch.allocate(2, 1500);
        batch.set(0, PacketBatch.HEADROOM, 40); // all zeros: not IPv4 or IPv6 -> EINVAL
        TestBatches.fill(batch, 1, t -> Packets.udp(t, PacketBatch.HEADROOM, 40,
                new byte[] {(byte) 198, 51, 100, 9}, new byte[] {(byte) 198, 51, 100, 1}, 1, 2, 0)); // link down -> EIO
        batch.setCount(2);
        tun.write(batch); // no exception: both are dropped
        // and the device works on: up in a namespace, the next packet reaches the kernel
        Shell.Namespace ns = namespaceWith(tun);
        String counter = "/sys/class/net/" + tun.name() + "/statistics/rx_packets";
        long before = Long.parseLong(ns.run("cat", counter).trim());
        batch.clear();
        TestBatches.fill(batch, 0, t -> Packets.udp(t, PacketBatch.HEADROOM, 40,
                new byte[] {(byte) 198, 51, 100, 9}, new byte[] {(byte) 198, 51, 100, 1}, 1, 2, 0));
        batch.setCount(1);
        tun.write(batch);
        assertThat(Long.parseLong(ns.run("cat", counter).trim())).isEqualTo(before + 1);
    }

    @Test
    void keepsWorkingAfterMoveToAnotherNamespace() throws Exception {
        LinuxTun tun = tun(1400);
        Shell.Namespace ns = namespaceWith(tun);
        assertThat(tun.isDeleted()).isFalse();
        assertThat(tun.mtu()).isEqualTo(1400);
        tun.setMtu(1280);
        assertThat(ns.run("ip", "-o", "link", "show", tun.name())).contains("mtu 1280");
        assertThat(tun.ifIndex()).isPositive();
        ns.run("ip", "link", "del", tun.name());
        assertThat(tun.read(PacketBatch.allocate(4, 1500))).isEqualTo(-1);
    }

    @Test
    void adoptsAnOpenDescriptor() throws Exception {
        String name = Shell.unique("jwgt");
        later(() -> Shell.quietly("ip", "link", "del", name));
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            fd = Libc.check(Libc.open(state, arena.allocateFrom("/dev/net/tun"), Libc.O_RDWR | Libc.O_CLOEXEC, 0), "open", state);
            MemorySegment ifr = arena.allocate(Structs.Ifreq.LAYOUT);
            ifr.setString(Structs.Ifreq.NAME, name);
            ifr.set(ValueLayout.JAVA_SHORT, Structs.Ifreq.UNION, (short) (Libc.IFF_TUN | Libc.IFF_NO_PI));
            Libc.check(Libc.ioctl(state, fd, Libc.TUNSETIFF, ifr), "ioctl", state);
        }
        assertThatThrownBy(() -> LinuxTun.fromFd(fd, "other")).isInstanceOf(java.io.IOException.class).hasMessageContaining(name);
        LinuxTun tun = later(LinuxTun.fromFd(fd, name));
        assertThat(tun.name()).isEqualTo(name);
        assertThat(tun.fd()).isEqualTo(fd);
        assertThat(tun.mtu()).isEqualTo(1500);
    }

    private static int readQuietly(LinuxTun tun) {
        return readQuietly(tun, PacketBatch.allocate(4, 1500));
    }

    private static int readQuietly(LinuxTun tun, PacketBatch batch) {
        try {
            return tun.read(batch);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
