package dev.jwg.linux;

import dev.jwg.device.io.PacketBatch;
import dev.jwg.device.io.PacketMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A device's packet memory on Linux: one anonymous mapping, reserved without being committed
 * ({@code MAP_NORESERVE}; a page becomes resident when a packet first touches it), carved into the
 * device's batches. A batch's 64 KiB slot regions thus cost one page each while they carry
 * MTU-sized packets, and the kernel reads and writes them directly: {@link LinuxTun} and
 * {@link LinuxUdpBind} pass their addresses to the system calls, OpenSSL seals and opens in place
 * there ({@link OpenSslAead}). All batches share one {@link ByteBuffer} view, so the per-thread
 * address cache of the AEAD always hits.
 *
 * <p>The mapping is released by the garbage collector once neither this object, nor a batch, nor
 * the buffer is reachable (every user holds one of them while it uses the memory).
 *
 * <p>Thread-safe.
 */
public final class NativePacketMemory implements PacketMemory {
    private final MemorySegment segment;
    private final ByteBuffer buffer;
    private final int regionSize;
    private long used;

    /** Reserves {@code maxBytes} (at most 2 GiB - 1) for batches with regions of {@code regionSize} bytes. */
    public NativePacketMemory(long maxBytes, int regionSize) {
        if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE || regionSize < PacketBatch.HEADROOM + PacketBatch.TAILROOM + 1) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + ", regionSize " + regionSize);
        }
        long size = (maxBytes + 4095) & ~4095L;
        this.segment = Libc.mapAnonymous(Math.min(size, Integer.MAX_VALUE & ~4095L), Arena.ofAuto());
        this.buffer = segment.asByteBuffer();
        this.regionSize = regionSize;
    }

    /** Device batches: {@link PacketBatch#REGION}-byte regions. */
    public NativePacketMemory(long maxBytes) {
        this(maxBytes, PacketBatch.REGION);
    }

    @Override
    public synchronized PacketBatch newBatch(int capacity) {
        long bytes = (long) capacity * regionSize;
        if (used + bytes > segment.byteSize()) {
            throw new IllegalStateException("packet memory of " + segment.byteSize() + " bytes exhausted");
        }
        PacketBatch b = new PacketBatch(buffer, (int) used, capacity, regionSize);
        b.setIoState(new LinuxBatch(segment, capacity));
        used += bytes;
        return b;
    }

    @Override
    public int regionSize() {
        return regionSize;
    }

    /** Bytes handed out to batches so far (reserved, not necessarily resident). */
    synchronized long used() {
        return used;
    }

    @Override
    public String toString() {
        return "NativePacketMemory(" + segment.byteSize() + " bytes reserved)";
    }
}
