package dev.jwg.core.tunnel;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.routing.IpPrefix;
import dev.jwg.core.testkit.FakeClock;
import dev.jwg.core.testkit.Packets;
import dev.jwg.core.testkit.ScriptedRandom;
import dev.jwg.core.wire.Messages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Two nodes joined by an in-memory channel that can lose, reorder and duplicate datagrams, on a
 * fake clock. Each side owns a {@link Transmit} that puts what its node sends on the channel.
 */
final class TwoPeerHarness {
    final FakeClock clock = new FakeClock();
    final SplittableRandom net;
    final Side a;
    final Side b;
    double loss;
    double duplicate;
    boolean reorder;
    /** Datagrams for which this returns false are dropped on the wire. */
    Predicate<Datagram> filter = d -> true;
    final List<Datagram> inFlight = new ArrayList<>();
    /** Every datagram ever put on the wire, for captures and assertions. */
    final List<Datagram> sent = new ArrayList<>();

    record Datagram(Side from, Side to, byte[] bytes, long sentAt) {
        int type() { return Messages.typeOf(bytes, 0, bytes.length); }

        boolean isKeepalive() { return type() == Messages.TYPE_TRANSPORT && bytes.length == 32; }

        boolean isData() { return type() == Messages.TYPE_TRANSPORT && bytes.length > 32; }
    }

    final class Side implements Transmit {
        final String name;
        final Node node;
        final ScriptedRandom rng;
        final PrivateKey key;
        final int ip;
        final byte[] udpAddress;
        final int udpPort;
        Side other;
        Peer peer;
        final List<byte[]> delivered = new ArrayList<>();
        final Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
        int authenticated;
        /** False: the peer has no endpoint, nothing can be sent to it. */
        boolean connected = true;

        Side(String name, long seed, int ip, int lastOctet, AeadBackend aead) {
            this.name = name;
            this.rng = new ScriptedRandom(seed);
            this.node = new Node(clock, rng, aead);
            this.key = PrivateKey.generate(rng);
            this.node.setPrivateKey(key);
            this.ip = ip;
            this.udpAddress = new byte[] {(byte) 192, 0, 2, (byte) lastOctet};
            this.udpPort = 51820 + lastOctet;
        }

        @Override
        public void authenticated(Peer p) { authenticated++; }

        @Override
        public boolean toPeer(Peer p, byte[] buf, int off, int len) {
            if (!connected) {
                return false;
            }
            put(this, other, java.util.Arrays.copyOfRange(buf, off, off + len));
            return true;
        }

        @Override
        public void toSource(byte[] buf, int off, int len) {
            put(this, other, java.util.Arrays.copyOfRange(buf, off, off + len));
        }

        int count(Verdict v) { return verdicts.getOrDefault(v, 0); }

        /** Sends one IPv4 packet with sequence number {@code seq} to the other side; true if it went out at once. */
        boolean sendIp(int seq, int payloadLen) {
            byte[] pkt = Packets.ipv4(ip, other.ip, seq, payloadLen);
            Peer p = node.route(pkt, Packets.HEADROOM, 20 + payloadLen);
            if (p == null) {
                throw new AssertionError(name + ": no route");
            }
            return p.encapsulate(pkt, Packets.HEADROOM, 20 + payloadLen, this);
        }

        List<Integer> deliveredSeqs() {
            List<Integer> s = new ArrayList<>();
            for (byte[] pkt : delivered) {
                s.add(Packets.getInt(pkt, 20));
            }
            return s;
        }

        @Override
        public String toString() { return name; }
    }

    TwoPeerHarness(long seed) {
        this(seed, null, null);
    }

    TwoPeerHarness(long seed, PresharedKey pskA, PresharedKey pskB) {
        this(seed, pskA, pskB, AeadBackend.JDK);
    }

    /** Both nodes key their sessions with {@code aead}. */
    TwoPeerHarness(long seed, PresharedKey pskA, PresharedKey pskB, AeadBackend aead) {
        net = new SplittableRandom(seed);
        a = new Side("A", seed * 2 + 1, Packets.addr(10, 0, 0, 1), 1, aead);
        b = new Side("B", seed * 2 + 2, Packets.addr(10, 0, 0, 2), 2, aead);
        a.other = b;
        b.other = a;
        a.peer = a.node.addPeer(b.key.publicKey(), a).orElseThrow();
        b.peer = b.node.addPeer(a.key.publicKey(), b).orElseThrow();
        a.node.allowedIps().insert(IpPrefix.parse("10.0.0.2/32"), a.peer);
        b.node.allowedIps().insert(IpPrefix.parse("10.0.0.1/32"), b.peer);
        if (pskA != null) {
            a.peer.setPresharedKey(pskA);
        }
        if (pskB != null) {
            b.peer.setPresharedKey(pskB);
        }
        a.node.setUp(true, a);
        b.node.setUp(true, b);
    }

    private void put(Side from, Side to, byte[] bytes) {
        Datagram d = new Datagram(from, to, bytes, clock.nanoTime());
        sent.add(d);
        inFlight.add(d);
    }

    /** Delivers everything in flight (and whatever that provokes) until the wire is quiet. */
    void deliverAll() {
        for (int rounds = 0; !inFlight.isEmpty(); rounds++) {
            if (rounds > 10_000) {
                throw new AssertionError("the channel never went quiet");
            }
            List<Datagram> batch = new ArrayList<>(inFlight);
            inFlight.clear();
            if (reorder) {
                Collections.shuffle(batch, new java.util.Random(net.nextLong()));
            }
            for (Datagram d : batch) {
                if (!filter.test(d) || net.nextDouble() < loss) {
                    continue;
                }
                deliver(d);
                if (net.nextDouble() < duplicate) {
                    deliver(d);
                }
            }
        }
    }

    /** Hands one datagram to its destination node, as the runtime would. */
    Verdict deliver(Datagram d) {
        byte[] buf = d.bytes.clone();
        Received r = new Received();
        Verdict v = d.to.node.decapsulate(buf, 0, buf.length, d.from.udpAddress, d.from.udpPort, d.to, r);
        d.to.verdicts.merge(v, 1, Integer::sum);
        if (v == Verdict.DELIVER) {
            d.to.delivered.add(java.util.Arrays.copyOfRange(buf, r.offset(), r.offset() + r.length()));
        }
        return v;
    }

    /** Advances the clock by {@code seconds} in steps of {@code step}, ticking both nodes and delivering. */
    void run(double seconds, double step) {
        long steps = Math.round(seconds / step);
        for (long i = 0; i < steps; i++) {
            clock.advanceSeconds(step);
            a.node.tick(a);
            b.node.tick(b);
            deliverAll();
        }
    }

    void run(double seconds) { run(seconds, 0.1); }

    long count(Predicate<Datagram> p) {
        return sent.stream().filter(p).count();
    }
}
