package dev.jwg.bench;

import dev.jwg.device.io.PacketBatch;
import dev.jwg.linux.gso.GsoSplitter;
import dev.jwg.linux.gso.TcpCoalescer;
import dev.jwg.linux.gso.VirtioNetHdr;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The TUN offload work per super-packet, as a TCP stream through a tunnel with MTU 1420 produces it:
 * a 64 KiB TCP/IPv4 super-packet read from the TUN (IP + TCP headers with timestamps, 52 bytes, then
 * {@link #SEGMENTS} × 1368 bytes of payload) is cut into MTU-sized segments with their own checksums
 * ({@code split}: {@link GsoSplitter#load} + {@link GsoSplitter#split}), and on the receiving side the
 * decrypted segments of one batch are checked and coalesced back into one super-packet for the TUN
 * ({@code coalesce}: {@link TcpCoalescer#write}, the sink only consumes it). Divide by {@link #SEGMENTS}
 * for the cost per packet.
 *
 * <p>Measured (JDK 25.0.3, AMD EPYC VM, 2 shared cores, JMH 2 forks × 6 × 1 s, {@code -prof gc}; median
 * and best iteration): {@code split} 11.6 µs (best 11.5) per super-packet, 246 ns per segment;
 * {@code coalesce} 7.4 µs (best 7.1), 157 ns per segment, checksums of every segment included; both
 * allocate nothing (0.08 B/op is JMH's own).
 *
 * <p>Run: {@code java -cp 'jwg-bench/target/classes:jwg-bench/target/lib/*' org.openjdk.jmh.Main GsoBench
 * -f 2 -wi 3 -i 6 -w 1 -r 1 -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class GsoBench {
    /** Segments per super-packet: 47 × 1368 + 52 = 64348 bytes, the most that fits 64 KiB. */
    static final int SEGMENTS = 47;
    static final int MSS = 1368;
    private static final int IP = 20;
    private static final int TCP = 32;
    private static final int HEADERS = IP + TCP;

    private byte[] superPacket;
    private int superLength;
    private final VirtioNetHdr hdr = new VirtioNetHdr();
    private final GsoSplitter splitter = new GsoSplitter();
    private PacketBatch out;
    private PacketBatch segments;
    private final TcpCoalescer coalescer = new TcpCoalescer(true);
    private TcpCoalescer.Sink sink;

    @Setup
    public void setup(Blackhole bh) throws java.io.IOException {
        SplittableRandom rng = new SplittableRandom(3);
        superLength = HEADERS + SEGMENTS * MSS;
        superPacket = new byte[superLength];
        rng.nextBytes(superPacket);
        byte[] p = superPacket;
        p[0] = 0x45;
        put16(p, 2, superLength);
        put16(p, 4, 0x1234);
        p[6] = 0x40; // DF
        p[7] = 0;
        p[8] = 64;
        p[9] = 6;
        byte[] src = {10, 0, 0, 1};
        byte[] dst = {10, 0, 0, 2};
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        int t = IP;
        put16(p, t, 5201);
        put16(p, t + 2, 40000);
        p[t + 12] = (byte) ((TCP / 4) << 4);
        p[t + 13] = 0x10; // ACK
        byte[] timestamps = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
        System.arraycopy(timestamps, 0, p, t + 20, timestamps.length);
        hdr.flags = VirtioNetHdr.F_NEEDS_CSUM;
        hdr.gsoType = VirtioNetHdr.GSO_TCPV4;
        hdr.hdrLen = HEADERS;
        hdr.gsoSize = MSS;
        hdr.csumStart = IP;
        hdr.csumOffset = VirtioNetHdr.TCP_CSUM_OFFSET;
        out = new PacketBatch(128, 1440);
        segments = new PacketBatch(128, 1440);
        if (!splitter.load(superPacket, 0, superLength, hdr) || splitter.split(segments, 0, 128) != SEGMENTS) {
            throw new IllegalStateException("the super-packet does not split into " + SEGMENTS + " segments");
        }
        segments.setCount(SEGMENTS);
        sink = (b, off, len) -> bh.consume(len);
        coalescer.write(segments, sink);
        if (coalescer.superPackets() != 1) {
            throw new IllegalStateException("the segments do not coalesce into one super-packet");
        }
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    @Benchmark
    public int split() {
        splitter.load(superPacket, 0, superLength, hdr);
        int n = splitter.split(out, 0, 128);
        out.clear();
        return n;
    }

    @Benchmark
    public long coalesce() throws Exception {
        coalescer.write(segments, sink);
        return coalescer.superPackets();
    }
}
