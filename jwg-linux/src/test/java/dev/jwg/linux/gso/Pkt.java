package dev.jwg.linux.gso;

import java.util.Arrays;

/**
 * Builds and checks TCP/UDP packets over IPv4/IPv6 for the offload tests, with a deliberately
 * naive checksum (16-bit words, one at a time) that shares no code with {@link Checksum}.
 */
final class Pkt {
    private Pkt() {}

    static final byte[] SRC4 = {10, 0, 0, 1};
    static final byte[] DST4 = {10, 0, 0, 2};
    static final byte[] SRC6 = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static final byte[] DST6 = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int CWR = 0x80;

    /** A TCP timestamp option padded to 12 bytes (NOP NOP TS). */
    static byte[] timestamps(int tsval, int tsecr) {
        byte[] o = {1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0};
        put32(o, 4, tsval);
        put32(o, 8, tsecr);
        return o;
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

    /** One's complement sum of 16-bit words, folded, not complemented. */
    static int naiveSum(int initial, byte[] b, int off, int len) {
        long sum = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xff;
            int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    static int pseudo(byte[] p, boolean v6, int proto, int length) {
        byte[] ph;
        if (v6) {
            ph = new byte[40];
            System.arraycopy(p, 8, ph, 0, 32);
            put32(ph, 32, length);
            ph[39] = (byte) proto;
        } else {
            ph = new byte[12];
            System.arraycopy(p, 12, ph, 0, 8);
            ph[9] = (byte) proto;
            put16(ph, 10, length);
        }
        return naiveSum(0, ph, 0, ph.length);
    }

    /** True when the transport checksum of packet p (starting at 0) verifies. */
    static boolean transportOk(byte[] p, boolean v6, int proto, int transportOffset) {
        int sum = naiveSum(pseudo(p, v6, proto, p.length - transportOffset), p, transportOffset, p.length - transportOffset);
        return sum == 0xffff;
    }

    static boolean ipv4HeaderOk(byte[] p) {
        return naiveSum(0, p, 0, (p[0] & 0x0f) * 4) == 0xffff;
    }

    /** A complete TCP packet with valid checksums. */
    static byte[] tcp(boolean v6, int id, int seq, int ack, int flags, byte[] options, byte[] payload) {
        int ip = v6 ? 40 : 20;
        int th = 20 + options.length;
        byte[] p = new byte[ip + th + payload.length];
        if (v6) {
            p[0] = 0x60;
            put16(p, 4, th + payload.length);
            p[6] = 6;
            p[7] = 64;
            System.arraycopy(SRC6, 0, p, 8, 16);
            System.arraycopy(DST6, 0, p, 24, 16);
        } else {
            p[0] = 0x45;
            put16(p, 2, p.length);
            put16(p, 4, id);
            p[6] = 0x40; // DF
            p[8] = 64;
            p[9] = 6;
            System.arraycopy(SRC4, 0, p, 12, 4);
            System.arraycopy(DST4, 0, p, 16, 4);
            put16(p, 10, ~naiveSum(0, p, 0, 20) & 0xffff);
        }
        put16(p, ip, 40000);
        put16(p, ip + 2, 5201);
        put32(p, ip + 4, seq);
        put32(p, ip + 8, ack);
        p[ip + 12] = (byte) ((th / 4) << 4);
        p[ip + 13] = (byte) flags;
        put16(p, ip + 14, 64240);
        System.arraycopy(options, 0, p, ip + 20, options.length);
        System.arraycopy(payload, 0, p, ip + th, payload.length);
        put16(p, ip + 16, ~naiveSum(pseudo(p, v6, 6, p.length - ip), p, ip, p.length - ip) & 0xffff);
        return p;
    }

    /** A complete UDP packet with valid checksums. */
    static byte[] udp(boolean v6, int id, byte[] payload) {
        int ip = v6 ? 40 : 20;
        byte[] p = new byte[ip + 8 + payload.length];
        if (v6) {
            p[0] = 0x60;
            put16(p, 4, 8 + payload.length);
            p[6] = 17;
            p[7] = 64;
            System.arraycopy(SRC6, 0, p, 8, 16);
            System.arraycopy(DST6, 0, p, 24, 16);
        } else {
            p[0] = 0x45;
            put16(p, 2, p.length);
            put16(p, 4, id);
            p[8] = 64;
            p[9] = 17;
            System.arraycopy(SRC4, 0, p, 12, 4);
            System.arraycopy(DST4, 0, p, 16, 4);
            put16(p, 10, ~naiveSum(0, p, 0, 20) & 0xffff);
        }
        put16(p, ip, 1234);
        put16(p, ip + 2, 5678);
        put16(p, ip + 4, 8 + payload.length);
        System.arraycopy(payload, 0, p, ip + 8, payload.length);
        int c = ~naiveSum(pseudo(p, v6, 17, p.length - ip), p, ip, p.length - ip) & 0xffff;
        put16(p, ip + 6, c == 0 ? 0xffff : c);
        return p;
    }

    static void fixIpv4Header(byte[] p) {
        put16(p, 10, 0);
        put16(p, 10, ~naiveSum(0, p, 0, (p[0] & 0x0f) * 4) & 0xffff);
    }

    static void fixTcpChecksum(byte[] p, boolean v6) {
        int ip = v6 ? 40 : (p[0] & 0x0f) * 4;
        put16(p, ip + 16, 0);
        put16(p, ip + 16, ~naiveSum(pseudo(p, v6, 6, p.length - ip), p, ip, p.length - ip) & 0xffff);
    }

    static byte[] payload(int length, int seed) {
        byte[] d = new byte[length];
        new java.util.Random(seed).nextBytes(d);
        return d;
    }

    static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }
}
