package dev.jwg.device.io;

/**
 * A reusable batch of IP packets in heap buffers, handed between the TUN device and the pipelines.
 *
 * <p>Slot {@code i} holds a packet in {@code buffer(i)} starting at {@code offset(i)} with
 * {@code length(i)} bytes. Every buffer has {@link #HEADROOM} bytes in front of the usual packet
 * offset and {@link #TAILROOM} behind the largest packet, so a packet can be turned into a
 * WireGuard transport message in place (16-byte header before it, padding and 16-byte tag after).
 *
 * <p>A {@link TunDevice} may fill more slots than it made system calls (a TSO super-packet is
 * split into MTU-sized packets in consecutive slots), and may use the headroom before a packet
 * it writes for a header of its own (a Linux TUN's 10-byte virtio-net header).
 *
 * <p>Slot buffers are allocated on first use, at full size: a batch has room for 64 KiB packets in
 * each of its slots, but an idle or lightly used device only ever touches a few of them (measured:
 * 128-slot batches allocated up front held ~40 MB of a jwgd's heap with one peer and a ping).
 *
 * <p>Mutable and not thread-safe: a batch belongs to one stage at a time.
 */
public final class PacketBatch {
    /** Room before the packet: the 16-byte transport header, rounded up for alignment. */
    public static final int HEADROOM = 32;
    /** Room after the packet: padding (at most 15 bytes) and the 16-byte Poly1305 tag. */
    public static final int TAILROOM = 32;
    /** Largest packet a slot holds (the largest UDP payload). */
    public static final int MAX_PACKET = 65535;

    private final byte[][] buffers;
    private final int bufferSize;
    private final int[] offsets;
    private final int[] lengths;
    private int count;

    /** Creates a batch of {@code capacity} slots, each able to hold {@code maxPacket} bytes plus head- and tailroom. */
    public PacketBatch(int capacity, int maxPacket) {
        if (capacity <= 0 || maxPacket <= 0 || maxPacket > MAX_PACKET) {
            throw new IllegalArgumentException("capacity " + capacity + ", maxPacket " + maxPacket);
        }
        bufferSize = HEADROOM + maxPacket + TAILROOM;
        buffers = new byte[capacity][];
        offsets = new int[capacity];
        lengths = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            offsets[i] = HEADROOM;
        }
    }

    public int capacity() { return buffers.length; }

    /** Number of filled slots, from index 0. */
    public int count() { return count; }

    public void setCount(int count) {
        if (count < 0 || count > buffers.length) {
            throw new IllegalArgumentException("count " + count);
        }
        this.count = count;
    }

    public byte[] buffer(int i) {
        byte[] b = buffers[i];
        return b != null ? b : (buffers[i] = new byte[bufferSize]);
    }

    public int offset(int i) { return offsets[i]; }

    public int length(int i) { return lengths[i]; }

    /** Largest packet slot {@code i} can take at the standard offset. */
    public int maxPacket() { return bufferSize - HEADROOM - TAILROOM; }

    public void set(int i, int offset, int length) {
        offsets[i] = offset;
        lengths[i] = length;
    }

    /** Empties the batch and puts every slot back to the standard offset. */
    public void clear() {
        for (int i = 0; i < count; i++) {
            offsets[i] = HEADROOM;
            lengths[i] = 0;
        }
        count = 0;
    }
}
