package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.TransportAead;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * {@link TransportAead} on OpenSSL's ChaCha20-Poly1305 ({@code libcrypto.so.3} through FFM, see
 * {@link LibCrypto}): no allocation per packet, and faster than the JDK's provider on this machine
 * (see {@code dev.jwg.bench.AeadBench}). {@link #backend()} is the {@link AeadBackend}; the runtime uses
 * it only after {@link dev.jwg.core.crypto.AeadBackendCheck} passed and a measurement found it faster
 * (see {@code dev.jwg.device.tuning.AeadSelector}).
 *
 * <p>Per instance: one {@code EVP_CIPHER_CTX} keyed once ({@code EVP_CipherInit_ex} with the key, which
 * is then wiped from the temporary native buffer it was passed in), and a 64-byte native block for the
 * nonce, the tag and the output lengths. Per packet: the packet is copied into the calling thread's
 * 64 KiB native staging buffer; {@code EVP_CipherInit_ex} with only the nonce (the key schedule stays),
 * {@code EVP_CTRL_AEAD_SET_TAG} (open), {@code EVP_CipherUpdate} in place, {@code EVP_CipherFinal_ex}
 * and {@code EVP_CTRL_AEAD_GET_TAG} (seal); the result is copied back to the caller's array.
 *
 * <p><b>Why copy instead of handing the heap arrays to OpenSSL.</b> A {@code critical(true)} downcall
 * can take the packet's array directly, but each call then needs {@code MemorySegment.ofArray(a)
 * .asSlice(off, len)}, two or three objects per argument that only the JIT's escape analysis removes.
 * It usually does, but not reliably: in one of five JMH forks ({@code AeadBench.open}, 64 B) the method
 * was compiled at C1 tier 2 and then C2 without a full profile, and every packet allocated 264 B
 * ({@code HeapMemorySegmentImpl} and {@code HeapSession} objects, seen with JFR). Staging through fixed
 * native segments allocates nothing by construction, and costs little: best of 400 rounds of 5000
 * packets, interleaved in one JVM, seal/open at 1420 B 964/988 ns staged against 939/955 ns with heap
 * access, at 64 B 413/416 against 406/414 ns (the JDK: 1317/1306 and 794/769 ns, 2.2 KB per packet).
 *
 * <p>Opening: OpenSSL decrypts before {@code EVP_CipherFinal_ex} compares the tags, in constant time
 * ({@code CRYPTO_memcmp} in the provider's {@code chacha20_poly1305_aead_cipher}). A refused packet's
 * decryption stays in the staging buffer (overwritten by the next packet); the caller's output is only
 * written after the tag verified, so it is left untouched. This thread's OpenSSL error queue is emptied.
 *
 * <p>Lifetime: {@link #destroy()} frees the context at once ({@code EVP_CIPHER_CTX_free}, which wipes
 * the key schedule: OpenSSL frees the provider context with {@code OPENSSL_clear_free}); an instance
 * that becomes unreachable undestroyed is freed the same way by a {@link Cleaner}, as a safety net.
 *
 * <p>Mutable and <b>not thread-safe</b>, like every {@link TransportAead}: one thread at a time, which is
 * how keypairs use it (under their peer's lock). Neither the context nor the instance's block has thread
 * affinity and the staging buffer is per thread, so the lock's happens-before is all that is needed when
 * the TUN reader, the UDP receiver and the timer thread take turns with one keypair.
 */
public final class OpenSslAead implements TransportAead {
    private static final ValueLayout.OfLong COUNTER = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jwg-openssl-cleaner");
        t.setDaemon(true);
        return t;
    });
    // Layout of the per-instance native block.
    private static final int NONCE = 0;   // 12 bytes: 4 zero bytes ‖ counter little-endian
    private static final int OUTL = 16;   // int written by EVP_CipherUpdate / EVP_CipherFinal_ex
    private static final int FINAL = 32;  // room for EVP_CipherFinal_ex's (empty) output
    private static final int TAG = 48;    // the tag, on its way to or from the packet
    private static final int BLOCK = 64;
    /** Largest plaintext the staging buffers take: every WireGuard message fits (at most 65535 bytes in all). */
    static final int STAGE_SIZE = 65536;
    /**
     * One staging buffer per thread that seals or opens: the packet is copied in, processed in place by
     * OpenSSL and copied back, so every native call sees the same native segments and no per-packet
     * object is ever created (see the class comment).
     */
    private static final ThreadLocal<MemorySegment> STAGE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STAGE_SIZE + 64, 64));

    private static final AeadBackend BACKEND = new AeadBackend() {
        @Override
        public String name() { return "openssl"; }

        @Override
        public TransportAead newTransportAead(byte[] key32) { return new OpenSslAead(key32); }

        @Override
        public String toString() { return "AeadBackend(openssl)"; }
    };

    private final MemorySegment ctx;
    private final MemorySegment block;
    private final MemorySegment nonce;
    private final MemorySegment outl;
    private final MemorySegment finalOut;
    private final MemorySegment tag;
    private final Context context;
    private final Cleaner.Cleanable cleanable;
    private boolean destroyed;

    /**
     * The native context, freed exactly once: by {@link #destroy()} or by the cleaner. A static
     * class holding no reference to its {@link OpenSslAead}, so that the instance can become
     * unreachable and the cleaner can run it.
     */
    static final class Context implements Runnable {
        private final MemorySegment ctx;
        private final java.util.concurrent.atomic.AtomicInteger frees = new java.util.concurrent.atomic.AtomicInteger();

        Context(MemorySegment ctx) {
            this.ctx = ctx;
        }

        /** How many times the context was freed: 0 or 1. */
        int frees() {
            return frees.get();
        }

        @Override
        public void run() {
            frees.incrementAndGet();
            try {
                LibCrypto.H.CTX_FREE.invokeExact(ctx);
            } catch (Throwable t) {
                throw LibCrypto.rethrow(t);
            }
        }
    }

    /**
     * @param key32 the 32-byte transport key; copied into OpenSSL, so the caller may (and should) zero it
     * @throws UnsupportedOperationException when libcrypto cannot be used ({@link #unavailabilityCause()})
     */
    public OpenSslAead(byte[] key32) {
        if (key32.length != 32) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, not " + key32.length);
        }
        ensureAvailable();
        MemorySegment c;
        try {
            c = (MemorySegment) LibCrypto.H.CTX_NEW.invokeExact();
        } catch (Throwable t) {
            throw LibCrypto.rethrow(t);
        }
        if (c.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("EVP_CIPHER_CTX_new");
        }
        Context context = new Context(c);
        boolean keyed = false;
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment key = temp.allocate(32);
            try {
                MemorySegment.copy(key32, 0, key, JAVA_BYTE, 0, 32);
                int r = (int) LibCrypto.H.INIT.invokeExact(c, LibCrypto.H.CHACHA20_POLY1305, MemorySegment.NULL, key,
                        MemorySegment.NULL, 1);
                if (r != 1) {
                    LibCrypto.clearErrors();
                    throw new IllegalStateException("EVP_CipherInit_ex failed to key ChaCha20-Poly1305");
                }
                keyed = true;
            } finally {
                key.fill((byte) 0);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw LibCrypto.rethrow(t);
        } finally {
            if (!keyed) {
                context.run();
            }
        }
        this.ctx = c;
        this.block = Arena.ofAuto().allocate(BLOCK, 16);
        this.nonce = block.asSlice(NONCE, 12);
        this.outl = block.asSlice(OUTL, 4);
        this.finalOut = block.asSlice(FINAL, 16);
        this.tag = block.asSlice(TAG, 16);
        this.context = context;
        this.cleanable = CLEANER.register(this, context);
    }

    /** The backend creating instances of this class; {@link #isAvailable()} tells whether they work here. */
    public static AeadBackend backend() {
        return BACKEND;
    }

    /** True when libcrypto loaded and passed its RFC 8439 known-answer test. */
    public static boolean isAvailable() {
        return LibCrypto.unavailabilityCause() == null;
    }

    /** Why libcrypto cannot be used (library missing, no ChaCha20-Poly1305, wrong answer), or null. */
    public static Throwable unavailabilityCause() {
        return LibCrypto.unavailabilityCause();
    }

    /** OpenSSL's version text, e.g. "OpenSSL 3.0.19 27 Jan 2026", or null when unavailable. */
    public static String version() {
        return LibCrypto.version();
    }

    /** This instance's native context and its free count (for tests). */
    Context context() {
        return context;
    }

    private static void ensureAvailable() {
        Throwable cause = LibCrypto.unavailabilityCause();
        if (cause != null) {
            throw new UnsupportedOperationException("OpenSSL ChaCha20-Poly1305 unavailable: " + cause, cause);
        }
    }

    @Override
    public int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        Objects.checkFromIndexSize(inOff, len, in.length);
        Objects.checkFromIndexSize(outOff, len + TAG_LEN, out.length);
        TransportAead.checkOverlap(in, inOff, len, out, outOff, len + TAG_LEN);
        checkLive();
        if (len > STAGE_SIZE) {
            return sealLarge(counter, in, inOff, len, out, outOff);
        }
        MemorySegment stage = STAGE.get();
        MemorySegment.copy(in, inOff, stage, JAVA_BYTE, 0, len);
        try {
            nonce.set(COUNTER, 4, counter);
            if ((int) LibCrypto.H.PACKET_INIT.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL,
                    nonce, 1) != 1) {
                throw failure("EVP_CipherInit_ex");
            }
            if (len > 0 && (int) LibCrypto.H.PACKET_UPDATE.invokeExact(ctx, stage, outl, stage, len) != 1) {
                throw failure("EVP_CipherUpdate");
            }
            if ((int) LibCrypto.H.PACKET_FINAL.invokeExact(ctx, finalOut, outl) != 1) {
                throw failure("EVP_CipherFinal_ex");
            }
            if ((int) LibCrypto.H.PACKET_CTRL.invokeExact(ctx, LibCrypto.EVP_CTRL_AEAD_GET_TAG, TAG_LEN, tag) != 1) {
                throw failure("EVP_CTRL_AEAD_GET_TAG");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw LibCrypto.rethrow(t);
        } finally {
            Reference.reachabilityFence(this);
        }
        MemorySegment.copy(stage, JAVA_BYTE, 0, out, outOff, len);
        MemorySegment.copy(tag, JAVA_BYTE, 0, out, outOff + len, TAG_LEN);
        return len + TAG_LEN;
    }

    @Override
    public int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        Objects.checkFromIndexSize(inOff, len, in.length);
        if (len < TAG_LEN) {
            return -1;
        }
        int plain = len - TAG_LEN;
        Objects.checkFromIndexSize(outOff, plain, out.length);
        TransportAead.checkOverlap(in, inOff, len, out, outOff, plain);
        checkLive();
        if (plain > STAGE_SIZE) {
            return openLarge(counter, in, inOff, plain, out, outOff);
        }
        MemorySegment stage = STAGE.get();
        MemorySegment.copy(in, inOff, stage, JAVA_BYTE, 0, plain);
        MemorySegment.copy(in, inOff + plain, tag, JAVA_BYTE, 0, TAG_LEN);
        try {
            nonce.set(COUNTER, 4, counter);
            if ((int) LibCrypto.H.PACKET_INIT.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL,
                    nonce, 0) != 1) {
                throw failure("EVP_CipherInit_ex");
            }
            if ((int) LibCrypto.H.PACKET_CTRL.invokeExact(ctx, LibCrypto.EVP_CTRL_AEAD_SET_TAG, TAG_LEN, tag) != 1) {
                throw failure("EVP_CTRL_AEAD_SET_TAG");
            }
            if (plain > 0 && (int) LibCrypto.H.PACKET_UPDATE.invokeExact(ctx, stage, outl, stage, plain) != 1) {
                throw failure("EVP_CipherUpdate");
            }
            if ((int) LibCrypto.H.PACKET_FINAL.invokeExact(ctx, finalOut, outl) != 1) {
                // The tags differ (compared in constant time by OpenSSL). What was decrypted stays in the
                // staging buffer, where the next packet overwrites it; the caller's buffer is untouched.
                LibCrypto.clearErrors();
                return -1;
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw LibCrypto.rethrow(t);
        } finally {
            Reference.reachabilityFence(this);
        }
        MemorySegment.copy(stage, JAVA_BYTE, 0, out, outOff, plain);
        return plain;
    }

    /** {@link #seal} of more than {@link #STAGE_SIZE} bytes (never on the data path): a temporary buffer. */
    private int sealLarge(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment buf = temp.allocate(len + TAG_LEN);
            MemorySegment.copy(in, inOff, buf, JAVA_BYTE, 0, len);
            nonce.set(COUNTER, 4, counter);
            if ((int) LibCrypto.H.INIT.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, nonce, 1) != 1
                    || (int) LibCrypto.H.UPDATE.invokeExact(ctx, buf, outl, buf, len) != 1
                    || (int) LibCrypto.H.FINAL.invokeExact(ctx, finalOut, outl) != 1
                    || (int) LibCrypto.H.CTRL.invokeExact(ctx, LibCrypto.EVP_CTRL_AEAD_GET_TAG, TAG_LEN, buf.asSlice(len)) != 1) {
                throw failure("ChaCha20-Poly1305 seal of " + len + " bytes");
            }
            MemorySegment.copy(buf, JAVA_BYTE, 0, out, outOff, len + TAG_LEN);
            return len + TAG_LEN;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw LibCrypto.rethrow(t);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** {@link #open} of more than {@link #STAGE_SIZE} bytes (never on the data path): a temporary buffer. */
    private int openLarge(long counter, byte[] in, int inOff, int plain, byte[] out, int outOff) {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment buf = temp.allocate(plain + TAG_LEN);
            MemorySegment.copy(in, inOff, buf, JAVA_BYTE, 0, plain + TAG_LEN);
            nonce.set(COUNTER, 4, counter);
            if ((int) LibCrypto.H.INIT.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, nonce, 0) != 1
                    || (int) LibCrypto.H.CTRL.invokeExact(ctx, LibCrypto.EVP_CTRL_AEAD_SET_TAG, TAG_LEN, buf.asSlice(plain)) != 1
                    || (int) LibCrypto.H.UPDATE.invokeExact(ctx, buf, outl, buf, plain) != 1) {
                throw failure("ChaCha20-Poly1305 open of " + plain + " bytes");
            }
            if ((int) LibCrypto.H.FINAL.invokeExact(ctx, finalOut, outl) != 1) {
                LibCrypto.clearErrors();
                return -1;
            }
            MemorySegment.copy(buf, JAVA_BYTE, 0, out, outOff, plain);
            return plain;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw LibCrypto.rethrow(t);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Frees the OpenSSL context (which wipes the key schedule); afterwards {@link #seal} and
     * {@link #open} throw IllegalStateException. Idempotent.
     */
    @Override
    public void destroy() {
        if (!destroyed) {
            destroyed = true;
            cleanable.clean();
        }
    }

    private IllegalStateException failure(String call) {
        LibCrypto.clearErrors();
        return new IllegalStateException(call + " failed (OpenSSL ChaCha20-Poly1305)");
    }

    private void checkLive() {
        if (destroyed) {
            throw new IllegalStateException("OpenSslAead used after destroy()");
        }
    }

    @Override
    public String toString() {
        return destroyed ? "OpenSslAead(destroyed)" : "OpenSslAead(redacted)";
    }
}
