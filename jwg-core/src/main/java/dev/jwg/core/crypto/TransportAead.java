package dev.jwg.core.crypto;

/**
 * One direction of a transport keypair (docs/protocol.md §1.11): ChaCha20-Poly1305 under {@code T_send}
 * or {@code T_recv}, nonce = 4 zero bytes ‖ the 64-bit counter little-endian, no AAD, output ciphertext ‖
 * 16-byte tag. Implementations come from an {@link AeadBackend}: {@link TransportCipher} (the JDK's
 * provider, the portable default) or a native library bound by the runtime.
 *
 * <p>The contract every implementation keeps, and {@link AeadBackendCheck} verifies at start-up:
 * <ul>
 * <li>{@code in} and {@code out} may be the same array with the same offset (in place, as the data path
 *     does it); otherwise the two ranges must not overlap (IllegalArgumentException).
 * <li>{@link #open} returns -1 for a too-short input or a tag that does not verify, and never throws
 *     because of the packet's content or length. After a failed open the output range holds no
 *     plaintext: it is either unchanged or zeroed. The caller drops the packet either way.
 * <li>Ranges outside their arrays are programming errors (IndexOutOfBoundsException), as is any use
 *     of the array methods after {@link #destroy()} (IllegalStateException).
 * <li>The byte-buffer methods work in place at absolute indices (the buffer's position, limit and byte
 *     order are neither used nor changed), on heap and direct buffers alike. They are the data path's:
 *     after {@link #destroy()} they return -1 instead of throwing, because a keypair may be retired
 *     while packets sealed or opened with it on other threads are still in flight (those packets are
 *     dropped). A {@code destroy()} that races such a call may leave it with a wrong key, so that it
 *     produces a message nobody accepts or refuses a good one: a drop either way.
 * <li>{@code toString} never shows key material.
 * </ul>
 *
 * <p><b>Thread-safe</b>: any number of threads may seal and open with one instance at once (the
 * device's crypto workers spread one peer's packets over several threads). Implementations keep
 * what a call mutates (cipher contexts, scratch memory) per thread, not per key.
 */
public interface TransportAead {
    /** Bytes added by {@link #seal}: the Poly1305 tag. */
    int TAG_LEN = ChaChaPoly.TAG_LEN;

    /**
     * Seals {@code in[inOff, inOff+len)} with {@code counter} as nonce, writing ciphertext ‖ tag at
     * {@code out[outOff]}.
     *
     * @return {@code len + 16}
     */
    int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Opens ciphertext ‖ tag at {@code in[inOff, inOff+len)} ({@code len} includes the tag) with
     * {@code counter} as nonce, writing the plaintext at {@code out[outOff]}.
     *
     * @return the plaintext length {@code len - 16}, or -1 when {@code len < 16} or authentication fails
     */
    int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Seals {@code buf[off, off+len)} in place with {@code counter} as nonce: ciphertext ‖ tag replace
     * it at {@code buf[off]} (the buffer must have 16 bytes after the plaintext).
     *
     * @return {@code len + 16}, or -1 after {@link #destroy()}
     */
    int seal(long counter, java.nio.ByteBuffer buf, int off, int len);

    /**
     * Opens ciphertext ‖ tag at {@code buf[off, off+len)} in place ({@code len} includes the tag): the
     * plaintext replaces the ciphertext at {@code buf[off]}.
     *
     * @return the plaintext length {@code len - 16}, or -1 when {@code len < 16}, authentication fails or
     *     after {@link #destroy()}; never throws because of the packet's content or length
     */
    int open(long counter, java.nio.ByteBuffer buf, int off, int len);

    /**
     * Wipes the key and releases whatever the implementation holds (native memory included); further
     * seals and opens throw IllegalStateException. Idempotent. Call it when the keypair is dropped.
     */
    void destroy();

    /**
     * The range rule of the contract, for implementations: {@code in} and {@code out} may be the same
     * range (in place) or not overlap at all.
     *
     * @throws IllegalArgumentException when they overlap without being in place
     */
    static void checkOverlap(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        if (in == out && inOff != outOff && inOff < outOff + outLen && outOff < inOff + inLen) {
            throw new IllegalArgumentException("input and output overlap without being in place");
        }
    }
}
