package dev.jwg.device.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * The TUN side of a device: IP packets in and out, in {@link PacketBatch}es. Implementations: the
 * Linux TUN through FFM ({@code jwg-linux}) and an in-memory pair for tests.
 *
 * <p>{@link #read} is called from one reader thread, {@link #write} from any number of threads at
 * once (each with its own batch); {@link #close} from any thread, after which a blocked {@code read}
 * returns -1.
 */
public interface TunDevice extends Closeable {

    /** The interface name as the kernel reports it. */
    String name();

    /** The current MTU. */
    int mtu() throws IOException;

    /**
     * Blocks until at least one packet is available and fills {@code batch} from slot 0, each packet at
     * its slot's standard offset ({@code region(i) + HEADROOM}); a large offloaded packet may be split
     * into several slots. Returns the number of packets, or -1 once the device is closed or deleted.
     */
    int read(PacketBatch batch) throws IOException;

    /**
     * Writes the packets of slots {@code from..to-1} whose length is not 0, in order. Packets the kernel
     * refuses are dropped. May use the 10 bytes before each packet (its headroom) for a header of its own.
     */
    void write(PacketBatch batch, int from, int to) throws IOException;

    /** Writes every packet of the batch ({@code write(batch, 0, batch.count())}). */
    default void write(PacketBatch batch) throws IOException {
        write(batch, 0, batch.count());
    }

    /**
     * The memory the device should make its batches from, sized for at most {@code maxBytes} of
     * batches: the platform's I/O may need a kind of its own. The device closes it when it is done.
     */
    default PacketMemory packetMemory(long maxBytes) {
        return PacketMemory.direct(PacketBatch.REGION);
    }
}
