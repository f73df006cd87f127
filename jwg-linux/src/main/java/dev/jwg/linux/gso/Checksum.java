package dev.jwg.linux.gso;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) over heap arrays, with the TCP/UDP pseudo-headers of RFC 793
 * (IPv4) and RFC 8200 §8.1 (IPv6).
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

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Adds {@code b[off, off+len)} to {@code sum}; an odd last byte counts as its word's high byte. */
    public static long add(long sum, byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        long other = 0;
        // Two independent sums of 16 bytes per round: about twice as fast as one of 8 (measured).
        for (; i + 16 <= end; i += 16) {
            long v = (long) LONG.get(b, i);
            long w = (long) LONG.get(b, i + 8);
            sum += (v >>> 32) + (v & 0xffff_ffffL);
            other += (w >>> 32) + (w & 0xffff_ffffL);
        }
        sum += other;
        if (i + 8 <= end) {
            long v = (long) LONG.get(b, i);
            sum += (v >>> 32) + (v & 0xffff_ffffL);
            i += 8;
        }
        if (i + 4 <= end) {
            sum += Integer.toUnsignedLong((int) INT.get(b, i));
            i += 4;
        }
        if (i + 2 <= end) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            i += 2;
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
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
    public static long pseudoHeader(byte[] b, int ip, boolean v6, int protocol, int transportLength) {
        long sum = v6 ? add(0, b, ip + 8, 32) : add(0, b, ip + 12, 8);
        return sum + protocol + transportLength;
    }

    /** The IPv4 header checksum of the header at {@code ip} (its checksum field counted as zero). */
    public static int ipv4Header(byte[] b, int ip, int headerLength) {
        long sum = add(0, b, ip, headerLength);
        sum -= ((b[ip + 10] & 0xff) << 8) | (b[ip + 11] & 0xff);
        return finish(sum);
    }

    /** True when the TCP/UDP checksum of the packet (pseudo-header, header and payload) verifies. */
    public static boolean transportValid(byte[] b, int ip, int length, boolean v6, int protocol, int transportOffset) {
        int transportLength = length - transportOffset;
        long sum = pseudoHeader(b, ip, v6, protocol, transportLength);
        sum = add(sum, b, ip + transportOffset, transportLength);
        return fold(sum) == 0xffff;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    static void putU16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static int u32(byte[] b, int i) {
        return (int) INT.get(b, i);
    }

    static void putU32(byte[] b, int i, int v) {
        INT.set(b, i, v);
    }
}
