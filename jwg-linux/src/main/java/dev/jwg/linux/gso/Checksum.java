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

    /** Adds {@code s[off, off+len)} to {@code sum}; an odd last byte counts as its word's high byte. */
    public static long add(long sum, MemorySegment s, long off, int len) {
        long end = off + len;
        long i = off;
        long other = 0;
        // Two independent sums of 16 bytes per round: about twice as fast as one of 8 (measured).
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
