package dev.jwg.linux;

import java.util.Arrays;

/** Just enough IPv4/TCP for tests that play the far end of a TCP connection through a TUN. */
final class Tcp4 {
    private Tcp4() {}

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    /** A parsed segment; {@code payload} is a copy. */
    record Segment(byte[] src, byte[] dst, int srcPort, int dstPort, int seq, int ack, int flags, int window, byte[] payload) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    static int u32(byte[] b, int i) {
        return (u16(b, i) << 16) | u16(b, i + 2);
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, int v) {
        put16(b, i, v >>> 16);
        put16(b, i + 2, v);
    }

    /** The segment in {@code b[off, off+len)}, or null when it is not IPv4/TCP. */
    static Segment parse(byte[] b, int off, int len) {
        if (len < 40 || (b[off] & 0xf0) != 0x40 || b[off + 9] != 6) {
            return null;
        }
        int ihl = (b[off] & 0x0f) * 4;
        int t = off + ihl;
        int thl = ((b[t + 12] & 0xff) >>> 4) * 4;
        return new Segment(Arrays.copyOfRange(b, off + 12, off + 16), Arrays.copyOfRange(b, off + 16, off + 20), u16(b, t),
                u16(b, t + 2), u32(b, t + 4), u32(b, t + 8), b[t + 13] & 0xff, u16(b, t + 14),
                Arrays.copyOfRange(b, t + thl, off + len));
    }

    /** True when the IPv4 header checksum and the TCP checksum of the packet verify. */
    static boolean checksumsOk(byte[] b, int off, int len) {
        int ihl = (b[off] & 0x0f) * 4;
        if (Packets.checksum(b, off, ihl) != 0 || u16(b, off + 2) != len) {
            return false;
        }
        return tcpChecksum(b, off, len) == 0;
    }

    /** The complement of the TCP sum including the checksum field: 0 when the checksum is right. */
    private static int tcpChecksum(byte[] b, int off, int len) {
        int ihl = (b[off] & 0x0f) * 4;
        int tcpLen = len - ihl;
        byte[] pseudo = new byte[12 + tcpLen];
        System.arraycopy(b, off + 12, pseudo, 0, 8);
        pseudo[9] = 6;
        put16(pseudo, 10, tcpLen);
        System.arraycopy(b, off + ihl, pseudo, 12, tcpLen);
        return Packets.checksum(pseudo, 0, pseudo.length);
    }

    /**
     * Writes an IPv4/TCP packet with valid checksums at {@code b[off...]}; {@code mss} > 0 adds an
     * MSS option. Returns its length.
     */
    static int build(byte[] b, int off, byte[] src, byte[] dst, int srcPort, int dstPort, int seq, int ack, int flags,
            int window, int mss, byte[] data, int dataOff, int dataLen) {
        int thl = mss > 0 ? 24 : 20;
        int len = 20 + thl + dataLen;
        Arrays.fill(b, off, off + 20 + thl, (byte) 0);
        b[off] = 0x45;
        put16(b, off + 2, len);
        b[off + 6] = 0x40;
        b[off + 8] = 64;
        b[off + 9] = 6;
        System.arraycopy(src, 0, b, off + 12, 4);
        System.arraycopy(dst, 0, b, off + 16, 4);
        Packets.setIpChecksum(b, off);
        int t = off + 20;
        put16(b, t, srcPort);
        put16(b, t + 2, dstPort);
        put32(b, t + 4, seq);
        put32(b, t + 8, ack);
        b[t + 12] = (byte) ((thl / 4) << 4);
        b[t + 13] = (byte) flags;
        put16(b, t + 14, window);
        if (mss > 0) {
            b[t + 20] = 2;
            b[t + 21] = 4;
            put16(b, t + 22, mss);
        }
        System.arraycopy(data, dataOff, b, t + thl, dataLen);
        int c = tcpChecksum(b, off, len);
        put16(b, t + 16, c);
        return len;
    }
}
