package dev.jwg.core.noise;

import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;

/**
 * This device's static key pair as the handshake needs it. Immutable and thread-safe; the raw
 * private bytes are only reachable inside this package.
 */
public final class LocalIdentity {
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final byte[] privateBytes;
    private final byte[] publicBytes;

    public LocalIdentity(PrivateKey privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.publicKey();
        this.privateBytes = privateKey.secretBytes();
        this.publicBytes = publicKey.bytes();
    }

    public PrivateKey privateKey() { return privateKey; }

    public PublicKey publicKey() { return publicKey; }

    byte[] privateBytes() { return privateBytes; }

    byte[] publicBytes() { return publicBytes; }

    @Override
    public String toString() { return "LocalIdentity(" + publicKey.shortForm() + ")"; }
}
