package dev.jwg.device;

import dev.jwg.core.wire.Messages;
import dev.jwg.device.io.PacketBatch;

/**
 * The bounded queue of handshake messages between the UDP receiver and the handshake thread: a ring
 * of {@link #capacity()} slots allocated once, each holding one message (at most
 * {@link Messages#INITIATION_SIZE} bytes, the largest handshake message) with its addresses. A
 * flood therefore costs no memory beyond the ring: a message that finds the ring full is refused
 * (and the device is under load), and queueing allocates nothing that could outlive a young
 * collection and fill the old generation.
 *
 * <p>The consumer reads the message at {@link #take} in place, {@link #message(int)} with its
 * addresses in slot {@code i} of {@link #batch()}, and then {@link #release()}s it; producers never
 * overwrite a slot until it is released.
 *
 * <p>Thread-safe: any number of producers, one consumer.
 */
final class HandshakeQueue {
    private final byte[][] messages;
    private final int[] lengths;
    private final PacketBatch addresses;
    private final int capacity;
    private long head; // next slot to read, guarded by this
    private long tail; // next slot to write, guarded by this
    private boolean idleWork; // guarded by this

    HandshakeQueue(int capacity) {
        this.capacity = capacity;
        this.messages = new byte[capacity][Messages.INITIATION_SIZE];
        this.lengths = new int[capacity];
        this.addresses = PacketBatch.addresses(capacity);
    }

    int capacity() { return capacity; }

    /** The ring's addresses: slot {@link #take}'s remote and local address. */
    PacketBatch batch() { return addresses; }

    /** The message in slot {@code i} (its first {@link #length(int)} bytes). */
    byte[] message(int i) { return messages[i]; }

    int length(int i) { return lengths[i]; }

    /** Messages queued, including the one being handled. */
    synchronized int size() { return (int) (tail - head); }

    /**
     * Copies datagram {@code i} of {@code in} (payload and addresses) into the ring.
     *
     * @return false when the ring is full or the datagram is larger than a handshake message
     */
    boolean offer(PacketBatch in, int i) {
        int len = in.length(i);
        if (len > Messages.INITIATION_SIZE) {
            return false;
        }
        synchronized (this) {
            if (tail - head >= capacity) {
                return false;
            }
            int s = (int) (tail % capacity);
            in.memory().get(in.offset(i), messages[s], 0, len);
            lengths[s] = len;
            System.arraycopy(in.remoteAddress(i), 0, addresses.remoteAddress(s), 0, 16);
            addresses.setRemote(s, in.family(i), in.remotePort(i));
            System.arraycopy(in.localAddress(i), 0, addresses.localAddress(s), 0, 16);
            addresses.setLocal(s, in.localFamily(i), in.localIfIndex(i));
            if (tail++ == head) {
                notifyAll();
            }
            return true;
        }
    }

    /**
     * Waits for a message and returns its slot, read in place until {@link #release()}; or returns
     * -1 when the queue is empty and {@link #wakeForIdleWork()} was called since the last -1.
     * Messages always come first.
     */
    synchronized int take() throws InterruptedException {
        while (head == tail) {
            if (idleWork) {
                idleWork = false;
                return -1;
            }
            wait();
        }
        return (int) (head % capacity);
    }

    /** Makes the consumer's next {@link #take} on an empty queue return -1 (once). */
    synchronized void wakeForIdleWork() {
        idleWork = true;
        notifyAll();
    }

    /** True when no message is queued or being handled. */
    synchronized boolean isEmpty() { return head == tail; }

    /** Frees the slot {@link #take} returned. */
    synchronized void release() {
        if (head < tail) {
            head++;
        }
    }
}
