package dev.jwg.bench;

import dev.jwg.core.Clock;
import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.routing.IpPrefix;
import dev.jwg.core.tunnel.Keypair;
import dev.jwg.core.tunnel.Node;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.core.tunnel.Received;
import dev.jwg.core.tunnel.SendReservation;
import dev.jwg.core.tunnel.Transmit;
import dev.jwg.core.tunnel.Verdict;
import dev.jwg.device.io.PacketBatch;
import dev.jwg.linux.NativePacketMemory;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The protocol core's whole data path for a batch, in memory, as the device drives it with one crypto
 * worker: on node A, {@link #BATCH} IPv4 packets of {@code size} bytes are copied into the slots of a
 * batch in native packet memory (as a TUN read does), routed ({@link Node#route}), given counters for
 * the whole run ({@link Peer#reserveSend}) and sealed in place ({@link Keypair#seal}); on node B each
 * message is copied into a slot of another batch (as a UDP receive does), its keypair found
 * ({@link Node#transportKeypair}), opened in place ({@link Keypair#open}) and checked
 * ({@link Node#receiveOpened}: replay window, timers, allowed-IPs source). Scores are per packet
 * ({@code @OperationsPerInvocation}), send and receive together; with {@code -prof gc} the B/op
 * column is the garbage per packet. Figures: docs/performance.md.
 *
 * <p>Run: {@code java -cp 'jwg-bench/target/classes:jwg-bench/target/lib/*' org.openjdk.jmh.Main DataPathBench
 * -f 2 -wi 3 -i 6 -w 1 -r 1 -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DataPathBench {
    static final int BATCH = 32;
    private static final int HEADROOM = 32;

    @Param({"jdk", "openssl-evp", "openssl"})
    String backend;

    @Param({"64", "1420"})
    int size;

    /** A clock that stands still: no timer fires and no session ages during the benchmark. */
    private static final Clock FROZEN = new Clock() {
        @Override
        public long nanoTime() { return 1_000_000_000_000L; }

        @Override
        public long epochNanos() { return 1_700_000_000_000_000_000L; }
    };

    private Node a;
    private Node b;
    private Peer bAtA;
    private byte[] template;
    private PacketBatch sent;
    private PacketBatch got;
    private ByteBuffer sentMem;
    private ByteBuffer gotMem;
    private final SendReservation reservation = new SendReservation();
    private final byte[] source = {(byte) 192, 0, 2, 1};
    private final Received received = new Received();
    private Transmit quiet;

    /** Setup only: datagrams between the nodes during the handshake. */
    private final ArrayDeque<byte[]> toB = new ArrayDeque<>();
    private final ArrayDeque<byte[]> toA = new ArrayDeque<>();

    @Setup
    public void setup() {
        AeadBackend aead = AeadBench.backend(backend);
        SplittableRandom rng = new SplittableRandom(7);
        a = new Node(FROZEN, rng.split(), aead);
        b = new Node(FROZEN, rng.split(), aead);
        PrivateKey ka = PrivateKey.generate(rng.split());
        PrivateKey kb = PrivateKey.generate(rng.split());
        a.setPrivateKey(ka);
        b.setPrivateKey(kb);
        Transmit setupA = capture(toB);
        Transmit setupB = capture(toA);
        bAtA = a.addPeer(kb.publicKey(), setupA).orElseThrow();
        Peer aAtB = b.addPeer(ka.publicKey(), setupB).orElseThrow();
        a.allowedIps().insert(IpPrefix.parse("10.0.0.2/32"), bAtA);
        b.allowedIps().insert(IpPrefix.parse("10.0.0.1/32"), aAtB);
        a.setUp(true, setupA);
        b.setUp(true, setupB);

        template = new byte[HEADROOM + size + 64];
        rng.nextBytes(template);
        template[HEADROOM] = 0x45;
        template[HEADROOM + 2] = (byte) (size >>> 8);
        template[HEADROOM + 3] = (byte) size;
        System.arraycopy(new byte[] {10, 0, 0, 1, 10, 0, 0, 2}, 0, template, HEADROOM + 12, 8);
        NativePacketMemory memory = new NativePacketMemory(2L * BATCH * PacketBatch.REGION);
        sent = memory.newBatch(BATCH);
        got = memory.newBatch(BATCH);
        sentMem = sent.memory();
        gotMem = got.memory();
        // Handshake: the first packet is staged and triggers it; it then goes out on the new session.
        bAtA.encapsulate(template.clone(), HEADROOM, size, setupA);
        while (!toB.isEmpty() || !toA.isEmpty()) {
            while (!toB.isEmpty()) {
                byte[] d = toB.poll();
                b.decapsulate(d, 0, d.length, source, 51820, setupB, new Received());
            }
            while (!toA.isEmpty()) {
                byte[] d = toA.poll();
                a.decapsulate(d, 0, d.length, source, 51821, setupA, new Received());
            }
        }
        if (!bAtA.hasSession() || !aAtB.hasSession()) {
            throw new IllegalStateException("no session after the handshake");
        }
        quiet = new Transmit() {
            @Override
            public void authenticated(Peer peer) {}

            @Override
            public boolean toPeer(Peer peer, byte[] buf, int off, int len) { return true; }

            @Override
            public void toSource(byte[] buf, int off, int len) {}
        };
        if (round() != BATCH) {
            throw new IllegalStateException("the round does not deliver every packet");
        }
    }

    private static Transmit capture(ArrayDeque<byte[]> wire) {
        return new Transmit() {
            @Override
            public void authenticated(Peer peer) {}

            @Override
            public boolean toPeer(Peer peer, byte[] buf, int off, int len) {
                wire.add(Arrays.copyOfRange(buf, off, off + len));
                return true;
            }

            @Override
            public void toSource(byte[] buf, int off, int len) {}
        };
    }

    /** One batch through A's send path and B's receive path; returns the packets delivered. */
    private int round() {
        int mtu = a.mtu();
        for (int i = 0; i < BATCH; i++) {
            sent.put(i, template, HEADROOM, size); // the TUN read's copy
            if (a.route(sentMem, sent.offset(i), size) != bAtA) {
                throw new IllegalStateException("not routed");
            }
        }
        int n = bAtA.reserveSend(BATCH, reservation, quiet);
        Keypair kp = reservation.keypair();
        long counter = reservation.first();
        for (int i = 0; i < n; i++) {
            int off = sent.offset(i);
            int len = kp.seal(counter++, sentMem, off, size, mtu);
            sent.set(i, off - 16, len);
        }
        int delivered = 0;
        for (int i = 0; i < n; i++) {
            int at = got.region(i) + PacketBatch.HEADROOM;
            int len = sent.length(i);
            gotMem.put(at, sentMem, sent.offset(i), len); // the UDP receive's copy
            Keypair k = b.transportKeypair(gotMem, at, len);
            int plain = k.open(gotMem, at, len);
            if (b.receiveOpened(k, gotMem, at, len, plain, quiet, received) == Verdict.DELIVER) {
                delivered++;
            }
        }
        return delivered;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int sealOpen() {
        return round();
    }
}
