package dev.jwg.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.Blake2s;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.noise.NoiseConstants;
import dev.jwg.core.testkit.FakeClock;
import dev.jwg.core.testkit.Packets;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.core.wire.Messages;
import dev.jwg.device.uapi.UapiServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two devices over an in-memory network, configured through their UAPI sockets. They use the JDK's
 * transport AEAD; jwg-linux reruns every test with OpenSSL's by overriding {@link #backend()}.
 */
class DeviceTest {
    /** The transport AEAD of both devices. */
    AeadBackend backend() {
        return AeadBackend.JDK;
    }

    /** The crypto workers of both devices: none of their own here; {@link ParallelDeviceTest} reruns with several. */
    int workers() {
        return 1;
    }

    @TempDir
    Path dir;

    final MemoryNetwork net = new MemoryNetwork();
    final SecureRandom rng = new SecureRandom();
    final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    final List<AutoCloseable> closeables = new ArrayList<>();

    final class Host {
        final MemoryNetwork.MemoryTun tun;
        final Device device;
        final UapiServer uapi;
        final PrivateKey key = PrivateKey.generate(rng);
        final Path socket;

        Host(String name, byte[] address) throws IOException {
            this(name, address, SystemClock.INSTANCE);
        }

        Host(String name, byte[] address, dev.jwg.core.Clock clock) throws IOException {
            tun = new MemoryNetwork.MemoryTun(name);
            device = new Device(name, tun, net.opener(address), clock, rng,
                    new Log(Log.Level.VERBOSE, name, new PrintStream(logs, true)), backend(), workers());
            socket = dir.resolve(name + ".sock");
            uapi = UapiServer.bind(socket, device, device.log());
            device.start();
            uapi.start(device::close);
            closeables.add(uapi);
            closeables.add(device);
        }

        String uapi(String request) throws IOException {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                ch.shutdownOutput();
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                while (ch.read(buf) >= 0) {
                    if (!buf.hasRemaining()) {
                        break;
                    }
                }
                return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
            }
        }

        String hexPub() { return key.publicKey().toHex(); }
    }

    Host a;
    Host b;

    @BeforeEach
    void setUp() throws IOException {
        a = new Host("wga", new byte[] {(byte) 192, 0, 2, 1});
        b = new Host("wgb", new byte[] {(byte) 192, 0, 2, 2});
        assertThat(a.uapi("set=1\nprivate_key=" + a.key.toHex() + "\nlisten_port=51820\npublic_key=" + b.hexPub()
                + "\nendpoint=192.0.2.2:51821\nallowed_ip=10.0.0.2/32\n\n")).isEqualTo("errno=0\n\n");
        assertThat(b.uapi("set=1\nprivate_key=" + b.key.toHex() + "\nlisten_port=51821\npublic_key=" + a.hexPub()
                + "\nallowed_ip=10.0.0.1/32\n\n")).isEqualTo("errno=0\n\n");
        a.device.setLinkUp(true);
        b.device.setLinkUp(true);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    static byte[] packet(int src, int dst, int seq) {
        byte[] b = Packets.ipv4(src, dst, seq, 64);
        return Arrays.copyOfRange(b, Packets.HEADROOM, Packets.HEADROOM + 84);
    }

    /** The state of the device thread named {@code name}, once it is {@code expected} (or the last seen after 10 s). */
    static Thread.State awaitThreadState(String name, Thread.State expected) throws InterruptedException {
        Thread.State last = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals(name)) {
                    last = t.getState();
                }
            }
            if (last == expected) {
                return last;
            }
            Thread.sleep(5);
        } while (System.nanoTime() < deadline);
        return last;
    }

    @Test
    void idleThreadsWaitForAnEventAndTheTimerForTheNextDeadline() throws Exception {
        // Configured and up, no session: no timer is pending, nothing to poll for.
        assertThat(awaitThreadState("wga-timers", Thread.State.WAITING)).isEqualTo(Thread.State.WAITING);
        assertThat(awaitThreadState("wga-handshakes", Thread.State.WAITING)).isEqualTo(Thread.State.WAITING);
        byte[] p = packet(Packets.addr(10, 0, 0, 1), Packets.addr(10, 0, 0, 2), 1);
        a.tun.fromKernel.add(p);
        assertThat(b.tun.toKernel.poll(5, TimeUnit.SECONDS)).isEqualTo(p);
        // B received data: its passive keepalive is due in 10 s, so its timer sleeps with a timeout.
        assertThat(awaitThreadState("wgb-timers", Thread.State.TIMED_WAITING)).isEqualTo(Thread.State.TIMED_WAITING);
    }

    /** Whether {@code condition} holds within 10 s, looking every 5 ms. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        } while (System.nanoTime() < deadline);
        return condition.getAsBoolean();
    }

    @Test
    void theFirstInitiationIsPreparedForPeersWithAnEndpointAndAgainAfterEachHandshake() throws Exception {
        Peer toB = a.device.node().peers().get(0);
        assertThat(eventually(toB::hasPreparedInitiation)).isTrue();

        String noEndpoint = PrivateKey.generate(rng).publicKey().toHex();
        String withEndpoint = PrivateKey.generate(rng).publicKey().toHex();
        assertThat(a.uapi("set=1\npublic_key=" + noEndpoint + "\nallowed_ip=10.9.0.1/32\n\n")).isEqualTo("errno=0\n\n");
        assertThat(a.uapi("set=1\npublic_key=" + withEndpoint + "\nendpoint=192.0.2.9:51820\nallowed_ip=10.9.0.2/32\n\n"))
                .isEqualTo("errno=0\n\n");
        List<Peer> peers = a.device.node().peers();
        assertThat(eventually(peers.get(2)::hasPreparedInitiation)).isTrue();
        // The pass that prepared the third peer went over the second, in the order they were added.
        assertThat(peers.get(1).hasPreparedInitiation()).as("a peer without an endpoint cannot initiate").isFalse();

        byte[] p = packet(Packets.addr(10, 0, 0, 1), Packets.addr(10, 0, 0, 2), 1);
        a.tun.fromKernel.add(p);
        assertThat(b.tun.toKernel.poll(30, TimeUnit.SECONDS)).isEqualTo(p);
        assertThat(eventually(toB::hasPreparedInitiation)).as("prepared again after the handshake").isTrue();
    }

    @Test
    void packetsFlowBothWaysAndGetReportsThePeer() throws Exception {
        byte[] p = packet(Packets.addr(10, 0, 0, 1), Packets.addr(10, 0, 0, 2), 1);
        a.tun.fromKernel.add(p);
        assertThat(b.tun.toKernel.poll(30, TimeUnit.SECONDS)).isEqualTo(p);
        byte[] q = packet(Packets.addr(10, 0, 0, 2), Packets.addr(10, 0, 0, 1), 2);
        b.tun.fromKernel.add(q);
        assertThat(a.tun.toKernel.poll(30, TimeUnit.SECONDS)).isEqualTo(q);

        String get = b.uapi("get=1\n\n");
        assertThat(get).startsWith("private_key=" + b.key.toHex() + "\nlisten_port=51821\npublic_key=" + a.hexPub() + "\n");
        assertThat(get).contains("\nprotocol_version=1\nendpoint=192.0.2.1:51820\n");
        assertThat(get).contains("\nallowed_ip=10.0.0.1/32\n");
        assertThat(get).endsWith("errno=0\n\n");
        long sec = Long.parseLong(value(get, "last_handshake_time_sec"));
        assertThat(sec).isGreaterThan(1_700_000_000L);
        // B received the initiation and A's data; it sent the response and its data (docs/protocol.md §3.11).
        assertThat(Long.parseLong(value(get, "rx_bytes"))).isEqualTo(148 + 128);
        assertThat(Long.parseLong(value(get, "tx_bytes"))).isEqualTo(92 + 128);
    }

    static String value(String get, String key) {
        return get.lines().filter(l -> l.startsWith(key + "=")).findFirst().orElseThrow().substring(key.length() + 1);
    }

    @Test
    void packetWithoutPeerIsAnsweredWithIcmpUnreachable() throws Exception {
        byte[] p = packet(Packets.addr(10, 0, 0, 1), Packets.addr(10, 9, 9, 9), 1);
        a.tun.fromKernel.add(p);
        byte[] icmp = a.tun.toKernel.poll(30, TimeUnit.SECONDS);
        assertThat(icmp).isNotNull();
        assertThat(icmp[9]).as("ICMP").isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(icmp, 16, 20)).as("back to the sender").isEqualTo(Arrays.copyOfRange(p, 12, 16));
        assertThat(icmp[20]).as("destination unreachable").isEqualTo((byte) 3);
        assertThat(icmp[21]).as("host unreachable").isEqualTo((byte) 1);
        assertThat(Icmp.checksum(icmp, 0, 20, 0)).isZero();
        assertThat(Icmp.checksum(icmp, 20, icmp.length - 20, 0)).isZero();
        assertThat(Arrays.copyOfRange(icmp, 28, 28 + 84)).isEqualTo(p);
    }

    @Test
    void badRequestsGetAnErrnoAndTheDaemonLivesOn() throws Exception {
        assertThat(a.uapi("set=1\nno_such_key=1\n\n")).isEqualTo("errno=-22\n\n");
        assertThat(a.uapi("set=1\nlisten_port\n\n")).isEqualTo("errno=-71\n\n");
        assertThat(a.uapi("bogus=1\n\n")).isEmpty();
        assertThat(a.uapi("get=1\nx\n")).startsWith("errno=-22\n\n");
        // A port already taken on this address.
        net.opener(new byte[] {(byte) 192, 0, 2, 1}).open(51999);
        assertThat(a.uapi("set=1\nlisten_port=51999\n\n")).isEqualTo("errno=-98\n\n");
        assertThat(a.uapi("get=1\n\n")).contains("listen_port=51820\n");
        // Several requests on one connection.
        String two = a.uapi("get=1\n\nget=1\n\n");
        assertThat(two.split("errno=0\n\n", -1)).hasSize(3);
    }

    @Test
    void removalAndReplaceSemantics() throws Exception {
        PrivateKey other = PrivateKey.generate(rng);
        String hex = other.publicKey().toHex();
        assertThat(a.uapi("set=1\npublic_key=" + hex + "\nallowed_ip=10.0.0.0/24\nallowed_ip=10.0.0.2/32\n\n")).isEqualTo("errno=0\n\n");
        String get = a.uapi("get=1\n\n");
        assertThat(get.indexOf(b.hexPub())).as("peers in the order they were added").isLessThan(get.indexOf(hex));
        assertThat(get).contains("public_key=" + hex + "\npreshared_key=" + "0".repeat(64));
        assertThat(get.split("allowed_ip=10.0.0.2/32", -1)).as("the /32 moved to the new peer").hasSize(2);
        assertThat(a.uapi("set=1\npublic_key=" + hex + "\nallowed_ip=-10.0.0.2/32\n\n")).isEqualTo("errno=0\n\n");
        assertThat(a.uapi("get=1\n\n")).doesNotContain("allowed_ip=10.0.0.2/32");
        assertThat(a.uapi("set=1\npublic_key=" + hex + "\nremove=true\n\n")).isEqualTo("errno=0\n\n");
        assertThat(a.uapi("get=1\n\n")).doesNotContain(hex);
        String ghost = PrivateKey.generate(rng).publicKey().toHex();
        assertThat(a.uapi("set=1\npublic_key=" + ghost + "\nupdate_only=true\nallowed_ip=10.1.0.0/16\n\n")).isEqualTo("errno=0\n\n");
        assertThat(a.uapi("get=1\n\n")).doesNotContain(ghost);
        assertThat(a.uapi("set=1\npublic_key=" + a.hexPub() + "\nallowed_ip=10.2.0.0/16\n\n")).isEqualTo("errno=0\n\n");
        assertThat(a.uapi("get=1\n\n")).as("our own key is not a peer").doesNotContain("public_key=" + a.hexPub());
        assertThat(a.uapi("set=1\nreplace_peers=true\n\n")).isEqualTo("errno=0\n\n");
        assertThat(a.uapi("get=1\n\n")).doesNotContain("public_key=");
        assertThat(a.uapi("set=1\nprivate_key=" + "0".repeat(64) + "\n\n")).isEqualTo("errno=0\n\n");
        assertThat(a.uapi("get=1\n\n")).doesNotContain("private_key=");
    }

    @Test
    void handshakeFloodDoesNotStopEstablishedTraffic() throws Exception {
        a.tun.fromKernel.add(packet(Packets.addr(10, 0, 0, 1), Packets.addr(10, 0, 0, 2), 1));
        assertThat(b.tun.toKernel.poll(30, TimeUnit.SECONDS)).isNotNull();
        // Flood B with initiations that pass mac1 (the attacker knows B's public key) from many sources.
        byte[] mac1Key = Blake2s.hash(NoiseConstants.LABEL_MAC1, b.key.publicKey().bytes());
        var bBind = (MemoryNetwork.MemoryBind) b.device.bind();
        // Every 100th source is a bind, so that the cookie replies sent to it can be seen.
        List<MemoryNetwork.MemoryBind> attackers = new ArrayList<>();
        for (int i = 0; i < 3000; i += 100) {
            attackers.add((MemoryNetwork.MemoryBind) net.opener(new byte[] {10, 66, (byte) (i >> 8), (byte) i}).open(1000 + i));
        }
        for (int i = 0; i < 3000; i++) {
            byte[] m = new byte[Messages.INITIATION_SIZE];
            rng.nextBytes(m);
            m[0] = 1;
            m[1] = 0;
            m[2] = 0;
            m[3] = 0;
            Blake2s.mac(mac1Key, m, 0, Messages.INITIATION_MAC1, m, Messages.INITIATION_MAC1);
            bBind.inbox.add(new MemoryNetwork.Datagram(m, new byte[] {10, 66, (byte) (i >> 8), (byte) i}, 1000 + i));
        }
        for (int i = 2; i < 50; i++) {
            byte[] p = packet(Packets.addr(10, 0, 0, 1), Packets.addr(10, 0, 0, 2), i);
            a.tun.fromKernel.add(p);
            assertThat(b.tun.toKernel.poll(30, TimeUnit.SECONDS)).as("packet %d during the flood", i).isEqualTo(p);
        }
        // Under load, B answers with cookie replies (whitepaper §5.3) instead of handshaking.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean cookie = false;
        while (!cookie && System.nanoTime() < deadline) {
            for (MemoryNetwork.MemoryBind at : attackers) {
                MemoryNetwork.Datagram d = at.inbox.poll(10, TimeUnit.MILLISECONDS);
                if (d != null) {
                    assertThat(d.payload()[0]).as("only cookie replies go to the flooders").isEqualTo((byte) Messages.TYPE_COOKIE_REPLY);
                    assertThat(d.payload()).hasSize(Messages.COOKIE_REPLY_SIZE);
                    cookie = true;
                }
            }
        }
        assertThat(cookie).as("a cookie reply reached a flooding source").isTrue();
    }

    @Test
    void deletedSocketStopsTheDevice() throws Exception {
        Files.delete(a.socket);
        assertThat(a.device.awaitStopped(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void secretsNeverReachTheLog() throws Exception {
        a.tun.fromKernel.add(packet(Packets.addr(10, 0, 0, 1), Packets.addr(10, 0, 0, 2), 1));
        assertThat(b.tun.toKernel.poll(30, TimeUnit.SECONDS)).isNotNull();
        a.uapi("set=1\nbad=1\n\n");
        String log = logs.toString();
        assertThat(log).isNotEmpty();
        for (PrivateKey k : List.of(a.key, b.key)) {
            assertThat(log).doesNotContain(k.toHex()).doesNotContain(k.toBase64());
        }
    }

    @Test
    void bothDevicesSealWithTheirBackend() throws Exception {
        assertThat(a.device.node().aead()).isSameAs(backend());
        assertThat(b.device.node().aead()).isSameAs(backend());
        for (int seq = 1; seq <= 50; seq++) {
            byte[] p = packet(Packets.addr(10, 0, 0, 1), Packets.addr(10, 0, 0, 2), seq);
            a.tun.fromKernel.add(p);
            assertThat(b.tun.toKernel.poll(30, TimeUnit.SECONDS)).isEqualTo(p);
        }
    }

    @Test
    void theDeviceHasTheWorkersItWasGiven() {
        assertThat(a.device.workers()).isEqualTo(workers());
    }

    @Test
    void theDeviceTimersRunOnTheInjectedClock() throws Exception {
        FakeClock clock = new FakeClock();
        Host c = new Host("wgc", new byte[] {(byte) 192, 0, 2, 3}, clock);
        var peerBind = (MemoryNetwork.MemoryBind) net.opener(new byte[] {(byte) 192, 0, 2, 9}).open(51829);
        closeables.add(peerBind);
        String somePeer = PrivateKey.generate(rng).publicKey().toHex();
        assertThat(c.uapi("set=1\nprivate_key=" + c.key.toHex() + "\npublic_key=" + somePeer
                + "\nendpoint=192.0.2.9:51829\nallowed_ip=10.9.0.0/24\n\n")).isEqualTo("errno=0\n\n");
        c.device.setLinkUp(true);
        c.tun.fromKernel.add(packet(Packets.addr(10, 0, 0, 3), Packets.addr(10, 9, 0, 1), 1));
        MemoryNetwork.Datagram first = peerBind.inbox.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.payload()[0]).isEqualTo((byte) Messages.TYPE_INITIATION);
        // Nobody answers; the retry comes after Rekey-Timeout (5 s, plus up to 1/3 s of jitter) of
        // the device's clock, which stands still until the test moves it.
        assertThat(peerBind.inbox.poll()).isNull();
        clock.advanceMillis(5_400);
        MemoryNetwork.Datagram retry = peerBind.inbox.poll(10, TimeUnit.SECONDS);
        assertThat(retry).as("initiation retried once the injected clock passed Rekey-Timeout").isNotNull();
        assertThat(retry.payload()[0]).isEqualTo((byte) Messages.TYPE_INITIATION);
    }
}
