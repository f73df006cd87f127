package dev.jwg.linux;

/** Minimal IPv4/ICMP/UDP packet helpers for the TUN tests. */
final class Packets {
    private Packets() {}

    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static void setIpChecksum(byte[] b, int off) {
        int ihl = (b[off] & 0x0f) * 4;
        b[off + 10] = 0;
        b[off + 11] = 0;
        int c = checksum(b, off, ihl);
        b[off + 10] = (byte) (c >> 8);
        b[off + 11] = (byte) c;
    }

    static boolean isIcmpEchoRequest(byte[] b, int off, int len) {
        if (len < 28 || (b[off] & 0xf0) != 0x40 || b[off + 9] != 1) {
            return false;
        }
        int ihl = (b[off] & 0x0f) * 4;
        return b[off + ihl] == 8;
    }

    /** Turns an ICMP echo request in place into the matching echo reply. */
    static void toEchoReply(byte[] b, int off, int len) {
        for (int i = 0; i < 4; i++) {
            byte t = b[off + 12 + i];
            b[off + 12 + i] = b[off + 16 + i];
            b[off + 16 + i] = t;
        }
        b[off + 8] = 64;
        int ihl = (b[off] & 0x0f) * 4;
        int icmp = off + ihl;
        b[icmp] = 0;
        b[icmp + 2] = 0;
        b[icmp + 3] = 0;
        int c = checksum(b, icmp, len - ihl);
        b[icmp + 2] = (byte) (c >> 8);
        b[icmp + 3] = (byte) c;
        setIpChecksum(b, off);
    }

    /** Writes an IPv4 UDP packet (UDP checksum 0) of {@code length} bytes; returns length. */
    static int udp(byte[] b, int off, int length, byte[] src, byte[] dst, int srcPort, int dstPort, int marker) {
        java.util.Arrays.fill(b, off, off + length, (byte) 0);
        b[off] = 0x45;
        b[off + 2] = (byte) (length >> 8);
        b[off + 3] = (byte) length;
        b[off + 8] = 64;
        b[off + 9] = 17;
        System.arraycopy(src, 0, b, off + 12, 4);
        System.arraycopy(dst, 0, b, off + 16, 4);
        setIpChecksum(b, off);
        int u = off + 20;
        b[u] = (byte) (srcPort >> 8);
        b[u + 1] = (byte) srcPort;
        b[u + 2] = (byte) (dstPort >> 8);
        b[u + 3] = (byte) dstPort;
        b[u + 4] = (byte) ((length - 20) >> 8);
        b[u + 5] = (byte) (length - 20);
        b[u + 8] = (byte) marker;
        return length;
    }
}
