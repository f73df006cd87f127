package dev.jwg.bench;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.TransportAead;
import dev.jwg.device.io.PacketBatch;
import dev.jwg.linux.NativePacketMemory;
import dev.jwg.linux.OpenSslAead;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Transport-data AEAD cost per packet, in place, as the data path does it: {@link TransportAead} seal and
 * open of a 64-byte and an MTU-sized (1420-byte) packet behind a 16-byte header, in a slot of native
 * packet memory ({@link NativePacketMemory}, the buffer methods), on each backend: {@code jdk}
 * ({@link dev.jwg.core.crypto.TransportCipher}), {@code openssl-evp} (OpenSSL through its EVP calls) and
 * {@code openssl} ({@link OpenSslAead}: the provider's functions called directly). {@code copyCiphertext}
 * is the cost of restoring the ciphertext that {@code open} decrypts in place; subtract it from
 * {@code open}. Figures: docs/performance.md.
 *
 * <p>Run: {@code java -cp 'jwg-bench/target/classes:jwg-bench/target/lib/*' org.openjdk.jmh.Main AeadBench
 * -f 2 -wi 3 -i 6 -w 1 -r 1 -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AeadBench {
    private static final int TAG = 16;

    @Param({"jdk", "openssl-evp", "openssl"})
    String backend;

    @Param({"64", "1420"})
    int size;

    private TransportAead sealer;
    private TransportAead opener;
    private ByteBuffer buf;
    private int off;
    private byte[] sealed;
    private long counter;

    static AeadBackend backend(String name) {
        return switch (name) {
            case "jdk" -> AeadBackend.JDK;
            case "openssl-evp" -> OpenSslAead.evpBackend();
            case "openssl" -> OpenSslAead.backend();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(1);
        byte[] key = new byte[32];
        rng.nextBytes(key);
        AeadBackend b = backend(backend);
        sealer = b.newTransportAead(key);
        opener = b.newTransportAead(key);
        PacketBatch batch = new NativePacketMemory(PacketBatch.REGION).newBatch(1);
        buf = batch.memory();
        off = batch.offset(0);
        byte[] noise = new byte[size + TAG];
        rng.nextBytes(noise);
        buf.put(off, noise);
        if (sealer.seal(0, buf, off, size) != size + TAG) {
            throw new IllegalStateException("seal failed");
        }
        sealed = new byte[size + TAG];
        buf.get(off, sealed);
        counter = 1;
    }

    @TearDown
    public void tearDown() {
        sealer.destroy();
        opener.destroy();
    }

    @Benchmark
    public int seal() {
        return sealer.seal(counter++, buf, off, size);
    }

    @Benchmark
    public int open() {
        buf.put(off, sealed);
        return opener.open(0, buf, off, size + TAG);
    }

    @Benchmark
    public int copyCiphertext() {
        buf.put(off, sealed);
        return buf.get(off);
    }
}
