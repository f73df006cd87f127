package dev.jwg.linux;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwg.device.io.PacketBatch;
import dev.jwg.device.io.Endpoint;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real sockets on the loopback interface (127.0.0.0/8 and ::1 only). */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinuxUdpBindTest {
    private static final byte[] LO4 = {127, 0, 0, 1};
    private static final byte[] LO4_2 = {127, 0, 0, 2};
    private static final byte[] LO6 = ip("::1");

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private LinuxUdpBind a;
    private LinuxUdpBind b;

    record Received(String payload, int family, byte[] remote, int port, int localFamily, byte[] local, int localIfIndex) {
        String remoteText() {
            return text(family, remote);
        }

        String localText() {
            return localFamily == 0 ? "" : text(localFamily, local);
        }
    }

    @BeforeEach
    void open() throws Exception {
        assumeTrue(Native.isAvailable(), "Linux bindings unavailable");
        a = later(LinuxUdpBind.open(0));
        b = later(LinuxUdpBind.open(0));
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

    /** Skips the test when the loopback interface has no ::1 (IPv6 disabled). */
    static void assumeIpv6Loopback() throws java.io.IOException {
        java.nio.file.Path inet6 = java.nio.file.Path.of("/proc/net/if_inet6");
        assumeTrue(java.nio.file.Files.exists(inet6)
                && java.nio.file.Files.readString(inet6).contains("00000000000000000000000000000001"), "no ::1");
    }

    static byte[] ip(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String text(int family, byte[] raw) {
        try {
            return InetAddress.getByAddress(Arrays.copyOf(raw, family == 4 ? 4 : 16)).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Puts a datagram into slot i: payload, destination, optional sticky source. */
    static void put(PacketBatch batch, int i, String payload, byte[] to, int port, byte[] from) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        batch.put(i, p, 0, p.length);
        System.arraycopy(to, 0, batch.remoteAddress(i), 0, to.length);
        batch.setRemote(i, to.length == 4 ? 4 : 6, port);
        if (from != null) {
            System.arraycopy(from, 0, batch.localAddress(i), 0, from.length);
            batch.setLocal(i, from.length == 4 ? 4 : 6, 0);
        } else {
            batch.setLocal(i, 0, 0);
        }
    }

    static void sendOne(LinuxUdpBind from, String payload, byte[] to, int port, byte[] source) throws Exception {
        PacketBatch batch = PacketBatch.allocate(1, 1500);
        put(batch, 0, payload, to, port, source);
        batch.setCount(1);
        from.send(batch);
    }

    static List<Received> receive(LinuxUdpBind bind, int expected, int bufferSize) throws Exception {
        List<Received> all = new ArrayList<>();
        PacketBatch batch = PacketBatch.allocate(64, bufferSize);
        while (all.size() < expected) {
            int n = bind.receive(batch);
            assertThat(n).isPositive();
            for (int i = 0; i < n; i++) {
                all.add(new Received(new String(batch.packet(i), StandardCharsets.UTF_8),
                        batch.family(i), batch.remoteAddress(i).clone(), batch.remotePort(i), batch.localFamily(i),
                        batch.localAddress(i).clone(), batch.localIfIndex(i)));
            }
        }
        return all;
    }

    @Test
    void exchangesIpv4BatchesWithPlainIpv4Addresses() throws Exception {
        assertThat(a.isDualStack()).isTrue();
        PacketBatch out = PacketBatch.allocate(4, 1500);
        for (int i = 0; i < 4; i++) {
            put(out, i, "v4-" + i, LO4, b.port(), null);
        }
        out.setCount(4);
        a.send(out);

        PacketBatch in = PacketBatch.allocate(16, 1500);
        int n = b.receive(in);
        assertThat(n).isEqualTo(4);
        for (int i = 0; i < n; i++) {
            assertThat(new String(in.packet(i), StandardCharsets.UTF_8)).isEqualTo("v4-" + i);
            assertThat(in.family(i)).as("IPv4-mapped source normalised").isEqualTo(4);
            assertThat(text(4, in.remoteAddress(i))).isEqualTo("127.0.0.1");
            assertThat(in.remotePort(i)).isEqualTo(a.port());
            assertThat(in.localFamily(i)).isEqualTo(4);
            assertThat(text(4, in.localAddress(i))).isEqualTo("127.0.0.1");
            assertThat(in.localIfIndex(i)).isZero();
        }
        Endpoint peer = Endpoint.from(in, 0);
        assertThat(peer.toString()).isEqualTo("127.0.0.1:" + a.port());

        // Reply through the learned endpoint, sticky source included.
        PacketBatch reply = PacketBatch.allocate(1, 1500);
        put(reply, 0, "pong", new byte[4], 0, null);
        peer.writeTo(reply, 0);
        reply.setCount(1);
        b.send(reply);
        List<Received> back = receive(a, 1, 1500);
        assertThat(back.getFirst().payload()).isEqualTo("pong");
        assertThat(back.getFirst().port()).isEqualTo(b.port());
    }

    @Test
    void exchangesIpv6Batches() throws Exception {
        assumeIpv6Loopback();
        PacketBatch out = PacketBatch.allocate(3, 1500);
        for (int i = 0; i < 3; i++) {
            put(out, i, "v6-" + i, LO6, b.port(), null);
        }
        out.setCount(3);
        a.send(out);
        List<Received> got = receive(b, 3, 1500);
        assertThat(got).extracting(Received::payload).containsExactly("v6-0", "v6-1", "v6-2");
        for (Received r : got) {
            assertThat(r.family()).isEqualTo(6);
            assertThat(r.remoteText()).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(r.port()).isEqualTo(a.port());
            assertThat(r.localFamily()).isEqualTo(6);
            assertThat(r.localText()).isEqualTo("0:0:0:0:0:0:0:1");
        }
    }

    @Test
    void reportsTheLocalAddressEachDatagramArrivedOn() throws Exception {
        sendOne(a, "to .1", LO4, b.port(), null);
        sendOne(a, "to .2", LO4_2, b.port(), null);
        List<Received> got = receive(b, 2, 1500);
        assertThat(got).extracting(Received::payload, Received::localText)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("to .1", "127.0.0.1"),
                        org.assertj.core.groups.Tuple.tuple("to .2", "127.0.0.2"));
    }

    @Test
    void sendsFromTheStickySourceAddress() throws Exception {
        sendOne(a, "default", LO4, b.port(), null);
        sendOne(a, "sticky", LO4, b.port(), LO4_2);
        List<Received> got = receive(b, 2, 1500);
        assertThat(got).extracting(Received::payload, Received::remoteText)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("default", "127.0.0.1"),
                        org.assertj.core.groups.Tuple.tuple("sticky", "127.0.0.2"));
        assertThat(got.get(1).port()).isEqualTo(a.port());
    }

    @Test
    void retriesWithoutTheStickySourceWhenItIsGone() throws Exception {
        assumeIpv6Loopback();
        sendOne(a, "v4", LO4, b.port(), ip("192.0.2.1")); // not an address of this host
        sendOne(a, "v6", LO6, b.port(), ip("2001:db8::1"));
        List<Received> got = receive(b, 2, 1500);
        assertThat(got).extracting(Received::payload, Received::remoteText)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("v4", "127.0.0.1"),
                        org.assertj.core.groups.Tuple.tuple("v6", "0:0:0:0:0:0:0:1"));
    }

    @Test
    void skipsDatagramsThatCannotBeSent() throws Exception {
        assumeIpv6Loopback();
        PacketBatch out = PacketBatch.allocate(5, 1500);
        put(out, 0, "first", LO4, b.port(), null);
        put(out, 1, "port zero", LO4, 0, null); // EINVAL
        put(out, 2, "broadcast", new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255}, b.port(), null); // EACCES
        put(out, 3, "zero port sticky", LO4, 0, LO4_2); // EINVAL twice: retried without source, then skipped
        put(out, 4, "last", LO4, b.port(), null);
        out.setCount(5);
        a.send(out);
        assertThat(receive(b, 2, 1500)).extracting(Received::payload).containsExactly("first", "last");
        // Nothing is left pending on the socket: the next send and receive work normally.
        sendOne(a, "after", LO6, b.port(), null);
        assertThat(receive(b, 1, 1500)).extracting(Received::payload).containsExactly("after");
        sendOne(b, "reverse", LO4, a.port(), null);
        assertThat(receive(a, 1, 1500)).extracting(Received::payload).containsExactly("reverse");
    }

    @Test
    void deliversLargeBatches() throws Exception {
        assumeIpv6Loopback();
        int count = 128;
        PacketBatch out = PacketBatch.allocate(count, 1500);
        for (int i = 0; i < count; i++) {
            String payload = String.format("%04d", i) + "x".repeat(1200);
            put(out, i, payload, i % 2 == 0 ? LO4 : LO6, b.port(), null);
        }
        out.setCount(count);
        a.send(out);
        List<Received> got = receive(b, count, 1500);
        assertThat(got).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(got.get(i).payload()).startsWith(String.format("%04d", i)).hasSize(1204);
            assertThat(got.get(i).family()).isEqualTo(i % 2 == 0 ? 4 : 6);
        }
    }

    @Test
    void dropsTruncatedDatagrams() throws Exception {
        PacketBatch big = PacketBatch.allocate(1, 3000);
        put(big, 0, "y".repeat(2000), LO4, b.port(), null);
        big.setCount(1);
        a.send(big);
        sendOne(a, "small", LO4, b.port(), null);
        assertThat(receive(b, 1, 1500)).extracting(Received::payload).containsExactly("small");
    }

    @Test
    void picksARandomPortAndReportsAddressInUse() throws Exception {
        assertThat(a.port()).isBetween(1, 65535);
        assertThat(b.port()).isNotEqualTo(a.port());
        assertThatThrownBy(() -> LinuxUdpBind.open(a.port()))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EADDRINUSE);
                    assertThat(e.getMessage()).startsWith("bind(port " + a.port() + "): Address already in use (errno 98)");
                });
        int port = a.port();
        a.close();
        try (LinuxUdpBind again = LinuxUdpBind.open(port)) {
            assertThat(again.port()).isEqualTo(port);
        }
    }

    @Test
    void setsTheFirewallMarkAndLargeBuffers() throws Exception {
        assumeTrue(Posix.geteuid() == 0, "SO_MARK and SO_RCVBUFFORCE need CAP_NET_ADMIN");
        assertThat(a.mark()).isZero();
        a.setMark(51820);
        assertThat(a.mark()).isEqualTo(51820);
        a.setMark(0);
        assertThat(a.mark()).isZero();
        assertThat(a.receiveBufferSize()).isGreaterThanOrEqualTo(LinuxUdpBind.SOCKET_BUFFER);
        assertThat(a.sendBufferSize()).isGreaterThanOrEqualTo(LinuxUdpBind.SOCKET_BUFFER);
    }

    @Test
    void concurrentSendersAndCloseDuringTraffic() throws Exception {
        var executor = Executors.newFixedThreadPool(3);
        later(executor::shutdownNow);
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        CompletableFuture<Integer> receiver = CompletableFuture.supplyAsync(() -> {
            PacketBatch in = PacketBatch.allocate(64, 1500);
            try {
                for (;;) {
                    int n = b.receive(in);
                    if (n < 0) {
                        return n;
                    }
                    for (int i = 0; i < n; i++) {
                        assertThat(in.length(i)).isEqualTo(100);
                        assertThat(in.packet(i)[0]).isEqualTo(in.packet(i)[99]); // never torn between senders
                    }
                    received.addAndGet(n);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, executor);
        List<CompletableFuture<Throwable>> senders = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            byte fill = (byte) ('a' + s);
            senders.add(CompletableFuture.supplyAsync(() -> {
                PacketBatch out = PacketBatch.allocate(32, 1500);
                for (int i = 0; i < 32; i++) {
                    put(out, i, String.valueOf((char) fill).repeat(100), i % 2 == 0 ? LO4 : LO6, b.port(), null);
                }
                out.setCount(32);
                try {
                    for (;;) {
                        a.send(out);
                    }
                } catch (Throwable t) {
                    return t;
                }
            }, executor));
        }
        long deadline = System.nanoTime() + SECONDS.toNanos(30);
        while (received.get() < 1000 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        a.close();
        b.close();
        assertThat(receiver.get(30, SECONDS)).isEqualTo(-1);
        for (CompletableFuture<Throwable> s : senders) {
            assertThat(s.get(30, SECONDS)).isInstanceOf(ClosedChannelException.class);
        }
        assertThat(received.get()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void closeWakesABlockedReceive() throws Exception {
        var executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "jwgu-rd-close"));
        later(executor::shutdownNow);
        CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> {
            try {
                return b.receive(PacketBatch.allocate(8, 1500));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, executor);
        Shell.awaitSleepingInKernel("jwgu-rd-close");
        assertThat(received).isNotDone();
        b.close();
        assertThat(received.get(30, SECONDS)).isEqualTo(-1);
        assertThat(b.receive(PacketBatch.allocate(1, 100))).isEqualTo(-1);
        assertThatThrownBy(() -> sendOne(b, "late", LO4, a.port(), null)).isInstanceOf(ClosedChannelException.class);
        b.close(); // idempotent
    }
}
