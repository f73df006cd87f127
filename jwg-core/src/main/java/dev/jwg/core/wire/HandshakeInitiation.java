package dev.jwg.core.wire;

import static dev.jwg.core.wire.Messages.*;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Message type 1, the handshake initiation (docs/protocol.md §2.1), exactly 148 bytes.
 * Immutable (arrays are copied in and out) and thread-safe.
 */
public record HandshakeInitiation(int sender, byte[] ephemeral, byte[] encryptedStatic, byte[] encryptedTimestamp,
                                  byte[] mac1, byte[] mac2) {

    public HandshakeInitiation {
        ephemeral = Fields.copy(ephemeral, KEY_LEN, "ephemeral");
        encryptedStatic = Fields.copy(encryptedStatic, INITIATION_STATIC_LEN, "encryptedStatic");
        encryptedTimestamp = Fields.copy(encryptedTimestamp, INITIATION_TIMESTAMP_LEN, "encryptedTimestamp");
        mac1 = Fields.copy(mac1, MAC_LEN, "mac1");
        mac2 = Fields.copy(mac2, MAC_LEN, "mac2");
    }

    /** Decodes a datagram; empty unless it is exactly a well-formed initiation. Never throws for in-range slices. */
    public static Optional<HandshakeInitiation> decode(byte[] buf, int off, int len) {
        if (Messages.typeOf(buf, off, len) != TYPE_INITIATION) {
            return Optional.empty();
        }
        return Optional.of(new HandshakeInitiation(
                LittleEndian.getInt(buf, off + INITIATION_SENDER),
                Arrays.copyOfRange(buf, off + INITIATION_EPHEMERAL, off + INITIATION_EPHEMERAL + KEY_LEN),
                Arrays.copyOfRange(buf, off + INITIATION_STATIC, off + INITIATION_STATIC + INITIATION_STATIC_LEN),
                Arrays.copyOfRange(buf, off + INITIATION_TIMESTAMP, off + INITIATION_TIMESTAMP + INITIATION_TIMESTAMP_LEN),
                Arrays.copyOfRange(buf, off + INITIATION_MAC1, off + INITIATION_MAC1 + MAC_LEN),
                Arrays.copyOfRange(buf, off + INITIATION_MAC2, off + INITIATION_MAC2 + MAC_LEN)));
    }

    /** Writes the 148 bytes at {@code out[off]}. */
    public void encode(byte[] out, int off) {
        LittleEndian.putInt(out, off, TYPE_INITIATION);
        LittleEndian.putInt(out, off + INITIATION_SENDER, sender);
        System.arraycopy(ephemeral, 0, out, off + INITIATION_EPHEMERAL, KEY_LEN);
        System.arraycopy(encryptedStatic, 0, out, off + INITIATION_STATIC, INITIATION_STATIC_LEN);
        System.arraycopy(encryptedTimestamp, 0, out, off + INITIATION_TIMESTAMP, INITIATION_TIMESTAMP_LEN);
        System.arraycopy(mac1, 0, out, off + INITIATION_MAC1, MAC_LEN);
        System.arraycopy(mac2, 0, out, off + INITIATION_MAC2, MAC_LEN);
    }

    public byte[] toBytes() {
        byte[] out = new byte[INITIATION_SIZE];
        encode(out, 0);
        return out;
    }

    @Override public byte[] ephemeral() { return ephemeral.clone(); }
    @Override public byte[] encryptedStatic() { return encryptedStatic.clone(); }
    @Override public byte[] encryptedTimestamp() { return encryptedTimestamp.clone(); }
    @Override public byte[] mac1() { return mac1.clone(); }
    @Override public byte[] mac2() { return mac2.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeInitiation m && Arrays.equals(toBytes(), m.toBytes());
    }

    @Override
    public int hashCode() { return Arrays.hashCode(toBytes()); }

    @Override
    public String toString() {
        return "HandshakeInitiation[sender=" + Integer.toUnsignedString(sender)
                + ", ephemeral=" + HexFormat.of().formatHex(ephemeral) + "]";
    }
}
