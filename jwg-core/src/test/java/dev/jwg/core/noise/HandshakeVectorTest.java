package dev.jwg.core.noise;

import static dev.jwg.core.testkit.Hex.b;
import static dev.jwg.core.testkit.Hex.s;
import static dev.jwg.core.testkit.Hex.seq;
import static dev.jwg.core.wire.Messages.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.cookie.CookieGenerator;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.TransportCipher;
import dev.jwg.core.crypto.X25519;
import dev.jwg.core.tai64n.Tai64n;
import dev.jwg.core.wire.HandshakeInitiation;
import dev.jwg.core.wire.HandshakeResponse;
import dev.jwg.core.wire.TransportData;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The complete WireGuard handshake and transport known-answer vectors of docs/protocol.md §7.7. */
class HandshakeVectorTest {

    static final String SI_PRIV = "70076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c6a";
    static final String SI_PUB = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    static final String SR_PRIV = "58ab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e06b";
    static final String SR_PUB = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    static final String EI_PUB = "358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254";
    static final String ER_PUB = "79a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a";
    static final String TIMESTAMP = "400000006553f10a00000000";
    static final String INNER = "4500005400004000400100000a0000010a00000208000000000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b";
    static final String MSG_INITIATION = "0100000044332211358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254c4d95d121b13f6ff24fe1e983a4c71ae6c55e2763a0d1de7643d6725687b49e7a55fea10050d69b8b69a79893d649b339434a506fe739697f7b0e3c44db2dfd4872741d32a58246ebde269f3d65e7713b0ee5979e1cce713c9afa3e300000000000000000000000000000000";
    static final String INIT_C_AFTER = "f8cdc2724bf0b29dfc11a6357c08407cde1479a1f09dbbbb45838a80b1cb74b0";
    static final String INIT_H_AFTER = "ff98ed326f7fac8f2d6a7517cafb6207cfca8f3762da72b441d968a6a44e0988";

    enum Variant {
        A("0000000000000000000000000000000000000000000000000000000000000000",
                "c3228849bb20a6d1b11808b1e4abc915c1451896b14b1fba42cdfc445b2bc29e",
                "4803ce57d0a25afa4205e843eec9c5c32cdbdcaf069463badd0608478cd8ca04",
                "02000000887766554433221179a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a5088f4559e6cb5e5720e4523f573eb9b9bd8572e82c36cc7b6d7a521da35d32d00000000000000000000000000000000",
                "5fe2f81f7ce2ce8bc9e3aad973312d721c7c36d77fd0c26342a45319c8069f89",
                "e429173227a0a4509b3489e27f4a61d6d8e1ebc91761bb9cf48c647ba9fbde5a",
                "04000000887766550000000000000000e7efaeb1326c6f4c85ae4b89410363f6",
                "0400000088776655010000000000000095e48cbc5387f903adc0beabaf0fd45ccab8bbe72b00029e1015d76daf9a7e19245493daebae330383b7fd3fd19c8b11d02b8df1de747c09da609435f603aeb16e661a5089a8433c3f625f07d18d080c1937ff1135b0bf64bcf9f096deddfe4903d44bc551af1c03c042ec7836092258",
                "04000000443322110000000000000000a12e990e248fd3c8d84cdc28d456b584"),
        B("e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
                "24474c455849a52f92e6ba615c5d3ee29e946b534af28a2c767987e7d0c31e12",
                "596837fc7f3e4fe29692270e84f4ae777979a92d7e52d7753884738f3fe1705e",
                "02000000887766554433221179a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a4a2dae856018217a56d070e04dc96f34c686b75a84ba0cae59c32c1e66d8249800000000000000000000000000000000",
                "dfd3ba82daa1bd9f5e32a599c6660ac9fee90aac15943b60a75ed19172825132",
                "4ba74ec3bc238b3cb478b6c53f15457711dfe5a808fbc4a2843b0cc2b1a26fdb",
                "04000000887766550000000000000000783498c10edc3f464e6efe661b698aa9",
                "040000008877665501000000000000000d85dde95730ada023674b7c3b7f10d17959ab2296ecf47224e195bc44077dae09e3b6ed37bd3122009731063959b782dddfab44ad0abe463439189ba901e7b1d989eed428207f743de182657e892af6bf9a79da34797d0f1eee77cd9b34d9404b68abfc55330b1c9c7c259d724bab10",
                "04000000443322110000000000000000b81d7954e5fb7248c2825154e33a111e");

        final String psk, respC, respH, msgResponse, tInitSend, tInitRecv, keepaliveI2r, dataI2r, keepaliveR2i;

        Variant(String psk, String respC, String respH, String msgResponse, String tInitSend, String tInitRecv,
                String keepaliveI2r, String dataI2r, String keepaliveR2i) {
            this.psk = psk;
            this.respC = respC;
            this.respH = respH;
            this.msgResponse = msgResponse;
            this.tInitSend = tInitSend;
            this.tInitRecv = tInitRecv;
            this.keepaliveI2r = keepaliveI2r;
            this.dataI2r = dataI2r;
            this.keepaliveR2i = keepaliveR2i;
        }
    }

    static byte[] clamped(byte[] k) {
        X25519.clamp(k);
        return k;
    }

    static final long NOW = 5_000_000_000L;

    @ParameterizedTest
    @EnumSource(Variant.class)
    void fullHandshakeAndTransportMatchTheVectors(Variant v) {
        LocalIdentity initiatorId = new LocalIdentity(PrivateKey.fromBytes(b(SI_PRIV)));
        LocalIdentity responderId = new LocalIdentity(PrivateKey.fromBytes(b(SR_PRIV)));
        assertThat(s(initiatorId.publicKey().bytes())).isEqualTo(SI_PUB);
        assertThat(s(responderId.publicKey().bytes())).isEqualTo(SR_PUB);

        // Initiator builds message 1.
        Handshake initiator = new Handshake(b(SR_PUB));
        initiator.setLocalIdentity(initiatorId);
        initiator.setPresharedKey(b(v.psk));
        byte[] ei = clamped(seq(0x20, 32));
        assertThat(s(X25519.publicKey(ei))).isEqualTo(EI_PUB);
        HandshakeInitiation init = initiator.createInitiation(ei, b(TIMESTAMP), 0x11223344);
        byte[] initBytes = init.toBytes();
        new CookieGenerator(b(SR_PUB)).addMacs(initBytes, 0, INITIATION_MAC1, NOW);
        assertThat(s(initBytes)).isEqualTo(MSG_INITIATION);
        assertThat(s(initiator.chainKeyAndHash()[0])).isEqualTo(INIT_C_AFTER);
        assertThat(s(initiator.chainKeyAndHash()[1])).isEqualTo(INIT_H_AFTER);

        // Responder consumes it.
        HandshakeInitiation received = HandshakeInitiation.decode(initBytes, 0, initBytes.length).orElseThrow();
        Handshake.InitiationPrelude prelude = Handshake.beginConsumeInitiation(responderId, received);
        assertThat(prelude).isNotNull();
        assertThat(s(prelude.remoteStatic())).isEqualTo(SI_PUB);
        Handshake responder = new Handshake(b(SI_PUB));
        responder.setLocalIdentity(responderId);
        responder.setPresharedKey(b(v.psk));
        assertThat(responder.consumeInitiation(prelude, received, NOW)).isEqualTo(Handshake.InitiationVerdict.ACCEPTED);
        assertThat(s(responder.chainKeyAndHash()[0])).isEqualTo(INIT_C_AFTER);
        assertThat(s(responder.chainKeyAndHash()[1])).isEqualTo(INIT_H_AFTER);
        assertThat(s(responder.lastTimestamp())).isEqualTo(TIMESTAMP);

        // Responder builds message 2.
        byte[] er = clamped(seq(0x40, 32));
        assertThat(s(X25519.publicKey(er))).isEqualTo(ER_PUB);
        HandshakeResponse resp = responder.createResponse(er, 0x55667788);
        byte[] respBytes = resp.toBytes();
        new CookieGenerator(b(SI_PUB)).addMacs(respBytes, 0, RESPONSE_MAC1, NOW);
        assertThat(s(respBytes)).isEqualTo(v.msgResponse);
        assertThat(s(responder.chainKeyAndHash()[0])).isEqualTo(v.respC);
        assertThat(s(responder.chainKeyAndHash()[1])).isEqualTo(v.respH);
        Handshake.SessionKeys rKeys = responder.deriveSessionKeys();
        assertThat(responder.state()).isEqualTo(Handshake.State.ZEROED);

        // Initiator consumes message 2.
        assertThat(initiator.consumeResponse(HandshakeResponse.decode(respBytes, 0, respBytes.length).orElseThrow())).isTrue();
        assertThat(s(initiator.chainKeyAndHash()[0])).isEqualTo(v.respC);
        assertThat(s(initiator.chainKeyAndHash()[1])).isEqualTo(v.respH);
        Handshake.SessionKeys iKeys = initiator.deriveSessionKeys();

        assertThat(s(iKeys.sendKey())).isEqualTo(v.tInitSend);
        assertThat(s(iKeys.receiveKey())).isEqualTo(v.tInitRecv);
        assertThat(s(rKeys.receiveKey())).isEqualTo(v.tInitSend);
        assertThat(s(rKeys.sendKey())).isEqualTo(v.tInitRecv);
        assertThat(iKeys.localIndex()).isEqualTo(0x11223344);
        assertThat(iKeys.remoteIndex()).isEqualTo(0x55667788);
        assertThat(rKeys.localIndex()).isEqualTo(0x55667788);
        assertThat(rKeys.remoteIndex()).isEqualTo(0x11223344);

        // Transport messages.
        TransportCipher i2r = new TransportCipher(iKeys.sendKey());
        TransportCipher r2i = new TransportCipher(rKeys.sendKey());
        assertThat(s(transport(i2r, iKeys.remoteIndex(), 0, new byte[0]))).isEqualTo(v.keepaliveI2r);
        byte[] padded = Arrays.copyOf(b(INNER), 96);
        assertThat(s(transport(i2r, iKeys.remoteIndex(), 1, padded))).isEqualTo(v.dataI2r);
        assertThat(s(transport(r2i, rKeys.remoteIndex(), 0, new byte[0]))).isEqualTo(v.keepaliveR2i);

        // And the responder opens the initiator's data message.
        byte[] data = b(v.dataI2r);
        TransportCipher rRecv = new TransportCipher(rKeys.receiveKey());
        int n = rRecv.open(TransportData.counter(data, 0), data, 16, data.length - 16, data, 16);
        assertThat(n).isEqualTo(96);
        assertThat(s(Arrays.copyOfRange(data, 16, 16 + 84))).isEqualTo(INNER);
    }

    static byte[] transport(TransportCipher c, int receiver, long counter, byte[] plaintext) {
        byte[] out = new byte[16 + plaintext.length + 16];
        TransportData.writeHeader(out, 0, receiver, counter);
        System.arraycopy(plaintext, 0, out, 16, plaintext.length);
        c.seal(counter, out, 16, plaintext.length, out, 16);
        return out;
    }

    @Test
    void timestampVectorEncodesUnix1700000000() {
        assertThat(s(Tai64n.fromEpochNanos(1_700_000_000L * 1_000_000_000L))).isEqualTo(TIMESTAMP);
    }

    @Test
    void replayedInitiationIsRefusedAndStateIsKept() {
        LocalIdentity initiatorId = new LocalIdentity(PrivateKey.fromBytes(b(SI_PRIV)));
        LocalIdentity responderId = new LocalIdentity(PrivateKey.fromBytes(b(SR_PRIV)));
        Handshake initiator = new Handshake(b(SR_PUB));
        initiator.setLocalIdentity(initiatorId);
        HandshakeInitiation init = initiator.createInitiation(clamped(seq(0x20, 32)), b(TIMESTAMP), 1);
        Handshake responder = new Handshake(b(SI_PUB));
        responder.setLocalIdentity(responderId);
        var prelude = Handshake.beginConsumeInitiation(responderId, init);
        assertThat(responder.consumeInitiation(prelude, init, NOW)).isEqualTo(Handshake.InitiationVerdict.ACCEPTED);
        // The very same message a second later: timestamp not greater → refused.
        assertThat(responder.consumeInitiation(prelude, init, NOW + 1_000_000_000L))
                .isEqualTo(Handshake.InitiationVerdict.REPLAYED_TIMESTAMP);
        // A newer timestamp within 20 ms of the last accepted one is a flood.
        HandshakeInitiation newer = initiator.createInitiation(clamped(seq(0x21, 32)),
                Tai64n.fromEpochNanos(1_700_000_001L * 1_000_000_000L), 2);
        var prelude2 = Handshake.beginConsumeInitiation(responderId, newer);
        assertThat(responder.consumeInitiation(prelude2, newer, NOW + 10_000_000L)).isEqualTo(Handshake.InitiationVerdict.FLOOD);
        assertThat(responder.consumeInitiation(prelude2, newer, NOW + 30_000_000L)).isEqualTo(Handshake.InitiationVerdict.ACCEPTED);
    }

    @Test
    void wrongResponderKeyCannotDecryptTheStatic() {
        LocalIdentity initiatorId = new LocalIdentity(PrivateKey.fromBytes(b(SI_PRIV)));
        Handshake initiator = new Handshake(b(SR_PUB));
        initiator.setLocalIdentity(initiatorId);
        HandshakeInitiation init = initiator.createInitiation(clamped(seq(0x20, 32)), b(TIMESTAMP), 1);
        LocalIdentity other = new LocalIdentity(PrivateKey.fromBytes(seq(0x60, 32)));
        assertThat(Handshake.beginConsumeInitiation(other, init)).isNull();
    }

    @Test
    void lowOrderPeerKeyCannotHandshake() {
        Handshake h = new Handshake(new byte[32]);
        h.setLocalIdentity(new LocalIdentity(PrivateKey.fromBytes(b(SI_PRIV))));
        assertThat(h.canHandshake()).isFalse();
        assertThat(h.createInitiation(clamped(seq(0x20, 32)), b(TIMESTAMP), 1)).isNull();
    }
}
