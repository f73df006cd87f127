package dev.jwg.cli.wg;

import dev.jwg.linux.Posix;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * The {@code wg} half of {@code jwg}'s ahead-of-time training run ({@code JwgMain --aot-training}):
 * every {@code wg} subcommand, run through the real {@link SocketUapi} against a daemon stand-in
 * that this class serves on a Unix socket in a private directory (a fixed answer to {@code get},
 * {@code errno=0} to {@code set}), so that the classes and code paths of a real {@code jwg show}
 * or {@code jwg set} are the ones recorded. Needs no root and no interface. Not thread-safe.
 */
public final class WgTraining {
    private static final String IF = "jwgtrain0";
    private static final String PRIVATE = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
    private static final String PEER = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    /** What the stand-in answers to {@code get=1}: one peer with a handshake, traffic and keepalive. */
    private static final String GET = """
            private_key=77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a
            listen_port=51820
            fwmark=4660
            public_key=0101010101010101010101010101010101010101010101010101010101010101
            preshared_key=1111111111111111111111111111111111111111111111111111111111111111
            protocol_version=1
            endpoint=192.0.2.7:51820
            last_handshake_time_sec=%d
            last_handshake_time_nsec=123456789
            tx_bytes=4781506
            rx_bytes=1260
            persistent_keepalive_interval=25
            allowed_ip=10.0.0.2/32
            allowed_ip=fd00::2/128
            public_key=0202020202020202020202020202020202020202020202020202020202020202
            preshared_key=0000000000000000000000000000000000000000000000000000000000000000
            protocol_version=1
            endpoint=[fd00::7]:51820
            last_handshake_time_sec=0
            last_handshake_time_nsec=0
            tx_bytes=0
            rx_bytes=0
            persistent_keepalive_interval=0
            allowed_ip=10.0.1.0/24
            errno=0

            """;

    private WgTraining() {}

    /** Runs the commands; their output is discarded. {@code work} is a private, empty directory. */
    public static void run(Path work) throws IOException {
        Path sockets = Files.createDirectory(work.resolve("sockets"));
        Path key = work.resolve("private.key");
        Files.writeString(key, PRIVATE + "\n");
        Path conf = work.resolve(IF + ".conf");
        Files.writeString(conf, """
                [Interface]
                PrivateKey = %s
                ListenPort = 51820

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.2/32, fd00::2/128
                Endpoint = 192.0.2.7:51820
                PersistentKeepalive = 25
                """.formatted(PRIVATE, PEER));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sockets.resolve(IF + ".sock")));
            Thread daemon = Thread.ofPlatform().daemon().name("jwg-training-daemon").start(() -> serve(server));
            SocketUapi uapi = new SocketUapi(sockets);
            // what every real start runs before the command: the process's own context (its lambdas
            // are recorded only when these call sites run) and the terminal check
            WgContext.system().out().flush();
            Posix.isatty(0);
            System.console();
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
            List<List<String>> commands = List.of(
                    List.of("show"), List.of("show", IF), List.of("show", "all", "dump"), List.of("show", IF, "dump"),
                    List.of("show", "interfaces"), List.of("show", IF, "endpoints"), List.of("show", IF, "transfer"),
                    List.of("show", IF, "latest-handshakes"), List.of("show", IF, "allowed-ips"), List.of("show", IF, "--json"),
                    List.of("showconf", IF),
                    List.of("set", IF, "private-key", key.toString(), "listen-port", "51821", "fwmark", "0x1234",
                            "peer", PEER, "allowed-ips", "10.0.0.2/32,+10.0.3.0/24,-10.0.1.0/24", "endpoint", "192.0.2.8:51820",
                            "persistent-keepalive", "off", "preshared-key", key.toString()),
                    List.of("set", IF, "peer", PEER, "remove"),
                    List.of("setconf", IF, conf.toString()), List.of("addconf", IF, conf.toString()),
                    List.of("syncconf", IF, conf.toString()),
                    List.of("genkey"), List.of("genpsk"), List.of("pubkey"), List.of("show", "nosuch0"));
            for (boolean terminal : new boolean[] {true, false}) {
                for (List<String> c : commands) {
                    WgContext cx = new WgContext("jwg", sink, sink, new ByteArrayInputStream((PRIVATE + "\n").getBytes(StandardCharsets.US_ASCII)),
                            Map.of("WG_COLOR_MODE", terminal ? "always" : "never")::get, () -> System.currentTimeMillis() / 1000,
                            uapi, terminal, () -> false, EndpointText.Scopes.NONE, Services.SYSTEM, EndpointResolution.systemLookup(),
                            micros -> { }, new SecureRandom());
                    WgCommands.runDirect(c.getFirst(), c.subList(1, c.size()), cx);
                }
            }
            server.close();
            daemon.interrupt();
        }
    }

    /** The daemon stand-in: answers each connection's request until the socket is closed. */
    private static void serve(ServerSocketChannel server) {
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException closed) {
                return;
            }
            try (ch) {
                InputStream in = Channels.newInputStream(ch);
                String first = line(in);
                while (!line(in).isEmpty()) {
                    // the rest of the request, up to its blank line
                }
                String answer = "get=1".equals(first) ? GET.formatted(System.currentTimeMillis() / 1000 - 90) : "errno=0\n\n";
                ch.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                // a client that only checked the socket is there (wg connects and closes): next one
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return "";
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
