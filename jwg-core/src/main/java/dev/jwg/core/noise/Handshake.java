package dev.jwg.core.noise;

import static dev.jwg.core.wire.Messages.*;

import dev.jwg.core.Protocol;
import dev.jwg.core.crypto.Blake2s;
import dev.jwg.core.crypto.ChaChaPoly;
import dev.jwg.core.crypto.Kdf;
import dev.jwg.core.crypto.X25519;
import dev.jwg.core.tai64n.Tai64n;
import dev.jwg.core.wire.HandshakeInitiation;
import dev.jwg.core.wire.HandshakeResponse;
import java.util.Arrays;

/**
 * The per-peer Noise_IKpsk2 handshake state, initiator and responder (docs/protocol.md §1.5–1.6).
 * Messages are built and consumed in the exact operation order of docs/protocol.md §1.5; ephemeral keys,
 * timestamps and indices are passed in so that the known-answer vectors of docs/protocol.md §7.7 can be replayed.
 * MACs are not handled here: {@code CookieGenerator} adds them and {@code CookieChecker} checks
 * them.
 *
 * <p>Mutable and not thread-safe: the owning peer serialises access.
 */
public final class Handshake {

    /** Handshake states as in wireguard-go's noise-protocol.go. */
    public enum State { ZEROED, INITIATION_CREATED, INITIATION_CONSUMED, RESPONSE_CREATED, RESPONSE_CONSUMED }

    /** The outcome of a completed handshake: transport keys and indices for a new keypair. */
    public record SessionKeys(byte[] sendKey, byte[] receiveKey, boolean initiator, int localIndex, int remoteIndex) {
        @Override
        public String toString() {
            return "SessionKeys[initiator=" + initiator + ", localIndex=" + Integer.toUnsignedString(localIndex)
                    + ", remoteIndex=" + Integer.toUnsignedString(remoteIndex) + "]";
        }
    }

    /**
     * The result of the device-level first half of consuming an initiation: the decrypted static
     * key of the initiator (to find the peer) and the intermediate state. Immutable.
     */
    public static final class InitiationPrelude {
        private final byte[] chainKey;
        private final byte[] hash;
        private final byte[] remoteStatic;

        private InitiationPrelude(byte[] chainKey, byte[] hash, byte[] remoteStatic) {
            this.chainKey = chainKey;
            this.hash = hash;
            this.remoteStatic = remoteStatic;
        }

        /** The initiator's static public key, as decrypted from the message. */
        public byte[] remoteStatic() { return remoteStatic.clone(); }

        @Override
        public String toString() { return "InitiationPrelude"; }
    }

    private final byte[] remoteStatic;
    private LocalIdentity local;
    private final byte[] staticStatic = new byte[32];
    /** Whether {@link #staticStatic} has been computed for the current identity. */
    private boolean staticStaticKnown;
    private boolean staticStaticValid;
    private byte[] presharedKey = new byte[32];
    private Prepared prepared;

    private State state = State.ZEROED;
    private byte[] chainKey;
    private byte[] hash;
    private byte[] localEphemeralPrivate;
    private byte[] remoteEphemeral;
    private int localIndex;
    private int remoteIndex;
    private byte[] lastTimestamp = new byte[TIMESTAMP_LEN];
    private boolean consumedBefore;
    private long lastInitiationConsumption;

    /** A handshake with the peer whose static public key is {@code remoteStatic}. */
    public Handshake(byte[] remoteStatic) {
        if (remoteStatic.length != KEY_LEN) {
            throw new IllegalArgumentException("remote static key must be 32 bytes");
        }
        this.remoteStatic = remoteStatic.clone();
    }

    /**
     * Sets (or clears, with null) this device's identity. Call when the peer is created and
     * whenever the private key changes. The static-static DH for it is computed by
     * {@link #precompute()}, or on first need: a device adding 10,000 peers computes those DHs
     * afterwards, on all cores, instead of one after another inside the configuration call.
     */
    public void setLocalIdentity(LocalIdentity identity) {
        this.local = identity;
        if (prepared != null) {
            prepared.wipe();
            prepared = null;
        }
        wipe(staticStatic);
        staticStaticKnown = false;
        staticStaticValid = false;
    }

    /** Computes the static-static DH for the current identity if it is not known yet. */
    public void precompute() {
        if (!staticStaticKnown) {
            staticStaticValid = local != null && X25519.sharedSecret(local.privateBytes(), remoteStatic, staticStatic);
            staticStaticKnown = true;
        }
    }

    /** True once the static-static DH for the current identity has been computed. */
    public boolean isPrecomputed() { return staticStaticKnown; }

    /** Sets the preshared key (32 bytes; all zero = none). */
    public void setPresharedKey(byte[] psk) {
        if (psk.length != KEY_LEN) {
            throw new IllegalArgumentException("preshared key must be 32 bytes");
        }
        Arrays.fill(presharedKey, (byte) 0);
        presharedKey = psk.clone();
    }

    /** False when there is no local key, or the static-static DH is all-zero (low-order peer key): no handshake is possible. */
    public boolean canHandshake() {
        precompute();
        return local != null && staticStaticValid;
    }

    public State state() { return state; }

    public int localIndex() { return localIndex; }

    public int remoteIndex() { return remoteIndex; }

    /** The greatest TAI64N timestamp accepted from this peer (survives {@link #clear()}). */
    public byte[] lastTimestamp() { return lastTimestamp.clone(); }

    /**
     * Creates a handshake initiation as initiator (docs/protocol.md §1.5, message 1), with zero MACs.
     * Returns null when no handshake is possible. A {@linkplain #prepareInitiation prepared} initiation
     * is left alone: it stays for a later {@link #createPreparedInitiation}.
     *
     * @param ephemeralPrivate a fresh clamped X25519 private key (consumed: zeroed by {@link #clear()})
     * @param timestamp the 12-byte TAI64N timestamp
     * @param senderIndex our fresh local index
     */
    public HandshakeInitiation createInitiation(byte[] ephemeralPrivate, byte[] timestamp, int senderIndex) {
        if (!canHandshake()) {
            return null;
        }
        clear();
        Prepared p = begin(ephemeralPrivate);
        return p == null ? null : finish(p, timestamp, senderIndex);
    }

    /**
     * Computes ahead the part of the next initiation that depends on neither the timestamp nor the
     * sender index (docs/protocol.md §1.5, message 1: steps 1–3 and the key of step 4, that is the
     * ephemeral key, its DH with the peer's static key, the encrypted static key and the
     * static-static step), so that the packet that starts a handshake does not wait for those
     * X25519 operations. It is used by exactly one
     * {@link #createPreparedInitiation}; a new identity or {@link #destroy()} wipes it unused.
     * Changes nothing about the handshake in progress.
     *
     * @param ephemeralPrivate a fresh clamped X25519 private key (copied; the caller wipes its array)
     * @return false, preparing nothing, when no handshake is possible with this key
     */
    public boolean prepareInitiation(byte[] ephemeralPrivate) {
        if (!canHandshake()) {
            return false;
        }
        Prepared p = begin(ephemeralPrivate);
        if (p == null) {
            return false;
        }
        if (prepared != null) {
            prepared.wipe();
        }
        prepared = p;
        return true;
    }

    /** True when a {@linkplain #prepareInitiation prepared} initiation waits to be used. */
    public boolean hasPreparedInitiation() { return prepared != null; }

    /**
     * {@link #createInitiation} on the {@linkplain #prepareInitiation prepared} ephemeral key, which
     * this uses up. Returns null, changing nothing, when none is prepared or no handshake is possible.
     */
    public HandshakeInitiation createPreparedInitiation(byte[] timestamp, int senderIndex) {
        Prepared p = prepared;
        if (p == null || !canHandshake()) {
            return null;
        }
        prepared = null;
        clear();
        return finish(p, timestamp, senderIndex);
    }

    /** Message 1's steps 1–3 and step 4's key for {@code ephemeralPrivate}; null when the ephemeral DH is all zero. */
    private Prepared begin(byte[] ephemeralPrivate) {
        byte[] c = NoiseConstants.initialChainKey();
        byte[] h = Blake2s.hash(NoiseConstants.initialHash(), remoteStatic);
        byte[] ePub = X25519.publicKey(ephemeralPrivate);
        c = Kdf.kdf1(c, ePub);
        h = Blake2s.hash(h, ePub);
        byte[] dh = new byte[32];
        if (!X25519.sharedSecret(ephemeralPrivate, remoteStatic, dh)) {
            return null;
        }
        byte[][] ck = Kdf.kdf2(c, dh);
        Arrays.fill(dh, (byte) 0);
        byte[] encryptedStatic = ChaChaPoly.seal(ck[1], 0, local.publicBytes(), h);
        h = Blake2s.hash(h, encryptedStatic);
        wipe(ck[1]);
        ck = Kdf.kdf2(ck[0], staticStatic);
        return new Prepared(ephemeralPrivate.clone(), ePub, encryptedStatic, ck[0], h, ck[1]);
    }

    /** Message 1's step 4 (the timestamp) and index on {@code p}, which becomes this handshake's state. */
    private HandshakeInitiation finish(Prepared p, byte[] timestamp, int senderIndex) {
        byte[] encryptedTimestamp = ChaChaPoly.seal(p.timestampKey, 0, timestamp, p.hash);
        wipe(p.timestampKey);
        chainKey = p.chainKey;
        hash = Blake2s.hash(p.hash, encryptedTimestamp);
        localEphemeralPrivate = p.ephemeralPrivate;
        localIndex = senderIndex;
        state = State.INITIATION_CREATED;
        return new HandshakeInitiation(senderIndex, p.ephemeralPublic, p.encryptedStatic, encryptedTimestamp,
                new byte[MAC_LEN], new byte[MAC_LEN]);
    }

    /** The timestamp-independent part of one initiation (see {@link #prepareInitiation}). */
    private record Prepared(byte[] ephemeralPrivate, byte[] ephemeralPublic, byte[] encryptedStatic,
            byte[] chainKey, byte[] hash, byte[] timestampKey) {
        void wipe() {
            Handshake.wipe(ephemeralPrivate);
            Handshake.wipe(chainKey);
            Handshake.wipe(timestampKey);
        }

        @Override
        public String toString() { return "Prepared"; }
    }

    /**
     * Device-level first half of consuming an initiation (docs/protocol.md §1.5 "Responder consumes message 1" up
     * to decrypting the static key). Returns null when the message does not decrypt.
     */
    public static InitiationPrelude beginConsumeInitiation(LocalIdentity local, HandshakeInitiation msg) {
        if (local == null) {
            return null;
        }
        byte[] c = NoiseConstants.initialChainKey();
        byte[] h = Blake2s.hash(NoiseConstants.initialHash(), local.publicBytes());
        byte[] e = msg.ephemeral();
        c = Kdf.kdf1(c, e);
        h = Blake2s.hash(h, e);
        byte[] dh = new byte[32];
        if (!X25519.sharedSecret(local.privateBytes(), e, dh)) {
            return null;
        }
        byte[][] ck = Kdf.kdf2(c, dh);
        Arrays.fill(dh, (byte) 0);
        byte[] encryptedStatic = msg.encryptedStatic();
        byte[] remoteStatic = ChaChaPoly.open(ck[1], 0, encryptedStatic, h);
        if (remoteStatic == null) {
            return null;
        }
        h = Blake2s.hash(h, encryptedStatic);
        return new InitiationPrelude(ck[0], h, remoteStatic);
    }

    /** Why {@link #consumeInitiation} refused a message. */
    public enum InitiationVerdict { ACCEPTED, BAD_KEY, DECRYPT_FAILED, REPLAYED_TIMESTAMP, FLOOD }

    /**
     * Peer-level second half of consuming an initiation: the static-static step, the timestamp,
     * its replay check (strictly greater than any accepted before) and the flood check (at most
     * one accepted initiation per 20 ms). State changes only when accepted.
     */
    public InitiationVerdict consumeInitiation(InitiationPrelude prelude, HandshakeInitiation msg, long nowNanos) {
        if (!canHandshake() || !Arrays.equals(prelude.remoteStatic, remoteStatic)) {
            return InitiationVerdict.BAD_KEY;
        }
        byte[][] ck = Kdf.kdf2(prelude.chainKey, staticStatic);
        byte[] encryptedTimestamp = msg.encryptedTimestamp();
        byte[] timestamp = ChaChaPoly.open(ck[1], 0, encryptedTimestamp, prelude.hash);
        if (timestamp == null) {
            return InitiationVerdict.DECRYPT_FAILED;
        }
        byte[] h = Blake2s.hash(prelude.hash, encryptedTimestamp);
        if (!Tai64n.isAfter(timestamp, lastTimestamp)) {
            return InitiationVerdict.REPLAYED_TIMESTAMP;
        }
        if (consumedBefore && nowNanos - lastInitiationConsumption <= Protocol.INITIATION_MIN_INTERVAL) {
            return InitiationVerdict.FLOOD;
        }
        clear();
        chainKey = ck[0];
        hash = h;
        remoteEphemeral = msg.ephemeral();
        remoteIndex = msg.sender();
        lastTimestamp = timestamp;
        consumedBefore = true;
        lastInitiationConsumption = nowNanos;
        state = State.INITIATION_CONSUMED;
        return InitiationVerdict.ACCEPTED;
    }

    /**
     * Creates the handshake response as responder (docs/protocol.md §1.5 message 2), with zero MACs. Requires a
     * consumed initiation; returns null otherwise.
     */
    public HandshakeResponse createResponse(byte[] ephemeralPrivate, int senderIndex) {
        if (state != State.INITIATION_CONSUMED || !canHandshake()) {
            return null;
        }
        byte[] ePub = X25519.publicKey(ephemeralPrivate);
        byte[] c = Kdf.kdf1(chainKey, ePub);
        byte[] h = Blake2s.hash(hash, ePub);
        byte[] dh = new byte[32];
        if (!X25519.sharedSecret(ephemeralPrivate, remoteEphemeral, dh)) {
            return null;
        }
        c = Kdf.kdf1(c, dh);
        if (!X25519.sharedSecret(ephemeralPrivate, remoteStatic, dh)) {
            return null;
        }
        c = Kdf.kdf1(c, dh);
        Arrays.fill(dh, (byte) 0);
        byte[][] ctk = Kdf.kdf3(c, presharedKey);
        c = ctk[0];
        h = Blake2s.hash(h, ctk[1]);
        byte[] empty = ChaChaPoly.seal(ctk[2], 0, new byte[0], h);
        h = Blake2s.hash(h, empty);

        chainKey = c;
        hash = h;
        localIndex = senderIndex;
        state = State.RESPONSE_CREATED;
        return new HandshakeResponse(senderIndex, remoteIndex, ePub, empty, new byte[MAC_LEN], new byte[MAC_LEN]);
    }

    /**
     * Consumes a handshake response as initiator. The caller found this handshake by the message's
     * receiver index. Returns false, changing nothing, when it does not authenticate.
     */
    public boolean consumeResponse(HandshakeResponse msg) {
        if (state != State.INITIATION_CREATED || msg.receiver() != localIndex || !canHandshake()) {
            return false;
        }
        byte[] e = msg.ephemeral();
        byte[] c = Kdf.kdf1(chainKey, e);
        byte[] h = Blake2s.hash(hash, e);
        byte[] dh = new byte[32];
        if (!X25519.sharedSecret(localEphemeralPrivate, e, dh)) {
            return false;
        }
        c = Kdf.kdf1(c, dh);
        if (!X25519.sharedSecret(local.privateBytes(), e, dh)) {
            return false;
        }
        c = Kdf.kdf1(c, dh);
        Arrays.fill(dh, (byte) 0);
        byte[][] ctk = Kdf.kdf3(c, presharedKey);
        c = ctk[0];
        h = Blake2s.hash(h, ctk[1]);
        byte[] empty = msg.encryptedNothing();
        if (ChaChaPoly.open(ctk[2], 0, empty, h) == null) {
            return false;
        }
        h = Blake2s.hash(h, empty);
        chainKey = c;
        hash = h;
        remoteIndex = msg.sender();
        state = State.RESPONSE_CONSUMED;
        return true;
    }

    /**
     * Derives the transport keys (docs/protocol.md §1.6) after a response was created (responder) or consumed
     * (initiator), then wipes the handshake. Returns null in any other state.
     */
    public SessionKeys deriveSessionKeys() {
        boolean initiator;
        if (state == State.RESPONSE_CONSUMED) {
            initiator = true;
        } else if (state == State.RESPONSE_CREATED) {
            initiator = false;
        } else {
            return null;
        }
        byte[][] t = Kdf.kdf2(chainKey, new byte[0]);
        SessionKeys keys = initiator
                ? new SessionKeys(t[0], t[1], true, localIndex, remoteIndex)
                : new SessionKeys(t[1], t[0], false, localIndex, remoteIndex);
        clear();
        return keys;
    }

    /** The chaining key and hash, for known-answer tests only. */
    byte[][] chainKeyAndHash() {
        return new byte[][] {chainKey == null ? null : chainKey.clone(), hash == null ? null : hash.clone()};
    }

    /** Wipes the ephemeral state (keeps the last timestamp, the PSK and the static-static value). */
    public void clear() {
        wipe(chainKey);
        wipe(hash);
        wipe(localEphemeralPrivate);
        chainKey = null;
        hash = null;
        localEphemeralPrivate = null;
        remoteEphemeral = null;
        state = State.ZEROED;
    }

    /** Wipes everything, including the PSK, the static-static value and a prepared initiation (peer removal). */
    public void destroy() {
        clear();
        if (prepared != null) {
            prepared.wipe();
            prepared = null;
        }
        wipe(presharedKey);
        wipe(staticStatic);
        staticStaticValid = false;
        staticStaticKnown = false;
    }

    private static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }

    @Override
    public String toString() { return "Handshake[" + state + "]"; }
}
