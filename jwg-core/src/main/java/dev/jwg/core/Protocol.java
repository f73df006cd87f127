package dev.jwg.core;

/**
 * Protocol constants, named as in the whitepaper and the kernel's {@code messages.h}; values as in
 * docs/protocol.md §3.1. Times are in nanoseconds so they compare directly with {@link Clock#nanoTime()}.
 *
 * <p>Message counters are unsigned 64-bit values held in a {@code long}; compare them with
 * {@link Long#compareUnsigned(long, long)}.
 */
public final class Protocol {
    private Protocol() {}

    private static final long SECOND = 1_000_000_000L;

    /** Send-counter threshold after which a new handshake is started (2^60). */
    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /** A keypair neither sends nor receives at or beyond this counter: 2^64 − 2^13 − 1 (wireguard-go). */
    public static final long REJECT_AFTER_MESSAGES = 0xFFFF_FFFF_FFFF_DFFFL;
    /** The session initiator re-keys when its send key is older than this. */
    public static final long REKEY_AFTER_TIME = 120 * SECOND;
    /** A keypair is unusable in both directions after this age. */
    public static final long REJECT_AFTER_TIME = 180 * SECOND;
    /** Give up retrying a handshake after this long (realised as {@link #MAX_TIMER_HANDSHAKES} retries). */
    public static final long REKEY_ATTEMPT_TIME = 90 * SECOND;
    /** Retransmit interval for initiations, and the minimum spacing between initiations to one peer. */
    public static final long REKEY_TIMEOUT = 5 * SECOND;
    /** Upper bound (exclusive) of the random jitter added to handshake timers: 334 ms, as wireguard-go. */
    public static final long REKEY_TIMEOUT_JITTER_MAX = 334_000_000L;
    /** Passive keepalive: send an empty packet if we received data and sent nothing for this long. */
    public static final long KEEPALIVE_TIMEOUT = 10 * SECOND;
    /** New-handshake timer: sent data but heard nothing authenticated for this long. */
    public static final long NEW_HANDSHAKE_TIMEOUT = KEEPALIVE_TIMEOUT + REKEY_TIMEOUT;
    /** The initiator re-keys on receive once its key is this old ("last-minute" re-key). */
    public static final long REKEY_ON_RECEIVE_AGE = REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT;
    /** All key material of a peer is zeroed this long after the last session was derived. */
    public static final long ZERO_KEY_MATERIAL_TIME = 3 * REJECT_AFTER_TIME;
    /** Number of initiation retries before giving up: REKEY_ATTEMPT_TIME / REKEY_TIMEOUT. */
    public static final int MAX_TIMER_HANDSHAKES = (int) (REKEY_ATTEMPT_TIME / REKEY_TIMEOUT);

    /** Lifetime of the responder's cookie secret and of a received cookie. */
    public static final long COOKIE_SECRET_MAX_AGE = 120 * SECOND;
    /** The sender treats a received cookie as expired this much earlier (kernel). */
    public static final long COOKIE_SECRET_LATENCY = 5 * SECOND;
    /** Responder flood check: at most one accepted initiation per peer per this interval (1 s / 50). */
    public static final long INITIATION_MIN_INTERVAL = SECOND / 50;
    /** A device stays "under load" this long after the handshake queue was last found long. */
    public static final long UNDER_LOAD_AFTER = SECOND;

    /** Packets kept per peer while no session exists; the oldest is dropped first. */
    public static final int MAX_STAGED_PACKETS = 128;
    /** Maximum number of peers per device (wireguard-go). */
    public static final int MAX_PEERS = 1 << 16;
    /** Transport plaintext is padded to a multiple of this. */
    public static final int PADDING_MULTIPLE = 16;
    /** Default interface MTU: 1500 − 80 bytes of worst-case (IPv6) encapsulation overhead. */
    public static final int DEFAULT_MTU = 1420;
    /** Largest UDP payload handled (wireguard-go MaxSegmentSize). */
    public static final int MAX_MESSAGE_SIZE = 65535;
}
