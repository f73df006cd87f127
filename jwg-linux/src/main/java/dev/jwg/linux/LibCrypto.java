package dev.jwg.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The few functions of OpenSSL's {@code libcrypto.so.3} that {@link OpenSslAead} calls, as FFM downcalls
 * created once, and the probe that decides whether they may be used: the library loads, every symbol
 * is there, {@code EVP_CIPHER_fetch} finds ChaCha20-Poly1305 in the default provider (it would not in
 * a FIPS-only configuration), and that cipher reproduces RFC 8439 §2.8.2 (with its AAD and its nonce,
 * which {@link dev.jwg.core.crypto.AeadBackendCheck} cannot express through the WireGuard-only
 * interface) and refuses a flipped tag.
 *
 * <p>The per-packet functions are bound with {@code Linker.Option.critical(false)}: they run for at
 * most a few microseconds (64 KiB of ChaCha20-Poly1305 is about 30 µs), never block and never call back
 * into Java, so they may hold off safepoints that long, and in exchange they skip the thread-state
 * transition of an ordinary downcall. They take pointers as raw addresses ({@code long}), which is
 * how the x86_64 and aarch64 Linux calling conventions pass them anyway. Constants are from OpenSSL 3.0's {@code <openssl/evp.h>} ({@code EVP_CTRL_AEAD_GET_TAG 0x10},
 * {@code EVP_CTRL_AEAD_SET_TAG 0x11}), checked against the headers of this machine's libssl-dev 3.0.19
 * and by the known-answer test.
 *
 * <p>Stateless and thread-safe; the probe runs once.
 */
final class LibCrypto {
    private LibCrypto() {}

    static final String LIBRARY = "libcrypto.so.3";
    static final int EVP_CTRL_AEAD_GET_TAG = 0x10;
    static final int EVP_CTRL_AEAD_SET_TAG = 0x11;
    /** {@code OpenSSL_version(OPENSSL_VERSION)}: "OpenSSL 3.0.19 27 Jan 2026". */
    private static final int OPENSSL_VERSION = 0;

    private static final Throwable CAUSE = probe();

    /** Null when the bindings work, else why not. */
    static Throwable unavailabilityCause() {
        return CAUSE;
    }

    /** "OpenSSL 3.0.19 27 Jan 2026", or null when unavailable. */
    static String version() {
        return CAUSE == null ? H.VERSION : null;
    }

    /**
     * The handles. Initialising this class loads the library; it fails (and stays failed) when the
     * library or a symbol is missing, which {@link #probe} reports.
     */
    static final class H {
        private H() {}

        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup LOOKUP = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        private static final Linker.Option SHORT = Linker.Option.critical(false);

        // Every handle has one of Libc's canonical shapes, 64-bit integers in and out (see Libc and
        // docs/cpu-architectures.md, "Downcall shapes"): the linker reuses the code it generated for
        // Libc's instead of generating more at every start.
        static final MethodHandle CTX_NEW = handle("EVP_CIPHER_CTX_new", 0);
        static final MethodHandle CTX_FREE = handle("EVP_CIPHER_CTX_free", 1);
        static final MethodHandle CIPHER_FETCH = handle("EVP_CIPHER_fetch", 3);
        static final MethodHandle ERR_CLEAR = handle("ERR_clear_error", 0);
        private static final MethodHandle VERSION_TEXT = handle("OpenSSL_version", 1);

        // Set-up calls (keying, the known-answer test), on native memory only.
        /** {@code int EVP_CipherInit_ex(ctx, cipher, engine, key, iv, enc)}. */
        static final MethodHandle INIT = handle("EVP_CipherInit_ex", 6);
        /** {@code int EVP_CipherUpdate(ctx, out, int *outl, in, int inl)}. */
        static final MethodHandle UPDATE = handle("EVP_CipherUpdate", 5);
        /** {@code int EVP_CipherFinal_ex(ctx, out, int *outl)}. */
        static final MethodHandle FINAL = handle("EVP_CipherFinal_ex", 3);
        /** {@code int EVP_CIPHER_CTX_ctrl(ctx, type, arg, void *ptr)}. */
        static final MethodHandle CTRL = handle("EVP_CIPHER_CTX_ctrl", 4);

        // Per-packet calls, used by OpenSslAead's seal and open only: every pointer is passed as a raw
        // address (a 64-bit integer, LP64), so that no memory segment is made per call. Critical: no
        // thread-state transition.
        /** {@code EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, enc)}: key and nonce, the cipher stays. */
        static final MethodHandle INIT_AT = handle("EVP_CipherInit_ex", 6, SHORT);
        /** {@code EVP_CipherUpdate(ctx, out, &outl, in, inl)}, in place. */
        static final MethodHandle UPDATE_AT = handle("EVP_CipherUpdate", 5, SHORT);
        /** {@code EVP_CipherFinal_ex(ctx, out, &outl)}: the tag comparison when decrypting. */
        static final MethodHandle FINAL_AT = handle("EVP_CipherFinal_ex", 3, SHORT);
        /** {@code EVP_CIPHER_CTX_ctrl(ctx, type, 16, tag)}: get or set the tag, right behind the packet. */
        static final MethodHandle CTRL_AT = handle("EVP_CIPHER_CTX_ctrl", 4, SHORT);

        /** The fetched ChaCha20-Poly1305 implementation, kept for the life of the process. */
        static final MemorySegment CHACHA20_POLY1305 = fetch();
        static final String VERSION = versionText();

        private static MethodHandle handle(String name, int arity, Linker.Option... options) {
            MemorySegment symbol = LOOKUP.find(name)
                    .orElseThrow(() -> new UnsatisfiedLinkError(LIBRARY + " has no symbol " + name));
            return LINKER.downcallHandle(symbol, Libc.shape(arity), options);
        }

        private static MemorySegment fetch() {
            try (Arena temp = Arena.ofConfined()) {
                long c = (long) CIPHER_FETCH.invokeExact(0L, temp.allocateFrom("ChaCha20-Poly1305").address(), 0L);
                if (c == 0) {
                    clearErrors();
                    throw new UnsupportedOperationException(
                            "EVP_CIPHER_fetch(ChaCha20-Poly1305) found no implementation (FIPS-only configuration?)");
                }
                return MemorySegment.ofAddress(c);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        private static String versionText() {
            try {
                long text = (long) VERSION_TEXT.invokeExact((long) OPENSSL_VERSION);
                return text == 0 ? "OpenSSL" : MemorySegment.ofAddress(text).reinterpret(256).getString(0, StandardCharsets.US_ASCII);
            } catch (Throwable t) {
                return "OpenSSL";
            }
        }
    }

    /**
     * The ChaCha20-Poly1305 implementation of the provider behind {@link H#CHACHA20_POLY1305}, called
     * directly through its dispatch table (provider-base(7), provider-cipher(7): public, stable API
     * of OpenSSL 3): {@code newctx}, {@code encrypt_init}/{@code decrypt_init} with key and nonce,
     * {@code update}, {@code final}, and the tag as an {@code OSSL_PARAM} through
     * {@code get_ctx_params}/{@code set_ctx_params}. Calling them directly skips the EVP layer's
     * translation of every call (contexts, lengths asked back through parameters, the tag control
     * turned into a parameter array); its cost is in docs/performance.md. Every pointer is a raw
     * address; critical downcalls, as {@link H}'s.
     * {@link #CAUSE} says why it cannot be used (then the EVP calls are).
     */
    static final class P {
        private P() {}

        static final int OSSL_OP_CIPHER = 2;
        static final int NEWCTX = 1;
        static final int ENCRYPT_INIT = 2;
        static final int DECRYPT_INIT = 3;
        static final int UPDATE = 4;
        static final int FINAL = 5;
        static final int FREECTX = 7;
        static final int GET_CTX_PARAMS = 10;
        static final int SET_CTX_PARAMS = 11;
        /** {@code sizeof(OSSL_PARAM)}: key, data_type (padded), data, data_size, return_size. */
        static final long PARAM_SIZE = 40;
        static final int OSSL_PARAM_OCTET_STRING = 5;

        static final long PROVCTX;
        static final MethodHandle NEW_CTX;
        static final MethodHandle FREE_CTX;
        static final MethodHandle EINIT;
        static final MethodHandle DINIT;
        static final MethodHandle CUPDATE;
        static final MethodHandle CFINAL;
        static final MethodHandle GET_PARAMS;
        static final MethodHandle SET_PARAMS;
        /** The name "tag", for the tag's OSSL_PARAM. */
        static final long TAG_NAME;
        static final Throwable CAUSE;

        static {
            long provctx = 0;
            MethodHandle[] f = new MethodHandle[12];
            long tagName = 0;
            Throwable cause = null;
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup lookup = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
                // Libc's canonical shapes, as H's
                MethodHandle getProvider = linker.downcallHandle(lookup.find("EVP_CIPHER_get0_provider").orElseThrow(), Libc.shape(1));
                MethodHandle getProvCtx = linker.downcallHandle(lookup.find("OSSL_PROVIDER_get0_provider_ctx").orElseThrow(), Libc.shape(1));
                MethodHandle query = linker.downcallHandle(lookup.find("OSSL_PROVIDER_query_operation").orElseThrow(), Libc.shape(3));
                MethodHandle unquery = linker.downcallHandle(lookup.find("OSSL_PROVIDER_unquery_operation").orElseThrow(), Libc.shape(3));
                long provider = (long) getProvider.invokeExact(H.CHACHA20_POLY1305.address());
                if (provider == 0) {
                    throw new UnsupportedOperationException("ChaCha20-Poly1305 has no provider");
                }
                provctx = (long) getProvCtx.invokeExact(provider);
                MemorySegment dispatch = MemorySegment.NULL;
                try (Arena temp = Arena.ofConfined()) {
                    MemorySegment noCache = temp.allocate(JAVA_INT);
                    MemorySegment algs = MemorySegment.ofAddress((long) query.invokeExact(provider, (long) OSSL_OP_CIPHER, noCache.address()))
                            .reinterpret(1 << 20);
                    try {
                        for (long a = 0; ; a += 32) { // OSSL_ALGORITHM: names, properties, implementation, description
                            MemorySegment names = algs.get(ADDRESS, a);
                            if (names.equals(MemorySegment.NULL)) {
                                break;
                            }
                            String all = names.reinterpret(256).getString(0, StandardCharsets.US_ASCII);
                            for (String n : all.split(":")) {
                                if (n.equalsIgnoreCase("ChaCha20-Poly1305")) {
                                    dispatch = algs.get(ADDRESS, a + 16);
                                }
                            }
                            if (!dispatch.equals(MemorySegment.NULL)) {
                                break;
                            }
                        }
                    } finally {
                        long ignored = (long) unquery.invokeExact(provider, (long) OSSL_OP_CIPHER, algs.address());
                    }
                }
                if (dispatch.equals(MemorySegment.NULL)) {
                    throw new UnsupportedOperationException("the provider lists no ChaCha20-Poly1305 dispatch table");
                }
                MemorySegment table = dispatch.reinterpret(16 * 64);
                Linker.Option critical = Linker.Option.critical(false);
                for (long e = 0; e < table.byteSize(); e += 16) { // OSSL_DISPATCH: function_id, function
                    int id = table.get(JAVA_INT, e);
                    if (id == 0) {
                        break;
                    }
                    MemorySegment fn = table.get(ADDRESS, e + 8);
                    FunctionDescriptor d = switch (id) {
                        case NEWCTX, FREECTX -> Libc.shape(1);
                        case ENCRYPT_INIT, DECRYPT_INIT, UPDATE -> Libc.shape(6);
                        case FINAL -> Libc.shape(4);
                        case GET_CTX_PARAMS, SET_CTX_PARAMS -> Libc.shape(2);
                        default -> null;
                    };
                    if (d != null) {
                        f[id] = id == NEWCTX || id == FREECTX ? linker.downcallHandle(fn, d) : linker.downcallHandle(fn, d, critical);
                    }
                }
                for (int id : new int[] {NEWCTX, FREECTX, ENCRYPT_INIT, DECRYPT_INIT, UPDATE, FINAL, GET_CTX_PARAMS, SET_CTX_PARAMS}) {
                    if (f[id] == null) {
                        throw new UnsupportedOperationException("ChaCha20-Poly1305 dispatch table lacks function " + id);
                    }
                }
                tagName = Arena.global().allocateFrom("tag").address();
            } catch (Throwable t) {
                cause = t;
            }
            PROVCTX = provctx;
            NEW_CTX = f[NEWCTX];
            FREE_CTX = f[FREECTX];
            EINIT = f[ENCRYPT_INIT];
            DINIT = f[DECRYPT_INIT];
            CUPDATE = f[UPDATE];
            CFINAL = f[FINAL];
            GET_PARAMS = f[GET_CTX_PARAMS];
            SET_PARAMS = f[SET_CTX_PARAMS];
            TAG_NAME = tagName;
            CAUSE = cause;
        }
    }

    /** Empties this thread's OpenSSL error queue (after a refused tag or a failed call). */
    static void clearErrors() {
        try {
            long ignored = (long) H.ERR_CLEAR.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    private static Throwable probe() {
        if (!Native.isAvailable()) {
            return Native.unavailabilityCause();
        }
        try {
            MemorySegment cipher = H.CHACHA20_POLY1305; // loads the library, links every handle, fetches
            rfc8439(cipher);
            return null;
        } catch (ExceptionInInitializerError e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (Throwable t) {
            return t;
        }
    }

    // docs/protocol.md §7.4 (RFC 8439 §2.8.2)
    private static final String KEY = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
    private static final String NONCE = "070000004041424344454647";
    private static final String AAD = "50515253c0c1c2c3c4c5c6c7";
    private static final String SUNSCREEN = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip"
            + " for the future, sunscreen would be it.";
    private static final String SEALED = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca967"
            + "1282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b"
            + "4831d7bc3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691";

    /** Seals and opens the RFC 8439 §2.8.2 vector with raw EVP calls on native memory; throws if anything differs. */
    private static void rfc8439(MemorySegment cipher) throws Throwable {
        HexFormat hex = HexFormat.of();
        byte[] plain = SUNSCREEN.getBytes(StandardCharsets.US_ASCII);
        byte[] expected = hex.parseHex(SEALED);
        long ctx = (long) H.CTX_NEW.invokeExact();
        if (ctx == 0) {
            throw new OutOfMemoryError("EVP_CIPHER_CTX_new");
        }
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment key = temp.allocateFrom(JAVA_BYTE, hex.parseHex(KEY));
            MemorySegment nonce = temp.allocateFrom(JAVA_BYTE, hex.parseHex(NONCE));
            MemorySegment aad = temp.allocateFrom(JAVA_BYTE, hex.parseHex(AAD));
            MemorySegment in = temp.allocateFrom(JAVA_BYTE, plain);
            MemorySegment out = temp.allocate(plain.length + 16);
            MemorySegment outl = temp.allocate(JAVA_INT);
            MemorySegment scratch = temp.allocate(JAVA_LONG, 4);
            ok("EVP_CipherInit_ex(encrypt)", (int) (long) H.INIT.invokeExact(ctx, cipher.address(), 0L, key.address(), nonce.address(), 1L));
            ok("EVP_CipherUpdate(aad)", (int) (long) H.UPDATE.invokeExact(ctx, 0L, outl.address(), aad.address(), aad.byteSize()));
            ok("EVP_CipherUpdate", (int) (long) H.UPDATE.invokeExact(ctx, out.address(), outl.address(), in.address(), (long) plain.length));
            ok("EVP_CipherFinal_ex", (int) (long) H.FINAL.invokeExact(ctx, scratch.address(), outl.address()));
            ok("EVP_CTRL_AEAD_GET_TAG", (int) (long) H.CTRL.invokeExact(ctx, (long) EVP_CTRL_AEAD_GET_TAG, 16L, out.address() + plain.length));
            if (!Arrays.equals(out.toArray(JAVA_BYTE), expected)) {
                throw new IllegalStateException("libcrypto ChaCha20-Poly1305 does not reproduce RFC 8439 §2.8.2");
            }
            MemorySegment back = temp.allocate(plain.length);
            if (!open(ctx, nonce, aad, outl, scratch, out, back) || !Arrays.equals(back.toArray(JAVA_BYTE), plain)) {
                throw new IllegalStateException("libcrypto ChaCha20-Poly1305 does not open RFC 8439 §2.8.2");
            }
            out.set(JAVA_BYTE, out.byteSize() - 1, (byte) (out.get(JAVA_BYTE, out.byteSize() - 1) ^ 1));
            if (open(ctx, nonce, aad, outl, scratch, out, back)) {
                throw new IllegalStateException("libcrypto ChaCha20-Poly1305 accepts a flipped tag");
            }
            clearErrors();
            key.fill((byte) 0);
        } finally {
            long ignored = (long) H.CTX_FREE.invokeExact(ctx);
        }
    }

    private static boolean open(long ctx, MemorySegment nonce, MemorySegment aad, MemorySegment outl,
                                MemorySegment scratch, MemorySegment sealed, MemorySegment out) throws Throwable {
        int len = (int) sealed.byteSize() - 16;
        ok("EVP_CipherInit_ex(decrypt)", (int) (long) H.INIT.invokeExact(ctx, 0L, 0L, 0L, nonce.address(), 0L));
        ok("EVP_CTRL_AEAD_SET_TAG", (int) (long) H.CTRL.invokeExact(ctx, (long) EVP_CTRL_AEAD_SET_TAG, 16L, sealed.address() + len));
        ok("EVP_CipherUpdate(aad)", (int) (long) H.UPDATE.invokeExact(ctx, 0L, outl.address(), aad.address(), aad.byteSize()));
        ok("EVP_CipherUpdate", (int) (long) H.UPDATE.invokeExact(ctx, out.address(), outl.address(), sealed.address(), (long) len));
        return (int) (long) H.FINAL.invokeExact(ctx, scratch.address(), outl.address()) == 1;
    }

    private static void ok(String call, int result) {
        if (result != 1) {
            clearErrors();
            throw new IllegalStateException(call + " failed in the known-answer test");
        }
    }
}
