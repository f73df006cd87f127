package dev.jwg.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.ChaChaPoly;
import dev.jwg.core.crypto.TransportAead;
import dev.jwg.core.crypto.TransportAeadContract;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@link TransportAead} contract for OpenSSL's libcrypto (which this machine has), and what is
 * particular to it: contexts per thread, one key used by several threads at once, the message size limit.
 */
class OpenSslAeadTest extends TransportAeadContract {
    @Override
    protected AeadBackend backend() {
        return OpenSslAead.backend();
    }

    @Test
    void libcryptoIsAvailableHere() {
        assertThat(OpenSslAead.unavailabilityCause()).isNull();
        assertThat(OpenSslAead.isAvailable()).isTrue();
        assertThat(OpenSslAead.version()).startsWith("OpenSSL 3.");
        assertThat(OpenSslAead.backend().name()).isEqualTo("openssl");
    }

    /** Arrays go through a 64 KiB staging buffer per thread: every WireGuard message fits, nothing larger is taken. */
    @Test
    void messagesUpToTheLargestWireGuardMessageWork() {
        SplittableRandom rng = new SplittableRandom(5);
        byte[] key = new byte[32];
        rng.nextBytes(key);
        TransportAead a = OpenSslAead.backend().newTransportAead(key);
        try {
            for (int size : new int[] {65535 - 32, OpenSslAead.STAGE_SIZE - 16}) {
                byte[] plain = new byte[size];
                rng.nextBytes(plain);
                byte[] buf = Arrays.copyOf(plain, size + 16);
                assertThat(a.seal(size, buf, 0, size, buf, 0)).isEqualTo(size + 16);
                assertThat(Arrays.equals(buf, ChaChaPoly.seal(key, size, plain, null))).as("sealed, size %d", size).isTrue();
                byte[] forged = buf.clone();
                forged[size / 2] ^= 1;
                byte[] before = forged.clone();
                assertThat(a.open(size, forged, 0, size + 16, forged, 0)).isEqualTo(-1);
                assertThat(Arrays.equals(forged, before)).as("untouched after a refusal, size %d", size).isTrue();
                assertThat(a.open(size, buf, 0, size + 16, buf, 0)).isEqualTo(size);
                assertThat(Arrays.equals(buf, 0, size, plain, 0, size)).as("opened, size %d", size).isTrue();
            }
            byte[] huge = new byte[200_016];
            assertThat(a.open(1, huge, 0, huge.length, huge, 0)).as("larger than any message").isEqualTo(-1);
            assertThatThrownBy(() -> a.seal(1, huge, 0, 200_000, huge, 0)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            a.destroy();
        }
    }

    /**
     * The crypto workers seal and open one peer's packets on several threads at once, with one key
     * instance per direction: each thread has its own OpenSSL context; arrays and direct buffers alike.
     */
    @Test
    void oneInstanceUsedFromSeveralThreadsAtOnce() throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 9);
        TransportAead sender = OpenSslAead.backend().newTransportAead(key);
        TransportAead receiver = OpenSslAead.backend().newTransportAead(key);
        Thread[] threads = new Thread[4];
        Throwable[] failure = new Throwable[1];
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                    ByteBuffer direct = ByteBuffer.allocateDirect(2048);
                    for (int i = 0; i < 500; i++) {
                        long counter = id * 1000L + i;
                        byte[] plain = new byte[1 + (i * 37 + id) % 1500];
                        Arrays.fill(plain, (byte) i);
                        byte[] expected = ChaChaPoly.seal(key, counter, plain, null);
                        byte[] buf = Arrays.copyOf(plain, plain.length + 16);
                        sender.seal(counter, buf, 0, plain.length, buf, 0);
                        assertThat(buf).isEqualTo(expected);
                        assertThat(receiver.open(counter, buf, 0, buf.length, buf, 0)).isEqualTo(plain.length);
                        assertThat(Arrays.copyOf(buf, plain.length)).isEqualTo(plain);
                        int off = 7 + i % 9;
                        direct.put(off, plain);
                        assertThat(sender.seal(counter, direct, off, plain.length)).isEqualTo(plain.length + 16);
                        byte[] sealed = new byte[plain.length + 16];
                        direct.get(off, sealed);
                        assertThat(sealed).isEqualTo(expected);
                        assertThat(receiver.open(counter, direct, off, plain.length + 16)).isEqualTo(plain.length);
                        byte[] opened = new byte[plain.length];
                        direct.get(off, opened);
                        assertThat(opened).isEqualTo(plain);
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            threads[t].start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(failure[0]).isNull();
        sender.destroy();
        receiver.destroy();
    }

    /** Keys are data: making and retiring keypairs makes no OpenSSL contexts (one per thread at most). */
    @Test
    void keysMakeNoContexts() {
        OpenSslAead.backend().newTransportAead(new byte[32]).destroy(); // this thread's context exists now
        long made = OpenSslAead.contextsMade();
        for (int i = 0; i < 100; i++) {
            TransportAead a = OpenSslAead.backend().newTransportAead(new byte[32]);
            a.seal(0, new byte[16], 0, 0, new byte[16], 0);
            a.destroy();
            a.destroy();
        }
        assertThat(OpenSslAead.contextsMade()).isEqualTo(made);
    }
}
