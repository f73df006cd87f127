package dev.jwg.core.tunnel;

import static dev.jwg.core.wire.Messages.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.Protocol;
import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.testkit.ScriptedRandom;
import dev.jwg.core.tunnel.TwoPeerHarness.Datagram;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two nodes in memory with a fake clock: handshakes, data, timers, limits, cookies and replays. Runs
 * with the JDK's transport AEAD; a runtime module with another backend subclasses this and overrides
 * {@link #backend()} to run every test with it.
 */
class TwoPeerTest {

    /** The transport AEAD both nodes use. */
    AeadBackend backend() {
        return AeadBackend.JDK;
    }

    TwoPeerHarness harness(long seed) {
        return new TwoPeerHarness(seed, null, null, backend());
    }

    TwoPeerHarness harness(long seed, PresharedKey pskA, PresharedKey pskB) {
        return new TwoPeerHarness(seed, pskA, pskB, backend());
    }

    /** Moves the peer's current keypair to {@code counter}, as if that many packets had been sent on it. */
    static void setSendCounter(Peer peer, long counter) {
        synchronized (peer) {
            peer.currentKeypair().sendCounter = counter;
        }
    }

    static boolean isHandshake(Datagram d) {
        int t = d.type();
        return t == TYPE_INITIATION || t == TYPE_RESPONSE || t == TYPE_COOKIE_REPLY;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void handshakeFromEitherSideThenDataBothWays(boolean aStarts) {
        var h = harness(1);
        var first = aStarts ? h.a : h.b;
        var second = first.other;
        assertThat(first.sendIp(1, 100)).as("staged until the handshake completes").isFalse();
        h.deliverAll();
        assertThat(second.deliveredSeqs()).containsExactly(1);
        assertThat(first.peer.hasSession()).isTrue();
        assertThat(second.peer.hasSession()).as("responder confirmed by the first data packet").isTrue();
        assertThat(second.sendIp(2, 1000)).isTrue();
        assertThat(first.sendIp(3, 4)).isTrue();
        h.deliverAll();
        assertThat(first.deliveredSeqs()).containsExactly(2);
        assertThat(second.deliveredSeqs()).containsExactly(1, 3);
        assertThat(h.count(d -> d.type() == TYPE_INITIATION)).isEqualTo(1);
        assertThat(first.peer.lastHandshakeEpochNanos()).isPositive();
        assertThat(second.peer.lastHandshakeEpochNanos()).isPositive();
        // rx/tx byte counters count whole WireGuard messages (docs/protocol.md §3.11).
        assertThat(first.peer.txBytes()).isEqualTo(second.peer.rxBytes());
        assertThat(second.peer.txBytes()).isEqualTo(first.peer.rxBytes());
    }

    @Test
    void deliveredPacketIsTheSentPacketTrimmedOfPadding() {
        var h = harness(2);
        for (int len : new int[] {0, 1, 15, 16, 17, 100, 1380}) {
            h.a.sendIp(len, len);
        }
        h.deliverAll();
        assertThat(h.b.delivered).hasSize(7);
        int[] lens = {0, 1, 15, 16, 17, 100, 1380};
        for (int i = 0; i < lens.length; i++) {
            assertThat(h.b.delivered.get(i)).hasSize(20 + lens[i]);
        }
        // On the wire, data is padded to 16 (84-byte ping → 96 → 128-byte message, docs/protocol.md §3.11).
        assertThat(h.sent.stream().filter(Datagram::isData).mapToInt(d -> d.bytes().length - 32))
                .allMatch(n -> n % 16 == 0 || n == h.a.node.mtu());
    }

    @Test
    void bothSidesInitiatingAtOnceStillConnect() {
        var h = harness(3);
        h.a.sendIp(1, 64);
        h.b.sendIp(2, 64);
        h.deliverAll();
        h.run(15);
        assertThat(h.b.deliveredSeqs()).containsExactly(1);
        assertThat(h.a.deliveredSeqs()).containsExactly(2);
        assertThat(h.a.peer.hasSession()).isTrue();
        assertThat(h.b.peer.hasSession()).isTrue();
    }

    @Test
    void matchingPresharedKeysConnectAndWrongOnesNeverDo() {
        var rng = new ScriptedRandom(9);
        PresharedKey psk = PresharedKey.generate(rng);
        var ok = harness(4, psk, psk);
        ok.a.sendIp(1, 10);
        ok.deliverAll();
        assertThat(ok.b.deliveredSeqs()).containsExactly(1);

        var bad = harness(4, psk, PresharedKey.generate(rng));
        bad.a.sendIp(1, 10);
        bad.run(120, 0.5);
        assertThat(bad.b.delivered).isEmpty();
        assertThat(bad.a.peer.hasSession()).isFalse();
        assertThat(bad.b.peer.hasSession()).isFalse();
        assertThat(bad.a.count(Verdict.DROP_HANDSHAKE)).as("responses fail to authenticate").isPositive();
        assertThat(bad.count(Datagram::isData)).isZero();
    }

    @Test
    void rekeyAfterTimeLosesNoPacket() {
        var h = harness(5);
        List<Integer> expectA = new ArrayList<>();
        List<Integer> expectB = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            h.a.sendIp(i, 200);
            expectB.add(i);
            if (i % 3 == 1) {
                h.b.sendIp(100_000 + i, 200);
                expectA.add(100_000 + i);
            }
            h.run(1.0, 0.25);
        }
        assertThat(h.b.deliveredSeqs()).containsExactlyElementsOf(expectB);
        assertThat(h.a.deliveredSeqs()).containsExactlyElementsOf(expectA);
        long initiations = h.count(d -> d.type() == TYPE_INITIATION);
        assertThat(initiations).as("a new session roughly every REKEY_AFTER_TIME").isEqualTo(4L);
        // Only the session initiator (A) re-keys on time.
        assertThat(h.count(d -> d.type() == TYPE_INITIATION && d.from() == h.b)).isZero();
    }

    @Test
    void nothingIsSentOrAcceptedOnAKeypairPastRejectAfterTime() {
        var h = harness(6);
        h.a.sendIp(1, 50);
        h.deliverAll();
        h.filter = d -> !isHandshake(d);
        h.run(170, 1);
        assertThat(h.a.sendIp(2, 50)).as("still within REJECT_AFTER_TIME").isTrue();
        h.deliverAll();
        assertThat(h.b.deliveredSeqs()).containsExactly(1, 2);

        h.filter = d -> false;
        h.run(9, 1);
        assertThat(h.a.sendIp(3, 50)).isTrue();
        Datagram late = h.sent.get(h.sent.size() - 1);
        assertThat(late.isData()).isTrue();
        h.run(2, 1); // now past 180 s since the session began
        assertThat(h.deliver(late)).isEqualTo(Verdict.DROP_EXPIRED_KEY);

        long dataBefore = h.count(Datagram::isData);
        assertThat(h.a.sendIp(4, 50)).as("the expired keypair refuses to send").isFalse();
        assertThat(h.count(Datagram::isData)).isEqualTo(dataBefore);
        assertThat(h.a.peer.stagedCount()).isEqualTo(1);
        assertThat(h.b.peer.hasSession()).isFalse();
    }

    @Test
    void passiveKeepaliveFollowsOneWayTraffic() {
        var h = harness(7);
        h.a.sendIp(1, 50);
        h.deliverAll();
        long t0 = h.clock.nanoTime();
        h.run(9.5);
        assertThat(h.count(d -> d.from() == h.b && d.isKeepalive())).isZero();
        h.run(1);
        List<Datagram> keepalives = h.sent.stream().filter(d -> d.from() == h.b && d.isKeepalive()).toList();
        assertThat(keepalives).hasSize(1);
        assertThat(keepalives.get(0).sentAt() - t0).isBetween(10_000_000_000L, 10_200_000_000L);
        h.run(60);
        assertThat(h.count(d -> d.from() == h.b && d.isKeepalive())).as("no data since: no more keepalives").isEqualTo(1);
    }

    @Test
    void persistentKeepaliveKeepsItsCadence() {
        var h = harness(8);
        h.a.peer.setPersistentKeepalive(25, h.a);
        h.deliverAll();
        assertThat(h.count(d -> d.from() == h.a && d.type() == TYPE_INITIATION))
                .as("turning it on sends at once, which needs a session").isEqualTo(1);
        h.run(200, 0.1);
        List<Long> times = h.sent.stream().filter(d -> d.from() == h.a && d.type() == TYPE_TRANSPORT)
                .map(Datagram::sentAt).toList();
        assertThat(times.size()).isBetween(8, 10);
        List<Long> gaps = IntStream.range(1, times.size()).mapToObj(i -> times.get(i) - times.get(i - 1)).toList();
        assertThat(gaps).allMatch(g -> g <= 25_200_000_000L);
        assertThat(gaps.stream().filter(g -> g >= 24_900_000_000L).count()).isGreaterThanOrEqualTo(5);
        h.a.peer.setPersistentKeepalive(0, h.a);
        int before = times.size();
        h.run(100, 0.5);
        assertThat(h.count(d -> d.from() == h.a && d.type() == TYPE_TRANSPORT)).isEqualTo(before);
    }

    @Test
    void messageCountLimitsTriggerRekey() {
        var h = harness(10);
        h.a.sendIp(1, 50);
        h.deliverAll();
        h.b.sendIp(2, 50);
        h.deliverAll();
        h.run(6);
        long initiations = h.count(d -> d.type() == TYPE_INITIATION);

        // Past REKEY_AFTER_MESSAGES the responder (B) re-keys too: count limits apply to anyone.
        setSendCounter(h.b.peer, Protocol.REKEY_AFTER_MESSAGES);
        assertThat(h.b.sendIp(3, 50)).isTrue();
        assertThat(h.count(d -> d.type() == TYPE_INITIATION && d.from() == h.b)).isEqualTo(1);
        h.deliverAll();
        assertThat(h.a.deliveredSeqs()).containsExactly(2, 3);
        assertThat(h.b.peer.hasSession()).isTrue();

        // At REJECT_AFTER_MESSAGES the keypair stops sending: stage and handshake.
        h.run(6);
        long inits = h.count(d -> d.type() == TYPE_INITIATION);
        setSendCounter(h.a.peer, Protocol.REJECT_AFTER_MESSAGES - 1);
        assertThat(h.a.sendIp(4, 50)).as("the last usable counter").isTrue();
        assertThat(h.count(d -> d.type() == TYPE_INITIATION)).as("past REKEY_AFTER_MESSAGES").isEqualTo(inits + 1);
        long data = h.count(Datagram::isData);
        assertThat(h.a.sendIp(5, 50)).as("REJECT_AFTER_MESSAGES reached: staged").isFalse();
        assertThat(h.count(Datagram::isData)).isEqualTo(data);
        h.deliverAll();
        assertThat(h.b.deliveredSeqs()).containsExactly(1, 4, 5);
        assertThat(initiations).isEqualTo(1);
    }

    @Test
    void underLoadTheResponderAnswersWithACookieAndTheRetryCarriesMac2() {
        var h = harness(11);
        h.b.node.markUnderLoad();
        h.a.sendIp(1, 50);
        h.deliverAll();
        assertThat(h.b.count(Verdict.COOKIE_SENT)).isEqualTo(1);
        assertThat(h.a.count(Verdict.COOKIE)).isEqualTo(1);
        assertThat(h.b.delivered).isEmpty();
        for (int i = 0; i < 60; i++) {
            h.b.node.markUnderLoad();
            h.run(0.1, 0.1);
        }
        assertThat(h.b.count(Verdict.HANDSHAKE)).isEqualTo(1);
        assertThat(h.b.deliveredSeqs()).containsExactly(1);
        // The retried initiation carried a non-zero mac2.
        Datagram retry = h.sent.stream().filter(d -> d.type() == TYPE_INITIATION).skip(1).findFirst().orElseThrow();
        assertThat(java.util.Arrays.copyOfRange(retry.bytes(), INITIATION_MAC2, INITIATION_MAC2 + 16)).isNotEqualTo(new byte[16]);
    }

    @Test
    void underLoadTheRateLimiterCapsHandshakesPerSource() {
        var h = harness(12);
        h.a.sendIp(1, 50);
        Datagram init = h.inFlight.get(0);
        h.inFlight.clear();
        // Give A a cookie, then replay its mac2-carrying initiation many times under load.
        h.b.node.markUnderLoad();
        h.deliver(init);
        h.deliverAll();
        h.clock.advanceSeconds(5.5);
        h.a.node.tick(h.a);
        Datagram retry = h.inFlight.get(h.inFlight.size() - 1);
        h.inFlight.clear();
        int limited = 0;
        for (int i = 0; i < 20; i++) {
            h.b.node.markUnderLoad();
            if (h.deliver(retry) == Verdict.DROP_RATE_LIMITED) {
                limited++;
            }
        }
        assertThat(limited).as("burst of 5 per source, the rest refused").isGreaterThanOrEqualTo(14);
    }

    @Test
    void replayedHandshakeAndDataMessagesAreRejected() {
        var h = harness(13);
        h.a.sendIp(1, 50);
        h.deliverAll();
        Datagram init = h.sent.stream().filter(d -> d.type() == TYPE_INITIATION).findFirst().orElseThrow();
        Datagram resp = h.sent.stream().filter(d -> d.type() == TYPE_RESPONSE).findFirst().orElseThrow();
        Datagram data = h.sent.stream().filter(Datagram::isData).findFirst().orElseThrow();
        h.clock.advanceSeconds(1);
        assertThat(h.deliver(init)).isEqualTo(Verdict.DROP_HANDSHAKE);
        assertThat(h.inFlight).as("no response to a replayed initiation").isEmpty();
        assertThat(h.deliver(resp)).isIn(Verdict.DROP_UNKNOWN_INDEX, Verdict.DROP_HANDSHAKE);
        assertThat(h.deliver(data)).isEqualTo(Verdict.DROP_REPLAY);
        assertThat(h.b.deliveredSeqs()).containsExactly(1);
        assertThat(h.b.peer.hasSession()).as("the session survives the replays").isTrue();
        assertThat(h.a.sendIp(2, 10)).isTrue();
        h.deliverAll();
        assertThat(h.b.deliveredSeqs()).containsExactly(1, 2);
    }

    @Test
    void tamperedTransportIsDroppedWithoutMovingTheWindow() {
        var h = harness(14);
        h.a.sendIp(1, 50);
        h.deliverAll();
        h.a.sendIp(2, 50);
        Datagram d = h.inFlight.remove(0);
        byte[] forged = d.bytes().clone();
        forged[40] ^= 1;
        assertThat(h.deliver(new Datagram(h.a, h.b, forged, 0))).isEqualTo(Verdict.DROP_DECRYPT);
        assertThat(h.deliver(d)).isEqualTo(Verdict.DELIVER);
    }

    @Test
    void sourceOutsideAllowedIpsIsDroppedAfterAuthentication() {
        var h = harness(15);
        h.a.sendIp(1, 50);
        h.deliverAll();
        byte[] pkt = dev.jwg.core.testkit.Packets.ipv4(dev.jwg.core.testkit.Packets.addr(10, 9, 9, 9), h.b.ip, 7, 20);
        h.a.peer.encapsulate(pkt, dev.jwg.core.testkit.Packets.HEADROOM, 40, h.a);
        int auth = h.b.authenticated;
        h.deliverAll();
        assertThat(h.b.count(Verdict.DROP_ALLOWED_IPS)).isEqualTo(1);
        assertThat(h.b.authenticated).as("the endpoint still roams to the sender (docs/protocol.md §3.9)").isEqualTo(auth + 1);
        assertThat(h.b.deliveredSeqs()).containsExactly(1);
    }

    @Test
    void keyMaterialIsZeroedAfter540Seconds() {
        var h = harness(16);
        h.a.sendIp(1, 50);
        h.deliverAll();
        h.filter = d -> false;
        h.run(535, 1);
        assertThat(h.a.peer.hasKeyMaterial()).isTrue();
        assertThat(h.b.peer.hasKeyMaterial()).isTrue();
        Keypair old = h.a.peer.currentKeypair();
        h.run(6, 1);
        assertThat(h.a.peer.hasKeyMaterial()).isFalse();
        assertThat(h.b.peer.hasKeyMaterial()).isFalse();
        assertThat(old.destroyed).isTrue();
    }

    @Test
    void giveUpAfterRekeyAttemptTimeAndRestartOnNewTraffic() {
        var h = harness(17);
        h.filter = d -> false;
        h.a.sendIp(1, 50);
        h.run(120, 0.5);
        long inits = h.count(d -> d.type() == TYPE_INITIATION);
        // The kernel and wireguard-go give up once attempts > MAX_TIMER_HANDSHAKES: the first
        // initiation plus MAX_TIMER_HANDSHAKES + 1 retries, ~100 s.
        assertThat(inits).isEqualTo(2 + Protocol.MAX_TIMER_HANDSHAKES);
        assertThat(h.a.peer.stagedCount()).as("staged packets dropped on give-up").isZero();
        h.filter = d -> true;
        h.a.sendIp(2, 50);
        h.deliverAll();
        assertThat(h.b.deliveredSeqs()).containsExactly(2);
    }

    @Test
    void lossyReorderingDuplicatingChannelDeliversEachPacketAtMostOnce() {
        var h = harness(18);
        h.loss = 0.2;
        h.duplicate = 0.2;
        h.reorder = true;
        for (int i = 0; i < 300; i++) {
            h.a.sendIp(i, 100 + i);
            h.b.sendIp(10_000 + i, 60);
            h.run(0.2, 0.2);
        }
        h.loss = 0;
        h.run(30);
        for (var side : List.of(h.a, h.b)) {
            List<Integer> seqs = side.deliveredSeqs();
            assertThat(new HashSet<>(seqs)).as(side + " never delivers a duplicate").hasSize(seqs.size());
            assertThat(seqs.size()).as(side + " delivers most packets").isGreaterThan(150);
            for (byte[] p : side.delivered) {
                int seq = dev.jwg.core.testkit.Packets.getInt(p, 20);
                assertThat(p).hasSize(side == h.b ? 120 + seq : 80);
            }
        }
        assertThat(h.a.count(Verdict.DROP_REPLAY) + h.b.count(Verdict.DROP_REPLAY)).isPositive();
    }

    @Test
    void lowOrderPeerKeysNeverSendAnything() throws Exception {
        var h = harness(19);
        var p = h.a.node.addPeer(dev.jwg.core.crypto.PublicKey.fromBase64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), h.a).orElseThrow();
        h.a.node.allowedIps().insert(dev.jwg.core.routing.IpPrefix.parse("10.5.0.0/16"), p);
        int before = h.sent.size();
        p.setPersistentKeepalive(1, h.a);
        byte[] pkt = dev.jwg.core.testkit.Packets.ipv4(h.a.ip, dev.jwg.core.testkit.Packets.addr(10, 5, 0, 1), 1, 20);
        assertThat(h.a.node.route(pkt, 32, 40)).isSameAs(p);
        p.encapsulate(pkt, 32, 40, h.a);
        h.run(10, 0.5);
        assertThat(h.sent.subList(before, h.sent.size())).as("nothing at all goes out for a low-order peer").isEmpty();
        assertThat(p.txBytes()).isZero();
    }

    @Test
    void nothingCountsAsSentToAPeerWithoutEndpoint() {
        var h = harness(22);
        h.a.connected = false;
        h.a.sendIp(1, 50);
        h.run(12, 0.5);
        assertThat(h.a.peer.txBytes()).isZero();
        h.a.connected = true;
        h.run(6, 0.5);
        assertThat(h.a.peer.txBytes()).as("the retried initiation went out").isPositive();
    }

    @Test
    void ourOwnPublicKeyIsIgnoredAsAPeer() {
        var h = harness(20);
        assertThat(h.a.node.addPeer(h.a.key.publicKey(), h.a)).isEmpty();
        // Changing the private key to B's removes the peer that has B's public key.
        h.a.node.setPrivateKey(h.b.key);
        assertThat(h.a.node.peers()).isEmpty();
    }

    @Test
    void privateKeyChangeExpiresSessionsAndAllowsAnImmediateHandshake() {
        var h = harness(21);
        h.a.sendIp(1, 50);
        h.deliverAll();
        var newKey = dev.jwg.core.crypto.PrivateKey.generate(new ScriptedRandom(77));
        h.a.node.setPrivateKey(newKey);
        h.b.node.removePeer(h.a.key.publicKey());
        var p = h.b.node.addPeer(newKey.publicKey(), h.b).orElseThrow();
        h.b.node.allowedIps().insert(dev.jwg.core.routing.IpPrefix.parse("10.0.0.1/32"), p);
        h.b.peer = p;
        assertThat(h.a.sendIp(2, 50)).as("current keypair expired for sending").isFalse();
        h.deliverAll();
        assertThat(h.b.deliveredSeqs()).containsExactly(1, 2);
    }
}
