package dev.jwg.core.tunnel;

import static dev.jwg.core.wire.Messages.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jwg.core.crypto.Blake2s;
import dev.jwg.core.noise.NoiseConstants;
import dev.jwg.core.wire.LittleEndian;
import dev.jwg.core.wire.TransportData;

/**
 * Untrusted datagrams into a node that has a live session: handshake consumption and transport
 * decapsulation never throw, never deliver unauthenticated bytes, and leave the session working.
 * The fuzz input is shaped so it gets past the cheap checks: valid message types, valid mac1 on
 * handshake messages and live receiver indices on transport and cookie messages.
 */
class NodeFuzzTest {
    private static final TwoPeerHarness H = established();

    private static TwoPeerHarness established() {
        TwoPeerHarness h = new TwoPeerHarness(99);
        h.a.sendIp(1, 64);
        h.deliverAll();
        return h;
    }

    @FuzzTest(maxDuration = "30s")
    void handshakeAndTransportInputNeverBreakTheNode(FuzzedDataProvider data) {
        TwoPeerHarness h = H;
        synchronized (h) {
            int kind = data.consumeInt(0, 4);
            byte[] msg = switch (kind) {
                case 0 -> handshake(data, INITIATION_SIZE, TYPE_INITIATION, INITIATION_MAC1, h);
                case 1 -> handshake(data, RESPONSE_SIZE, TYPE_RESPONSE, RESPONSE_MAC1, h);
                case 2 -> {
                    byte[] m = new byte[COOKIE_REPLY_SIZE];
                    byte[] body = data.consumeBytes(COOKIE_REPLY_SIZE);
                    System.arraycopy(body, 0, m, 0, body.length);
                    LittleEndian.putInt(m, 0, TYPE_COOKIE_REPLY);
                    LittleEndian.putInt(m, 4, liveIndex(h, data));
                    yield m;
                }
                case 3 -> {
                    byte[] body = data.consumeBytes(2000);
                    byte[] m = new byte[Math.max(TRANSPORT_MIN_SIZE, TRANSPORT_HEADER_SIZE + body.length)];
                    System.arraycopy(body, 0, m, TRANSPORT_HEADER_SIZE, body.length);
                    TransportData.writeHeader(m, 0, liveIndex(h, data), data.consumeLong());
                    yield m;
                }
                default -> data.consumeRemainingAsBytes();
            };
            Received r = new Received();
            Verdict v = h.b.node.decapsulate(msg, 0, msg.length, new byte[] {10, 1, 2, 3}, 4242, h.b, r);
            assertThat(v).isNotIn(Verdict.DELIVER, Verdict.KEEPALIVE);
            h.inFlight.clear();
        }
    }

    @FuzzTest(maxDuration = "10s")
    void sessionStillWorksAfterFuzzing(FuzzedDataProvider data) {
        TwoPeerHarness h = H;
        synchronized (h) {
            byte[] junk = data.consumeRemainingAsBytes();
            h.b.node.decapsulate(junk, 0, junk.length, new byte[] {10, 1, 2, 3}, 4242, h.b, new Received());
            h.inFlight.clear();
            int before = h.b.delivered.size();
            h.a.sendIp(7, 32);
            h.deliverAll();
            assertThat(h.b.delivered).hasSize(before + 1);
        }
    }

    private static int liveIndex(TwoPeerHarness h, FuzzedDataProvider data) {
        Keypair kp = h.b.peer.currentKeypair();
        return data.consumeBoolean() && kp != null ? kp.localIndex : data.consumeInt();
    }

    private static byte[] handshake(FuzzedDataProvider data, int size, int type, int mac1Offset, TwoPeerHarness h) {
        byte[] m = new byte[size];
        byte[] body = data.consumeBytes(size);
        System.arraycopy(body, 0, m, 0, body.length);
        LittleEndian.putInt(m, 0, type);
        if (type == TYPE_RESPONSE && data.consumeBoolean()) {
            Keypair kp = h.b.peer.currentKeypair();
            LittleEndian.putInt(m, RESPONSE_RECEIVER, kp == null ? 0 : kp.localIndex);
        }
        byte[] key = Blake2s.hash(NoiseConstants.LABEL_MAC1, h.b.key.publicKey().bytes());
        Blake2s.mac(key, m, 0, mac1Offset, m, mac1Offset);
        return m;
    }
}
