package dev.jwg.core.wire;

import static dev.jwg.core.wire.Messages.*;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Message type 2, the handshake response (docs/protocol.md §2.2), exactly 92 bytes.
 * Immutable and thread-safe.
 */
public record HandshakeResponse(int sender, int receiver, byte[] ephemeral, byte[] encryptedNothing,
                                byte[] mac1, byte[] mac2) {

    public HandshakeResponse {
        ephemeral = Fields.copy(ephemeral, KEY_LEN, "ephemeral");
        encryptedNothing = Fields.copy(encryptedNothing, RESPONSE_EMPTY_LEN, "encryptedNothing");
        mac1 = Fields.copy(mac1, MAC_LEN, "mac1");
        mac2 = Fields.copy(mac2, MAC_LEN, "mac2");
    }

    /** Decodes a datagram; empty unless it is exactly a well-formed response. Never throws for in-range slices. */
    public static Optional<HandshakeResponse> decode(byte[] buf, int off, int len) {
        if (Messages.typeOf(buf, off, len) != TYPE_RESPONSE) {
            return Optional.empty();
        }
        return Optional.of(new HandshakeResponse(
                LittleEndian.getInt(buf, off + RESPONSE_SENDER),
                LittleEndian.getInt(buf, off + RESPONSE_RECEIVER),
                Arrays.copyOfRange(buf, off + RESPONSE_EPHEMERAL, off + RESPONSE_EPHEMERAL + KEY_LEN),
                Arrays.copyOfRange(buf, off + RESPONSE_EMPTY, off + RESPONSE_EMPTY + RESPONSE_EMPTY_LEN),
                Arrays.copyOfRange(buf, off + RESPONSE_MAC1, off + RESPONSE_MAC1 + MAC_LEN),
                Arrays.copyOfRange(buf, off + RESPONSE_MAC2, off + RESPONSE_MAC2 + MAC_LEN)));
    }

    /** Writes the 92 bytes at {@code out[off]}. */
    public void encode(byte[] out, int off) {
        LittleEndian.putInt(out, off, TYPE_RESPONSE);
        LittleEndian.putInt(out, off + RESPONSE_SENDER, sender);
        LittleEndian.putInt(out, off + RESPONSE_RECEIVER, receiver);
        System.arraycopy(ephemeral, 0, out, off + RESPONSE_EPHEMERAL, KEY_LEN);
        System.arraycopy(encryptedNothing, 0, out, off + RESPONSE_EMPTY, RESPONSE_EMPTY_LEN);
        System.arraycopy(mac1, 0, out, off + RESPONSE_MAC1, MAC_LEN);
        System.arraycopy(mac2, 0, out, off + RESPONSE_MAC2, MAC_LEN);
    }

    public byte[] toBytes() {
        byte[] out = new byte[RESPONSE_SIZE];
        encode(out, 0);
        return out;
    }

    @Override public byte[] ephemeral() { return ephemeral.clone(); }
    @Override public byte[] encryptedNothing() { return encryptedNothing.clone(); }
    @Override public byte[] mac1() { return mac1.clone(); }
    @Override public byte[] mac2() { return mac2.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeResponse m && Arrays.equals(toBytes(), m.toBytes());
    }

    @Override
    public int hashCode() { return Arrays.hashCode(toBytes()); }

    @Override
    public String toString() {
        return "HandshakeResponse[sender=" + Integer.toUnsignedString(sender) + ", receiver="
                + Integer.toUnsignedString(receiver) + ", ephemeral=" + HexFormat.of().formatHex(ephemeral) + "]";
    }
}
