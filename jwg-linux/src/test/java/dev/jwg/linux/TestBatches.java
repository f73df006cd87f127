package dev.jwg.linux;

import dev.jwg.device.io.PacketBatch;
import java.util.function.ToIntFunction;

/** Building test packets into batch slots. */
final class TestBatches {
    private TestBatches() {}

    /** Scratch for the packet builders, which write into an array at {@link PacketBatch#HEADROOM}; one test thread at a time. */
    static final byte[] SCRATCH = new byte[PacketBatch.HEADROOM + 65536];

    /** Builds a packet with {@code builder} (into an array, at {@link PacketBatch#HEADROOM}) and puts it into slot {@code i}. */
    static void fill(PacketBatch batch, int i, ToIntFunction<byte[]> builder) {
        byte[] tmp = new byte[PacketBatch.HEADROOM + 65536];
        int len = builder.applyAsInt(tmp);
        batch.put(i, tmp, PacketBatch.HEADROOM, len);
    }
}
