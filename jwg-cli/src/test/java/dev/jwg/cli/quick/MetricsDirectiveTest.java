package dev.jwg.cli.quick;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code # jwg: MetricsAddress = ...} in a configuration file, for the daemon jwg up starts. */
class MetricsDirectiveTest {
    @TempDir
    Path dir;

    static final List<String> JWGD = List.of("/opt/jwg/bin/jwgd");

    Path file(String text) throws Exception {
        Path p = dir.resolve("wg0.conf");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void theAddressGoesIntoTheDaemonsEnvironment() throws Exception {
        Path f = file("[Interface]\n# jwg: MetricsAddress = 127.0.0.1:9586\nPrivateKey = x\n");
        assertThat(MetricsDirective.apply(JWGD, f, null)).containsExactly("env", "JWG_METRICS_ADDRESS=127.0.0.1:9586", "/opt/jwg/bin/jwgd");
        Path spaced = file("[WireGuard]\n  #jwg:metricsaddress=[::1]:9586  \n");
        assertThat(MetricsDirective.read(spaced)).contains("[::1]:9586");
    }

    @Test
    void withoutTheLineOrWithTheVariableTheCommandStaysAsItIs() throws Exception {
        assertThat(MetricsDirective.apply(JWGD, file("[Interface]\n# a comment: jwg is nice\n"), null)).isEqualTo(JWGD);
        Path f = file("# jwg: MetricsAddress = 127.0.0.1:9586\n");
        assertThat(MetricsDirective.apply(JWGD, f, "127.0.0.1:9999")).as("the environment wins").isEqualTo(JWGD);
    }

    @Test
    void aBadValueOrKeyIsAnErrorNamingFileLineAndKey() throws Exception {
        Path bad = file("[Interface]\n\n# jwg: MetricsAddress = 127.0.0.1:99999\n");
        assertThatThrownBy(() -> MetricsDirective.read(bad)).isInstanceOf(QuickException.class)
                .hasMessage("wg0.conf:3: MetricsAddress: '127.0.0.1:99999': the port is not between 0 and 65535");
        Path unknown = file("# jwg: Metrics = 127.0.0.1:9586\n");
        assertThatThrownBy(() -> MetricsDirective.read(unknown)).hasMessageStartingWith("wg0.conf:1: Metrics: unknown jwg setting");
    }
}
