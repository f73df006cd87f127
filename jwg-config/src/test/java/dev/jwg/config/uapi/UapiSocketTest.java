package dev.jwg.config.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe every UAPI party uses to tell a live daemon from a stale socket file. */
class UapiSocketTest {
    @TempDir
    Path dir;

    @Test
    void socketPathsAreInterfaceNameDotSock() {
        assertThat(UapiSocket.path("wg0")).isEqualTo(Path.of("/var/run/wireguard/wg0.sock"));
        assertThat(UapiSocket.path(dir, "cu0")).isEqualTo(dir.resolve("cu0.sock"));
    }

    @Test
    void noFileIsAbsent() {
        assertThat(UapiSocket.probe(dir.resolve("cu0.sock"))).isEqualTo(UapiSocket.State.ABSENT);
    }

    @Test
    void aListeningSocketIsLiveAndAClosedOneIsRefused() throws IOException {
        Path sock = dir.resolve("cu1.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            assertThat(UapiSocket.probe(sock)).isEqualTo(UapiSocket.State.LIVE);
        }
        // closing a listener leaves its file behind, as a daemon that died does
        assertThat(sock).exists();
        assertThat(UapiSocket.probe(sock)).isEqualTo(UapiSocket.State.REFUSED);
    }

    @Test
    void aFileThatIsNoSocketIsNotLive() throws IOException {
        Path file = Files.writeString(dir.resolve("cu2.sock"), "not a socket");
        assertThat(UapiSocket.probe(file)).isIn(UapiSocket.State.REFUSED, UapiSocket.State.UNREACHABLE);
    }
}
