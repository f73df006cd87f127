package dev.jwg.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.testkit.FakeClock;
import dev.jwg.core.testkit.Packets;
import dev.jwg.device.uapi.UapiServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endpoint names looked up again when the handshake is stale: two devices over the in-memory
 * network, a names file, a lookup table the test changes and a fake clock for the handshake's age.
 */
class EndpointReresolverTest {
    @TempDir
    Path dir;

    final MemoryNetwork net = new MemoryNetwork();
    final SecureRandom rng = new SecureRandom();
    final List<AutoCloseable> closeables = new ArrayList<>();
    final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    final Map<String, InetAddress[]> dns = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();
    final FakeClock clock = new FakeClock();
    final PrivateKey ka = PrivateKey.generate(rng);
    final PrivateKey kb = PrivateKey.generate(rng);
    Device a;
    Device b;
    Path names;
    EndpointReresolver reresolver;

    final Map<String, MemoryNetwork.MemoryTun> tuns = new ConcurrentHashMap<>();

    Device host(String name, byte[] address, PrivateKey key, String peers) throws IOException {
        MemoryNetwork.MemoryTun tun = new MemoryNetwork.MemoryTun(name);
        tuns.put(name, tun);
        Device d = new Device(name, tun, net.opener(address), SystemClock.INSTANCE, rng,
                new Log(Log.Level.ERROR, name, new PrintStream(logs, true, StandardCharsets.UTF_8)));
        Path socket = dir.resolve(name + ".sock");
        UapiServer uapi = UapiServer.bind(socket, d, d.log());
        d.start();
        uapi.start(d::close);
        closeables.add(uapi);
        closeables.add(d);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("set=1\nprivate_key=" + key.toHex() + "\n" + peers + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.shutdownOutput();
            ByteBuffer buf = ByteBuffer.allocate(64);
            while (ch.read(buf) >= 0 && buf.hasRemaining()) {
                // the answer
            }
            assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII)).isEqualTo("errno=0\n\n");
        }
        d.setLinkUp(true);
        return d;
    }

    static InetAddress ip(int... b) throws UnknownHostException {
        byte[] a = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            a[i] = (byte) b[i];
        }
        return InetAddress.getByAddress(a);
    }

    @BeforeEach
    void setUp() throws Exception {
        // A knows B as home.example:51821, first at 192.0.2.9 (an old address nobody answers on).
        a = host("wga", new byte[] {(byte) 192, 0, 2, 1}, ka, "listen_port=51820\npublic_key=" + kb.publicKey().toHex()
                + "\nendpoint=192.0.2.9:51821\nallowed_ip=10.0.0.2/32\n");
        b = host("wgb", new byte[] {(byte) 192, 0, 2, 2}, kb, "listen_port=51821\npublic_key=" + ka.publicKey().toHex()
                + "\nallowed_ip=10.0.0.1/32\n");
        names = dir.resolve("wga.endpoints");
        write("# names\n" + kb.publicKey().toBase64() + " home.example:51821\n");
        dns.put("home.example", new InetAddress[] {ip(192, 0, 2, 9)});
        clock.stepWallClock(System.currentTimeMillis() * 1_000_000L - clock.epochNanos());
        reresolver = new EndpointReresolver(a, names, host -> {
            lookups.incrementAndGet();
            InetAddress[] r = dns.get(host);
            if (r == null) {
                throw new UnknownHostException(host + ": Name or service not known");
            }
            return r;
        }, clock, EndpointReresolver.DEFAULT_AFTER_SECONDS);
    }

    void write(String text) throws IOException {
        Path tmp = dir.resolve("tmp");
        Files.writeString(tmp, text);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, names, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @AfterEach
    void tearDown() throws Exception {
        reresolver.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    String endpointOfB() {
        return a.endpoint(a.node().peer(kb.publicKey()).orElseThrow()).toString();
    }

    byte[] ping() {
        byte[] p = Packets.ipv4(Packets.addr(10, 0, 0, 1), Packets.addr(10, 0, 0, 2), 1, 64);
        return Arrays.copyOfRange(p, Packets.HEADROOM, Packets.HEADROOM + 84);
    }

    @Test
    void aNewAddressForTheNameMovesTheEndpointAndTheTunnelRecovers() throws Exception {
        assertThat(reresolver.checkOnce()).as("same address: nothing to do").isEmpty();
        assertThat(lookups).hasValue(1);
        assertThat(endpointOfB()).isEqualTo("192.0.2.9:51821");

        dns.put("home.example", new InetAddress[] {ip(192, 0, 2, 2), ip(192, 0, 2, 3)});
        assertThat(reresolver.checkOnce()).containsExactly(kb.publicKey());
        assertThat(endpointOfB()).as("the first address, as wg takes it").isEqualTo("192.0.2.2:51821");
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("WARNING: (wga)")
                .contains("peer(" + kb.publicKey().shortForm() + ") - Endpoint home.example:51821 re-resolved to 192.0.2.2:51821 (was 192.0.2.9:51821; no handshake yet)");

        byte[] p = ping();
        tuns.get("wga").fromKernel.add(p);
        assertThat(tuns.get("wgb").toKernel.poll(30, TimeUnit.SECONDS)).isEqualTo(p);

        // A fresh handshake: no lookup until it is older than 135 s.
        int before = lookups.get();
        reresolver.checkOnce();
        assertThat(lookups).hasValue(before);
        clock.advanceSeconds(EndpointReresolver.DEFAULT_AFTER_SECONDS + 5);
        reresolver.checkOnce();
        assertThat(lookups).hasValue(before + 1);
    }

    @Test
    void aFailingNameKeepsTheEndpointAndIsReportedOnce() throws Exception {
        dns.clear();
        assertThat(reresolver.checkOnce()).isEmpty();
        assertThat(reresolver.checkOnce()).isEmpty();
        assertThat(endpointOfB()).isEqualTo("192.0.2.9:51821");
        assertThat(logs.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("Cannot re-resolve endpoint home.example:51821")))
                .hasSize(1);
    }

    @Test
    void theFileIsReadAgainWhenItChangesAndBadLinesAreSkipped() throws Exception {
        Files.delete(names);
        dns.put("home.example", new InetAddress[] {ip(192, 0, 2, 2)});
        assertThat(reresolver.checkOnce()).as("no file, no names").isEmpty();
        assertThat(lookups).hasValue(0);
        write("not-a-key home.example:51821\n" + kb.publicKey().toBase64() + " home.example:port\n"
                + PublicKey.fromBytes(new byte[32]).toBase64() + " other.example:1\n"
                + kb.publicKey().toBase64() + " [home.example]:51821\n");
        assertThat(reresolver.checkOnce()).containsExactly(kb.publicKey());
        String log = logs.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("wga.endpoints:1: not a base64 public key; line skipped")
                .contains("wga.endpoints:2: the port is not a number; line skipped");
        assertThat(lookups).as("the peer not on the device is not looked up").hasValue(1);
    }

    @Test
    void aRemovedFileTakesItsNamesWithIt() throws Exception {
        dns.put("home.example", new InetAddress[] {ip(192, 0, 2, 2)});
        assertThat(reresolver.checkOnce()).containsExactly(kb.publicKey());
        assertThat(lookups).hasValue(1);
        Files.delete(names);
        dns.put("home.example", new InetAddress[] {ip(192, 0, 2, 3)});
        assertThat(reresolver.checkOnce()).as("no file, no names").isEmpty();
        assertThat(lookups).as("a name gone with its file is not looked up").hasValue(1);
    }

    @Test
    void anEndpointConfiguredAfterTheFileWasReadWins() throws Exception {
        assertThat(reresolver.checkOnce()).isEmpty(); // reads the file: the configuration so far is known
        dns.put("home.example", new InetAddress[] {ip(192, 0, 2, 2)});
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(dir.resolve("wga.sock")));
            ch.write(ByteBuffer.wrap(("set=1\npublic_key=" + kb.publicKey().toHex() + "\nendpoint=192.0.2.7:51821\n\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ch.shutdownOutput();
            ByteBuffer buf = ByteBuffer.allocate(64);
            while (ch.read(buf) >= 0 && buf.hasRemaining()) {
                // the answer
            }
        }
        assertThat(reresolver.checkOnce()).as("wg set ... endpoint after jwg up: the name no longer counts").isEmpty();
        assertThat(lookups).hasValue(1);
        assertThat(endpointOfB()).isEqualTo("192.0.2.7:51821");
        write("# written again\n" + kb.publicKey().toBase64() + " home.example:51821\n");
        assertThat(reresolver.checkOnce()).as("a newer file counts again").containsExactly(kb.publicKey());
        assertThat(endpointOfB()).isEqualTo("192.0.2.2:51821");
    }

    @Test
    void aFileOthersMayWriteIsIgnored() throws Exception {
        dns.put("home.example", new InetAddress[] {ip(192, 0, 2, 2)});
        Files.setPosixFilePermissions(names, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(reresolver.checkOnce()).isEmpty();
        assertThat(lookups).hasValue(0);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("writable by others than its owner");
    }

    @Test
    void theCheckPeriodFollowsTheAge() {
        assertThat(EndpointReresolver.periodNanos(135)).isEqualTo(30_000_000_000L);
        assertThat(EndpointReresolver.periodNanos(8)).isEqualTo(2_000_000_000L);
        assertThat(EndpointReresolver.periodNanos(1)).isEqualTo(1_000_000_000L);
    }

    @Test
    void withoutNamesTheThreadWaitsTheWholeAge() {
        assertThat(EndpointReresolver.waitNanos(false, false, 135)).as("before the first look at the file").isEqualTo(30_000_000_000L);
        assertThat(EndpointReresolver.waitNanos(true, true, 135)).as("names to look after").isEqualTo(30_000_000_000L);
        assertThat(EndpointReresolver.waitNanos(true, false, 135)).as("no names").isEqualTo(135_000_000_000L);
        assertThat(EndpointReresolver.waitNanos(true, false, 4)).isEqualTo(4_000_000_000L);
    }

    @Test
    void theThreadChecksOnceAtStart() throws Exception {
        // B's handshake is stale (none yet) and its name has a new address: the thread's check at
        // start moves the endpoint long before the first period (30 s) is over.
        dns.put("home.example", new InetAddress[] {ip(192, 0, 2, 2)});
        reresolver.start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!endpointOfB().equals("192.0.2.2:51821") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(endpointOfB()).isEqualTo("192.0.2.2:51821");
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aLinkIsNotFollowedAndADanglingOneIsNoFile() throws Exception {
        dns.put("home.example", new InetAddress[] {ip(192, 0, 2, 2)});
        Path real = dir.resolve("real.endpoints");
        Files.move(names, real);
        Files.createSymbolicLink(names, real);
        assertThat(reresolver.checkOnce()).as("a link to a names file").isEmpty();
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("wga.endpoints: not a regular file");
        Files.delete(real);
        logs.reset();
        assertThat(reresolver.checkOnce()).as("a dangling link").isEmpty();
        assertThat(lookups).hasValue(0);
        assertThat(logs.toString(StandardCharsets.UTF_8)).as("nothing to report").isEmpty();
    }
}
