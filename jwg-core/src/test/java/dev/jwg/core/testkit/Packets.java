package dev.jwg.core.testkit;

/** Builds minimal IP packets for tests. */
public final class Packets {
    private Packets() {}

    /** Head- and tailroom every test buffer carries, as the runtime's packet buffers do. */
    public static final int HEADROOM = 32;
    public static final int TAILROOM = 32;

    /**
     * An IPv4 packet (no options, protocol 253 "experimental") from {@code src} to {@code dst}
     * whose payload is {@code payloadLen} bytes starting with the big-endian {@code seq}. Returned
     * in a buffer with {@link #HEADROOM} before it; the packet is at offset HEADROOM.
     */
    public static byte[] ipv4(int src, int dst, int seq, int payloadLen) {
        int len = 20 + payloadLen;
        byte[] b = new byte[HEADROOM + len + TAILROOM];
        int o = HEADROOM;
        b[o] = 0x45;
        b[o + 2] = (byte) (len >>> 8);
        b[o + 3] = (byte) len;
        b[o + 8] = 64;
        b[o + 9] = (byte) 253;
        putInt(b, o + 12, src);
        putInt(b, o + 16, dst);
        if (payloadLen >= 4) {
            putInt(b, o + 20, seq);
        }
        for (int i = 4; i < payloadLen; i++) {
            b[o + 20 + i] = (byte) (seq * 31 + i);
        }
        return b;
    }

    /** An IPv6 packet (next header 253) with a 16-byte src/dst given by their last bytes in fd00::/8. */
    public static byte[] ipv6(byte[] src, byte[] dst, int seq, int payloadLen) {
        int len = 40 + payloadLen;
        byte[] b = new byte[HEADROOM + len + TAILROOM];
        int o = HEADROOM;
        b[o] = 0x60;
        b[o + 4] = (byte) (payloadLen >>> 8);
        b[o + 5] = (byte) payloadLen;
        b[o + 6] = (byte) 253;
        b[o + 7] = 64;
        System.arraycopy(src, 0, b, o + 8, 16);
        System.arraycopy(dst, 0, b, o + 24, 16);
        if (payloadLen >= 4) {
            putInt(b, o + 40, seq);
        }
        return b;
    }

    public static int ipv4Length(byte[] b, int off) {
        return ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    public static int addr(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    public static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static int getInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
