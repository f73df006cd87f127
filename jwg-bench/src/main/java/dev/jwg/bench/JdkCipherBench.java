package dev.jwg.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Two ways of using the JDK's {@code Cipher} for transport data, the baselines behind
 * {@link dev.jwg.core.crypto.TransportCipher}'s design ("re-init one Cipher per packet, or create one per
 * packet?"): {@code sealNewCipherPerPacket} ({@code Cipher.getInstance} + init + doFinal) and
 * {@code sealReinitSecretKeySpec} (what TransportCipher does, but with a plain {@code SecretKeySpec}).
 * Compare with {@link AeadBench}'s {@code seal} on the {@code jdk} backend.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main JdkCipherBench -f 1 -wi 3 -i 3 -w 2 -r 2 -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JdkCipherBench {
    private static final int HEADER = 16;
    private static final int TAG = 16;

    @Param({"64", "1420"})
    int size;

    private byte[] buf;
    private long counter;
    private SecretKeySpec keySpec;
    private Cipher reused;
    private final byte[] nonce = new byte[12];

    @Setup
    public void setup() throws Exception {
        SplittableRandom rng = new SplittableRandom(1);
        byte[] key = new byte[32];
        rng.nextBytes(key);
        buf = new byte[HEADER + size + TAG];
        rng.nextBytes(buf);
        keySpec = new SecretKeySpec(key, "ChaCha20");
        reused = Cipher.getInstance("ChaCha20-Poly1305");
        counter = 1;
    }

    @Benchmark
    public int sealNewCipherPerPacket() throws Exception {
        writeCounter(counter++);
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(Cipher.ENCRYPT_MODE, keySpec, new IvParameterSpec(nonce));
        return c.doFinal(buf, HEADER, size, buf, HEADER);
    }

    @Benchmark
    public int sealReinitSecretKeySpec() throws Exception {
        writeCounter(counter++);
        reused.init(Cipher.ENCRYPT_MODE, keySpec, new IvParameterSpec(nonce));
        return reused.doFinal(buf, HEADER, size, buf, HEADER);
    }

    private void writeCounter(long c) {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (c >>> (8 * i));
        }
    }
}
