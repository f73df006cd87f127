package dev.jwg.core.wire;

/**
 * Sizes and offsets of the four WireGuard messages (docs/protocol.md §2), in one place. All
 * multi-byte fields are little-endian; byte 0 is the type and bytes 1–3 are reserved zeros, read
 * together as one little-endian u32 as the kernel and wireguard-go do.
 */
public final class Messages {
    private Messages() {}

    public static final int TYPE_INITIATION = 1;
    public static final int TYPE_RESPONSE = 2;
    public static final int TYPE_COOKIE_REPLY = 3;
    public static final int TYPE_TRANSPORT = 4;

    public static final int KEY_LEN = 32;
    public static final int TAG_LEN = 16;
    public static final int MAC_LEN = 16;
    public static final int TIMESTAMP_LEN = 12;
    public static final int COOKIE_LEN = 16;
    public static final int COOKIE_NONCE_LEN = 24;

    // Handshake initiation, 148 bytes.
    public static final int INITIATION_SIZE = 148;
    public static final int INITIATION_SENDER = 4;
    public static final int INITIATION_EPHEMERAL = 8;
    public static final int INITIATION_STATIC = 40;
    public static final int INITIATION_STATIC_LEN = KEY_LEN + TAG_LEN;
    public static final int INITIATION_TIMESTAMP = 88;
    public static final int INITIATION_TIMESTAMP_LEN = TIMESTAMP_LEN + TAG_LEN;
    public static final int INITIATION_MAC1 = 116;
    public static final int INITIATION_MAC2 = 132;

    // Handshake response, 92 bytes.
    public static final int RESPONSE_SIZE = 92;
    public static final int RESPONSE_SENDER = 4;
    public static final int RESPONSE_RECEIVER = 8;
    public static final int RESPONSE_EPHEMERAL = 12;
    public static final int RESPONSE_EMPTY = 44;
    public static final int RESPONSE_EMPTY_LEN = TAG_LEN;
    public static final int RESPONSE_MAC1 = 60;
    public static final int RESPONSE_MAC2 = 76;

    // Cookie reply, 64 bytes.
    public static final int COOKIE_REPLY_SIZE = 64;
    public static final int COOKIE_REPLY_RECEIVER = 4;
    public static final int COOKIE_REPLY_NONCE = 8;
    public static final int COOKIE_REPLY_COOKIE = 32;
    public static final int COOKIE_REPLY_COOKIE_LEN = COOKIE_LEN + TAG_LEN;

    // Transport data: 16-byte header, then ciphertext and tag; at least 32 bytes.
    public static final int TRANSPORT_HEADER_SIZE = 16;
    public static final int TRANSPORT_RECEIVER = 4;
    public static final int TRANSPORT_COUNTER = 8;
    public static final int TRANSPORT_MIN_SIZE = TRANSPORT_HEADER_SIZE + TAG_LEN;

    /**
     * The message type of a datagram, or 0 when the length does not fit the type (handshake
     * messages must have exactly their size, transport at least 32 bytes) or the reserved bytes are
     * not zero. Never throws for any offset/length inside the array.
     */
    public static int typeOf(byte[] buf, int off, int len) {
        return len < 4 ? 0 : typeOf(LittleEndian.getInt(buf, off), len);
    }

    /** {@link #typeOf(byte[], int, int)} of a datagram in a byte buffer (absolute index {@code off}). */
    public static int typeOf(java.nio.ByteBuffer buf, int off, int len) {
        return len < 4 ? 0 : typeOf(LittleEndian.getInt(buf, off), len);
    }

    private static int typeOf(int type, int len) {
        return switch (type) {
            case TYPE_INITIATION -> len == INITIATION_SIZE ? type : 0;
            case TYPE_RESPONSE -> len == RESPONSE_SIZE ? type : 0;
            case TYPE_COOKIE_REPLY -> len == COOKIE_REPLY_SIZE ? type : 0;
            case TYPE_TRANSPORT -> len >= TRANSPORT_MIN_SIZE ? type : 0;
            default -> 0;
        };
    }
}
