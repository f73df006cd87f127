package dev.jwg.device.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * The UDP side of a device: one dual-stack socket (or a v4/v6 pair) on one port, in
 * {@link PacketBatch}es. Implementations: the Linux socket through FFM ({@code jwg-linux}) and an
 * in-memory network for tests.
 *
 * <p>{@link #receive} is called from one thread, {@link #send} from any number of threads at once
 * (each with its own batch); {@link #close} from any thread, after which a blocked {@code receive}
 * returns -1.
 */
public interface Bind extends Closeable {

    /** The bound UDP port. */
    int port();

    /**
     * Blocks until at least one datagram is available and fills {@code batch} from slot 0, each
     * datagram at its slot's standard offset ({@code region(i) + HEADROOM}), with the remote address
     * and the local address it arrived on. Returns the number of datagrams, or -1 once closed.
     */
    int receive(PacketBatch batch) throws IOException;

    /**
     * Sends the datagrams of slots {@code from..to-1} whose length is not 0, each to its remote
     * address and, when its local family is not 0, from its local address. Datagrams that cannot be
     * sent (unreachable, no route) are dropped; an {@code IOException} means the socket itself failed.
     */
    void send(PacketBatch batch, int from, int to) throws IOException;

    /** Sends every datagram of the batch ({@code send(batch, 0, batch.count())}). */
    default void send(PacketBatch batch) throws IOException {
        send(batch, 0, batch.count());
    }

    /** Sets SO_MARK on the socket(s); 0 clears it. */
    void setMark(int mark) throws IOException;
}
