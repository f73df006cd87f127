package dev.jwg.core.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Big-endian (network order) access to IP header fields in byte buffers, at absolute indices and
 * whatever the buffer's own byte order. Allocation-free. Stateless and thread-safe.
 */
public final class NetworkOrder {
    private NetworkOrder() {}

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The unsigned 16-bit value at {@code off}. */
    public static int u16(ByteBuffer b, int off) {
        return ((b.get(off) & 0xff) << 8) | (b.get(off + 1) & 0xff);
    }

    public static int getInt(ByteBuffer b, int off) { return (int) INT.get(b, off); }

    public static long getLong(ByteBuffer b, int off) { return (long) LONG.get(b, off); }
}
