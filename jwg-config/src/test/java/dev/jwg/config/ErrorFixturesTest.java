package dev.jwg.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.networkd.KeyFileReader;
import dev.jwg.config.networkd.NetdevParser;
import dev.jwg.config.networkd.NetworkParser;
import dev.jwg.config.wgquick.WgQuickParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One fixture per error reason under {@code fixtures/errors/}. The first line of each fixture says what
 * it must produce: {@code # expect: REASON line=N key=K}.
 */
class ErrorFixturesTest {
    private static final Pattern EXPECT = Pattern.compile("# expect: (\\w+) line=(\\d+) key=(\\w*)");
    private static final Pattern BASE64_KEYISH = Pattern.compile("[A-Za-z0-9+/]{40,43}=?");

    /** Reasons that cannot come from a file's content; each is tested where it arises. */
    private static final Set<ConfigError> NOT_FROM_CONTENT = EnumSet.of(
            ConfigError.FILE_UNREADABLE,     // WgQuickParserTest.readsFromPathAndReportsUnreadableFiles
            ConfigError.FILE_TOO_LARGE,      // same
            ConfigError.ENDPOINT_UNRESOLVED); // WgQuickWriterTest.unresolvableHostNamesAreConfigErrors

    private static final KeyFileReader KEYS = path -> switch (path.toString()) {
        case "/etc/jwg/garbage.key" -> "not a key, but secret material".getBytes(StandardCharsets.US_ASCII);
        default -> throw new NoSuchFileException(path.toString());
    };

    record Expectation(ConfigError reason, int line, String key) {}

    static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(Fixtures.path("errors"))) {
            return s.sorted().toList().stream();
        }
    }

    static Expectation expectation(Path p) throws IOException {
        String first = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        Matcher m = EXPECT.matcher(first);
        assertThat(m.matches()).as("%s starts with '# expect: REASON line=N key=K'", p.getFileName()).isTrue();
        return new Expectation(ConfigError.valueOf(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
    }

    static ConfigException parse(Path p) {
        String name = p.getFileName().toString();
        return catchThrowableOfType(ConfigException.class, () -> {
            if (name.endsWith(".conf")) {
                WgQuickParser.parse(p);
            } else if (name.endsWith(".netdev")) {
                NetdevParser.parse(p, KEYS);
            } else if (name.endsWith(".network")) {
                NetworkParser.parse(p);
            } else {
                throw new AssertionError("unknown fixture type " + name);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void eachFixtureFailsWithItsReasonLineAndKey(Path fixture) throws IOException {
        Expectation want = expectation(fixture);
        ConfigException e = parse(fixture);
        assertThat(e).as("%s must be refused", fixture.getFileName()).isNotNull();
        assertThat(new Expectation(e.reason(), e.line(), e.key())).as(e.getMessage()).isEqualTo(want);
        assertThat(e.file()).isEqualTo(fixture.getFileName().toString());
        String prefix = e.file() + (e.line() > 0 ? ":" + e.line() : "") + ": " + (e.key().isEmpty() ? "" : e.key() + ": ");
        assertThat(e.getMessage()).startsWith(prefix).isEqualTo(prefix + e.detail());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void noMessageContainsKeyMaterial(Path fixture) throws IOException {
        String text = new String(Files.readAllBytes(fixture), StandardCharsets.ISO_8859_1);
        String message = parse(fixture).getMessage();
        Matcher m = BASE64_KEYISH.matcher(text);
        while (m.find()) {
            String k = m.group();
            for (int i = 0; i + 12 <= k.length(); i += 4) {
                assertThat(message).doesNotContain(k.substring(i, i + 12));
            }
        }
        assertThat(message).doesNotContain("secret material");
    }

    @Test
    void everyReasonHasAFixture() throws IOException {
        Set<ConfigError> covered = EnumSet.noneOf(ConfigError.class);
        for (Path p : fixtures().toList()) {
            covered.add(expectation(p).reason());
        }
        Set<ConfigError> missing = EnumSet.allOf(ConfigError.class);
        missing.removeAll(covered);
        missing.removeAll(NOT_FROM_CONTENT);
        assertThat(missing).as("reasons without a fixture").isEmpty();
    }

    @Test
    void exactMessages() {
        List<String> messages = Stream.of("80-bad-public-key.netdev", "bad-port.conf", "80-bad-kind.netdev",
                        "no-public-key.conf", "80-key-file-unreadable.netdev", "bad-endpoint.conf", "syntax.conf",
                        "interface-name-too-long.conf")
                .map(f -> parse(Fixtures.path("errors/" + f)).getMessage()).collect(Collectors.toList());
        assertThat(messages).containsExactly(
                "80-bad-public-key.netdev:10: PublicKey: not a valid base64 key",
                "bad-port.conf:4: ListenPort: '70000' is not a port number 0..65535",
                "80-bad-kind.netdev:4: Kind: 'vlan' is not wireguard: jwg only reads WireGuard netdevs",
                "no-public-key.conf:5: PublicKey: [Peer] section without PublicKey",
                "80-key-file-unreadable.netdev:6: PrivateKeyFile: cannot read key file /etc/jwg/missing.key: No such file or directory",
                "bad-endpoint.conf:4: Endpoint: 'fd00::1:51820': an IPv6 endpoint must be written [address]:port",
                "syntax.conf:3: expected [Section] or Key = Value",
                "interface-name-too-long.conf: the file name must be an interface name ([a-zA-Z0-9_=+.-]{1,15}) followed by .conf");
    }
}
