package dev.jwg.core.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian integer access into byte arrays, allocation-free. Stateless and thread-safe. */
public final class LittleEndian {
    private LittleEndian() {}

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    public static int getInt(byte[] b, int off) { return (int) INT.get(b, off); }

    public static void putInt(byte[] b, int off, int v) { INT.set(b, off, v); }

    public static long getLong(byte[] b, int off) { return (long) LONG.get(b, off); }

    public static void putLong(byte[] b, int off, long v) { LONG.set(b, off, v); }
}
