package dev.jwg.device.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.testkit.Packets;
import dev.jwg.device.Device;
import dev.jwg.device.Log;
import dev.jwg.device.MemoryNetwork;
import dev.jwg.device.SystemClock;
import dev.jwg.device.uapi.UapiServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two devices over the in-memory network, scraped: the text, the counters behind it and the HTTP endpoint. */
class MetricsTest {
    @TempDir
    Path dir;

    final MemoryNetwork net = new MemoryNetwork();
    final SecureRandom rng = new SecureRandom();
    final List<AutoCloseable> closeables = new ArrayList<>();
    final PresharedKey psk = PresharedKey.generate(rng);

    final class Host {
        final MemoryNetwork.MemoryTun tun;
        final Device device;
        final PrivateKey key = PrivateKey.generate(rng);
        final Path socket;

        Host(String name, byte[] address) throws IOException {
            tun = new MemoryNetwork.MemoryTun(name);
            device = new Device(name, tun, net.opener(address), SystemClock.INSTANCE, rng,
                    new Log(Log.Level.ERROR, name, new PrintStream(new ByteArrayOutputStream(), true)));
            socket = dir.resolve(name + ".sock");
            UapiServer uapi = UapiServer.bind(socket, device, device.log());
            device.start();
            uapi.start(device::close);
            closeables.add(uapi);
            closeables.add(device);
        }

        void set(String request) throws IOException {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap(("set=1\n" + request + "\n").getBytes(StandardCharsets.US_ASCII)));
                ch.shutdownOutput();
                ByteBuffer buf = ByteBuffer.allocate(256);
                while (ch.read(buf) >= 0 && buf.hasRemaining()) {
                    // until the answer is complete
                }
                assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII)).isEqualTo("errno=0\n\n");
            }
        }
    }

    Host a;
    Host b;

    @BeforeEach
    void setUp() throws IOException {
        a = new Host("wga", new byte[] {(byte) 192, 0, 2, 1});
        b = new Host("wgb", new byte[] {(byte) 192, 0, 2, 2});
        a.set("private_key=" + a.key.toHex() + "\nlisten_port=51820\npublic_key=" + b.key.publicKey().toHex()
                + "\npreshared_key=" + HexFormat.of().formatHex(psk.secretBytes())
                + "\nendpoint=192.0.2.2:51821\nallowed_ip=10.0.0.2/32\nallowed_ip=fd00::2/128\n");
        b.set("private_key=" + b.key.toHex() + "\nlisten_port=51821\npublic_key=" + a.key.publicKey().toHex()
                + "\npreshared_key=" + HexFormat.of().formatHex(psk.secretBytes()) + "\nallowed_ip=10.0.0.1/32\n");
        a.device.setLinkUp(true);
        b.device.setLinkUp(true);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    static byte[] packet(int src, int dst) {
        byte[] p = Packets.ipv4(src, dst, 1, 64);
        return Arrays.copyOfRange(p, Packets.HEADROOM, Packets.HEADROOM + 84);
    }

    static final ProcessStats PROCESS = ProcessStats.of(50 << 20, 900 << 20, 12, 1_500_000_000L,
            Instant.ofEpochSecond(1_800_000_000L), 9 << 20, 16 << 20, 96 << 20);

    /** The value of the one sample line that starts with {@code prefix}. */
    static long value(String text, String prefix) {
        List<String> lines = text.lines().filter(l -> l.startsWith(prefix)).toList();
        assertThat(lines).as(prefix).hasSize(1);
        String line = lines.get(0);
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    void aScrapeCarriesTheExporterFamiliesAndTheDeviceCounters() throws Exception {
        a.tun.fromKernel.add(packet(Packets.addr(10, 0, 0, 1), Packets.addr(10, 0, 0, 2)));
        assertThat(b.tun.toKernel.poll(30, TimeUnit.SECONDS)).isNotNull();
        b.tun.fromKernel.add(packet(Packets.addr(10, 0, 0, 2), Packets.addr(10, 0, 0, 1)));
        assertThat(a.tun.toKernel.poll(30, TimeUnit.SECONDS)).isNotNull();

        String text = MetricsText.render(a.device, PROCESS);
        String labels = "{interface=\"wga\",public_key=\"" + b.key.publicKey().toBase64()
                + "\",allowed_ips=\"10.0.0.2/32,fd00::2/128\"}";
        assertThat(text).contains("# TYPE wireguard_sent_bytes_total counter\n"
                + "wireguard_sent_bytes_total" + labels + " ");
        assertThat(text).contains("# TYPE wireguard_received_bytes_total counter\n");
        assertThat(text).contains("# TYPE wireguard_latest_handshake_seconds gauge\n");
        // A sent the initiation (148) and its packet (128); received the response (92) and B's packet (128).
        assertThat(value(text, "wireguard_sent_bytes_total" + labels)).isEqualTo(148 + 128);
        assertThat(value(text, "wireguard_received_bytes_total" + labels)).isEqualTo(92 + 128);
        long handshake = value(text, "wireguard_latest_handshake_seconds" + labels);
        assertThat(handshake).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(3600L));
        assertThat(value(text, "jwg_peers{interface=\"wga\"}")).isEqualTo(1);
        assertThat(value(text, "jwg_interface_up{interface=\"wga\"}")).isEqualTo(1);
        assertThat(value(text, "jwg_handshake_initiations_sent_total{interface=\"wga\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "jwg_handshakes_completed_total{interface=\"wga\",role=\"initiator\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "jwg_batches_total{interface=\"wga\",path=\"tun_read\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "jwg_batch_packets_total{interface=\"wga\",path=\"udp_receive\"}")).isGreaterThanOrEqualTo(2);
        assertThat(value(text, "jwg_aead_backend_info{interface=\"wga\",backend=\"jdk\"}")).isEqualTo(1);
        assertThat(value(text, "process_resident_memory_bytes ")).isEqualTo(50 << 20);
        assertThat(value(text, "process_cpu_seconds_total ")).isEqualTo(1);
        assertThat(value(text, "jvm_memory_max_bytes{area=\"heap\"}")).isEqualTo(96 << 20);
        String bText = MetricsText.render(b.device, PROCESS);
        assertThat(value(bText, "jwg_handshakes_completed_total{interface=\"wgb\",role=\"responder\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(bText, "jwg_packets_dropped_total{interface=\"wgb\",reason=\"decrypt\"}")).isZero();

        for (String t : List.of(text, bText)) {
            for (PrivateKey k : List.of(a.key, b.key)) {
                assertThat(t).doesNotContain(k.toBase64()).doesNotContain(k.toHex());
            }
            assertThat(t).doesNotContain(psk.toBase64()).doesNotContain(HexFormat.of().formatHex(psk.secretBytes()));
        }
        // Every family is announced once, before its samples, and every line is a comment or a sample.
        List<String> types = text.lines().filter(l -> l.startsWith("# TYPE ")).toList();
        assertThat(types).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(16);
        assertThat(text.lines()).allMatch(l -> l.startsWith("# HELP ") || l.startsWith("# TYPE ")
                || l.matches("[a-z_]+(\\{.*\\})? -?[0-9.E+-]+"));
    }

    @Test
    void dropsAreCountedByTheCoresVerdict() throws Exception {
        a.tun.fromKernel.add(packet(Packets.addr(10, 0, 0, 1), Packets.addr(10, 0, 0, 2)));
        assertThat(b.tun.toKernel.poll(30, TimeUnit.SECONDS)).isNotNull();
        // A transport message for a receiver index nobody has: B drops it as unknown_index.
        byte[] bogus = new byte[32 + 16];
        bogus[0] = 4;
        net.deliver(new byte[] {(byte) 192, 0, 2, 2}, 51821, bogus, new byte[] {(byte) 192, 0, 2, 9}, 4000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (b.device.counters().dropped(dev.jwg.core.tunnel.Verdict.DROP_UNKNOWN_INDEX) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(value(MetricsText.render(b.device, PROCESS),
                "jwg_packets_dropped_total{interface=\"wgb\",reason=\"unknown_index\"}")).isEqualTo(1);
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        StringBuilder sb = new StringBuilder();
        new ExpositionWriter(sb).family("x_total", "counter", "a\\b\nc").sample("x_total", 3, "l", "q\"\\\n");
        assertThat(sb).hasToString("# HELP x_total a\\\\b\\nc\n# TYPE x_total counter\nx_total{l=\"q\\\"\\\\\\n\"} 3\n");
    }

    @Test
    void addressesParseOrSayWhyNot() throws Exception {
        assertThat(MetricsServer.parseAddress("127.0.0.1:9586")).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9586));
        assertThat(MetricsServer.parseAddress("[::1]:9586")).isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 9586));
        assertThat(MetricsServer.parseAddress("9586").getAddress().isLoopbackAddress()).isTrue();
        assertThat(MetricsServer.parseAddress(":9586").getAddress().isLoopbackAddress()).isTrue();
        assertThatThrownBy(() -> MetricsServer.parseAddress("127.0.0.1:99999")).hasMessageContaining("not between 0 and 65535");
        assertThatThrownBy(() -> MetricsServer.parseAddress("127.0.0.1:http")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> MetricsServer.parseAddress("::1:9586")).hasMessageContaining("in brackets");
        assertThatThrownBy(() -> MetricsServer.parseAddress("[::1]9586")).hasMessageContaining("[IPv6]:PORT");
    }

    /** One HTTP/1.0 exchange over a plain socket: the status line and the body. */
    static String[] http(InetSocketAddress at, String requestLine) throws IOException {
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write((requestLine + "\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            return new String[] {all.substring(0, all.indexOf("\r\n")), all.substring(end + 4), all.substring(0, end)};
        }
    }

    @Test
    void theEndpointAnswersGetAndRefusesTheRest() throws Exception {
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), a.device,
                a.device.log())) {
            InetSocketAddress at = server.address();
            String[] ok = http(at, "GET /metrics HTTP/1.0");
            assertThat(ok[0]).contains(" 200 ");
            assertThat(ok[2].toLowerCase()).contains("content-type: text/plain; version=0.0.4; charset=utf-8");
            assertThat(ok[1]).contains("# TYPE wireguard_sent_bytes_total counter\n");
            assertThat(http(at, "POST /metrics HTTP/1.0")[0]).contains(" 405 ");
            assertThat(http(at, "GET /secrets HTTP/1.0")[0]).contains(" 404 ");
            assertThat(http(at, "HEAD /metrics HTTP/1.0")[1]).isEmpty();
        }
    }
}
