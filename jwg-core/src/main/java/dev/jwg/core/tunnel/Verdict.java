package dev.jwg.core.tunnel;

/**
 * What {@link Node#decapsulate} did with a datagram. Data-path verdicts are enum constants so that
 * reporting them allocates nothing; the {@code DROP_*} values name the "dishonest packet" exits
 * the runtime counts.
 */
public enum Verdict {
    /** A decrypted IP packet is ready for the TUN (see {@link Received}). */
    DELIVER,
    /** An authenticated keepalive: nothing to deliver. */
    KEEPALIVE,
    /** A handshake message was consumed (a reply may have been sent). */
    HANDSHAKE,
    /** A cookie reply was consumed. */
    COOKIE,
    /** Under load without a valid mac2: a cookie reply was sent instead of processing. */
    COOKIE_SENT,
    DROP_MALFORMED,
    DROP_MAC,
    DROP_RATE_LIMITED,
    DROP_UNKNOWN_PEER,
    DROP_HANDSHAKE,
    DROP_UNKNOWN_INDEX,
    DROP_EXPIRED_KEY,
    DROP_DECRYPT,
    DROP_REPLAY,
    DROP_INNER_MALFORMED,
    DROP_ALLOWED_IPS;

    public boolean isDrop() { return ordinal() >= DROP_MALFORMED.ordinal(); }
}
