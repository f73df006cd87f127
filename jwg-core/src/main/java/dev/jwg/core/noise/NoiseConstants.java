package dev.jwg.core.noise;

import dev.jwg.core.crypto.Blake2s;
import java.nio.charset.StandardCharsets;

/** The constant strings and the initial chaining key and hash of WireGuard's Noise_IKpsk2 (docs/protocol.md §1.2–1.3). */
public final class NoiseConstants {
    private NoiseConstants() {}

    public static final byte[] CONSTRUCTION = ascii("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s");
    public static final byte[] IDENTIFIER = ascii("WireGuard v1 zx2c4 Jason@zx2c4.com");
    public static final byte[] LABEL_MAC1 = ascii("mac1----");
    public static final byte[] LABEL_COOKIE = ascii("cookie--");

    private static final byte[] INITIAL_CHAIN_KEY = Blake2s.hash(CONSTRUCTION);
    private static final byte[] INITIAL_HASH = Blake2s.hash(INITIAL_CHAIN_KEY, IDENTIFIER);

    /** {@code Ci = HASH(CONSTRUCTION)}; a fresh copy. */
    public static byte[] initialChainKey() { return INITIAL_CHAIN_KEY.clone(); }

    /** {@code Hi = HASH(Ci ‖ IDENTIFIER)}; a fresh copy. */
    public static byte[] initialHash() { return INITIAL_HASH.clone(); }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
