package dev.jwg.core.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian integer access into byte arrays and byte buffers (at absolute indices, whatever the
 * buffer's own byte order), allocation-free. Stateless and thread-safe.
 */
public final class LittleEndian {
    private LittleEndian() {}

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BB_INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BB_LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    public static int getInt(byte[] b, int off) { return (int) INT.get(b, off); }

    public static void putInt(byte[] b, int off, int v) { INT.set(b, off, v); }

    public static long getLong(byte[] b, int off) { return (long) LONG.get(b, off); }

    public static void putLong(byte[] b, int off, long v) { LONG.set(b, off, v); }

    public static int getInt(ByteBuffer b, int off) { return (int) BB_INT.get(b, off); }

    public static void putInt(ByteBuffer b, int off, int v) { BB_INT.set(b, off, v); }

    public static long getLong(ByteBuffer b, int off) { return (long) BB_LONG.get(b, off); }

    public static void putLong(ByteBuffer b, int off, long v) { BB_LONG.set(b, off, v); }
}
