package dev.jwg.linux;

import static dev.jwg.linux.LinuxUdpBindTest.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwg.device.io.PacketBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * UDP GSO and GRO on real sockets: runs of datagrams sent in one {@code UDP_SEGMENT} message and
 * received as one {@code UDP_GRO} buffer must come out as the same datagrams, intact and in order;
 * a kernel refusing GSO must cost nothing but a resend.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinuxUdpOffloadTest {
    private static final byte[] LO4 = {127, 0, 0, 1};

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    /** A datagram as received: its number, length and where it came from. */
    record Got(int bind, int number, int length) {}

    @BeforeEach
    void available() {
        assumeTrue(Native.isAvailable(), "Linux bindings unavailable");
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

    /** Slot i: datagram number {@code number} of {@code length} bytes (at least 4), to {@code to}:{@code port}. */
    static void put(PacketBatch batch, int i, int number, int length, byte[] to, int port) {
        byte[] b = new byte[length];
        b[0] = (byte) (number >>> 24);
        b[1] = (byte) (number >>> 16);
        b[2] = (byte) (number >>> 8);
        b[3] = (byte) number;
        for (int k = 4; k < length; k++) {
            b[k] = (byte) (number * 31 + k);
        }
        batch.put(i, b, 0, length);
        System.arraycopy(to, 0, batch.remoteAddress(i), 0, to.length);
        batch.setRemote(i, to.length == 4 ? 4 : 6, port);
        batch.setLocal(i, 0, 0);
    }

    /** Receives {@code expected} datagrams into batches of {@code capacity}; checks every payload. */
    static List<Got> receive(LinuxUdpBind bind, int id, int expected, int capacity) throws Exception {
        List<Got> all = new ArrayList<>();
        PacketBatch batch = PacketBatch.allocate(capacity, 65535);
        while (all.size() < expected) {
            int n = bind.receive(batch);
            assertThat(n).isPositive();
            for (int i = 0; i < n; i++) {
                byte[] b = batch.packet(i);
                int off = 0;
                int len = batch.length(i);
                int number = ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
                for (int k = 4; k < len; k++) {
                    if (b[off + k] != (byte) (number * 31 + k)) {
                        throw new AssertionError("datagram " + number + " corrupt at byte " + k);
                    }
                }
                all.add(new Got(id, number, len));
            }
        }
        return all;
    }

    private static List<Got> expected(int id, int from, int count, int length) {
        List<Got> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Got(id, from + i, length));
        }
        return out;
    }

    @Test
    void reportsWhatTheKernelAccepted() throws Exception {
        LinuxUdpBind on = later(LinuxUdpBind.open(0, true));
        System.out.println("UDP offloads accepted here: " + Offload.describe(on.offloads()));
        assertThat(on.offloads()).contains(Offload.UDP_GSO, Offload.UDP_GRO);
        assertThat(on.toString()).contains("udp_gso");
        assertThat(later(LinuxUdpBind.open(0, false)).offloads()).isEmpty();
    }

    @Test
    void aFullBatchGoesOutInFewMessagesAndComesBackInOrder() throws Exception {
        LinuxUdpBind a = later(LinuxUdpBind.open(0, true));
        LinuxUdpBind b = later(LinuxUdpBind.open(0, true));
        PacketBatch out = PacketBatch.allocate(128, 2048);
        for (int i = 0; i < 128; i++) {
            put(out, i, i, 1452, LO4, b.port());
        }
        out.setCount(128);
        a.send(out);
        // Small receive batches: a GRO buffer of 45 datagrams is handed out over several calls.
        assertThat(receive(b, 0, 128, 16)).containsExactlyElementsOf(expected(0, 0, 128, 1452));
        assertThat(a.segmentedSends()).as("GSO messages").isBetween(3L, 4L);
        assertThat(b.coalescedReceives()).as("GRO buffers").isPositive();
    }

    @Test
    void mixedSizesAndDestinationsKeepTheirOrder() throws Exception {
        LinuxUdpBind a = later(LinuxUdpBind.open(0, true));
        LinuxUdpBind b = later(LinuxUdpBind.open(0, true));
        LinuxUdpBind c = later(LinuxUdpBind.open(0, true));
        int[][] plan = { // {destination 1=b 2=c, count, length}
            {1, 10, 1000}, {1, 1, 500}, {1, 3, 1000}, {2, 2, 1000}, {1, 1, 200}, {2, 5, 1400}, {2, 1, 1401},
            {1, 70, 1452}, {2, 1, 4}, {1, 2, 60000}, {2, 3, 148}, {1, 1, 1452},
        };
        int total = 0;
        for (int[] p : plan) {
            total += p[1];
        }
        PacketBatch out = PacketBatch.allocate(total, 65535);
        List<Got> toB = new ArrayList<>();
        List<Got> toC = new ArrayList<>();
        int slot = 0;
        for (int[] p : plan) {
            for (int k = 0; k < p[1]; k++) {
                LinuxUdpBind to = p[0] == 1 ? b : c;
                put(out, slot, slot, p[2], LO4, to.port());
                (p[0] == 1 ? toB : toC).add(new Got(p[0], slot, p[2]));
                slot++;
            }
        }
        out.setCount(total);
        a.send(out);
        assertThat(receive(b, 1, toB.size(), 32)).containsExactlyElementsOf(toB);
        assertThat(receive(c, 2, toC.size(), 32)).containsExactlyElementsOf(toC);
        assertThat(a.segmentedSends()).isPositive();
    }

    @Test
    void messagesAReceiveShrankAreReArmedForTheNext() throws Exception {
        LinuxUdpBindTest.assumeIpv6Loopback();
        LinuxUdpBind a = later(LinuxUdpBind.open(0, true));
        LinuxUdpBind b = later(LinuxUdpBind.open(0, true));
        // An IPv6 datagram alone leaves the first message's control room at one IPV6_PKTINFO...
        PacketBatch one = PacketBatch.allocate(1, 2048);
        put(one, 0, 7, 100, ip("::1"), b.port());
        one.setCount(1);
        a.send(one);
        assertThat(receive(b, 0, 1, 64)).containsExactly(new Got(0, 7, 100));
        // ... which is too little for a GRO train's UDP_GRO and pktinfo messages: without
        // re-arming, the train would come out without the local address it arrived on.
        PacketBatch out = PacketBatch.allocate(16, 2048);
        for (int i = 0; i < 16; i++) {
            put(out, i, i, 1300, LO4, b.port());
        }
        out.setCount(16);
        a.send(out);
        PacketBatch in = PacketBatch.allocate(64, 2048);
        int got = 0;
        while (got < 16) {
            int n = b.receive(in);
            assertThat(n).isPositive();
            for (int i = 0; i < n; i++) {
                assertThat(in.length(i)).isEqualTo(1300);
                assertThat(in.packet(i)[3]).isEqualTo((byte) (got + i));
                assertThat(in.localFamily(i)).as("local address of datagram %d", got + i).isEqualTo(4);
                assertThat(java.util.Arrays.copyOf(in.localAddress(i), 4)).isEqualTo(LO4);
            }
            got += n;
        }
        assertThat(b.coalescedReceives()).isPositive();
    }

    @Test
    void ipv6AndPlainPeersToo() throws Exception {
        LinuxUdpBindTest.assumeIpv6Loopback();
        LinuxUdpBind a = later(LinuxUdpBind.open(0, true));
        LinuxUdpBind plain = later(LinuxUdpBind.open(0, false));
        PacketBatch out = PacketBatch.allocate(100, 2048);
        for (int i = 0; i < 100; i++) {
            put(out, i, i, 1280, ip("::1"), plain.port());
        }
        out.setCount(100);
        a.send(out); // GSO to a receiver without GRO: the kernel cuts it up on delivery
        assertThat(receive(plain, 0, 100, 64)).containsExactlyElementsOf(expected(0, 0, 100, 1280));
        assertThat(a.segmentedSends()).isPositive();
        for (int i = 0; i < 100; i++) {
            put(out, i, 1000 + i, 1280, ip("::1"), a.port());
        }
        plain.send(out); // and the other way round
        assertThat(receive(a, 0, 100, 64)).containsExactlyElementsOf(expected(0, 1000, 100, 1280));
    }

    /** A kernel that fails the first GSO message of every call with {@code errno}, as one refusing GSO on a route does. */
    private static LinuxUdpBind.Sender refusingGso(LinuxUdpBind bind, int errno) {
        return (lb, from, count) -> {
            int plain = 0;
            while (plain < count && lb.slots[from + plain] <= 1) {
                plain++;
            }
            return plain == 0 ? -errno : bind.sendmmsg(lb, from, plain);
        };
    }

    @Test
    void aRefusedGsoMessageIsSentDatagramByDatagram() throws Exception {
        LinuxUdpBind a = later(LinuxUdpBind.open(0, true));
        LinuxUdpBind b = later(LinuxUdpBind.open(0, true));
        PacketBatch out = PacketBatch.allocate(60, 2048);
        for (int i = 0; i < 60; i++) {
            put(out, i, i, i == 30 ? 100 : 1300, LO4, b.port());
        }
        out.setCount(60);
        a.sendWith(refusingGso(a, Errno.EINVAL)); // e.g. a datagram larger than the path MTU: only this message is affected
        a.send(out);
        assertThat(receive(b, 0, 60, 64)).hasSize(60).extracting(Got::number).containsExactlyElementsOf(range(0, 60));
        assertThat(a.segmentedSends()).isZero();
        assertThat(a.offloads()).contains(Offload.UDP_GSO);

        a.sendWith(refusingGso(a, Errno.EIO)); // the kernel cannot do GSO on this route at all: off for good
        a.send(out);
        assertThat(receive(b, 0, 60, 64)).extracting(Got::number).containsExactlyElementsOf(range(0, 60));
        assertThat(a.offloads()).doesNotContain(Offload.UDP_GSO).contains(Offload.UDP_GRO);
        a.sendWith(a::sendmmsg);
        a.send(out);
        assertThat(receive(b, 0, 60, 64)).extracting(Got::number).containsExactlyElementsOf(range(0, 60));
        assertThat(a.segmentedSends()).isZero();
    }

    @Test
    void theKernelRefusingGsoAboveThePathMtuCostsNothingButAResend() throws Exception {
        assumeTrue(Shell.rootTestsPossible(), "needs root and iproute2");
        Shell.Namespace ns = later(new Shell.Namespace());
        ns.run("ip", "link", "set", "lo", "up");
        ns.run("ip", "link", "set", "lo", "mtu", "1280");
        int nsFd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            nsFd = Libc.check(Libc.open(state, arena.allocateFrom("/run/netns/" + ns.name), Libc.O_CLOEXEC, 0), "open", state);
        }
        LinuxUdpBind a;
        LinuxUdpBind b;
        try {
            a = later(LinuxUdpBind.open(0, nsFd, true));
            b = later(LinuxUdpBind.open(0, nsFd, true));
        } finally {
            Libc.closeQuietly(nsFd);
        }
        PacketBatch out = PacketBatch.allocate(40, 2048);
        for (int i = 0; i < 40; i++) {
            put(out, i, i, 1400, LO4, b.port()); // larger than the MTU: sent as fragments, never as GSO
        }
        out.setCount(40);
        a.send(out);
        assertThat(receive(b, 0, 40, 64)).containsExactlyElementsOf(expected(0, 0, 40, 1400));
        assertThat(a.segmentedSends()).isZero();
        assertThat(a.offloads()).contains(Offload.UDP_GSO);
        for (int i = 0; i < 40; i++) {
            put(out, i, 100 + i, 1200, LO4, b.port()); // these fit: GSO again
        }
        a.send(out);
        assertThat(receive(b, 0, 40, 64)).containsExactlyElementsOf(expected(0, 100, 40, 1200));
        assertThat(a.segmentedSends()).isPositive();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}
