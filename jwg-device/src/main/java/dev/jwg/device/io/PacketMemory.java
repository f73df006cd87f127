package dev.jwg.device.io;

import java.nio.ByteBuffer;

/**
 * Where a device's {@link PacketBatch}es live. The device asks its {@link TunDevice} for one
 * ({@link TunDevice#packetMemory}) and makes every batch from it, lazily, as the pipeline needs them.
 * A platform whose I/O works on native memory returns memory it can hand to the kernel without a
 * copy, reserved rather than committed, so that the 64 KiB regions of a batch cost only the pages
 * packets touch; {@link #direct()} is the portable default.
 *
 * <p>Thread-safe. {@link #close} when the device is done; batches made from it must not be used after.
 */
public interface PacketMemory extends AutoCloseable {

    /** A new batch of {@code capacity} slots with regions of {@link #regionSize()} bytes. */
    PacketBatch newBatch(int capacity);

    /** Bytes per slot region of this memory's batches: {@link PacketBatch#REGION} unless the I/O knows packets are smaller. */
    default int regionSize() {
        return PacketBatch.REGION;
    }

    /** Releases the memory (it may also be left to the garbage collector). */
    @Override
    default void close() {}

    /**
     * Batches in direct buffers of the JDK, one per batch, with regions of {@code regionSize} bytes.
     * The JDK zeroes them, so they are wholly resident: for tests (with small regions) and platforms
     * without native I/O.
     */
    static PacketMemory direct(int regionSize) {
        return new PacketMemory() {
            @Override
            public PacketBatch newBatch(int capacity) {
                return new PacketBatch(ByteBuffer.allocateDirect(Math.multiplyExact(capacity, regionSize)), 0, capacity, regionSize);
            }

            @Override
            public int regionSize() {
                return regionSize;
            }
        };
    }
}
