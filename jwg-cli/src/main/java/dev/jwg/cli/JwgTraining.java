package dev.jwg.cli;

import dev.jwg.cli.quick.LinuxHost;
import dev.jwg.cli.quick.Quick;
import dev.jwg.cli.quick.QuickException;
import dev.jwg.cli.quick.StateFile;
import dev.jwg.cli.wg.WgTraining;
import dev.jwg.config.model.ConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** {@code jwg --aot-training}: what {@code jwg}'s ahead-of-time cache is recorded from. Stateless. */
final class JwgTraining {
    private JwgTraining() {}

    /**
     * The training run for {@code jwg}'s ahead-of-time cache (JEP 483/515; {@code bin/jwg build} and
     * {@code bin/package} run it with {@code -XX:AOTCacheOutput}): {@code --version}, every {@code wg}
     * subcommand against a daemon stand-in ({@link WgTraining}), and {@code strip} of a wg-quick file and
     * of a systemd-networkd pair, in a private temporary directory. Needs no root. Measured effect:
     * docs/performance.md.
     */
    static int run() {
        Path work = null;
        try {
            work = Files.createTempDirectory("jwg-aot-training-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
            sink.println(Version.line("jwg"));
            WgTraining.run(work);
            Path conf = Files.writeString(work.resolve("jwgtrain1.conf"), TRAINING_CONF);
            Path netdev = Files.writeString(work.resolve("50-jwgtrain2.netdev"), TRAINING_NETDEV);
            Files.writeString(work.resolve("50-jwgtrain2.network"), TRAINING_NETWORK);
            for (Path file : List.of(conf, netdev)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                new Quick(new LinuxHost(), StateFile.system(), sink, sink, host -> {
                    throw new UnknownHostException(host);
                }, List::of, () -> false).strip(file.toString());
            }
            return 0;
        } catch (IOException | QuickException | ConfigException | RuntimeException e) {
            System.err.println("jwg: AOT training run failed: " + e);
            return 1;
        } finally {
            deleteTree(work);
        }
    }

    private static final String TRAINING_CONF = """
            [Interface]
            PrivateKey = dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=
            Address = 10.0.0.1/24, fd00::1/64
            ListenPort = 51820
            DNS = 10.0.0.53, example.net
            MTU = 1420
            PostUp = true

            [Peer]
            PublicKey = AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=
            AllowedIPs = 0.0.0.0/0, ::/0
            Endpoint = 192.0.2.7:51820
            PersistentKeepalive = 25
            """;
    private static final String TRAINING_NETDEV = """
            [NetDev]
            Name = jwgtrain2
            Kind = wireguard

            [WireGuard]
            PrivateKey = dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=
            ListenPort = 51820

            [WireGuardPeer]
            PublicKey = AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=
            AllowedIPs = 10.0.0.2/32
            Endpoint = 192.0.2.7:51820
            """;
    private static final String TRAINING_NETWORK = """
            [Match]
            Name = jwgtrain2

            [Network]
            Address = 10.0.0.1/24
            """;

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: best effort
        }
    }

}
