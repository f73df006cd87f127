package dev.jwg.cli.wg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTest {
    @Test
    void colourModeFollowsWgColorMode() {
        assertThat(Terminal.colorMode("always", false)).isTrue();
        assertThat(Terminal.colorMode("never", true)).isFalse();
        assertThat(Terminal.colorMode("auto", true)).isTrue();
        assertThat(Terminal.colorMode("auto", false)).isFalse();
        assertThat(Terminal.colorMode(null, true)).isTrue();
        assertThat(Terminal.colorMode("Always", false)).isFalse(); // exact match only, as wg
    }

    @Test
    void stripRemovesEscapeSequences() {
        assertThat(Terminal.strip("\u001b[32m\u001b[1minterface\u001b[0m: \u001b[32mwg0\u001b[0m\n"))
                .isEqualTo("interface: wg0\n");
        assertThat(Terminal.strip("\u001b[0m")).isEmpty();
        assertThat(Terminal.strip("\n")).isEqualTo("\n");
        assertThat(Terminal.strip("")).isEmpty();
    }

    @Test
    void stripQuirksOfTerminalC() {
        // An escape in the last two characters is kept, as wg's loop stops at len - 2.
        assertThat(Terminal.strip("ab\u001b[")).isEqualTo("ab\u001b[");
        // Without a closing letter everything to the end goes.
        assertThat(Terminal.strip("ab\u001b[123")).isEqualTo("ab");
        // Only ASCII letters end a sequence.
        assertThat(Terminal.strip("x\u001b[1;2éHy")).isEqualTo("xy");
    }
}
