package dev.jwg.core.crypto;

/**
 * A key string is not a valid base64 or hex encoding of 32 bytes. The message never contains the
 * offending text: it may be a secret key with a typo.
 *
 * <p>Immutable. Tests and callers should branch on {@link #reason()}, not on the message.
 */
public final class KeyFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the string. */
    public enum Reason {
        /** Base64 form is not exactly 44 characters. */
        BASE64_LENGTH("not a valid base64 key: expected 44 characters"),
        /** One of the first 43 characters is outside the standard base64 alphabet {@code A-Za-z0-9+/}. */
        BASE64_ALPHABET("not a valid base64 key: character outside the base64 alphabet"),
        /**
         * The 44th character is not {@code '='}, or the last data character carries non-zero padding bits
         * (a non-canonical encoding, refused like wireguard-tools does).
         */
        BASE64_PADDING("not a valid base64 key: must end in one '=' with zero padding bits"),
        /** Hex form is not exactly 64 characters. */
        HEX_LENGTH("not a valid hex key: expected 64 characters"),
        /** A character is not a hex digit. */
        HEX_ALPHABET("not a valid hex key: character outside 0-9, a-f");

        private final String message;

        Reason(String message) {
            this.message = message;
        }
    }

    private final Reason reason;

    KeyFormatException(Reason reason) {
        super(reason.message);
        this.reason = reason;
    }

    /** Why the string was refused. */
    public Reason reason() {
        return reason;
    }
}
