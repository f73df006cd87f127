package dev.jwg.core.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.crypto.X25519;
import dev.jwg.core.wire.HandshakeInitiation;
import dev.jwg.core.wire.Messages;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A peer's prepared initiation is what its first packet sends, once; the next one is made at send time. */
class PreparedInitiationPeerTest {
    @Test
    void theFirstPacketSendsThePreparedEphemeralKeyAndUsesItUp() {
        var h = new TwoPeerHarness(21);
        byte[] ephemeral = new byte[32];
        Arrays.fill(ephemeral, (byte) 0x5a);
        X25519.clamp(ephemeral);
        h.a.rng.enqueue(ephemeral);
        assertThat(h.a.peer.prepareInitiation()).isTrue();
        assertThat(h.a.peer.hasPreparedInitiation()).isTrue();
        assertThat(h.a.peer.prepareInitiation()).as("a second call keeps the first").isTrue();

        h.filter = d -> false; // nothing arrives: a retries every REKEY_TIMEOUT
        h.a.sendIp(1, 64);
        assertThat(h.a.peer.hasPreparedInitiation()).isFalse();
        h.run(30);

        var sent = initiations(h);
        assertThat(sent.size()).isGreaterThan(1);
        assertThat(sent.get(0).ephemeral()).isEqualTo(X25519.publicKey(ephemeral));
        for (HandshakeInitiation retry : sent.subList(1, sent.size())) {
            assertThat(retry.ephemeral()).as("a retry draws a fresh key").isNotEqualTo(sent.get(0).ephemeral());
        }

        h.filter = d -> true;
        h.run(10);
        assertThat(h.b.deliveredSeqs()).containsExactly(1);
    }

    @Test
    void nothingIsPreparedForARemovedPeer() {
        var h = new TwoPeerHarness(22);
        h.a.node.removePeer(h.b.key.publicKey());
        assertThat(h.a.peer.prepareInitiation()).isFalse();
        assertThat(h.a.peer.hasPreparedInitiation()).isFalse();
    }

    private static java.util.List<HandshakeInitiation> initiations(TwoPeerHarness h) {
        return h.sent.stream()
                .filter(d -> d.from() == h.a && d.type() == Messages.TYPE_INITIATION)
                .map(d -> HandshakeInitiation.decode(d.bytes(), 0, d.bytes().length).orElseThrow())
                .toList();
    }
}
