package dev.jwg.core.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.X25519;
import dev.jwg.core.tai64n.Tai64n;
import dev.jwg.core.testkit.ScriptedRandom;
import dev.jwg.core.wire.HandshakeInitiation;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * An initiation prepared ahead ({@link Handshake#prepareInitiation}) is the message the same
 * ephemeral key gives at send time, completes a handshake, is used once, and is wiped with the
 * identity.
 */
class PreparedInitiationTest {
    private final ScriptedRandom rng = new ScriptedRandom(11);
    private final PrivateKey initiatorKey = PrivateKey.generate(rng);
    private final PrivateKey responderKey = PrivateKey.generate(rng);
    private final byte[] timestamp = Tai64n.fromEpochNanos(1_700_000_000_000_000_000L);

    private Handshake initiator() {
        Handshake h = new Handshake(responderKey.publicKey().bytes());
        h.setLocalIdentity(new LocalIdentity(initiatorKey));
        return h;
    }

    @Test
    void thePreparedMessageIsTheOneTheSameEphemeralKeyGivesAtSendTime() {
        byte[] ephemeral = X25519.generatePrivateKey(rng);
        byte[] copy = ephemeral.clone();
        Handshake prepared = initiator();
        assertThat(prepared.prepareInitiation(ephemeral)).isTrue();
        Arrays.fill(ephemeral, (byte) 0); // the caller wipes its array: the handshake kept a copy

        HandshakeInitiation early = prepared.createPreparedInitiation(timestamp, 0x1234);
        HandshakeInitiation late = initiator().createInitiation(copy, timestamp, 0x1234);

        assertThat(early.toBytes()).isEqualTo(late.toBytes());
        assertThat(prepared.state()).isEqualTo(Handshake.State.INITIATION_CREATED);
        assertThat(prepared.localIndex()).isEqualTo(0x1234);
    }

    @Test
    void aPreparedInitiationIsUsedOnce() {
        Handshake h = initiator();
        h.prepareInitiation(X25519.generatePrivateKey(rng));
        assertThat(h.hasPreparedInitiation()).isTrue();
        assertThat(h.createPreparedInitiation(timestamp, 1)).isNotNull();
        assertThat(h.hasPreparedInitiation()).isFalse();
        assertThat(h.createPreparedInitiation(timestamp, 2)).isNull();
        assertThat(h.localIndex()).isEqualTo(1); // the refused call changed nothing
    }

    @Test
    void anInitiationMadeAtSendTimeLeavesThePreparedOneForLater() {
        Handshake h = initiator();
        h.prepareInitiation(X25519.generatePrivateKey(rng));
        HandshakeInitiation now = h.createInitiation(X25519.generatePrivateKey(rng), timestamp, 1);
        assertThat(h.hasPreparedInitiation()).isTrue();
        HandshakeInitiation later = h.createPreparedInitiation(timestamp, 2);
        assertThat(later.ephemeral()).isNotEqualTo(now.ephemeral());
    }

    @Test
    void aPreparedInitiationCompletesAHandshake() {
        Handshake a = initiator();
        a.prepareInitiation(X25519.generatePrivateKey(rng));
        HandshakeInitiation init = a.createPreparedInitiation(timestamp, 7);

        LocalIdentity responder = new LocalIdentity(responderKey);
        Handshake.InitiationPrelude prelude = Handshake.beginConsumeInitiation(responder, init);
        assertThat(prelude).isNotNull();
        Handshake b = new Handshake(prelude.remoteStatic());
        b.setLocalIdentity(responder);
        assertThat(b.consumeInitiation(prelude, init, 0)).isEqualTo(Handshake.InitiationVerdict.ACCEPTED);
        assertThat(a.consumeResponse(b.createResponse(X25519.generatePrivateKey(rng), 9))).isTrue();

        Handshake.SessionKeys ka = a.deriveSessionKeys();
        Handshake.SessionKeys kb = b.deriveSessionKeys();
        assertThat(ka.sendKey()).isEqualTo(kb.receiveKey());
        assertThat(ka.receiveKey()).isEqualTo(kb.sendKey());
        assertThat(ka.remoteIndex()).isEqualTo(9);
        assertThat(kb.remoteIndex()).isEqualTo(7);
    }

    @Test
    void aNewIdentityOrDestroyWipesIt() {
        Handshake h = initiator();
        h.prepareInitiation(X25519.generatePrivateKey(rng));
        h.setLocalIdentity(new LocalIdentity(PrivateKey.generate(rng)));
        assertThat(h.hasPreparedInitiation()).isFalse();
        assertThat(h.createPreparedInitiation(timestamp, 1)).isNull();

        h.prepareInitiation(X25519.generatePrivateKey(rng));
        h.destroy();
        assertThat(h.hasPreparedInitiation()).isFalse();
    }

    @Test
    void nothingIsPreparedWhenNoHandshakeIsPossible() {
        Handshake noIdentity = new Handshake(responderKey.publicKey().bytes());
        assertThat(noIdentity.prepareInitiation(X25519.generatePrivateKey(rng))).isFalse();
        assertThat(noIdentity.hasPreparedInitiation()).isFalse();

        Handshake lowOrder = new Handshake(new byte[32]);
        lowOrder.setLocalIdentity(new LocalIdentity(initiatorKey));
        assertThat(lowOrder.prepareInitiation(X25519.generatePrivateKey(rng))).isFalse();
        assertThat(lowOrder.hasPreparedInitiation()).isFalse();
    }
}
