package dev.jwg.bench;

import dev.jwg.core.routing.AllowedIps;
import dev.jwg.core.routing.IpPrefix;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-packet allowed-IPs lookup: 10,000 peers, each with a random IPv4 /32 and an IPv6 /128 in
 * {@code fd00::/8}, plus {@code 0.0.0.0/0} and {@code ::/0} on one more peer. Addresses are read
 * straight out of a packet-like buffer, as the send and receive paths do.
 *
 * <p>Run: {@code java -cp 'jwg-bench/target/classes:jwg-bench/target/lib/*' org.openjdk.jmh.Main TrieBench}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TrieBench {

    private static final int PEERS = 10_000;
    private static final int QUERIES = 1 << 12; // power of two

    private AllowedIps<Object> table;
    /** QUERIES IPv4 addresses of peers, 4 bytes each. */
    private byte[] hits4;
    /** QUERIES IPv6 addresses of peers, 16 bytes each. */
    private byte[] hits6;
    /** QUERIES IPv4 addresses that only the default route matches. */
    private byte[] misses4;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(10_000);
        table = new AllowedIps<>();
        byte[][] v4 = new byte[PEERS][];
        byte[][] v6 = new byte[PEERS][];
        for (int i = 0; i < PEERS; i++) {
            Object peer = new Object();
            v4[i] = new byte[4];
            rnd.nextBytes(v4[i]);
            v4[i][3] |= 1; // odd host part: even addresses are misses
            v6[i] = new byte[16];
            rnd.nextBytes(v6[i]);
            v6[i][0] = (byte) 0xfd;
            table.insert(IpPrefix.of(v4[i], 32), peer);
            table.insert(IpPrefix.of(v6[i], 128), peer);
        }
        Object gateway = new Object();
        table.insert(IpPrefix.parse("0.0.0.0/0"), gateway);
        table.insert(IpPrefix.parse("::/0"), gateway);
        hits4 = new byte[QUERIES * 4];
        hits6 = new byte[QUERIES * 16];
        misses4 = new byte[QUERIES * 4];
        for (int q = 0; q < QUERIES; q++) {
            int p = rnd.nextInt(PEERS);
            System.arraycopy(v4[p], 0, hits4, q * 4, 4);
            System.arraycopy(v6[p], 0, hits6, q * 16, 16);
            byte[] miss = new byte[4];
            rnd.nextBytes(miss);
            miss[3] &= ~1;
            System.arraycopy(miss, 0, misses4, q * 4, 4);
        }
    }

    /** Walks the query arrays; one per benchmark thread. */
    @State(Scope.Thread)
    public static class Cursor {
        int i;

        int next() {
            i = (i + 1) & (QUERIES - 1);
            return i;
        }
    }

    @Benchmark
    public Object lookupV4Peer(Cursor c) {
        return table.lookup(hits4, c.next() * 4, 4);
    }

    @Benchmark
    public Object lookupV6Peer(Cursor c) {
        return table.lookup(hits6, c.next() * 16, 6);
    }

    @Benchmark
    public Object lookupV4DefaultRoute(Cursor c) {
        return table.lookup(misses4, c.next() * 4, 4);
    }
}
