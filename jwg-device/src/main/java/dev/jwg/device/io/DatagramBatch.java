package dev.jwg.device.io;

/**
 * A reusable batch of UDP datagrams with their remote and local addresses, exchanged with a
 * {@link Bind}. Addresses are kept as raw bytes so that receiving allocates nothing: the pipeline
 * compares them with the peer's current {@link Endpoint} and only builds a new one when it changed.
 *
 * <p>For slot {@code i}: payload in {@code buffer(i)[offset(i) .. offset(i)+length(i))}; remote
 * address family {@code family(i)} (4 or 6), address bytes in {@code remoteAddress(i)} (first 4 or
 * 16 bytes), port {@code remotePort(i)}; the local address the datagram arrived on (or should leave
 * from) in {@code localAddress(i)} with interface index {@code localIfIndex(i)} — family 0 there
 * means "let the kernel choose". IPv4-mapped IPv6 addresses are always normalised to family 4.
 *
 * <p>Slots are datagrams, whatever the system calls: a {@link Bind} may send consecutive slots with
 * the same addresses and size as one UDP GSO message, and split one GRO buffer it receives into
 * several slots. Putting a peer's datagrams next to each other in a batch is what lets it do so.
 *
 * <p>Payload buffers are allocated on first use (see {@link PacketBatch}); {@link #bufferSize()} is
 * their size.
 *
 * <p>Mutable and not thread-safe: a batch belongs to one stage at a time.
 */
public final class DatagramBatch {
    private final byte[][] buffers;
    private final int bufferSize;
    private final int[] offsets;
    private final int[] lengths;
    private final int[] families;
    private final byte[][] remoteAddresses;
    private final int[] remotePorts;
    private final int[] localFamilies;
    private final byte[][] localAddresses;
    private final int[] localIfIndexes;
    private int count;

    public DatagramBatch(int capacity, int bufferSize) {
        if (capacity <= 0 || bufferSize <= 0) {
            throw new IllegalArgumentException("capacity " + capacity + ", bufferSize " + bufferSize);
        }
        this.bufferSize = bufferSize;
        buffers = new byte[capacity][];
        offsets = new int[capacity];
        lengths = new int[capacity];
        families = new int[capacity];
        remoteAddresses = new byte[capacity][16];
        remotePorts = new int[capacity];
        localFamilies = new int[capacity];
        localAddresses = new byte[capacity][16];
        localIfIndexes = new int[capacity];
    }

    public int capacity() { return buffers.length; }

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

    /** Size of every slot's payload buffer. */
    public int bufferSize() { return bufferSize; }

    public int offset(int i) { return offsets[i]; }

    public int length(int i) { return lengths[i]; }

    public void setPayload(int i, int offset, int length) {
        offsets[i] = offset;
        lengths[i] = length;
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

    public void clear() {
        count = 0;
    }
}
