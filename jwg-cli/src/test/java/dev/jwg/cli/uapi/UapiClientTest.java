package dev.jwg.cli.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UapiClient#stop}: stopping a daemon by removing its socket, against a small fake daemon. */
class UapiClientTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /**
     * A daemon that answers {@code get} with an empty device and, like jwgd and wireguard-go, exits
     * (closing every connection) {@code exitDelay} after its socket file is removed; never if null.
     */
    private void fakeDaemon(String ifname, Duration exitDelay) throws IOException {
        Path sock = dir.resolve(ifname + ".sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        open.add(server);
        List<SocketChannel> conns = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                for (;;) {
                    SocketChannel ch = server.accept();
                    conns.add(ch);
                    open.add(ch);
                    Thread.ofPlatform().daemon().start(() -> answerGets(ch));
                }
            } catch (IOException closed) {
                // exited
            }
        });
        if (exitDelay == null) {
            return;
        }
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (Files.exists(sock)) {
                    Thread.sleep(20);
                }
                Thread.sleep(exitDelay.toMillis());
                server.close();
                for (SocketChannel c : conns) {
                    c.close();
                }
            } catch (InterruptedException | IOException e) {
                // the test is over
            }
        });
    }

    private static void answerGets(SocketChannel ch) {
        try {
            InputStream in = java.nio.channels.Channels.newInputStream(ch);
            StringBuilder request = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                request.append((char) c);
                if (request.toString().endsWith("\n\n")) {
                    ch.write(ByteBuffer.wrap("errno=0\n\n".getBytes(StandardCharsets.US_ASCII)));
                    request.setLength(0);
                }
            }
        } catch (IOException closed) {
            // the daemon exited or the client left
        }
    }

    @Test
    void stopRemovesTheSocketAndReturnsOnceTheDaemonHasExited() throws Exception {
        fakeDaemon("wu0", Duration.ofMillis(400));
        UapiClient client = new UapiClient(dir);
        assertThat(client.exists("wu0")).isTrue();
        long t0 = System.nanoTime();
        assertThat(client.stop("wu0", Duration.ofSeconds(10))).isTrue();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(350L, 5_000L);
        assertThat(dir.resolve("wu0.sock")).doesNotExist();
        assertThat(client.exists("wu0")).isFalse();
    }

    @Test
    void stopGivesUpOnADaemonThatDoesNotExit() throws Exception {
        fakeDaemon("wu1", null);
        long t0 = System.nanoTime();
        assertThat(new UapiClient(dir).stop("wu1", Duration.ofMillis(300))).isFalse();
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 5_000L);
        assertThat(dir.resolve("wu1.sock")).doesNotExist();
    }

    @Test
    void aStaleSocketIsRemovedAndCountsAsStopped() throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("wu2.sock")));
        server.close(); // the file stays, nobody listens: a daemon killed with -9
        assertThat(dir.resolve("wu2.sock")).exists();
        assertThat(new UapiClient(dir).stop("wu2", Duration.ofSeconds(5))).isTrue();
        assertThat(dir.resolve("wu2.sock")).doesNotExist();
        assertThat(new UapiClient(dir).stop("wu3", Duration.ofSeconds(5))).isTrue();
    }
}
