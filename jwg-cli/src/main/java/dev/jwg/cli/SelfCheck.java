package dev.jwg.cli;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.CryptoSelfCheck;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.routing.IpPrefix;
import dev.jwg.core.tunnel.Node;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.core.tunnel.Received;
import dev.jwg.core.tunnel.Transmit;
import dev.jwg.core.tunnel.Verdict;
import dev.jwg.core.wire.Messages;
import dev.jwg.device.SystemClock;
import dev.jwg.device.tuning.AeadSelector;
import dev.jwg.linux.OpenSslAead;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Runs the protocol core end to end between two peers in memory and tells what happens: crypto
 * self-test, a handshake, data both ways, and a replayed packet refused. No root, no network.
 * Returns 0 when every step behaved as WireGuard must.
 */
final class SelfCheck {
    private final PrintStream out;
    private int failures;

    SelfCheck(PrintStream out) {
        this.out = out;
    }

    private record Datagram(String from, byte[] bytes) {}

    /** One in-memory host: a node and the wire it writes to. */
    private final class Host implements Transmit {
        final String name;
        final Node node;
        final PrivateKey key;
        final Deque<Datagram> wire;
        Peer peer;

        Host(String name, SecureRandom rng, Deque<Datagram> wire, AeadBackend aead) {
            this.name = name;
            this.node = new Node(SystemClock.INSTANCE, rng, aead);
            this.key = PrivateKey.generate(rng);
            this.node.setPrivateKey(key);
            this.wire = wire;
        }

        @Override
        public void authenticated(Peer p) {}

        @Override
        public boolean toPeer(Peer p, byte[] buf, int off, int len) {
            return wire.add(new Datagram(name, Arrays.copyOfRange(buf, off, off + len)));
        }

        @Override
        public void toSource(byte[] buf, int off, int len) {
            toPeer(null, buf, off, len);
        }
    }

    int run() {
        out.println("jwg self-check: the WireGuard protocol core between two peers in memory");
        out.println();
        step("Crypto providers pass their known-answer tests (X25519, BLAKE2s, HMAC, ChaCha20-Poly1305, XChaCha20)");
        CryptoSelfCheck.run();
        ok("all primitives match their test vectors");

        step("The transport AEAD is chosen: each backend passes its known-answer check; a native one is preferred");
        AeadSelector.Selection aead = AeadSelector.select(AeadChoice.natives());
        for (AeadSelector.Report r : aead.reports()) {
            out.println("     " + r);
        }
        for (String e : aead.errors()) {
            out.println("     note: " + e);
        }
        ok("data packets are sealed with " + aead.backend().name() + " (" + aead.reason() + ")"
                + (OpenSslAead.isAvailable() ? "; libcrypto is " + OpenSslAead.version() : ""));
        out.println("     (JWG_AEAD=jdk|openssl|measure|auto or -Djwg.aead=... overrides; measure times both, in this C1-only JVM slower than jwgd's)");

        SecureRandom rng = new SecureRandom();
        Deque<Datagram> aToB = new ArrayDeque<>();
        Deque<Datagram> bToA = new ArrayDeque<>();
        Host alice = new Host("alice", rng, aToB, aead.backend());
        Host bob = new Host("bob", rng, bToA, aead.backend());
        step("Two peers with fresh keys");
        out.println("     alice  " + alice.key.publicKey().toBase64() + "  tunnel address 10.0.0.1");
        out.println("     bob    " + bob.key.publicKey().toBase64() + "  tunnel address 10.0.0.2");
        alice.peer = alice.node.addPeer(bob.key.publicKey(), alice).orElseThrow();
        bob.peer = bob.node.addPeer(alice.key.publicKey(), bob).orElseThrow();
        alice.node.allowedIps().insert(IpPrefix.parse("10.0.0.2/32"), alice.peer);
        bob.node.allowedIps().insert(IpPrefix.parse("10.0.0.1/32"), bob.peer);
        alice.node.setUp(true, alice);
        bob.node.setUp(true, bob);

        step("alice sends an 84-byte ping to 10.0.0.2: no session yet, so it is staged and a handshake starts");
        byte[] ping = ipv4Ping(0x0a000001, 0x0a000002);
        byte[] buf = Arrays.copyOf(ping, 32 + ping.length + 32);
        System.arraycopy(ping, 0, buf, 32, ping.length);
        Peer route = alice.node.route(buf, 32, ping.length);
        check(route == alice.peer, "the allowed-IPs table routes 10.0.0.2 to bob");
        boolean sentNow = alice.peer.encapsulate(buf, 32, ping.length, alice);
        check(!sentNow && alice.peer.stagedCount() == 1, "the packet waits in the staging queue");
        Datagram init = aToB.peekFirst();
        check(init != null && Messages.typeOf(init.bytes(), 0, init.bytes().length) == Messages.TYPE_INITIATION,
                "alice → bob: handshake initiation, " + (init == null ? 0 : init.bytes().length) + " bytes");

        step("bob consumes the initiation (mac1, Noise IKpsk2) and answers");
        Verdict v = deliver(aToB, bob);
        check(v == Verdict.HANDSHAKE, "bob accepted the initiation");
        Datagram resp = bToA.peekFirst();
        check(resp != null && Messages.typeOf(resp.bytes(), 0, resp.bytes().length) == Messages.TYPE_RESPONSE,
                "bob → alice: handshake response, " + (resp == null ? 0 : resp.bytes().length) + " bytes");

        step("alice consumes the response: session keys derived, the staged ping goes out encrypted");
        v = deliver(bToA, alice);
        check(v == Verdict.HANDSHAKE && alice.peer.hasSession(), "alice has a session");
        Datagram data = aToB.peekFirst();
        check(data != null && data.bytes().length == 128, "alice → bob: transport data, 128 bytes (84 padded to 96 + 32)");
        byte[] captured = data == null ? new byte[0] : data.bytes().clone();

        step("bob decrypts it: key confirmed, the ping is delivered to bob's tunnel");
        Received r = new Received();
        byte[] in = aToB.pollFirst().bytes();
        v = bob.node.decapsulate(in, 0, in.length, new byte[] {(byte) 192, 0, 2, 1}, 51820, bob, r);
        check(v == Verdict.DELIVER && Arrays.equals(Arrays.copyOfRange(in, r.offset(), r.offset() + r.length()), ping),
                "bob got exactly the 84 bytes alice sent, from " + r.peer());
        check(bob.peer.hasSession(), "bob's session is confirmed");

        step("bob answers with a 1400-byte packet through the session");
        byte[] reply = ipv4Ping(0x0a000002, 0x0a000001);
        byte[] big = new byte[32 + 1400 + 32];
        System.arraycopy(reply, 0, big, 32, 20);
        big[32 + 2] = (byte) (1400 >>> 8);
        big[32 + 3] = (byte) (1400 & 0xff);
        check(bob.peer.encapsulate(big, 32, 1400, bob), "sent at once on the confirmed session");
        v = deliver(bToA, alice);
        check(v == Verdict.DELIVER, "alice got bob's packet");

        step("an attacker replays alice's captured data message to bob");
        v = bob.node.decapsulate(captured, 0, captured.length, new byte[] {(byte) 192, 0, 2, 66}, 4444, bob, r);
        check(v == Verdict.DROP_REPLAY, "refused by the replay window (" + v + ")");
        byte[] forged = captured.clone();
        forged[20] ^= 1;
        v = bob.node.decapsulate(forged, 0, forged.length, new byte[] {(byte) 192, 0, 2, 66}, 4444, bob, r);
        check(v == Verdict.DROP_DECRYPT, "a forged copy fails authentication (" + v + ")");

        out.println();
        out.printf("  transfer: alice sent %d B, received %d B; bob sent %d B, received %d B%n",
                alice.peer.txBytes(), alice.peer.rxBytes(), bob.peer.txBytes(), bob.peer.rxBytes());
        out.println();
        if (failures == 0) {
            out.println("self-check passed. Next: 'sudo bin/jwg demo' runs real tunnels in network namespaces.");
            return 0;
        }
        out.println("self-check FAILED: " + failures + " step(s) did not behave as WireGuard must");
        return 1;
    }

    private Verdict deliver(Deque<Datagram> wire, Host to) {
        Datagram d = wire.pollFirst();
        if (d == null) {
            return Verdict.DROP_MALFORMED;
        }
        byte[] b = d.bytes();
        return to.node.decapsulate(b, 0, b.length, new byte[] {(byte) 192, 0, 2, 9}, 51820, to, new Received());
    }

    private static byte[] ipv4Ping(int src, int dst) {
        byte[] p = new byte[84];
        p[0] = 0x45;
        p[3] = 84;
        p[8] = 64;
        p[9] = 1;
        for (int i = 0; i < 4; i++) {
            p[12 + i] = (byte) (src >>> (24 - 8 * i));
            p[16 + i] = (byte) (dst >>> (24 - 8 * i));
        }
        p[20] = 8;
        for (int i = 28; i < 84; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    private int stepNo;

    private void step(String what) {
        out.println(String.format("%2d. %s", ++stepNo, what));
    }

    private void ok(String what) {
        out.println("     ok: " + what);
    }

    private void check(boolean condition, String what) {
        if (condition) {
            ok(what);
        } else {
            failures++;
            out.println("     FAILED: " + what);
        }
    }
}
