package dev.jwg.cli.quick;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigNote;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.KeyFileReader;
import dev.jwg.config.networkd.NetdevParser;
import dev.jwg.config.networkd.NetworkParser;
import dev.jwg.config.networkd.NetworkdKeyTable;
import dev.jwg.config.networkd.NetworkdLoader;
import dev.jwg.config.networkd.NetworkdWriter;
import dev.jwg.core.routing.IpAddress;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One fixture per behaviour of the networkd keys, under {@code fixtures/networkd-keys/}: each file is
 * loaded as {@code jwg up} loads it (next to a small {@code .netdev} for interface {@code wk0}, or a
 * {@code .network} matching it) and planned, and its header says what must come out:
 *
 * <pre>
 * # behaviour: applied | noted | silent | warned | error
 * # plan: [#] ip ...        lines the plan must contain, in this order
 * # uapi: fwmark=7          lines the UAPI request must contain
 * # note: warning: F:L: K: text      every warning and note, exactly, in order (none when absent)
 * # error: F:L: K: text     the error (behaviour error)
 * </pre>
 *
 * A last test checks that the fixtures cover every key of {@link NetworkdKeyTable} with its treatment.
 */
class NetworkdKeyFixturesTest {
    private static final String NETDEV = """
            [NetDev]
            Name=wk0
            Kind=wireguard

            [WireGuard]
            PrivateKey=%s
            """.formatted(TestConfigs.PRIV_A);
    private static final String NETWORK = "[Match]\nName=wk0\n";

    /** Key files the fixtures name. */
    private static final KeyFileReader KEYS = path -> switch (path.toString()) {
        case "/etc/jwg/peer-b.pub" -> (TestConfigs.PUB_B + "\n").getBytes(StandardCharsets.US_ASCII);
        default -> throw new NoSuchFileException(path.toString());
    };

    @TempDir
    Path dir;

    static Path fixtureDir() throws URISyntaxException {
        return Path.of(NetworkdKeyFixturesTest.class.getResource("/fixtures/networkd-keys").toURI());
    }

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        try (Stream<Path> s = Files.list(fixtureDir())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** A fixture's header lines starting with {@code # word: }, without that prefix. */
    static List<String> header(List<String> lines, String word) {
        String prefix = "# " + word + ": ";
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void eachFixtureBehavesAsItsHeaderSays(String name) throws Exception {
        Path fixture = fixtureDir().resolve(name);
        List<String> lines = Files.readAllLines(fixture);
        String behaviour = header(lines, "behaviour").getFirst();
        Path copy = dir.resolve(name);
        Files.copy(fixture, copy);
        Path netdev;
        if (name.endsWith(".netdev")) {
            netdev = copy;
            Files.writeString(dir.resolve("99-wk0.network"), NETWORK);
        } else {
            netdev = dir.resolve("10-wk0.netdev");
            Files.writeString(netdev, NETDEV);
        }
        List<ConfigNote> notes = new ArrayList<>();
        TunnelConfig c;
        try {
            c = NetworkdLoader.load(netdev, KEYS, List.of(dir), notes);
        } catch (ConfigException e) {
            assertThat(behaviour).as(e.getMessage()).isEqualTo("error");
            assertThat(e.getMessage()).isEqualTo(header(lines, "error").getFirst());
            return;
        }
        assertThat(behaviour).isNotEqualTo("error");
        assertThat(notes).extracting(ConfigNote::toString).as("warnings and notes")
                .containsExactlyElementsOf(header(lines, "note").stream().map(n -> n.replace("DIR", dir.toString())).toList());
        switch (behaviour) {
            case "warned" -> assertThat(notes).anyMatch(n -> n.severity() == ConfigNote.Severity.WARNING);
            case "noted" -> assertThat(notes).isNotEmpty().allMatch(n -> n.severity() == ConfigNote.Severity.NOTE);
            case "silent", "applied" -> { }
            default -> throw new AssertionError("unknown behaviour " + behaviour);
        }
        Facts f = TestConfigs.facts().withResolvectl(true)
                .withUids(Map.of("backup", 34L));
        f = new Facts(f.daemon(), Map.of("peer.example.net", IpAddress.parse("198.51.100.9")), f.routeMtu(),
                f.defaultRouteMtu(), f.freeTable(), f.nft(), f.resolvconfPrefix(), f.resolvectl(), f.uids());
        Plan p = NetworkdPlanner.plan(c, name, f);
        if (!header(lines, "plan").isEmpty()) {
            assertThat(p.lines()).containsSubsequence(header(lines, "plan"));
        }
        String uapi = p.steps().stream().filter(s -> s instanceof Step.UapiSet).map(s -> ((Step.UapiSet) s).body())
                .findFirst().orElseThrow();
        assertThat(uapi.lines().toList()).containsAll(header(lines, "uapi"));
    }

    /** What the model keeps of each applied fixture is written back by jwg convert and reads the same. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void appliedSettingsRoundTrip(String name) throws Exception {
        Path fixture = fixtureDir().resolve(name);
        List<String> lines = Files.readAllLines(fixture);
        if (!header(lines, "behaviour").getFirst().equals("applied")) {
            return;
        }
        String text = Files.readString(fixture);
        if (name.endsWith(".network")) {
            NetworkConfig n = NetworkParser.parse(name, text);
            String written = NetworkdWriter.toNetworkString(n);
            assertThat(NetworkParser.parse(name, written)).isEqualTo(n);
        } else {
            TunnelConfig t = NetdevParser.parse(name, text, KEYS);
            String written = NetworkdWriter.toNetdevString(t);
            assertThat(NetdevParser.parse(name, written, KEYS)).isEqualTo(t);
        }
    }

    /**
     * Every key networkd defines in the sections of a WireGuard link appears in a fixture of its
     * treatment: applied keys in an applied fixture, noted keys in a noted one, silent keys in a silent
     * one; and each behaviour has a fixture.
     */
    @Test
    void everyKeyHasAFixtureOfItsBehaviour() throws Exception {
        Set<String> covered = new HashSet<>();
        Set<String> behaviours = new HashSet<>();
        for (String name : fixtures().toList()) {
            List<String> lines = Files.readAllLines(fixtureDir().resolve(name));
            String behaviour = header(lines, "behaviour").getFirst();
            behaviours.add(behaviour);
            String file = name.endsWith(".netdev") ? ".netdev" : ".network";
            String section = "";
            for (String l : lines) {
                String t = l.strip();
                if (t.startsWith("[") && t.endsWith("]")) {
                    section = t.substring(1, t.length() - 1);
                } else if (!t.startsWith("#") && t.indexOf('=') > 0) {
                    covered.add(file + " " + section + " " + t.substring(0, t.indexOf('=')).strip() + " " + behaviour);
                }
            }
        }
        assertThat(behaviours).containsAll(List.of("applied", "noted", "silent", "warned", "error"));
        List<String> missing = new ArrayList<>();
        for (NetworkdKeyTable.Entry e : NetworkdKeyTable.entries()) {
            String want = e.file() + " " + e.section() + " " + e.key() + " "
                    + e.treatment().name().toLowerCase(java.util.Locale.ROOT);
            if (!covered.contains(want)) {
                missing.add(want);
            }
        }
        assertThat(missing).as("keys without a fixture of their behaviour").isEmpty();
        assertThat(EnumSet.allOf(NetworkdKeyTable.Treatment.class)).hasSize(3);
    }
}
