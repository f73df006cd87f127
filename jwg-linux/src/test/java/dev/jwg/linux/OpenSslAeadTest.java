package dev.jwg.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.ChaChaPoly;
import dev.jwg.core.crypto.TransportAead;
import dev.jwg.core.crypto.TransportAeadContract;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@link TransportAead} contract for OpenSSL's libcrypto (which this machine has), and what is
 * particular to it: staging per thread, messages larger than the staging buffer, native lifetime.
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

    /** Beyond the 64 KiB staging buffer a temporary one is used; the bytes are the same. */
    @Test
    void messagesLargerThanTheStagingBufferWork() {
        SplittableRandom rng = new SplittableRandom(5);
        byte[] key = new byte[32];
        rng.nextBytes(key);
        TransportAead a = OpenSslAead.backend().newTransportAead(key);
        try {
            for (int size : new int[] {OpenSslAead.STAGE_SIZE - 1, OpenSslAead.STAGE_SIZE, OpenSslAead.STAGE_SIZE + 1, 200_000}) {
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
        } finally {
            a.destroy();
        }
    }

    /** A keypair's cipher passes between threads (under its peer's lock); each thread stages in its own buffer. */
    @Test
    void oneInstanceUsedFromSeveralThreadsInTurn() throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 9);
        TransportAead sender = OpenSslAead.backend().newTransportAead(key);
        TransportAead receiver = OpenSslAead.backend().newTransportAead(key);
        Object lock = new Object();
        Thread[] threads = new Thread[4];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 500; i++) {
                        long counter = id * 1000L + i;
                        byte[] plain = new byte[1 + (i * 37 + id) % 1500];
                        Arrays.fill(plain, (byte) i);
                        byte[] buf = Arrays.copyOf(plain, plain.length + 16);
                        synchronized (lock) {
                            sender.seal(counter, buf, 0, plain.length, buf, 0);
                        }
                        assertThat(buf).isEqualTo(ChaChaPoly.seal(key, counter, plain, null));
                        synchronized (lock) {
                            assertThat(receiver.open(counter, buf, 0, buf.length, buf, 0)).isEqualTo(plain.length);
                        }
                        assertThat(Arrays.copyOf(buf, plain.length)).isEqualTo(plain);
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(failure[0]).isNull();
        sender.destroy();
        receiver.destroy();
    }

    @Test
    void destroyFreesTheContextOnce() {
        OpenSslAead a = (OpenSslAead) OpenSslAead.backend().newTransportAead(new byte[32]);
        assertThat(a.context().frees()).isZero();
        a.destroy();
        a.destroy();
        assertThat(a.context().frees()).isEqualTo(1);
    }

    /**
     * The cleaner is the safety net for a keypair dropped without destroy: it can only run the
     * free action of an instance that became unreachable if that action does not hold the instance.
     */
    @Test
    void theCleanersActionDoesNotHoldTheInstance() {
        Class<?> action = OpenSslAead.Context.class;
        assertThat(java.lang.reflect.Modifier.isStatic(action.getModifiers())).as("a static nested class").isTrue();
        for (java.lang.reflect.Field f : action.getDeclaredFields()) {
            assertThat(OpenSslAead.class.isAssignableFrom(f.getType()) || f.getType() == Object.class)
                    .as("field %s", f.getName()).isFalse();
        }
    }
}
