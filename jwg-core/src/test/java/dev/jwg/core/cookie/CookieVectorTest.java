package dev.jwg.core.cookie;

import static dev.jwg.core.testkit.Hex.b;
import static dev.jwg.core.testkit.Hex.s;
import static dev.jwg.core.wire.Messages.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.testkit.ScriptedRandom;
import dev.jwg.core.wire.CookieReply;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The cookie reply vector of docs/protocol.md §7.7 and the mac2 round trip. */
class CookieVectorTest {
    static final String SR_PUB = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    static final String MSG_INITIATION = "0100000044332211358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254c4d95d121b13f6ff24fe1e983a4c71ae6c55e2763a0d1de7643d6725687b49e7a55fea10050d69b8b69a79893d649b339434a506fe739697f7b0e3c44db2dfd4872741d32a58246ebde269f3d65e7713b0ee5979e1cce713c9afa3e300000000000000000000000000000000";
    static final String REPLY = "0300000044332211808182838485868788898a8b8c8d8e8f90919293949596971c555e58fb1ff2c1975400d0b74c7f51510b83bac4e79269707438dcc81a4f04";
    static final long NOW = 7_000_000_000L;

    @Test
    void cookieReplyAndMac2MatchTheVector() {
        ScriptedRandom rng = new ScriptedRandom(1).enqueue(b("808182838485868788898a8b8c8d8e8f9091929394959697"));
        CookieChecker checker = new CookieChecker(rng);
        checker.setPublicKey(b(SR_PUB));
        checker.setSecretForTest(b("606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"), NOW);
        byte[] msg = b(MSG_INITIATION);
        assertThat(checker.checkMac1(msg, 0, INITIATION_MAC1)).isTrue();
        byte[] src = b("c0000201");
        assertThat(checker.checkMac2(msg, 0, INITIATION_MAC1, src, 51820, NOW)).isFalse();

        CookieReply reply = checker.createReply(msg, 0, INITIATION_MAC1, 0x11223344, src, 51820, NOW);
        assertThat(s(reply.toBytes())).isEqualTo(REPLY);

        // The initiator, having sent that initiation, opens the reply and re-sends with mac2.
        CookieGenerator generator = new CookieGenerator(b(SR_PUB));
        byte[] resent = Arrays.copyOf(msg, msg.length);
        generator.addMacs(resent, 0, INITIATION_MAC1, NOW);
        assertThat(generator.consumeReply(CookieReply.decode(b(REPLY), 0, 64).orElseThrow(), NOW)).isTrue();
        generator.addMacs(resent, 0, INITIATION_MAC1, NOW + 1);
        assertThat(s(Arrays.copyOfRange(resent, INITIATION_MAC2, INITIATION_MAC2 + 16))).isEqualTo("2320429d02275779d06b591689db99ec");
        assertThat(checker.checkMac2(resent, 0, INITIATION_MAC1, src, 51820, NOW + 1)).isTrue();
        // From another source port the same mac2 is worthless.
        assertThat(checker.checkMac2(resent, 0, INITIATION_MAC1, src, 51821, NOW + 1)).isFalse();
    }

    @Test
    void tamperedMac1IsRejectedAndReplyWithWrongMac1DoesNotOpen() {
        CookieChecker checker = new CookieChecker(new ScriptedRandom(2));
        checker.setPublicKey(b(SR_PUB));
        byte[] msg = b(MSG_INITIATION);
        msg[20] ^= 1;
        assertThat(checker.checkMac1(msg, 0, INITIATION_MAC1)).isFalse();

        byte[] good = b(MSG_INITIATION);
        CookieReply reply = checker.createReply(good, 0, INITIATION_MAC1, 1, b("c0000201"), 1, NOW);
        CookieGenerator generator = new CookieGenerator(b(SR_PUB));
        assertThat(generator.consumeReply(reply, NOW)).as("no mac1 sent yet").isFalse();
        byte[] other = b(MSG_INITIATION);
        other[8] ^= 1; // a different message → different mac1 remembered
        generator.addMacs(other, 0, INITIATION_MAC1, NOW);
        assertThat(generator.consumeReply(reply, NOW)).isFalse();
        assertThat(generator.hasCookie()).isFalse();
    }

    @Test
    void cookieExpiresForTheSenderAfter115Seconds() {
        CookieChecker checker = new CookieChecker(new ScriptedRandom(3));
        checker.setPublicKey(b(SR_PUB));
        CookieGenerator generator = new CookieGenerator(b(SR_PUB));
        byte[] msg = b(MSG_INITIATION);
        generator.addMacs(msg, 0, INITIATION_MAC1, NOW);
        CookieReply reply = checker.createReply(msg, 0, INITIATION_MAC1, 1, b("c0000201"), 1, NOW);
        assertThat(generator.consumeReply(reply, NOW)).isTrue();
        byte[] m = b(MSG_INITIATION);
        generator.addMacs(m, 0, INITIATION_MAC1, NOW + 114_000_000_000L);
        assertThat(Arrays.copyOfRange(m, INITIATION_MAC2, INITIATION_MAC2 + 16)).isNotEqualTo(new byte[16]);
        generator.addMacs(m, 0, INITIATION_MAC1, NOW + 116_000_000_000L);
        assertThat(Arrays.copyOfRange(m, INITIATION_MAC2, INITIATION_MAC2 + 16)).isEqualTo(new byte[16]);
    }
}
