package dev.jwg.device.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * The UDP side of a device: one dual-stack socket (or a v4/v6 pair) on one port, in batches.
 * Implementations: the Linux socket through FFM ({@code jwg-linux}) and an in-memory network
 * for tests.
 *
 * <p>{@link #receive} is called from one thread, {@link #send} from any number of threads;
 * {@link #close} from any thread, after which a blocked {@code receive} returns -1.
 */
public interface Bind extends Closeable {

    /** The bound UDP port. */
    int port();

    /**
     * Blocks until at least one datagram is available and fills {@code batch} from slot 0 with the
     * payloads, remote addresses and the local address each arrived on. Returns the number of
     * datagrams, or -1 once closed.
     */
    int receive(DatagramBatch batch) throws IOException;

    /**
     * Sends the first {@code batch.count()} datagrams, each to its remote address and, when its
     * local family is not 0, from its local address. Datagrams that cannot be sent (unreachable,
     * no route) are dropped; an {@code IOException} means the socket itself failed.
     */
    void send(DatagramBatch batch) throws IOException;

    /** Sets SO_MARK on the socket(s); 0 clears it. */
    void setMark(int mark) throws IOException;
}
