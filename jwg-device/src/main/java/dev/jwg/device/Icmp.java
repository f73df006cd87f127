package dev.jwg.device;

import java.nio.ByteBuffer;

/**
 * "Destination unreachable" answers for packets the TUN gave us that no peer's allowed IPs cover,
 * as the kernel's WireGuard does (docs/protocol.md §3.9, netns scenario 16): ICMPv4 type 3 code 1
 * (host unreachable) or ICMPv6 type 1 code 3 (address unreachable), quoting the start of the
 * offending packet. The answer appears to come from the unreachable destination itself (a source
 * that is local to this host would be dropped as martian). Errors are never answered with errors.
 * Stateless and thread-safe.
 */
final class Icmp {
    private Icmp() {}

    /** Largest answer (an ICMPv6 error fills the IPv6 minimum MTU). */
    static final int MAX_ANSWER = 1280;
    /** Size of the caller's scratch array: the answer, then the start of the offending packet. */
    static final int SCRATCH = 2 * MAX_ANSWER;

    /**
     * Builds the answer to the packet at {@code mem[off, off+len)} at {@code scratch[0]} (an array of
     * {@link #SCRATCH} bytes, whose second half holds a copy of the packet's start meanwhile); returns
     * its length, 0 when no answer is due.
     */
    static int unreachable(ByteBuffer mem, int off, int len, byte[] scratch) {
        int copied = Math.min(len, MAX_ANSWER);
        mem.get(off, scratch, MAX_ANSWER, copied);
        return unreachable(scratch, MAX_ANSWER, len, copied, scratch);
    }

    /** The answer to the packet of {@code len} bytes whose first {@code copied} are at {@code p[off]}, built at {@code out[0]}. */
    private static int unreachable(byte[] p, int off, int len, int copied, byte[] out) {
        if (len < 1) {
            return 0;
        }
        int version = (p[off] & 0xff) >>> 4;
        if (version == 4) {
            return v4(p, off, len, copied, out);
        }
        if (version == 6) {
            return v6(p, off, len, copied, out);
        }
        return 0;
    }

    /** {@link #unreachable(ByteBuffer, int, int, byte[])} of a packet in an array (tests). */
    static int unreachable(byte[] p, int off, int len, byte[] scratch) {
        return unreachable(ByteBuffer.wrap(p), off, len, scratch);
    }

    private static int v4(byte[] p, int off, int len, int copied, byte[] b) {
        if (len < 20) {
            return 0;
        }
        int ihl = (p[off] & 0x0f) * 4;
        if (ihl < 20 || ihl > len) {
            return 0;
        }
        int fragOffset = ((p[off + 6] & 0x1f) << 8) | (p[off + 7] & 0xff);
        int dst0 = p[off + 16] & 0xff;
        if (fragOffset != 0 || dst0 >= 224 || (p[off + 16] & p[off + 17] & p[off + 18] & p[off + 19]) == (byte) 0xff) {
            return 0;
        }
        if (p[off + 9] == 1 && len > ihl) {
            int type = p[off + ihl] & 0xff;
            if (type != 0 && type != 8 && type != 13 && type != 14) {
                return 0;
            }
        }
        int quote = Math.min(len, 548);
        int total = 20 + 8 + quote;
        int o = 0;
        java.util.Arrays.fill(b, o, o + 28, (byte) 0);
        b[o] = 0x45;
        b[o + 2] = (byte) (total >>> 8);
        b[o + 3] = (byte) total;
        b[o + 8] = 64;
        b[o + 9] = 1;
        System.arraycopy(p, off + 16, b, o + 12, 4);
        System.arraycopy(p, off + 12, b, o + 16, 4);
        put16(b, o + 10, checksum(b, o, 20, 0));
        b[o + 20] = 3;
        b[o + 21] = 1;
        System.arraycopy(p, off, b, o + 28, quote);
        put16(b, o + 22, checksum(b, o + 20, 8 + quote, 0));
        return total;
    }

    private static int v6(byte[] p, int off, int len, int copied, byte[] b) {
        if (len < 40 || (p[off + 24] & 0xff) == 0xff) {
            return 0;
        }
        if (p[off + 6] == 58 && len > 40 && (p[off + 40] & 0xff) < 128) {
            return 0;
        }
        int quote = Math.min(len, MAX_ANSWER - 48);
        int payload = 8 + quote;
        int o = 0;
        java.util.Arrays.fill(b, o, o + 48, (byte) 0);
        b[o] = 0x60;
        b[o + 4] = (byte) (payload >>> 8);
        b[o + 5] = (byte) payload;
        b[o + 6] = 58;
        b[o + 7] = 64;
        System.arraycopy(p, off + 24, b, o + 8, 16);
        System.arraycopy(p, off + 8, b, o + 24, 16);
        b[o + 40] = 1;
        b[o + 41] = 3;
        System.arraycopy(p, off, b, o + 48, quote);
        long pseudo = sum(b, o + 8, 32) + payload + 58;
        put16(b, o + 42, checksum(b, o + 40, payload, pseudo));
        return 40 + payload;
    }

    private static long sum(byte[] b, int off, int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xff) << 8;
        }
        return s;
    }

    static int checksum(byte[] b, int off, int len, long initial) {
        long s = initial + sum(b, off, len);
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
