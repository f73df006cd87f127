package dev.jwg.bench;

import dev.jwg.core.Clock;
import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.routing.IpPrefix;
import dev.jwg.core.tunnel.Node;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.core.tunnel.Received;
import dev.jwg.core.tunnel.Transmit;
import dev.jwg.core.tunnel.Verdict;
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
 * The protocol core's whole data path for a batch, in memory, as the device's two data threads drive
 * it: on node A, for each of {@link #BATCH} IPv4 packets of {@code size} bytes, the allowed-IPs route
 * ({@link Node#route}) and {@link Peer#encapsulate} (padding, header, seal in place, timers), the
 * message copied into an outbox slot as the device's {@code Outbox} does; then on node B
 * {@link Node#decapsulate} of each message (index lookup, open in place, replay window, timers,
 * allowed-IPs source check). Scores are per packet ({@code @OperationsPerInvocation}); with
 * {@code -prof gc} the B/op column is the garbage per packet of the round.
 *
 * <p>Measured (JDK 25.0.3, OpenSSL 3.0.19, AMD EPYC VM, 2 shared cores, JMH 2 forks × 6 × 1 s,
 * {@code -prof gc}; median and best iteration, ns and bytes per packet, send and receive together):
 * <pre>
 *                 64 B: median   best    B/op     1420 B: median   best    B/op
 *   jdk                  2411    1761    4456                 2986    2809    4440
 *   openssl               938     882       0                 2067    2045       0
 * </pre>
 * With OpenSSL the core's whole data path allocates nothing; with the JDK the garbage is the two
 * {@code Cipher.init}s (seal and open, 2.2 KB each).
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

    @Param({"jdk", "openssl"})
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
    private final byte[][] packets = new byte[BATCH][];
    private byte[] template;
    private final byte[][] outbox = new byte[BATCH][2048];
    private final int[] outboxLength = new int[BATCH];
    private int queued;
    private final byte[] source = {(byte) 192, 0, 2, 1};
    private final Received received = new Received();
    private Transmit toOutbox;
    private Transmit atB;

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
        for (int i = 0; i < BATCH; i++) {
            packets[i] = template.clone();
        }
        // Handshake: the first packet is staged and triggers it; it then goes out on the new session.
        bAtA.encapsulate(packets[0].clone(), HEADROOM, size, setupA);
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
        toOutbox = new Transmit() {
            @Override
            public void authenticated(Peer peer) {}

            @Override
            public boolean toPeer(Peer peer, byte[] buf, int off, int len) {
                System.arraycopy(buf, off, outbox[queued], 0, len);
                outboxLength[queued++] = len;
                return true;
            }

            @Override
            public void toSource(byte[] buf, int off, int len) {}
        };
        atB = new Transmit() {
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
        queued = 0;
        for (int i = 0; i < BATCH; i++) {
            byte[] p = packets[i];
            System.arraycopy(template, HEADROOM, p, HEADROOM, size); // a fresh plaintext, as a TUN read gives
            Peer peer = a.route(p, HEADROOM, size);
            peer.encapsulate(p, HEADROOM, size, toOutbox);
        }
        int delivered = 0;
        for (int i = 0; i < queued; i++) {
            if (b.decapsulate(outbox[i], 0, outboxLength[i], source, 51820, atB, received) == Verdict.DELIVER) {
                delivered++;
            }
        }
        return delivered;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int encapsulateDecapsulate() {
        return round();
    }
}
