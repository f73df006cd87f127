package dev.jwg.cli.quick;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.config.model.ConfigNote;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.KeyFileReader;
import dev.jwg.config.networkd.NetworkdLoader;
import dev.jwg.config.wgquick.WgQuickParser;
import dev.jwg.core.routing.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration files of {@code examples/}, fed to jwg unchanged: every wg-quick file and every
 * {@code .netdev} (with the {@code .network} beside it, from the example host's own
 * {@code etc/systemd/network}) loads without an error, warning or note, and plans. The example scripts
 * bring them up for real; this test keeps them loadable between e2e runs.
 */
class ExampleFilesTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    static Stream<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(EXAMPLES)) {
            return s.filter(p -> (p.toString().endsWith(".conf") && p.getParent().endsWith(Path.of("etc", "wireguard")))
                    || p.toString().endsWith(".netdev")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void loadsAndPlansUnchanged(Path file) throws Exception {
        List<ConfigNote> notes = new ArrayList<>();
        TunnelConfig c;
        Plan p;
        Facts f = TestConfigs.facts();
        if (file.toString().endsWith(".netdev")) {
            Path dir = file.getParent();
            // the example's files name their key files under /etc/systemd/network: read them from its own copy
            KeyFileReader keys = path -> KeyFileReader.FILES.read(dir.resolve(Path.of("/etc/systemd/network").relativize(path)));
            c = NetworkdLoader.load(file, keys, List.of(dir), notes);
            assertThat(c.network()).as("a .network matches").isPresent();
            p = NetworkdPlanner.plan(c, file.toString(), f);
        } else {
            c = WgQuickParser.parse(file);
            Map<String, IpAddress> names = new java.util.HashMap<>();
            c.peers().forEach(peer -> peer.endpoint().filter(e -> !e.isLiteral())
                    .ifPresent(e -> names.put(e.host(), IpAddress.parse("198.51.100.1"))));
            f = new Facts(f.daemon(), names, f.routeMtu(), f.defaultRouteMtu(), f.freeTable(), f.nft(),
                    f.resolvconfPrefix(), f.resolvectl(), f.uids());
            p = WgQuickPlanner.plan(c, file.toString(), f);
        }
        assertThat(notes).as("warnings and notes").isEmpty();
        assertThat(p.lines()).first().isEqualTo("[#] jwgd " + c.name());
        assertThat(p.lines()).anyMatch(l -> l.contains("up dev " + c.name()));
    }

    @org.junit.jupiter.api.Test
    void theExamplesHaveBothKindsOfFiles() throws IOException {
        assertThat(files().map(Path::toString).toList()).anyMatch(s -> s.endsWith(".netdev")).anyMatch(s -> s.endsWith(".conf"));
    }
}
