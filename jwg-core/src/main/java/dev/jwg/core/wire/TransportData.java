package dev.jwg.core.wire;

import static dev.jwg.core.wire.Messages.*;

import java.util.Arrays;
import java.util.Optional;

/**
 * Message type 4, transport data (docs/protocol.md §2.4): a 16-byte header and the encrypted,
 * padded packet with its tag. The data path never builds this record — it reads and writes the
 * header in place with {@link #receiver(byte[], int)}, {@link #counter(byte[], int)} and
 * {@link #writeHeader}; the record exists for tests, fuzzing and tools. Immutable and thread-safe.
 *
 * @param counter unsigned 64-bit counter (also the AEAD nonce)
 * @param encrypted ciphertext followed by the 16-byte tag (at least 16 bytes)
 */
public record TransportData(int receiver, long counter, byte[] encrypted) {

    public TransportData {
        if (encrypted.length < TAG_LEN || encrypted.length > dev.jwg.core.Protocol.MAX_MESSAGE_SIZE - TRANSPORT_HEADER_SIZE) {
            throw new IllegalArgumentException("encrypted length " + encrypted.length);
        }
        encrypted = encrypted.clone();
    }

    /** Decodes a datagram; empty unless it is a transport message of at least 32 bytes. */
    public static Optional<TransportData> decode(byte[] buf, int off, int len) {
        if (Messages.typeOf(buf, off, len) != TYPE_TRANSPORT || len > dev.jwg.core.Protocol.MAX_MESSAGE_SIZE) {
            return Optional.empty();
        }
        return Optional.of(new TransportData(receiver(buf, off), counter(buf, off),
                Arrays.copyOfRange(buf, off + TRANSPORT_HEADER_SIZE, off + len)));
    }

    public static int receiver(byte[] buf, int off) {
        return LittleEndian.getInt(buf, off + TRANSPORT_RECEIVER);
    }

    public static long counter(byte[] buf, int off) {
        return LittleEndian.getLong(buf, off + TRANSPORT_COUNTER);
    }

    /** The receiver index of the transport message at absolute index {@code off} of {@code buf}. */
    public static int receiver(java.nio.ByteBuffer buf, int off) {
        return LittleEndian.getInt(buf, off + TRANSPORT_RECEIVER);
    }

    /** The counter of the transport message at absolute index {@code off} of {@code buf}. */
    public static long counter(java.nio.ByteBuffer buf, int off) {
        return LittleEndian.getLong(buf, off + TRANSPORT_COUNTER);
    }

    /** Writes the 16-byte header at absolute index {@code off} of {@code out}. */
    public static void writeHeader(java.nio.ByteBuffer out, int off, int receiver, long counter) {
        LittleEndian.putInt(out, off, TYPE_TRANSPORT);
        LittleEndian.putInt(out, off + TRANSPORT_RECEIVER, receiver);
        LittleEndian.putLong(out, off + TRANSPORT_COUNTER, counter);
    }

    /** Writes the 16-byte header at {@code out[off]}. */
    public static void writeHeader(byte[] out, int off, int receiver, long counter) {
        LittleEndian.putInt(out, off, TYPE_TRANSPORT);
        LittleEndian.putInt(out, off + TRANSPORT_RECEIVER, receiver);
        LittleEndian.putLong(out, off + TRANSPORT_COUNTER, counter);
    }

    public int size() { return TRANSPORT_HEADER_SIZE + encrypted.length; }

    public void encode(byte[] out, int off) {
        writeHeader(out, off, receiver, counter);
        System.arraycopy(encrypted, 0, out, off + TRANSPORT_HEADER_SIZE, encrypted.length);
    }

    public byte[] toBytes() {
        byte[] out = new byte[size()];
        encode(out, 0);
        return out;
    }

    @Override public byte[] encrypted() { return encrypted.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportData m && m.receiver == receiver && m.counter == counter
                && Arrays.equals(m.encrypted, encrypted);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(encrypted) * 31 + receiver; }

    @Override
    public String toString() {
        return "TransportData[receiver=" + Integer.toUnsignedString(receiver) + ", counter="
                + Long.toUnsignedString(counter) + ", length=" + encrypted.length + "]";
    }
}
