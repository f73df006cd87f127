package dev.jwg.core.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * The JDK's {@link TransportAead} ({@link AeadBackend#JDK}): one direction of a transport keypair
 * (docs/protocol.md §1.11), ChaCha20-Poly1305 keyed with {@code T_send} or {@code T_recv}, nonce = 4 zero
 * bytes ‖ counter little-endian, no AAD. The portable backend: pure Java, always there; a native one may
 * be chosen instead at start-up when it is faster.
 *
 * <p><b>Thread-safe</b>, as the contract requires: an instance is only the key. Each thread that
 * seals or opens has one JDK {@link Cipher} of its own, re-initialised per packet with the key of the
 * instance at hand (the provider copies the key at every {@code Cipher.init} anyway, so sharing one
 * cipher between keys costs nothing). Encryption and decryption run in place, and the only per-packet
 * allocations are those the JDK makes inside {@code Cipher.init} (see below). A thread's cipher holds
 * a copy of the key of its last packet until its next one.
 *
 * <p><b>Why re-init one Cipher.</b> Re-initialising a thread's cipher is cheaper in time and garbage
 * than a new {@code Cipher} per packet ({@code dev.jwg.bench.JdkCipherBench} and {@code AeadBench};
 * figures in docs/performance.md ("Measurements behind design choices")). Using {@link ChaChaKey} instead of a
 * {@code SecretKeySpec} costs nothing.
 *
 * <p><b>What the JDK allocates per packet.</b> {@code Cipher.init} makes a copy of the key
 * ({@code ChaChaKey.getEncoded()}), a copy of the nonce ({@code IvParameterSpec.getIV()}), a new engine
 * object, a new {@code Poly1305} with its limb arrays, a 1 KiB scratch array from which it takes the
 * Poly1305 key, and a {@code SecretKeySpec} for it; {@code doFinal} allocates the 16-byte tag. That is
 * about 2.2 KB per packet whatever its size; none of it is avoidable through the public API. Our own
 * share is one {@code IvParameterSpec} and its copy of the nonce. The fixed part of the cost is
 * {@code Cipher.init}, which among other things computes a keystream chunk (up to 1 KiB) and a second
 * one only to take the 32-byte Poly1305 key from it.
 *
 * <p><b>The repeated-nonce guard.</b> The JDK refuses to initialise a Cipher for encryption with the
 * key and nonce of its previous initialisation (of either mode). A keypair never repeats a send
 * counter, but a caller may open and then seal with the same counter on one instance, or a test may
 * seal twice; in that rare case the cipher is first re-initialised for decryption under a nonce
 * WireGuard never uses (first 4 bytes non-zero), which the JDK accepts, and then for encryption.
 * Nothing is thrown and the common path pays only a comparison.
 *
 * <p><b>Direct byte buffers</b> (the data path's packet memory) are copied into a per-thread array and
 * back: the JDK's ByteBuffer API would copy too, and allocate more. This backend is the portable one;
 * the native backend works on such memory in place.
 */
public final class TransportCipher implements TransportAead {
    private static final byte[] DECOY_NONCE = {-1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    /** Largest message a direct buffer is copied through; every WireGuard message fits. */
    private static final int SCRATCH = 65536 + TAG_LEN;

    /** What a thread mutates to seal or open: its cipher and what its last initialisation was. */
    private static final class Engine {
        final Cipher cipher = ChaChaPoly.newCipher();
        final byte[] nonce = new byte[ChaChaPoly.NONCE_LEN];
        /** Counter of the cipher's last initialisation, meaningful only when {@link #lastValid}. */
        long lastCounter;
        boolean lastValid;
        byte[] scratch;

        byte[] scratch() {
            byte[] s = scratch;
            return s != null ? s : (scratch = new byte[SCRATCH]);
        }
    }

    private static final ThreadLocal<Engine> ENGINE = ThreadLocal.withInitial(Engine::new);

    private final ChaChaKey key;
    private volatile boolean destroyed;

    /** @param key32 the 32-byte transport key; copied, so the caller may (and should) zero its array */
    public TransportCipher(byte[] key32) {
        this.key = new ChaChaKey(key32);
        ChaChaPoly.newCipher(); // fail here, not on the first packet, when the provider is missing
    }

    /**
     * Seals {@code in[inOff, inOff+len)} with {@code counter} as nonce and no AAD, writing ciphertext ‖ tag
     * at {@code out[outOff]}. {@code in} and {@code out} may be the same array with {@code inOff == outOff}
     * (in place); otherwise the two ranges must not overlap.
     *
     * @return {@code len + 16}
     * @throws IndexOutOfBoundsException if a range lies outside its array (a programming error)
     * @throws IllegalStateException after {@link #destroy()}
     */
    @Override
    public int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        Objects.checkFromIndexSize(inOff, len, in.length);
        Objects.checkFromIndexSize(outOff, len + TAG_LEN, out.length);
        TransportAead.checkOverlap(in, inOff, len, out, outOff, len + TAG_LEN);
        checkLive();
        return sealArrays(ENGINE.get(), counter, in, inOff, len, out, outOff);
    }

    /**
     * Opens ciphertext ‖ tag at {@code in[inOff, inOff+len)} ({@code len} includes the 16-byte tag) with
     * {@code counter} as nonce, writing the plaintext at {@code out[outOff]}. In place is allowed, as for
     * {@link #seal}. Nothing is written to {@code out} unless the tag verifies.
     *
     * @return the plaintext length {@code len - 16}, or -1 if {@code len < 16} or authentication fails;
     *     never throws because of the packet's content or length
     * @throws IndexOutOfBoundsException if a range lies outside its array (a programming error)
     * @throws IllegalStateException after {@link #destroy()}
     */
    @Override
    public int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        Objects.checkFromIndexSize(inOff, len, in.length);
        if (len < TAG_LEN) {
            return -1;
        }
        Objects.checkFromIndexSize(outOff, len - TAG_LEN, out.length);
        TransportAead.checkOverlap(in, inOff, len, out, outOff, len - TAG_LEN);
        checkLive();
        return openArrays(ENGINE.get(), counter, in, inOff, len, out, outOff);
    }

    @Override
    public int seal(long counter, ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + TAG_LEN, buf.capacity());
        if (destroyed) {
            return -1;
        }
        Engine e = ENGINE.get();
        try {
            if (buf.hasArray()) {
                int at = buf.arrayOffset() + off;
                return sealArrays(e, counter, buf.array(), at, len, buf.array(), at);
            }
            if (len > SCRATCH - TAG_LEN) {
                return -1;
            }
            byte[] s = e.scratch();
            buf.get(off, s, 0, len);
            int n = sealArrays(e, counter, s, 0, len, s, 0);
            buf.put(off, s, 0, n);
            return n;
        } catch (IllegalStateException destroyedMeanwhile) {
            return -1;
        }
    }

    @Override
    public int open(long counter, ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.capacity());
        if (len < TAG_LEN || destroyed) {
            return -1;
        }
        Engine e = ENGINE.get();
        try {
            if (buf.hasArray()) {
                int at = buf.arrayOffset() + off;
                return openArrays(e, counter, buf.array(), at, len, buf.array(), at);
            }
            if (len > SCRATCH) {
                return -1;
            }
            byte[] s = e.scratch();
            buf.get(off, s, 0, len);
            int n = openArrays(e, counter, s, 0, len, s, 0);
            if (n >= 0) {
                buf.put(off, s, 0, n);
            }
            return n;
        } catch (IllegalStateException destroyedMeanwhile) {
            return -1;
        }
    }

    private int sealArrays(Engine e, long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            if (e.lastValid && e.lastCounter == counter) {
                // The JDK would reject ENCRYPT with the previous key and nonce (another instance may have
                // the same key bytes): move it off that nonce.
                e.cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(DECOY_NONCE), null);
            }
            init(e, Cipher.ENCRYPT_MODE, counter);
            return e.cipher.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException ex) {
            // Bounds were checked and the nonce differs from the last one: only a broken provider gets here.
            e.lastValid = false;
            throw new IllegalStateException("ChaCha20-Poly1305 provider failed to seal", ex);
        }
    }

    private int openArrays(Engine e, long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            init(e, Cipher.DECRYPT_MODE, counter);
            return e.cipher.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException ex) {
            return -1;
        } catch (GeneralSecurityException ex) {
            e.lastValid = false;
            throw new IllegalStateException("ChaCha20-Poly1305 provider failed to open", ex);
        }
    }

    /**
     * Zeroes the key. Afterwards the array methods throw IllegalStateException and the buffer methods
     * return -1. Idempotent. (A thread's cipher keeps the copy of its last packet's key until its next
     * packet, as the JDK provider does.)
     */
    @Override
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        key.destroy();
    }

    private void init(Engine e, int mode, long counter) throws GeneralSecurityException {
        ChaChaPoly.writeCounter(e.nonce, counter);
        e.lastValid = false; // until init succeeds
        e.cipher.init(mode, key, new IvParameterSpec(e.nonce), null);
        e.lastValid = true;
        e.lastCounter = counter;
    }

    private void checkLive() {
        if (destroyed) {
            throw new IllegalStateException("TransportCipher used after destroy()");
        }
    }

    @Override
    public String toString() {
        return destroyed ? "TransportCipher(destroyed)" : "TransportCipher(redacted)";
    }
}
