package dev.jwg.cli.wg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.crypto.KeyBytes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyCommandsTest {
    private static Fixtures.Run pubkey(String stdin) {
        Fixtures.Run run = new Fixtures.Run();
        run.stdin = stdin.getBytes(StandardCharsets.ISO_8859_1);
        int status = KeyCommands.pubkey(run.context(), List.of());
        assertThat(status).isEqualTo(run.err().isEmpty() ? 0 : 1);
        return run;
    }

    @Test
    void pubkeyOfRfc7748Alice() {
        assertThat(pubkey(Fixtures.ALICE_PRIVATE + "\n").out()).isEqualTo(Fixtures.ALICE_PUBLIC + "\n");
        assertThat(pubkey(Fixtures.ALICE_PRIVATE).out()).isEqualTo(Fixtures.ALICE_PUBLIC + "\n");
        assertThat(pubkey(Fixtures.ALICE_PRIVATE + " \t\r\n\0\n").out()).isEqualTo(Fixtures.ALICE_PUBLIC + "\n");
    }

    @Test
    void pubkeyClampsEvenTheZeroKey() {
        // X25519(clamp(0), 9): the scalar 2^254, not "no key".
        assertThat(pubkey("A".repeat(43) + "=\n").out()).isEqualTo("L+V9o0fNYkMVKNqsX7spBzD/9oSvxM/C7ZCZX1jLO3Q=\n");
    }

    @Test
    void badKeysFailWithoutOutput() {
        Fixtures.Run r = pubkey("short\n");
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("wg: Key is not the correct length or format\n");
        r = pubkey("!".repeat(44));
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("wg: Key is not the correct length or format\n");
        r = pubkey(Fixtures.ALICE_PRIVATE + "\nx");
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("wg: Trailing characters found after key\n");
        r = pubkey(" " + Fixtures.ALICE_PRIVATE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isNotEmpty();
        r = pubkey("");
        assertThat(r.err()).isEqualTo("wg: Key is not the correct length or format\n");
    }

    @Test
    void genkeyIsClampedAndGenpskIsNot() {
        for (int i = 0; i < 20; i++) {
            Fixtures.Run run = new Fixtures.Run();
            assertThat(KeyCommands.generate(run.context(), "genkey", List.of())).isZero();
            String line = run.out();
            assertThat(line).endsWith("\n").hasSize(45);
            byte[] k = Base64.getDecoder().decode(line.strip());
            assertThat(k[0] & 7).isZero();
            assertThat(k[31] & 0xc0).isEqualTo(0x40);
            assertThat(run.err()).isEmpty();
        }
        boolean sawUnclamped = false;
        for (int i = 0; i < 50 && !sawUnclamped; i++) {
            Fixtures.Run run = new Fixtures.Run();
            run.random = new java.util.SplittableRandom(i);
            assertThat(KeyCommands.generate(run.context(), "genpsk", List.of())).isZero();
            byte[] k = Base64.getDecoder().decode(run.out().strip());
            sawUnclamped = (k[0] & 7) != 0 || (k[31] & 0xc0) != 0x40;
        }
        assertThat(sawUnclamped).isTrue();
    }

    @Test
    void warnsWhenWritingToAWorldAccessibleFile() {
        Fixtures.Run run = new Fixtures.Run();
        run.worldAccessible = true;
        assertThat(KeyCommands.generate(run.context(), "genpsk", List.of())).isZero();
        assertThat(run.err()).isEqualTo("Warning: writing to world accessible file.\nConsider setting the umask to 077 and trying again.\n");
        assertThat(run.out()).hasSize(45);
    }

    @Test
    void usage() {
        Fixtures.Run run = new Fixtures.Run();
        assertThat(KeyCommands.generate(run.context(), "genkey", List.of("x"))).isOne();
        assertThat(KeyCommands.pubkey(run.context(), List.of("x"))).isOne();
        assertThat(run.err()).isEqualTo("Usage: wg genkey\nUsage: wg pubkey\n");
        assertThat(run.out()).isEmpty();
        assertThat(KeyBytes.LEN).isEqualTo(32);
    }
}
