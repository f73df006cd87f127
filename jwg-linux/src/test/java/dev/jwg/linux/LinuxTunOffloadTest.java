package dev.jwg.linux;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwg.device.io.PacketBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TUN offloads against the real kernel (root only): the test plays a TCP peer behind the TUN
 * while socat in a namespace talks to it, so that the kernel's TSO super-packets are split by
 * {@link LinuxTun#read} and the super-packets {@link LinuxTun#write} coalesces are accepted by the
 * kernel's TCP. Every packet read must be MTU-sized with valid checksums, and the bytes must
 * arrive complete and in order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinuxTunOffloadTest {
    private static final int MTU = 1420;
    private static final byte[] LOCAL = {(byte) 198, 51, 100, 1};
    private static final byte[] PEER = {(byte) 198, 51, 100, 2};
    /** An offload flag no kernel knows: TUNSETOFFLOAD refuses it, leaving a header without offloads. */
    private static final int[] REFUSED = {0x10000};

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void needRoot() {
        assumeTrue(Shell.rootTestsPossible(), "needs root, /dev/net/tun and iproute2");
        assumeTrue(Shell.onPath("socat"), "needs socat");
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

    private LinuxTun tun(int[] attempts) throws Exception {
        String name = Shell.unique("jwgo");
        LinuxTun tun = later(LinuxTun.create(name, MTU, attempts));
        later(() -> Shell.quietly("ip", "link", "del", name));
        return tun;
    }

    private Shell.Namespace namespaceWith(LinuxTun tun) throws Exception {
        Shell.Namespace ns = later(new Shell.Namespace());
        Shell.run("ip", "link", "set", tun.name(), "netns", ns.name);
        ns.run("sysctl", "-qw", "net.ipv6.conf." + tun.name() + ".disable_ipv6=1");
        ns.run("ip", "addr", "add", "198.51.100.1/24", "dev", tun.name());
        ns.run("ip", "link", "set", tun.name(), "up");
        return ns;
    }

    private Path dataFile(int length, byte[] data) throws Exception {
        new Random(length).nextBytes(data);
        Path file = Files.createTempFile("jwg-offload", ".bin");
        later(() -> Files.deleteIfExists(file));
        Files.write(file, data);
        return file;
    }

    @Test
    void reportsWhatTheKernelAccepted() throws Exception {
        LinuxTun full = tun(LinuxTun.OFFLOAD_ATTEMPTS);
        System.out.println("TUN offloads accepted here: " + Offload.describe(full.offloads()));
        assertThat(full.offloads()).contains(Offload.VNET_HDR, Offload.CSUM, Offload.TSO4, Offload.TSO6);
        assertThat(full.toString()).contains("tso4");
        assertThat(tun(null).offloads()).isEmpty();
        assertThat(tun(REFUSED).offloads()).containsExactly(Offload.VNET_HDR);
        assertThat(tun(new int[] {0x10000, Libc.TUN_F_CSUM | Libc.TUN_F_TSO4 | Libc.TUN_F_TSO6}).offloads())
                .containsExactlyInAnyOrder(Offload.VNET_HDR, Offload.CSUM, Offload.TSO4, Offload.TSO6);
    }

    @Test
    void splitsTheKernelsTcpSuperPackets() throws Exception {
        LinuxTun tun = tun(LinuxTun.OFFLOAD_ATTEMPTS);
        receiveTcp(tun, 128, 600_000);
        assertThat(tun.superPacketsRead()).as("TSO super-packets read").isPositive();
    }

    @Test
    void finishesASuperPacketInTheNextReadsWhenTheBatchIsSmall() throws Exception {
        LinuxTun tun = tun(LinuxTun.OFFLOAD_ATTEMPTS);
        receiveTcp(tun, 3, 300_000);
        assertThat(tun.superPacketsRead()).isPositive();
    }

    @Test
    void aHeaderWithoutOffloadsAndAPlainTunCarryTcpToo() throws Exception {
        LinuxTun header = tun(REFUSED);
        receiveTcp(header, 32, 200_000);
        assertThat(header.superPacketsRead()).isZero();
        cleanUp();
        cleanup.clear();
        receiveTcp(tun(null), 32, 200_000);
    }

    @Test
    void theKernelAcceptsCoalescedSegments() throws Exception {
        LinuxTun tun = tun(LinuxTun.OFFLOAD_ATTEMPTS);
        sendTcp(tun, 600_000);
        assertThat(tun.superPacketsWritten()).as("coalesced super-packets written").isPositive();
    }

    @Test
    void withoutOffloadsWritesAreNotCoalesced() throws Exception {
        LinuxTun tun = tun(REFUSED);
        sendTcp(tun, 200_000);
        assertThat(tun.superPacketsWritten()).isZero();
    }

    @Test
    void splitsTheKernelsUdpSuperPackets() throws Exception {
        LinuxTun tun = tun(LinuxTun.OFFLOAD_ATTEMPTS);
        assumeTrue(tun.offloads().contains(Offload.USO4), "kernel without USO (before 6.2)");
        Shell.Namespace ns = namespaceWith(tun);
        int nsFd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            nsFd = Libc.check(Libc.open(state, arena.allocateFrom("/run/netns/" + ns.name), Libc.O_CLOEXEC, 0), "open", state);
        }
        LinuxUdpBind udp;
        try {
            udp = later(LinuxUdpBind.open(0, nsFd, true)); // a UDP GSO sender inside the namespace
        } finally {
            Libc.closeQuietly(nsFd);
        }
        PacketBatch out = PacketBatch.allocate(40, 2048);
        for (int i = 0; i < 40; i++) {
            LinuxUdpOffloadTest.put(out, i, i, i == 39 ? 333 : 1300, PEER, 7777);
        }
        out.setCount(40);
        udp.send(out);
        assertThat(udp.segmentedSends()).isPositive();
        PacketBatch in = PacketBatch.allocate(16, MTU);
        int next = 0;
        while (next < 40) {
            int n = tun.read(in);
            for (int i = 0; i < n; i++) {
                byte[] b = in.packet(i);
                int off = 0;
                int len = in.length(i);
                if (b[off + 9] != 17) {
                    continue;
                }
                assertThat(Packets.checksum(b, off, 20)).as("IPv4 header checksum").isZero();
                assertThat(udpChecksumOk(b, off, len)).as("UDP checksum of datagram %d", next).isTrue();
                assertThat(Tcp4.u16(b, off + 22)).isEqualTo(7777);
                assertThat(Tcp4.u16(b, off + 24)).as("UDP length").isEqualTo(len - 20);
                assertThat(len - 28).isEqualTo(next == 39 ? 333 : 1300);
                assertThat(Tcp4.u32(b, off + 28)).as("datagram number").isEqualTo(next);
                next++;
            }
        }
        assertThat(tun.superPacketsRead()).as("USO super-packets read").isPositive();
    }

    @Test
    void adoptsADescriptorWithTheVirtioHeader() throws Exception {
        String name = Shell.unique("jwgo");
        later(() -> Shell.quietly("ip", "link", "del", name));
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            fd = Libc.check(Libc.open(state, arena.allocateFrom("/dev/net/tun"), Libc.O_RDWR | Libc.O_CLOEXEC, 0), "open", state);
            MemorySegment ifr = arena.allocate(Structs.Ifreq.LAYOUT);
            ifr.setString(Structs.Ifreq.NAME, name);
            ifr.set(ValueLayout.JAVA_SHORT, Structs.Ifreq.UNION, (short) (Libc.IFF_TUN | Libc.IFF_NO_PI | Libc.IFF_VNET_HDR));
            Libc.check(Libc.ioctl(state, fd, Libc.TUNSETIFF, ifr), "ioctl", state);
        }
        LinuxTun tun = later(LinuxTun.fromFd(fd, name));
        assertThat(tun.offloads()).contains(Offload.VNET_HDR, Offload.TSO4);
        tun.setMtu(MTU);
        receiveTcp(tun, 64, 200_000);
    }

    private static boolean udpChecksumOk(byte[] b, int off, int len) {
        byte[] pseudo = new byte[12 + len - 20];
        System.arraycopy(b, off + 12, pseudo, 0, 8);
        pseudo[9] = 17;
        Tcp4.put16(pseudo, 10, len - 20);
        System.arraycopy(b, off + 20, pseudo, 12, len - 20);
        return Packets.checksum(pseudo, 0, pseudo.length) == 0;
    }

    /**
     * socat in the namespace sends {@code length} bytes to PEER:5001; the test answers as PEER
     * (window 65535, MSS 1380, no other options), acknowledging once per batch read.
     */
    private void receiveTcp(LinuxTun tun, int capacity, int length) throws Exception {
        Shell.Namespace ns = namespaceWith(tun);
        byte[] data = new byte[length];
        Path file = dataFile(length, data);
        Process sender = ns.start("socat", "-u", "OPEN:" + file, "TCP:198.51.100.2:5001");
        later(sender::destroyForcibly);
        PacketBatch in = PacketBatch.allocate(capacity, MTU);
        PacketBatch out = PacketBatch.allocate(2, 200);
        byte[] got = new byte[length];
        int received = 0;
        int theirIsn = 0;
        int port = 0;
        int myIsn = 0x10203040;
        boolean connected = false;
        boolean finished = false;
        int largestBatch = 0;
        while (!finished) {
            int n = tun.read(in);
            assertThat(n).isPositive();
            largestBatch = Math.max(largestBatch, n);
            boolean sawFin = false;
            for (int i = 0; i < n; i++) {
                byte[] b = in.packet(i);
                int off = 0;
                int len = in.length(i);
                assertThat(len).isLessThanOrEqualTo(MTU);
                Tcp4.Segment s = Tcp4.parse(b, off, len);
                if (s == null) {
                    continue;
                }
                assertThat(Tcp4.checksumsOk(b, off, len)).as("checksums of %s", s).isTrue();
                if (s.has(Tcp4.SYN)) {
                    theirIsn = s.seq();
                    port = s.srcPort();
                    connected = true;
                    int l = Tcp4.build(TestBatches.SCRATCH, PacketBatch.HEADROOM, PEER, LOCAL, 5001, port, myIsn, theirIsn + 1,
                            Tcp4.SYN | Tcp4.ACK, 65535, 1380, new byte[0], 0, 0);
                    out.put(0, TestBatches.SCRATCH, PacketBatch.HEADROOM, l);
                    out.setCount(1);
                    tun.write(out);
                    continue;
                }
                int at = s.seq() - theirIsn - 1;
                assertThat(at).as("no gap: nothing was dropped").isLessThanOrEqualTo(received);
                int end = at + s.payload().length;
                if (end > received) {
                    System.arraycopy(s.payload(), received - at, got, received, end - received);
                    received = end;
                }
                if (s.has(Tcp4.FIN) && end == received) {
                    sawFin = true;
                }
            }
            if (connected) {
                int ack = theirIsn + 1 + received + (sawFin ? 1 : 0);
                int flags = Tcp4.ACK | (sawFin ? Tcp4.FIN : 0);
                int l = Tcp4.build(TestBatches.SCRATCH, PacketBatch.HEADROOM, PEER, LOCAL, 5001, port, myIsn + 1, ack, flags, 65535, 0,
                        new byte[0], 0, 0);
                out.put(0, TestBatches.SCRATCH, PacketBatch.HEADROOM, l);
                out.setCount(1);
                tun.write(out);
            }
            finished = sawFin;
        }
        assertThat(received).isEqualTo(length);
        assertThat(got).isEqualTo(data);
        assertThat(sender.waitFor(5, SECONDS)).isTrue();
        System.out.printf("received %d bytes with %s: %d super-packets split, up to %d packets per read%n", length,
                Offload.describe(tun.offloads()), tun.superPacketsRead(), largestBatch);
    }

    /**
     * The test connects as PEER to socat listening in the namespace and sends {@code length} bytes
     * in segments of 1380, as many per write as the advertised window allows.
     */
    private void sendTcp(LinuxTun tun, int length) throws Exception {
        Shell.Namespace ns = namespaceWith(tun);
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        Path received = Files.createTempFile("jwg-offload", ".out");
        later(() -> Files.deleteIfExists(received));
        Process receiver = ns.start("socat", "-u", "TCP-LISTEN:5002,bind=198.51.100.1,reuseaddr", "OPEN:" + received + ",creat,trunc");
        later(receiver::destroyForcibly);
        PacketBatch in = PacketBatch.allocate(64, MTU);
        PacketBatch out = PacketBatch.allocate(64, MTU);
        int myIsn = 0x7fff_0000;
        int port = 40000;
        // Handshake (the listener may not be up yet: a RST means try again).
        Tcp4.Segment synAck = null;
        for (int attempt = 0; synAck == null; attempt++) {
            assertThat(attempt).as("socat listens within 30 s").isLessThan(600);
            int l = Tcp4.build(TestBatches.SCRATCH, PacketBatch.HEADROOM, PEER, LOCAL, port, 5002, myIsn, 0, Tcp4.SYN, 65535, 1380,
                    new byte[0], 0, 0);
            out.put(0, TestBatches.SCRATCH, PacketBatch.HEADROOM, l);
            out.setCount(1);
            tun.write(out);
            Tcp4.Segment s = nextFrom(tun, in, port);
            if (s.has(Tcp4.RST)) {
                Thread.sleep(50);
            } else if (s.has(Tcp4.SYN) && s.has(Tcp4.ACK)) {
                synAck = s;
            }
        }
        int theirNext = synAck.seq() + 1;
        int window = synAck.window();
        int acked = 0;
        int sent = 0;
        int mss = 1380;
        while (acked < length) {
            out.clear();
            int count = 0;
            while (sent < length && count < out.capacity() && sent - acked + Math.min(mss, length - sent) <= window) {
                int len = Math.min(mss, length - sent);
                int flags = Tcp4.ACK | (sent + len == length ? Tcp4.PSH : 0);
                int l = Tcp4.build(TestBatches.SCRATCH, PacketBatch.HEADROOM, PEER, LOCAL, port, 5002, myIsn + 1 + sent, theirNext,
                        flags, 65535, 0, data, sent, len);
                out.put(count, TestBatches.SCRATCH, PacketBatch.HEADROOM, l);
                count++;
                sent += len;
            }
            if (count > 0) {
                out.setCount(count);
                tun.write(out);
            } else if (acked == 0 && sent == 0) {
                // The handshake's final ACK, so that the window opens even before any data.
                int l = Tcp4.build(TestBatches.SCRATCH, PacketBatch.HEADROOM, PEER, LOCAL, port, 5002, myIsn + 1, theirNext, Tcp4.ACK,
                        65535, 0, new byte[0], 0, 0);
                out.put(0, TestBatches.SCRATCH, PacketBatch.HEADROOM, l);
                out.setCount(1);
                tun.write(out);
            }
            Tcp4.Segment s = nextFrom(tun, in, port);
            assertThat(s.has(Tcp4.RST)).as("connection reset").isFalse();
            acked = Math.max(acked, s.ack() - myIsn - 1);
            window = s.window();
        }
        int l = Tcp4.build(TestBatches.SCRATCH, PacketBatch.HEADROOM, PEER, LOCAL, port, 5002, myIsn + 1 + length, theirNext,
                Tcp4.FIN | Tcp4.ACK, 65535, 0, new byte[0], 0, 0);
        out.put(0, TestBatches.SCRATCH, PacketBatch.HEADROOM, l);
        out.setCount(1);
        tun.write(out);
        assertThat(receiver.waitFor(10, SECONDS)).as("socat finished").isTrue();
        assertThat(Files.readAllBytes(received)).isEqualTo(data);
        System.out.printf("sent %d bytes with %s: %d coalesced super-packets%n", length, Offload.describe(tun.offloads()),
                tun.superPacketsWritten());
    }

    /** The next TCP segment from the namespace to PEER:port, checksums verified. */
    private static Tcp4.Segment nextFrom(LinuxTun tun, PacketBatch in, int port) throws Exception {
        for (;;) {
            int n = tun.read(in);
            assertThat(n).isPositive();
            Tcp4.Segment last = null;
            for (int i = 0; i < n; i++) {
                Tcp4.Segment s = Tcp4.parse(in.packet(i), 0, in.length(i));
                if (s != null && s.dstPort() == port) {
                    assertThat(Tcp4.checksumsOk(in.packet(i), 0, in.length(i))).isTrue();
                    last = s;
                }
            }
            if (last != null) {
                return last;
            }
        }
    }
}
