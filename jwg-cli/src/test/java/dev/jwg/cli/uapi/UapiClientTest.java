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
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
     * (closing every connection) after its socket file is removed, once {@code exit} is counted
     * down; never if {@code exit} is null.
     */
    private void fakeDaemon(String ifname, CountDownLatch exit) throws IOException {
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
        if (exit == null) {
            return;
        }
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (Files.exists(sock)) {
                    Thread.sleep(20);
                }
                exit.await();
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
        CountDownLatch exit = new CountDownLatch(1);
        fakeDaemon("wu0", exit);
        UapiClient client = new UapiClient(dir);
        assertThat(client.exists("wu0")).isTrue();
        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> {
            try {
                return client.stop("wu0", Duration.ofMinutes(2));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.exists(dir.resolve("wu0.sock")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(dir.resolve("wu0.sock")).doesNotExist();
        assertThat(stopped).as("still waiting for the daemon to exit").isNotDone();
        exit.countDown();
        assertThat(stopped.get(60, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exists("wu0")).isFalse();
    }

    @Test
    void stopGivesUpOnADaemonThatDoesNotExit() throws Exception {
        fakeDaemon("wu1", null);
        assertThat(new UapiClient(dir).stop("wu1", Duration.ofMillis(300))).isFalse();
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
