package dev.jwg.device.io;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The one packet buffer of the data path: a reusable batch of packets in one block of (normally
 * off-heap) memory, handed from stage to stage in both directions. The TUN reads IP packets into
 * it, the crypto turns them into WireGuard messages in place and the UDP socket sends them straight
 * from it; the socket receives datagrams into it, the crypto opens them in place and the TUN writes
 * the packets straight from it. Each packet is copied once in user space per direction, by the I/O
 * implementation that fills the batch (from its own read buffer, splitting or cutting offloaded
 * super-packets as it goes); nothing copies it after that.
 *
 * <p><b>Memory.</b> The batch's bytes live in {@link #memory()}, a byte buffer that may be shared
 * with other batches of the same device; every index is absolute and nothing ever uses the buffer's
 * position, limit or byte order. Slot {@code i} owns a region of {@link #regionSize()} bytes starting
 * at {@link #region(int) region(i)}, and a producer puts its packet at {@code region(i) +}
 * {@link #HEADROOM}, which leaves room before it (the 16-byte transport header, or a 10-byte virtio
 * header) and {@link #TAILROOM} after the largest packet (padding and the 16-byte tag). Device batches
 * have {@link #REGION}-byte regions, room for any packet; their memory is reserved, not committed
 * ({@link PacketMemory}), so a slot that only ever holds MTU-sized packets costs one page.
 *
 * <p><b>Slots.</b> For slot {@code i}: the packet (or datagram) at {@code memory()[offset(i),
 * offset(i)+length(i))}, where length 0 means "nothing to send or write" (a dropped packet); for
 * datagrams the remote address family {@code family(i)} (4 or 6), address bytes in
 * {@code remoteAddress(i)} (first 4 or 16 bytes) and port {@code remotePort(i)}, and the local address
 * the datagram arrived on or should leave from, {@code localAddress(i)} with interface index
 * {@code localIfIndex(i)} (family 0: let the kernel choose). IPv4-mapped IPv6 addresses are always
 * normalised to family 4. Slots may be reordered ({@link #swap}): a slot's bytes need not lie in its
 * own region after that.
 *
 * <p>Slots are packets, whatever the system calls: a {@link TunDevice} may fill more slots than it
 * made reads (a TSO super-packet split into MTU-sized packets) and write several as one super-packet;
 * a {@link Bind} may send consecutive slots to one destination as one UDP GSO message and cut one GRO
 * buffer into several slots. Putting a peer's datagrams next to each other is what allows this.
 *
 * <p>Mutable and not thread-safe: a batch belongs to one stage at a time, and is handed to the next
 * through something that orders memory (a queue, a lock).
 */
public final class PacketBatch {
    /** Room before a slot's packet: the 16-byte transport header (or a 10-byte virtio header), aligned. */
    public static final int HEADROOM = 32;
    /** Room after the largest packet: padding (at most 15 bytes) and the 16-byte Poly1305 tag. */
    public static final int TAILROOM = 32;
    /** Largest packet a slot may have to hold (the largest UDP payload, the largest IP packet). */
    public static final int MAX_PACKET = 65535;
    /** Region size of the batches a device makes: {@link #MAX_PACKET} with head- and tailroom, in 4 KiB pages. */
    public static final int REGION = (HEADROOM + MAX_PACKET + TAILROOM + 4095) & ~4095;

    private final ByteBuffer memory;
    private final int base;
    private final int regionSize;
    private final int[] offsets;
    private final int[] lengths;
    private final int[] families;
    private final byte[][] remoteAddresses;
    private final int[] remotePorts;
    private final int[] localFamilies;
    private final byte[][] localAddresses;
    private final int[] localIfIndexes;
    private int count;
    private Object ioState;

    /**
     * A batch of {@code capacity} slots whose regions of {@code regionSize} bytes lie one after the
     * other in {@code memory} from index {@code base}.
     */
    public PacketBatch(ByteBuffer memory, int base, int capacity, int regionSize) {
        if (capacity <= 0 || regionSize < HEADROOM + TAILROOM + 1) {
            throw new IllegalArgumentException("capacity " + capacity + ", regionSize " + regionSize);
        }
        Objects.checkFromIndexSize(base, Math.multiplyExact(capacity, regionSize), memory.capacity());
        this.memory = memory;
        this.base = base;
        this.regionSize = regionSize;
        offsets = new int[capacity];
        lengths = new int[capacity];
        families = new int[capacity];
        remoteAddresses = new byte[capacity][16];
        remotePorts = new int[capacity];
        localFamilies = new int[capacity];
        localAddresses = new byte[capacity][16];
        localIfIndexes = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            offsets[i] = region(i) + HEADROOM;
        }
    }

    /** A batch in memory of its own (a direct buffer of the JDK), for slots of up to {@code maxPacket} bytes. */
    public static PacketBatch allocate(int capacity, int maxPacket) {
        if (maxPacket <= 0 || maxPacket > MAX_PACKET) {
            throw new IllegalArgumentException("maxPacket " + maxPacket);
        }
        int region = (HEADROOM + maxPacket + TAILROOM + 15) & ~15;
        return new PacketBatch(ByteBuffer.allocateDirect(Math.multiplyExact(capacity, region)), 0, capacity, region);
    }

    /** A batch that only carries addresses (a datagram's source kept beside a copy of its bytes): no room for packets. */
    public static PacketBatch addresses(int capacity) {
        int region = HEADROOM + TAILROOM + 1;
        return new PacketBatch(ByteBuffer.allocate(capacity * region), 0, capacity, region);
    }

    /** The memory every slot's bytes are in; absolute indices only. */
    public ByteBuffer memory() { return memory; }

    public int capacity() { return offsets.length; }

    /** Number of filled slots, from index 0. */
    public int count() { return count; }

    public void setCount(int count) {
        if (count < 0 || count > offsets.length) {
            throw new IllegalArgumentException("count " + count);
        }
        this.count = count;
    }

    /** Where slot {@code i}'s region starts in {@link #memory()}. */
    public int region(int i) { return base + i * regionSize; }

    /** Bytes per slot region. */
    public int regionSize() { return regionSize; }

    /** Largest packet a slot holds at the standard offset ({@code region(i) + HEADROOM}). */
    public int maxPacket() { return regionSize - HEADROOM - TAILROOM; }

    public int offset(int i) { return offsets[i]; }

    public int length(int i) { return lengths[i]; }

    /** Slot {@code i}'s packet is {@code memory()[offset, offset+length)}; length 0 drops it. */
    public void set(int i, int offset, int length) {
        offsets[i] = offset;
        lengths[i] = length;
    }

    /** Copies {@code b[off, off+len)} into slot {@code i} at its standard offset. */
    public void put(int i, byte[] b, int off, int len) {
        if (len > maxPacket()) {
            throw new IllegalArgumentException("packet of " + len + " bytes, slots take " + maxPacket());
        }
        int at = region(i) + HEADROOM;
        memory.put(at, b, off, len);
        set(i, at, len);
    }

    /** A copy of slot {@code i}'s packet. */
    public byte[] packet(int i) {
        byte[] b = new byte[lengths[i]];
        memory.get(offsets[i], b);
        return b;
    }

    /** 4 or 6. */
    public int family(int i) { return families[i]; }

    /** 16-byte array; the first 4 bytes are used for IPv4. */
    public byte[] remoteAddress(int i) { return remoteAddresses[i]; }

    public int remotePort(int i) { return remotePorts[i]; }

    public void setRemote(int i, int family, int port) {
        families[i] = family;
        remotePorts[i] = port;
    }

    /** 0 (unspecified), 4 or 6. */
    public int localFamily(int i) { return localFamilies[i]; }

    public byte[] localAddress(int i) { return localAddresses[i]; }

    public int localIfIndex(int i) { return localIfIndexes[i]; }

    public void setLocal(int i, int family, int ifIndex) {
        localFamilies[i] = family;
        localIfIndexes[i] = ifIndex;
    }

    /** Gives slot {@code to} the remote and local addresses of slot {@code from}. */
    public void copyAddresses(int from, int to) {
        System.arraycopy(remoteAddresses[from], 0, remoteAddresses[to], 0, 16);
        families[to] = families[from];
        remotePorts[to] = remotePorts[from];
        System.arraycopy(localAddresses[from], 0, localAddresses[to], 0, 16);
        localFamilies[to] = localFamilies[from];
        localIfIndexes[to] = localIfIndexes[from];
    }

    /** Exchanges two slots (where their bytes are, and their addresses; the bytes do not move). */
    public void swap(int i, int j) {
        swap(offsets, i, j);
        swap(lengths, i, j);
        swap(families, i, j);
        swap(remotePorts, i, j);
        swap(localFamilies, i, j);
        swap(localIfIndexes, i, j);
        byte[] t = remoteAddresses[i];
        remoteAddresses[i] = remoteAddresses[j];
        remoteAddresses[j] = t;
        t = localAddresses[i];
        localAddresses[i] = localAddresses[j];
        localAddresses[j] = t;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Empties the batch and puts every slot that was used back to its standard offset. */
    public void clear() {
        for (int i = 0; i < count; i++) {
            offsets[i] = region(i) + HEADROOM;
            lengths[i] = 0;
        }
        count = 0;
    }

    /**
     * State the {@link TunDevice} or {@link Bind} implementation keeps with this batch (its native
     * view of the memory, system-call scratch space), made on first use; the device never touches it.
     */
    public Object ioState() { return ioState; }

    public void setIoState(Object state) { ioState = state; }

    @Override
    public String toString() {
        return "PacketBatch(" + count + "/" + offsets.length + " slots, lengths "
                + Arrays.toString(Arrays.copyOf(lengths, Math.min(count, 8))) + (count > 8 ? "...)" : ")");
    }
}
