package dev.jwg.linux.gso;

/**
 * {@code struct virtio_net_hdr} (linux/virtio_net.h, 10 bytes), which a TUN opened with
 * {@code IFF_VNET_HDR} puts in front of every packet read and expects in front of every packet
 * written. Multi-byte fields are in the host's byte order for legacy virtio, which is little-endian
 * on the only architectures jwg-linux runs on (x86_64, aarch64).
 *
 * <pre>
 *  offset 0  u8   flags        F_NEEDS_CSUM: the checksum at csum_start + csum_offset is partial
 *         1  u8   gso_type     GSO_NONE, GSO_TCPV4, GSO_TCPV6, GSO_UDP_L4 (| GSO_ECN)
 *         2  u16  hdr_len      bytes of IP + transport headers (a hint from the kernel)
 *         4  u16  gso_size     payload bytes per segment
 *         6  u16  csum_start   where checksumming starts (the transport header)
 *         8  u16  csum_offset  where, from csum_start, the checksum goes (TCP 16, UDP 6)
 * </pre>
 *
 * <p>Mutable and not thread-safe: one instance is reused per direction, so that decoding a
 * header allocates nothing.
 */
public final class VirtioNetHdr {
    /** {@code sizeof(struct virtio_net_hdr)}. */
    public static final int SIZE = 10;

    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;

    /** Checksum offsets from the transport header. */
    public static final int TCP_CSUM_OFFSET = 16;
    public static final int UDP_CSUM_OFFSET = 6;

    public int flags;
    public int gsoType;
    public int hdrLen;
    public int gsoSize;
    public int csumStart;
    public int csumOffset;

    private static final java.lang.foreign.ValueLayout.OfShort LE16 =
            java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Reads the header at {@code s[off, off+SIZE)}. */
    public VirtioNetHdr decode(java.lang.foreign.MemorySegment s, long off) {
        flags = s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off) & 0xff;
        gsoType = s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off + 1) & 0xff;
        hdrLen = Short.toUnsignedInt(s.get(LE16, off + 2));
        gsoSize = Short.toUnsignedInt(s.get(LE16, off + 4));
        csumStart = Short.toUnsignedInt(s.get(LE16, off + 6));
        csumOffset = Short.toUnsignedInt(s.get(LE16, off + 8));
        return this;
    }

    /** Writes this header to {@code s[off, off+SIZE)}. */
    public void encode(java.lang.foreign.MemorySegment s, long off) {
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, off, (byte) flags);
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, off + 1, (byte) gsoType);
        s.set(LE16, off + 2, (short) hdrLen);
        s.set(LE16, off + 4, (short) gsoSize);
        s.set(LE16, off + 6, (short) csumStart);
        s.set(LE16, off + 8, (short) csumOffset);
    }

    /** Writes the all-zero header at {@code s[off, off+SIZE)}: one complete packet, no offload. */
    public static void encodeNone(java.lang.foreign.MemorySegment s, long off) {
        s.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, off, 0L);
        s.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, off + 8, (short) 0);
    }

    /** Reads the header at {@code b[off, off+SIZE)}. */
    public VirtioNetHdr decode(byte[] b, int off) {
        flags = b[off] & 0xff;
        gsoType = b[off + 1] & 0xff;
        hdrLen = le16(b, off + 2);
        gsoSize = le16(b, off + 4);
        csumStart = le16(b, off + 6);
        csumOffset = le16(b, off + 8);
        return this;
    }

    /** Writes this header to {@code b[off, off+SIZE)}. */
    public void encode(byte[] b, int off) {
        b[off] = (byte) flags;
        b[off + 1] = (byte) gsoType;
        putLe16(b, off + 2, hdrLen);
        putLe16(b, off + 4, gsoSize);
        putLe16(b, off + 6, csumStart);
        putLe16(b, off + 8, csumOffset);
    }

    /** Writes the all-zero header: one complete packet, no offload. */
    public static void encodeNone(byte[] b, int off) {
        for (int i = 0; i < SIZE; i++) {
            b[off + i] = 0;
        }
    }

    private static int le16(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8);
    }

    private static void putLe16(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
    }

    @Override
    public String toString() {
        return "virtio_net_hdr(flags " + flags + ", gso_type " + gsoType + ", hdr_len " + hdrLen + ", gso_size " + gsoSize
                + ", csum_start " + csumStart + ", csum_offset " + csumOffset + ")";
    }
}
