package dev.jwg.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.NoSuchAlgorithmException;

import org.junit.jupiter.api.Test;

class CryptoSelfCheckTest {

    @Test
    void passesOnThisJvm() {
        assertThatCode(CryptoSelfCheck::run).doesNotThrowAnyException();
    }

    @Test
    void aWrongAnswerNamesThePrimitiveAndTheVector() {
        assertThatThrownBy(() -> CryptoSelfCheck.check("BLAKE2s",
                        () -> CryptoSelfCheck.expect("HASH(\"abc\")", "00", Blake2s.hash(new byte[0]))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("crypto self-check failed: BLAKE2s: HASH(\"abc\") does not match the known answer");
        assertThatCode(() -> CryptoSelfCheck.check("BLAKE2s",
                        () -> CryptoSelfCheck.expect("HASH(\"\")",
                                "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9", Blake2s.hash(new byte[0]))))
                .doesNotThrowAnyException();
    }

    @Test
    void aMissingProviderNamesThePrimitiveAndKeepsTheCause() {
        NoSuchAlgorithmException missing = new NoSuchAlgorithmException("ChaCha20-Poly1305 Cipher not available");
        assertThatThrownBy(() -> CryptoSelfCheck.check("ChaCha20-Poly1305 (JDK provider)", () -> {
                    throw new IllegalStateException("no JCA provider for ChaCha20-Poly1305", missing);
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("crypto self-check failed: ChaCha20-Poly1305 (JDK provider): ")
                .hasMessageContaining("no JCA provider")
                .hasRootCause(missing);
        assertThatThrownBy(() -> CryptoSelfCheck.check("X25519", () -> {
                    throw new NoClassDefFoundError("org/bouncycastle/math/ec/rfc7748/X25519");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("X25519")
                .hasCauseInstanceOf(NoClassDefFoundError.class);
    }
}
