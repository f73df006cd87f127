package dev.jwg.core.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.testkit.ScriptedRandom;
import org.junit.jupiter.api.Test;

/** The static-static DH is computed on first need or by precompute, and forgotten with the identity. */
class LazyStaticStaticTest {
    private final ScriptedRandom rng = new ScriptedRandom(7);

    @Test
    void computedByPrecomputeOrFirstUseAndResetByANewIdentity() {
        PrivateKey ours = PrivateKey.generate(rng);
        PrivateKey theirs = PrivateKey.generate(rng);
        Handshake h = new Handshake(theirs.publicKey().bytes());
        h.setLocalIdentity(new LocalIdentity(ours));
        assertThat(h.isPrecomputed()).isFalse();
        h.precompute();
        assertThat(h.isPrecomputed()).isTrue();
        assertThat(h.canHandshake()).isTrue();

        h.setLocalIdentity(new LocalIdentity(PrivateKey.generate(rng)));
        assertThat(h.isPrecomputed()).isFalse();
        assertThat(h.canHandshake()).isTrue(); // computes it on the way
        assertThat(h.isPrecomputed()).isTrue();
    }

    @Test
    void aLowOrderPeerKeyStillCannotHandshake() {
        Handshake h = new Handshake(new byte[32]); // the all-zero point: DH result is all zero
        h.setLocalIdentity(new LocalIdentity(PrivateKey.generate(rng)));
        h.precompute();
        assertThat(h.canHandshake()).isFalse();
    }

    @Test
    void withoutIdentityNothingIsComputed() {
        Handshake h = new Handshake(PrivateKey.generate(rng).publicKey().bytes());
        assertThat(h.canHandshake()).isFalse();
    }
}
