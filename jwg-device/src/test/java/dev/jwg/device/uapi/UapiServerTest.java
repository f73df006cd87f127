package dev.jwg.device.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.device.Device;
import dev.jwg.device.Log;
import dev.jwg.device.SystemClock;
import dev.jwg.device.io.Bind;
import dev.jwg.device.io.PacketBatch;
import dev.jwg.device.io.TunDevice;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket's defences: a client stalled mid-request blocks nobody and is disconnected, the
 * number of connections is bounded with idle ones evicted for newcomers, requests of any size work.
 * No assertion on time: where a limit would take effect, the test sets it far beyond the test's
 * length, so that a client served at all was not served thanks to it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UapiServerTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private UapiServer server(int maxClients, long stallNanos) throws IOException {
        Device device = new Device("ut0", new IdleTun(), port -> new IdleBind(port), SystemClock.INSTANCE, new SecureRandom(),
                new Log(Log.Level.SILENT, "ut0", new PrintStream(OutputStream.nullOutputStream())));
        open.add(device);
        device.start();
        UapiServer server = UapiServer.bind(dir.resolve("ut0.sock"), device, device.log(), maxClients, stallNanos);
        open.add(server);
        server.start(() -> {});
        return server;
    }

    private SocketChannel connect(UapiServer server) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        open.add(ch);
        ch.connect(UnixDomainSocketAddress.of(server.path()));
        return ch;
    }

    private static void send(SocketChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads up to the blank line that ends an answer; null at end of stream. */
    private static String answer(SocketChannel ch) throws IOException {
        StringBuilder sb = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (sb.length() < 2 || sb.charAt(sb.length() - 1) != '\n' || sb.charAt(sb.length() - 2) != '\n') {
            one.clear();
            if (ch.read(one) < 0) {
                return sb.isEmpty() ? null : sb.toString();
            }
            sb.append((char) one.get(0));
        }
        return sb.toString();
    }

    private static String request(UapiServer server, String text) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(server.path()))) {
            send(ch, text);
            return answer(ch);
        }
    }

    @Test
    void aClientStalledMidRequestBlocksNoOtherSet() throws Exception {
        UapiServer server = server(8, HOUR);
        SocketChannel stalled = connect(server);
        send(stalled, "set=1\nfwmark=7\nlisten_port=");
        // Others are served while it stalls (with the stall limit at an hour, only because
        // nothing of the stalled request holds the set lock).
        for (int i = 0; i < 5; i++) {
            assertThat(request(server, "set=1\nlisten_port=" + (41000 + i) + "\n\n")).isEqualTo("errno=0\n\n");
            assertThat(request(server, "get=1\n\n")).contains("listen_port=" + (41000 + i) + "\n");
        }
        // The stalled client is still connected and its request, once whole, is applied.
        send(stalled, "42000\n\n");
        assertThat(answer(stalled)).isEqualTo("errno=0\n\n");
        assertThat(request(server, "get=1\n\n")).contains("listen_port=42000\n").contains("fwmark=7\n");
    }

    @Test
    void aClientStalledMidRequestIsDisconnected() throws Exception {
        UapiServer server = server(8, TimeUnit.MILLISECONDS.toNanos(200));
        SocketChannel stalled = connect(server);
        send(stalled, "set=1\nlisten_port=");
        assertThat(answer(stalled)).as("end of stream, no answer").isNull();
        assertThat(request(server, "get=1\n\n")).endsWith("errno=0\n\n").doesNotContain("listen_port");
    }

    @Test
    void anIdleConnectionStaysUntilItsSlotIsNeeded() throws Exception {
        UapiServer server = server(2, TimeUnit.MILLISECONDS.toNanos(200));
        SocketChannel idle = connect(server);
        send(idle, "get=1\n\n");
        assertThat(answer(idle)).endsWith("errno=0\n\n");
        // Idle far beyond the stall limit, it is kept while slots are free (UapiClient.stop relies on it).
        for (int i = 0; i < 20; i++) {
            assertThat(request(server, "get=1\n\n")).endsWith("errno=0\n\n");
        }
        send(idle, "get=1\n\n");
        assertThat(answer(idle)).endsWith("errno=0\n\n");
    }

    @Test
    void connectionsAreBoundedAndIdleOnesMakeRoom() throws Exception {
        UapiServer server = server(4, TimeUnit.MILLISECONDS.toNanos(200));
        List<SocketChannel> idle = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            idle.add(connect(server)); // accepted or waiting in the backlog
        }
        // A newcomer is served: idle connections are evicted to make room.
        assertThat(request(server, "get=1\n\n")).endsWith("errno=0\n\n");
        assertThat(server.connectionCount()).isLessThanOrEqualTo(4);
        int evicted = 0;
        for (SocketChannel ch : idle) {
            ch.configureBlocking(false);
            if (ch.read(ByteBuffer.allocate(1)) < 0) {
                evicted++;
            }
        }
        assertThat(evicted).as("idle connections closed by the server").isPositive();
    }

    @Test
    void aRequestLargerThanTheReadAheadIsAppliedWhole() throws Exception {
        UapiServer server = server(8, HOUR);
        StringBuilder sb = new StringBuilder("set=1\npublic_key=").append("11".repeat(32)).append('\n');
        for (int i = 0; i < 256; i++) {
            for (int j = 0; j < 256; j++) {
                sb.append("allowed_ip=10.").append(i).append('.').append(j).append(".0/24\n");
            }
        }
        String big = sb.append('\n').toString();
        assertThat(big.length()).isGreaterThan(1 << 20);
        assertThat(request(server, big)).isEqualTo("errno=0\n\n");
        String get = request(server, "get=1\n\n");
        assertThat(get.lines().filter(l -> l.startsWith("allowed_ip=")).count()).isEqualTo(65_536);
    }

    @Test
    void severalRequestsOnOneConnection() throws Exception {
        UapiServer server = server(8, HOUR);
        SocketChannel ch = connect(server);
        send(ch, "set=1\nlisten_port=41234\n\nget=1\n\nget=1\n\n");
        assertThat(answer(ch)).isEqualTo("errno=0\n\n");
        assertThat(answer(ch)).contains("listen_port=41234\n");
        assertThat(answer(ch)).contains("listen_port=41234\n");
    }

    /** A TUN that never has a packet. */
    private static final class IdleTun implements TunDevice {
        private volatile boolean closed;

        @Override
        public String name() { return "ut0"; }

        @Override
        public int mtu() { return 1420; }

        @Override
        public int read(PacketBatch batch) throws IOException {
            while (!closed) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            return -1;
        }

        @Override
        public void write(PacketBatch batch, int from, int to) {}

        @Override
        public dev.jwg.device.io.PacketMemory packetMemory(long maxBytes) {
            return dev.jwg.device.io.PacketMemory.direct(256);
        }

        @Override
        public void close() { closed = true; }
    }

    /** A UDP bind that never receives. */
    private record IdleBind(int port) implements Bind {
        @Override
        public int receive(PacketBatch batch) throws IOException {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return -1;
        }

        @Override
        public void send(PacketBatch batch, int from, int to) {}

        @Override
        public void setMark(int mark) {}

        @Override
        public void close() {}
    }
}
