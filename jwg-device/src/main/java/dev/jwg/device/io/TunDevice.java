package dev.jwg.device.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * The TUN side of a device: IP packets in and out, in batches. Implementations: the Linux TUN
 * through FFM ({@code jwg-linux}) and an in-memory pair for tests.
 *
 * <p>{@link #read} and {@link #write} may be called concurrently from one reader thread and one
 * writer thread; {@link #close} from any thread, after which a blocked {@code read} returns -1.
 */
public interface TunDevice extends Closeable {

    /** The interface name as the kernel reports it. */
    String name();

    /** The current MTU. */
    int mtu() throws IOException;

    /**
     * Blocks until at least one packet is available and fills {@code batch} from slot 0 (a large
     * offloaded packet may be split into several slots). Returns the number of packets, or -1 once
     * the device is closed or deleted.
     */
    int read(PacketBatch batch) throws IOException;

    /** Writes the first {@code batch.count()} packets. Packets the kernel refuses are dropped. */
    void write(PacketBatch batch) throws IOException;
}
