package dev.jwg.config;

import dev.jwg.core.crypto.KeyFormatException;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;

/** Keys from their base64 or hex text in tests, as the parsers read them (private keys as written). */
public final class KeyText {
    private KeyText() {}

    public static PrivateKey priv(String base64) {
        try {
            return PrivateKey.fromBase64AsWritten(base64);
        } catch (KeyFormatException e) {
            throw new AssertionError(e);
        }
    }

    public static PublicKey pub(String base64) {
        try {
            return PublicKey.fromBase64(base64);
        } catch (KeyFormatException e) {
            throw new AssertionError(e);
        }
    }

    public static PresharedKey psk(String base64) {
        try {
            return PresharedKey.fromBase64(base64);
        } catch (KeyFormatException e) {
            throw new AssertionError(e);
        }
    }

    /** The hex (UAPI) form of a private key, kept as written. */
    public static PrivateKey privHex(String hex) {
        try {
            return PrivateKey.fromHexAsWritten(hex);
        } catch (KeyFormatException e) {
            throw new AssertionError(e);
        }
    }

    public static PublicKey pubHex(String hex) {
        try {
            return PublicKey.fromHex(hex);
        } catch (KeyFormatException e) {
            throw new AssertionError(e);
        }
    }

    public static PresharedKey pskHex(String hex) {
        try {
            return PresharedKey.fromHex(hex);
        } catch (KeyFormatException e) {
            throw new AssertionError(e);
        }
    }
}
