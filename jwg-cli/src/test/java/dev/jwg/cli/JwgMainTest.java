package dev.jwg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which arguments {@code jwg} runs without picocli; the rest (help above all) goes through it. */
class JwgMainTest {

    @Test
    void helpAndTheLessFrequentCommandsGoThroughPicocli() {
        for (String[] args : new String[][] {
            {"--help"}, {"-h"}, {"help"}, {"demo"}, {"selfcheck"}, {"up", "--help"}, {"down", "-h"}, {"up"},
            {"up", "a.conf", "b.conf"}, {"convert", "wg0.conf"}, {"--version", "x"}, {"nosuchcommand"}}) {
            assertThat(JwgMain.direct(args)).as(String.join(" ", args)).isEmpty();
        }
    }
}
