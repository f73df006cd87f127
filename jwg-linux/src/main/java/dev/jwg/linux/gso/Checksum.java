package dev.jwg.linux.gso;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) over memory segments (packet memory, or arrays wrapped with
 * {@link MemorySegment#ofArray(byte[])}), with the TCP/UDP pseudo-headers of RFC 793 (IPv4) and
 * RFC 8200 §8.1 (IPv6).
 *
 * <p>Sums are kept unfolded in a {@code long}: big-endian 32-bit words are added (which, folded,
 * equals the sum of 16-bit words, because 2^16 ≡ 1 modulo 0xffff), so a caller can add several
 * pieces and {@link #fold} once. Every piece but the last must have an even length, as the 16-bit
 * word boundaries run from the start of the checksummed region. A {@code long} holds the sum of far
 * more than 64 KiB without overflowing.
 *
 * <p>Stateless and thread-safe.
 */
public final class Checksum {
    private Checksum() {}

    static final ValueLayout.OfLong LONG = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt INT = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfShort SHORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Little-endian longs for the bulk of a sum (see {@link #add}); jwg-linux runs on little-endian machines only. */
    private static final ValueLayout.OfLong LE = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Adds {@code s[off, off+len)} to {@code sum}; an odd last byte counts as its word's high byte.
     *
     * <p>Blocks of 64 bytes are summed in the machine's byte order (little-endian: no byte swap per
     * load) into eight independent sums, folded, and byte-swapped once: the one's-complement sum of
     * byte-swapped words is the byte-swapped sum (RFC 1071 §2(B)). Eight sums keep the adds
     * independent; the rest (under 64 bytes) goes word by word. Why not the Vector API, which is
     * faster still: docs/performance.md.
     */
    public static long add(long sum, MemorySegment s, long off, int len) {
        long end = off + len;
        long i = off;
        if (len >= 64) {
            long a = 0;
            long b = 0;
            long c = 0;
            long d = 0;
            long e = 0;
            long f = 0;
            long g = 0;
            long h = 0;
            for (; i + 64 <= end; i += 64) {
                long v0 = s.get(LE, i);
                long v1 = s.get(LE, i + 8);
                long v2 = s.get(LE, i + 16);
                long v3 = s.get(LE, i + 24);
                long v4 = s.get(LE, i + 32);
                long v5 = s.get(LE, i + 40);
                long v6 = s.get(LE, i + 48);
                long v7 = s.get(LE, i + 56);
                a += (v0 >>> 32) + (v0 & 0xffff_ffffL);
                b += (v1 >>> 32) + (v1 & 0xffff_ffffL);
                c += (v2 >>> 32) + (v2 & 0xffff_ffffL);
                d += (v3 >>> 32) + (v3 & 0xffff_ffffL);
                e += (v4 >>> 32) + (v4 & 0xffff_ffffL);
                f += (v5 >>> 32) + (v5 & 0xffff_ffffL);
                g += (v6 >>> 32) + (v6 & 0xffff_ffffL);
                h += (v7 >>> 32) + (v7 & 0xffff_ffffL);
            }
            int le = fold((a + b) + (c + d) + (e + f) + (g + h));
            sum += ((le & 0xff) << 8) | (le >>> 8);
        }
        long other = 0;
        // Two independent sums of 16 bytes per round, so that neither addition waits for the other.
        for (; i + 16 <= end; i += 16) {
            long v = s.get(LONG, i);
            long w = s.get(LONG, i + 8);
            sum += (v >>> 32) + (v & 0xffff_ffffL);
            other += (w >>> 32) + (w & 0xffff_ffffL);
        }
        sum += other;
        if (i + 8 <= end) {
            long v = s.get(LONG, i);
            sum += (v >>> 32) + (v & 0xffff_ffffL);
            i += 8;
        }
        if (i + 4 <= end) {
            sum += Integer.toUnsignedLong(s.get(INT, i));
            i += 4;
        }
        if (i + 2 <= end) {
            sum += u16(s, i);
            i += 2;
        }
        if (i < end) {
            sum += (s.get(JAVA_BYTE, i) & 0xff) << 8;
        }
        return sum;
    }

    /** Folds an unfolded sum to 16 bits (end-around carry), without complementing it. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The value to store in a checksum field: the complement of the folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /**
     * The unfolded pseudo-header sum of the IP packet at {@code ip}: source and destination address,
     * {@code protocol} and {@code transportLength} (the TCP/UDP header plus payload).
     */
    public static long pseudoHeader(MemorySegment s, long ip, boolean v6, int protocol, int transportLength) {
        long sum = v6 ? add(0, s, ip + 8, 32) : add(0, s, ip + 12, 8);
        return sum + protocol + transportLength;
    }

    /** The IPv4 header checksum of the header at {@code ip} (its checksum field counted as zero). */
    public static int ipv4Header(MemorySegment s, long ip, int headerLength) {
        long sum = add(0, s, ip, headerLength);
        sum -= u16(s, ip + 10);
        return finish(sum);
    }

    /** True when the TCP/UDP checksum of the packet (pseudo-header, header and payload) verifies. */
    public static boolean transportValid(MemorySegment s, long ip, int length, boolean v6, int protocol, int transportOffset) {
        int transportLength = length - transportOffset;
        long sum = pseudoHeader(s, ip, v6, protocol, transportLength);
        sum = add(sum, s, ip + transportOffset, transportLength);
        return fold(sum) == 0xffff;
    }

    static int u16(MemorySegment s, long i) {
        return Short.toUnsignedInt(s.get(SHORT, i));
    }

    static void putU16(MemorySegment s, long i, int v) {
        s.set(SHORT, i, (short) v);
    }

    static int u32(MemorySegment s, long i) {
        return s.get(INT, i);
    }

    static void putU32(MemorySegment s, long i, int v) {
        s.set(INT, i, v);
    }
}
