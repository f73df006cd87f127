package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.TransportAead;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link TransportAead} on OpenSSL's ChaCha20-Poly1305 ({@code libcrypto.so.3} through FFM, see
 * {@link LibCrypto}): no allocation per packet, in place on the data path's native packet memory,
 * and faster than the JDK's provider (see {@code dev.jwg.bench.AeadBench}). {@link #backend()} is the
 * {@link AeadBackend}; the runtime uses it only after {@link dev.jwg.core.crypto.AeadBackendCheck}
 * passed and a measurement found it faster (see {@code dev.jwg.device.tuning.AeadSelector}).
 *
 * <p><b>Keys are data, contexts are per thread.</b> An instance holds only its 32-byte key. Each
 * thread that seals or opens has an {@link Engine}: one cipher context of the provider that implements
 * ChaCha20-Poly1305, called directly through its dispatch table ({@link LibCrypto.P}; OpenSSL's EVP
 * calls in front of it cost about 1,200 instructions per packet), and a small native block for the
 * key, the nonce, the lengths and the tag's {@code OSSL_PARAM}. Per packet the engine copies the key
 * and the nonce into its block, {@code encrypt_init}/{@code decrypt_init} sets both (for ChaCha20,
 * keying is storing the key: no schedule is computed), then the tag goes in through
 * {@code set_ctx_params} (open), {@code update} in place, {@code final} (which compares the tags when
 * opening), and the tag comes out through {@code get_ctx_params}, written straight behind the packet
 * (seal). Where the dispatch table cannot be found the same steps go through {@code EVP_CipherInit_ex},
 * {@code EVP_CIPHER_CTX_ctrl}, {@code EVP_CipherUpdate} and {@code EVP_CipherFinal_ex}
 * ({@link #evpBackend()} always does). So any number of threads use one key at once (the crypto
 * workers spread one peer's packets over all cores), and there is no native state per keypair to
 * free. The block's key copy is wiped after every call; the context keeps the last key's state until
 * the thread's next packet (OpenSSL wipes it when the context is freed, with the thread).
 *
 * <p><b>Packet memory by address.</b> The byte-buffer methods (the data path) work on the buffer's
 * memory in place: a direct buffer's native address is looked up once per buffer and remembered per
 * engine (the device's batches share one buffer, {@link NativePacketMemory}), and every downcall takes
 * raw addresses as 64-bit integers (LP64), so that no memory segment is made per call. The array
 * methods (handshake-time and test use) copy through the engine's 64 KiB native staging buffer.
 *
 * <p>Opening: OpenSSL decrypts before {@code EVP_CipherFinal_ex} compares the tags, in constant time
 * ({@code CRYPTO_memcmp} in the provider's {@code chacha20_poly1305_aead_cipher}). When they differ the
 * decrypted bytes are zeroed (in place) or never copied out (arrays), so no plaintext of a forged
 * message is left behind; this thread's OpenSSL error queue is emptied.
 *
 * <p>Thread-safe: see above. The per-packet calls are critical downcalls ({@link LibCrypto}).
 */
public final class OpenSslAead implements TransportAead {
    private static final ValueLayout.OfLong COUNTER = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jwg-openssl-cleaner");
        t.setDaemon(true);
        return t;
    });
    // Layout of an engine's native block.
    private static final int KEY = 0;      // 32 bytes, wiped after each call
    private static final int NONCE = 32;   // 12 bytes: 4 zero bytes ‖ counter little-endian
    private static final int OUTL = 48;    // int written by EVP_CipherUpdate / EVP_CipherFinal_ex
    private static final int FINAL = 64;   // room for EVP_CipherFinal_ex's (empty) output
    private static final int TAG = 80;     // the tag, on its way to or from the packet (EVP calls)
    private static final int PARAMS = 96;  // OSSL_PARAM[2]: the tag (data = where it is), then the end (provider calls)
    private static final int BLOCK = 176;
    /** Largest plaintext the staging buffer takes: every WireGuard message fits (at most 65535 bytes in all). */
    static final int STAGE_SIZE = 65536;

    /** The provider's functions when they can be called directly ({@link LibCrypto.P}), else the EVP calls. */
    private static final boolean PROVIDER = LibCrypto.P.CAUSE == null;

    private static final AeadBackend BACKEND = new AeadBackend() {
        @Override
        public String name() { return "openssl"; }

        @Override
        public TransportAead newTransportAead(byte[] key32) { return new OpenSslAead(key32, PROVIDER); }

        @Override
        public String toString() { return "AeadBackend(openssl)"; }
    };

    /** The same cipher through the EVP calls, for comparison (AeadBench) and tests. */
    private static final AeadBackend EVP_BACKEND = new AeadBackend() {
        @Override
        public String name() { return "openssl-evp"; }

        @Override
        public TransportAead newTransportAead(byte[] key32) { return new OpenSslAead(key32, false); }

        @Override
        public String toString() { return "AeadBackend(openssl-evp)"; }
    };

    /** Contexts freed so far, as threads that used them went away (for tests and diagnostics). */
    private static final AtomicLong FREED = new AtomicLong();
    private static final AtomicLong MADE = new AtomicLong();

    /** One thread's OpenSSL state, for one way of calling it. Mutable; owned by its thread. */
    private static final class Engine {
        /** The EVP_CIPHER_CTX, or the provider's cipher context. */
        final long ctx;
        final boolean provider;
        final MemorySegment block;
        final long blockAddress;
        MemorySegment stage;
        long stageAddress;
        /** The direct buffer whose address was last looked up, and that address. */
        ByteBuffer lastBuffer;
        long lastAddress;

        Engine(boolean provider) {
            this.provider = provider;
            long c;
            try {
                c = provider ? (long) LibCrypto.P.NEW_CTX.invokeExact(LibCrypto.P.PROVCTX)
                        : (long) LibCrypto.H.CTX_NEW.invokeExact();
            } catch (Throwable t) {
                throw LibCrypto.rethrow(t);
            }
            if (c == 0) {
                throw new OutOfMemoryError(provider ? "ChaCha20-Poly1305 newctx" : "EVP_CIPHER_CTX_new");
            }
            Context context = new Context(c, provider);
            if (!provider) {
                try {
                    int r = (int) (long) LibCrypto.H.INIT.invokeExact(c, LibCrypto.H.CHACHA20_POLY1305.address(), 0L, 0L, 0L, 1L);
                    if (r != 1) {
                        LibCrypto.clearErrors();
                        throw new IllegalStateException("EVP_CipherInit_ex failed to set up ChaCha20-Poly1305");
                    }
                } catch (RuntimeException | Error e) {
                    context.run();
                    throw e;
                } catch (Throwable t) {
                    context.run();
                    throw LibCrypto.rethrow(t);
                }
            }
            this.ctx = c;
            this.block = Arena.ofAuto().allocate(BLOCK, 16);
            this.blockAddress = block.address();
            if (provider) {
                block.set(JAVA_LONG, PARAMS, LibCrypto.P.TAG_NAME);
                block.set(JAVA_INT, PARAMS + 8, LibCrypto.P.OSSL_PARAM_OCTET_STRING);
                block.set(JAVA_LONG, PARAMS + 24, TAG_LEN);
            }
            MADE.incrementAndGet();
            CLEANER.register(this, context);
        }

        /** The native address of direct buffer {@code buf}, remembered for the next call. */
        long address(ByteBuffer buf) {
            if (buf == lastBuffer) {
                return lastAddress;
            }
            long a = MemorySegment.ofBuffer(buf).address();
            lastBuffer = buf;
            lastAddress = a;
            return a;
        }

        MemorySegment stage() {
            MemorySegment s = stage;
            if (s == null) {
                s = stage = Arena.ofAuto().allocate(STAGE_SIZE + 64, 64);
                stageAddress = s.address();
            }
            return s;
        }
    }

    /** A native context, freed exactly once, by the cleaner, when its engine's thread is gone. */
    private record Context(long ctx, boolean provider) implements Runnable {
        @Override
        public void run() {
            FREED.incrementAndGet();
            try {
                if (provider) {
                    long ignored = (long) LibCrypto.P.FREE_CTX.invokeExact(ctx);
                } else {
                    long ignored = (long) LibCrypto.H.CTX_FREE.invokeExact(ctx);
                }
            } catch (Throwable t) {
                throw LibCrypto.rethrow(t);
            }
        }
    }

    private static final ThreadLocal<Engine> ENGINE = ThreadLocal.withInitial(() -> new Engine(PROVIDER));
    private static final ThreadLocal<Engine> EVP_ENGINE = ThreadLocal.withInitial(() -> new Engine(false));

    private final byte[] key;
    private final ThreadLocal<Engine> engines;
    private volatile boolean destroyed;

    /**
     * @param key32 the 32-byte transport key; copied, so the caller may (and should) zero it
     * @throws UnsupportedOperationException when libcrypto cannot be used ({@link #unavailabilityCause()})
     */
    public OpenSslAead(byte[] key32) {
        this(key32, PROVIDER);
    }

    private OpenSslAead(byte[] key32, boolean provider) {
        if (key32.length != 32) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, not " + key32.length);
        }
        ensureAvailable();
        this.key = key32.clone();
        this.engines = provider ? ENGINE : EVP_ENGINE;
        engines.get(); // fail here, not on the first packet, if no context can be made
    }

    /** The backend creating instances of this class; {@link #isAvailable()} tells whether they work here. */
    public static AeadBackend backend() {
        return BACKEND;
    }

    /** The same cipher through OpenSSL's EVP calls instead of the provider's functions (for comparisons). */
    public static AeadBackend evpBackend() {
        return EVP_BACKEND;
    }

    /** Why the provider's functions cannot be called directly (the EVP calls are used then), or null. */
    public static Throwable providerUnavailabilityCause() {
        return LibCrypto.P.CAUSE;
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

    /** How many thread contexts were made, and freed (when their threads went away), so far. */
    static long contextsMade() {
        return MADE.get();
    }

    static long contextsFreed() {
        return FREED.get();
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
            throw new IllegalArgumentException("message of " + len + " bytes, larger than any WireGuard message");
        }
        Engine e = engines.get();
        MemorySegment stage = e.stage();
        MemorySegment.copy(in, inOff, stage, JAVA_BYTE, 0, len);
        if (sealAt(e, counter, e.stageAddress, len) < 0) {
            throw new IllegalStateException("OpenSslAead used after destroy()");
        }
        MemorySegment.copy(stage, JAVA_BYTE, 0, out, outOff, len + TAG_LEN);
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
            return -1;
        }
        Engine e = engines.get();
        MemorySegment stage = e.stage();
        MemorySegment.copy(in, inOff, stage, JAVA_BYTE, 0, len);
        int n = openAt(e, counter, e.stageAddress, plain, false);
        if (n >= 0) {
            MemorySegment.copy(stage, JAVA_BYTE, 0, out, outOff, plain);
        }
        return n;
    }

    @Override
    public int seal(long counter, ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + TAG_LEN, buf.capacity());
        if (destroyed) {
            return -1;
        }
        Engine e = engines.get();
        if (!buf.isDirect()) {
            return sealHeap(e, counter, buf, off, len);
        }
        try {
            return sealAt(e, counter, e.address(buf) + off, len);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    @Override
    public int open(long counter, ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.capacity());
        if (len < TAG_LEN || destroyed) {
            return -1;
        }
        Engine e = engines.get();
        if (!buf.isDirect()) {
            return openHeap(e, counter, buf, off, len);
        }
        try {
            return openAt(e, counter, e.address(buf) + off, len - TAG_LEN, true);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    private int sealHeap(Engine e, long counter, ByteBuffer buf, int off, int len) {
        if (len > STAGE_SIZE) {
            return -1;
        }
        MemorySegment stage = e.stage();
        MemorySegment.copy(MemorySegment.ofBuffer(buf), off, stage, 0, len);
        int n = sealAt(e, counter, e.stageAddress, len);
        if (n > 0) {
            MemorySegment.copy(stage, 0, MemorySegment.ofBuffer(buf), off, n);
        }
        return n;
    }

    private int openHeap(Engine e, long counter, ByteBuffer buf, int off, int len) {
        if (len - TAG_LEN > STAGE_SIZE) {
            return -1;
        }
        MemorySegment stage = e.stage();
        MemorySegment.copy(MemorySegment.ofBuffer(buf), off, stage, 0, len);
        int n = openAt(e, counter, e.stageAddress, len - TAG_LEN, false);
        if (n >= 0) {
            MemorySegment.copy(stage, 0, MemorySegment.ofBuffer(buf), off, n);
        }
        return n;
    }

    /** Loads the key and the nonce into the engine's block and (re)initialises its context for {@code enc}. */
    private boolean init(Engine e, long counter, int enc) throws Throwable {
        MemorySegment block = e.block;
        MemorySegment.copy(key, 0, block, JAVA_BYTE, KEY, 32);
        if (destroyed) {
            wipeKey(block);
            return false;
        }
        block.set(JAVA_LONG_UNALIGNED, NONCE, 0L);
        block.set(COUNTER, NONCE + 4, counter);
        long b = e.blockAddress;
        if (e.provider) {
            // Each handle invoked at a call site of its own: a constant handle is inlined by the JIT,
            // one picked at run time goes through a generic invoker (interpreted on a quiet tunnel).
            long ok = enc == 1
                    ? (long) LibCrypto.P.EINIT.invokeExact(e.ctx, b + KEY, 32L, b + NONCE, 12L, 0L)
                    : (long) LibCrypto.P.DINIT.invokeExact(e.ctx, b + KEY, 32L, b + NONCE, 12L, 0L);
            return (int) ok == 1;
        }
        return (int) (long) LibCrypto.H.INIT_AT.invokeExact(e.ctx, 0L, 0L, b + KEY, b + NONCE, (long) enc) == 1;
    }

    private static void wipeKey(MemorySegment block) {
        block.set(JAVA_LONG_UNALIGNED, KEY, 0L);
        block.set(JAVA_LONG_UNALIGNED, KEY + 8, 0L);
        block.set(JAVA_LONG_UNALIGNED, KEY + 16, 0L);
        block.set(JAVA_LONG_UNALIGNED, KEY + 24, 0L);
    }

    /** Seals {@code len} bytes at native {@code address} in place, the tag behind them; -1 after destroy. */
    private int sealAt(Engine e, long counter, long address, int len) {
        long b = e.blockAddress;
        try {
            if (!init(e, counter, 1)) {
                return -1;
            }
            wipeKey(e.block);
            if (e.provider) {
                if (len > 0 && (int) (long) LibCrypto.P.CUPDATE.invokeExact(e.ctx, address, b + OUTL, (long) len, address, (long) len) != 1) {
                    throw failure("ChaCha20-Poly1305 update");
                }
                if ((int) (long) LibCrypto.P.CFINAL.invokeExact(e.ctx, b + FINAL, b + OUTL, (long) TAG_LEN) != 1) {
                    throw failure("ChaCha20-Poly1305 final");
                }
                e.block.set(JAVA_LONG, PARAMS + 16, address + len); // the tag's OSSL_PARAM: written behind the packet
                if ((int) (long) LibCrypto.P.GET_PARAMS.invokeExact(e.ctx, b + PARAMS) != 1) {
                    throw failure("ChaCha20-Poly1305 get_ctx_params(tag)");
                }
                return len + TAG_LEN;
            }
            if (len > 0 && (int) (long) LibCrypto.H.UPDATE_AT.invokeExact(e.ctx, address, b + OUTL, address, (long) len) != 1) {
                throw failure("EVP_CipherUpdate");
            }
            if ((int) (long) LibCrypto.H.FINAL_AT.invokeExact(e.ctx, b + FINAL, b + OUTL) != 1) {
                throw failure("EVP_CipherFinal_ex");
            }
            if ((int) (long) LibCrypto.H.CTRL_AT.invokeExact(e.ctx, (long) LibCrypto.EVP_CTRL_AEAD_GET_TAG, (long) TAG_LEN, address + len) != 1) {
                throw failure("EVP_CTRL_AEAD_GET_TAG");
            }
            return len + TAG_LEN;
        } catch (RuntimeException | Error ex) {
            throw ex;
        } catch (Throwable t) {
            throw LibCrypto.rethrow(t);
        } finally {
            wipeKey(e.block);
        }
    }

    /**
     * Opens {@code plain} bytes and the tag behind them at native {@code address} in place; returns
     * {@code plain}, or -1 when the tags differ ({@code zero}: the decrypted bytes are zeroed then)
     * or after destroy.
     */
    private int openAt(Engine e, long counter, long address, int plain, boolean zero) {
        long b = e.blockAddress;
        try {
            if (!init(e, counter, 0)) {
                return -1;
            }
            wipeKey(e.block);
            boolean ok;
            if (e.provider) {
                e.block.set(JAVA_LONG, PARAMS + 16, address + plain); // the tag's OSSL_PARAM: read behind the packet
                if ((int) (long) LibCrypto.P.SET_PARAMS.invokeExact(e.ctx, b + PARAMS) != 1) {
                    throw failure("ChaCha20-Poly1305 set_ctx_params(tag)");
                }
                if (plain > 0 && (int) (long) LibCrypto.P.CUPDATE.invokeExact(e.ctx, address, b + OUTL, (long) plain, address, (long) plain) != 1) {
                    throw failure("ChaCha20-Poly1305 update");
                }
                ok = (int) (long) LibCrypto.P.CFINAL.invokeExact(e.ctx, b + FINAL, b + OUTL, (long) TAG_LEN) == 1;
            } else {
                if ((int) (long) LibCrypto.H.CTRL_AT.invokeExact(e.ctx, (long) LibCrypto.EVP_CTRL_AEAD_SET_TAG, (long) TAG_LEN, address + plain) != 1) {
                    throw failure("EVP_CTRL_AEAD_SET_TAG");
                }
                if (plain > 0 && (int) (long) LibCrypto.H.UPDATE_AT.invokeExact(e.ctx, address, b + OUTL, address, (long) plain) != 1) {
                    throw failure("EVP_CipherUpdate");
                }
                ok = (int) (long) LibCrypto.H.FINAL_AT.invokeExact(e.ctx, b + FINAL, b + OUTL) == 1;
            }
            if (!ok) {
                // The tags differ (compared in constant time by OpenSSL): no plaintext stays behind.
                LibCrypto.clearErrors();
                if (zero && plain > 0) {
                    MemorySegment.ofAddress(address).reinterpret(plain).fill((byte) 0);
                }
                return -1;
            }
            return plain;
        } catch (RuntimeException | Error ex) {
            throw ex;
        } catch (Throwable t) {
            throw LibCrypto.rethrow(t);
        } finally {
            wipeKey(e.block);
        }
    }

    /**
     * Zeroes the key; afterwards the array methods throw IllegalStateException and the buffer methods
     * return -1. Idempotent. There is no native state per key to free.
     */
    @Override
    public void destroy() {
        if (!destroyed) {
            destroyed = true;
            Arrays.fill(key, (byte) 0);
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
