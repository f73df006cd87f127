package dev.jwg.bench;

import dev.jwg.device.io.PacketBatch;
import dev.jwg.linux.NativePacketMemory;
import dev.jwg.linux.gso.GsoSplitter;
import dev.jwg.linux.gso.TcpCoalescer;
import dev.jwg.linux.gso.VirtioNetHdr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * ({@code split}: {@link GsoSplitter#load} + {@link GsoSplitter#split}, from a native read buffer into
 * the slots of a batch in native packet memory), and on the receiving side the decrypted segments of
 * one batch are checked and coalesced back into one super-packet for the TUN ({@code coalesce}:
 * {@link TcpCoalescer#write} building the iovecs; the sink only consumes them, and the first
 * segment's headers, which coalescing rewrites in place, are put back each time). Divide by
 * {@link #SEGMENTS} for the cost per packet. Figures: docs/performance.md.
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

    private MemorySegment superPacket;
    private int superLength;
    private final VirtioNetHdr hdr = new VirtioNetHdr();
    private final GsoSplitter splitter = new GsoSplitter();
    private PacketBatch out;
    private MemorySegment outMem;
    private PacketBatch segments;
    private MemorySegment mem;
    private MemorySegment iovs;
    private byte[] headHeaders;
    private final TcpCoalescer coalescer = new TcpCoalescer(true);
    private TcpCoalescer.Sink sink;

    @Setup
    public void setup(Blackhole bh) throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        superLength = HEADERS + SEGMENTS * MSS;
        byte[] p = new byte[superLength];
        rng.nextBytes(p);
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
        superPacket = Arena.ofAuto().allocate(superLength + 16, 64);
        MemorySegment.copy(p, 0, superPacket, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, superLength);
        NativePacketMemory memory = new NativePacketMemory(2L * 128 * PacketBatch.REGION);
        out = memory.newBatch(128);
        outMem = MemorySegment.ofBuffer(out.memory());
        segments = memory.newBatch(128);
        mem = MemorySegment.ofBuffer(segments.memory());
        iovs = Arena.ofAuto().allocate(16L * 128, 8);
        if (!splitter.load(superPacket, 0, superLength, hdr) || splitter.split(segments, mem, 0, 128) != SEGMENTS) {
            throw new IllegalStateException("the super-packet does not split into " + SEGMENTS + " segments");
        }
        segments.setCount(SEGMENTS);
        headHeaders = new byte[HEADERS];
        segments.memory().get(segments.offset(0), headHeaders);
        sink = new TcpCoalescer.Sink() {
            @Override
            public void write(long address, int length) {
                bh.consume(length);
            }

            @Override
            public void writev(long iov, int count) {
                bh.consume(count);
            }
        };
        coalesce();
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
        int n = splitter.split(out, outMem, 0, 128);
        out.clear();
        return n;
    }

    @Benchmark
    public long coalesce() throws Exception {
        segments.memory().put(segments.offset(0), headHeaders);
        coalescer.write(segments, 0, SEGMENTS, mem, mem.address(), iovs, iovs.address(), sink);
        return coalescer.superPackets();
    }
}
