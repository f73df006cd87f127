package dev.jwg.core.crypto;

/**
 * Where the transport AEAD comes from: a factory of {@link TransportAead}s, one per keypair direction.
 * The core does not choose: whoever constructs the {@link dev.jwg.core.tunnel.Node} passes one (as it
 * passes the clock and the randomness); without one the node uses {@link #JDK}. A runtime that binds a
 * faster native implementation checks it with {@link AeadBackendCheck} before handing it over.
 *
 * <p>Implementations are immutable and thread-safe; the AEADs they create are not (see
 * {@link TransportAead}).
 */
public interface AeadBackend {
    /** A short lowercase name for logs and overrides: {@code "jdk"}, {@code "openssl"}. */
    String name();

    /**
     * A new AEAD keyed with {@code key32}, which is copied: the caller may (and should) zero its array.
     *
     * @throws IllegalArgumentException if the key is not 32 bytes
     */
    TransportAead newTransportAead(byte[] key32);

    /** The JDK's ChaCha20-Poly1305 provider ({@link TransportCipher}): always available, pure Java. */
    AeadBackend JDK = new AeadBackend() {
        @Override
        public String name() { return "jdk"; }

        @Override
        public TransportAead newTransportAead(byte[] key32) { return new TransportCipher(key32); }

        @Override
        public String toString() { return "AeadBackend(jdk)"; }
    };
}
