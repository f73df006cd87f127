package dev.jwg.bench;

import dev.jwg.core.crypto.TransportCipher;
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
 * Transport-data AEAD cost per packet, in place, as the data path will do it: {@link TransportCipher}
 * seal and open of a 64-byte and an MTU-sized (1420-byte) packet behind a 16-byte header.
 *
 * <p>Two JDK baselines answer "re-init one Cipher per packet, or create one per packet?":
 * {@code sealNewCipherPerPacket} ({@code Cipher.getInstance} + init + doFinal) and
 * {@code sealReinitSecretKeySpec} (what TransportCipher does, but with a plain {@code SecretKeySpec}).
 * {@code copyCiphertext} is the cost of restoring the ciphertext that {@code open} decrypts in place;
 * subtract it from {@code open}.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main AeadBench -f 1 -wi 3 -i 3 -w 2 -r 2 -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AeadBench {
    private static final int HEADER = 16;
    private static final int TAG = 16;

    @Param({"64", "1420"})
    int size;

    private byte[] key;
    private TransportCipher sealer;
    private TransportCipher opener;
    private byte[] buf;
    private byte[] sealed;
    private long counter;
    private SecretKeySpec keySpec;
    private Cipher reused;
    private final byte[] nonce = new byte[12];

    @Setup
    public void setup() throws Exception {
        SplittableRandom rng = new SplittableRandom(1);
        key = new byte[32];
        rng.nextBytes(key);
        sealer = new TransportCipher(key);
        opener = new TransportCipher(key);
        buf = new byte[HEADER + size + TAG];
        rng.nextBytes(buf);
        sealed = buf.clone();
        sealer.seal(0, sealed, HEADER, size, sealed, HEADER);
        keySpec = new SecretKeySpec(key, "ChaCha20");
        reused = Cipher.getInstance("ChaCha20-Poly1305");
        counter = 1;
    }

    @Benchmark
    public int seal() {
        return sealer.seal(counter++, buf, HEADER, size, buf, HEADER);
    }

    @Benchmark
    public int open() {
        System.arraycopy(sealed, HEADER, buf, HEADER, size + TAG);
        return opener.open(0, buf, HEADER, size + TAG, buf, HEADER);
    }

    @Benchmark
    public int copyCiphertext() {
        System.arraycopy(sealed, HEADER, buf, HEADER, size + TAG);
        return buf[HEADER];
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
