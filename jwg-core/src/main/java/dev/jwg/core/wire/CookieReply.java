package dev.jwg.core.wire;

import static dev.jwg.core.wire.Messages.*;

import java.util.Arrays;
import java.util.Optional;

/**
 * Message type 3, the cookie reply (docs/protocol.md §2.3), exactly 64 bytes.
 * Immutable and thread-safe.
 */
public record CookieReply(int receiver, byte[] nonce, byte[] encryptedCookie) {

    public CookieReply {
        nonce = Fields.copy(nonce, COOKIE_NONCE_LEN, "nonce");
        encryptedCookie = Fields.copy(encryptedCookie, COOKIE_REPLY_COOKIE_LEN, "encryptedCookie");
    }

    /** Decodes a datagram; empty unless it is exactly a well-formed cookie reply. Never throws for in-range slices. */
    public static Optional<CookieReply> decode(byte[] buf, int off, int len) {
        if (Messages.typeOf(buf, off, len) != TYPE_COOKIE_REPLY) {
            return Optional.empty();
        }
        return Optional.of(new CookieReply(
                LittleEndian.getInt(buf, off + COOKIE_REPLY_RECEIVER),
                Arrays.copyOfRange(buf, off + COOKIE_REPLY_NONCE, off + COOKIE_REPLY_NONCE + COOKIE_NONCE_LEN),
                Arrays.copyOfRange(buf, off + COOKIE_REPLY_COOKIE, off + COOKIE_REPLY_COOKIE + COOKIE_REPLY_COOKIE_LEN)));
    }

    /** Writes the 64 bytes at {@code out[off]}. */
    public void encode(byte[] out, int off) {
        LittleEndian.putInt(out, off, TYPE_COOKIE_REPLY);
        LittleEndian.putInt(out, off + COOKIE_REPLY_RECEIVER, receiver);
        System.arraycopy(nonce, 0, out, off + COOKIE_REPLY_NONCE, COOKIE_NONCE_LEN);
        System.arraycopy(encryptedCookie, 0, out, off + COOKIE_REPLY_COOKIE, COOKIE_REPLY_COOKIE_LEN);
    }

    public byte[] toBytes() {
        byte[] out = new byte[COOKIE_REPLY_SIZE];
        encode(out, 0);
        return out;
    }

    @Override public byte[] nonce() { return nonce.clone(); }
    @Override public byte[] encryptedCookie() { return encryptedCookie.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof CookieReply m && Arrays.equals(toBytes(), m.toBytes());
    }

    @Override
    public int hashCode() { return Arrays.hashCode(toBytes()); }

    @Override
    public String toString() {
        return "CookieReply[receiver=" + Integer.toUnsignedString(receiver) + "]";
    }
}
