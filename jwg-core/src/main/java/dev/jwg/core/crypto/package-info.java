/**
 * WireGuard's cryptographic primitives (docs/protocol.md §1.1) and the key types built on them.
 *
 * <ul>
 *   <li>{@link dev.jwg.core.crypto.Blake2s} — HASH and MAC (BLAKE2s, RFC 7693);
 *   <li>{@link dev.jwg.core.crypto.Kdf} — HMAC-BLAKE2s and the KDF1/2/3 chain (docs/protocol.md §1.4);
 *   <li>{@link dev.jwg.core.crypto.X25519} — DH, DH_GENERATE, DH_PUBKEY (RFC 7748);
 *   <li>{@link dev.jwg.core.crypto.ChaChaPoly} — AEAD for handshake messages (RFC 8439);
 *   <li>{@link dev.jwg.core.crypto.TransportAead} — the same AEAD for the data path, one direction of a
 *       keypair, from an {@link dev.jwg.core.crypto.AeadBackend}: the JDK's
 *       ({@link dev.jwg.core.crypto.TransportCipher}) by default, or a native one the runtime binds and
 *       vets with {@link dev.jwg.core.crypto.AeadBackendCheck};
 *   <li>{@link dev.jwg.core.crypto.XChaCha20Poly1305} — XAEAD for cookie replies;
 *   <li>{@link dev.jwg.core.crypto.PublicKey}, {@link dev.jwg.core.crypto.PrivateKey},
 *       {@link dev.jwg.core.crypto.PresharedKey} — immutable key values with constant-time codecs;
 *   <li>{@link dev.jwg.core.crypto.CryptoSelfCheck} — known-answer tests run at start-up, so a provider
 *       is trusted only after it has produced the right bytes.
 * </ul>
 *
 * <p>Raw secret bytes leave the key types only through {@code secretBytes()}, so every use can be
 * found with grep. Methods that take or return {@code byte[]} never keep a reference to the caller's
 * array unless they say so.
 */
package dev.jwg.core.crypto;
