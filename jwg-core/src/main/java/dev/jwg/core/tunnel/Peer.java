package dev.jwg.core.tunnel;

import static dev.jwg.core.Protocol.*;
import static dev.jwg.core.wire.Messages.*;

import dev.jwg.core.cookie.CookieGenerator;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.noise.Handshake;
import dev.jwg.core.noise.LocalIdentity;
import dev.jwg.core.tai64n.Tai64n;
import dev.jwg.core.wire.HandshakeInitiation;
import dev.jwg.core.wire.TransportData;
import java.nio.ByteBuffer;

/**
 * One peer's tunnel state, in the style of boringtun's {@code Tunn}: the handshake, the
 * previous/current/next keypairs, the staged packets, the five timers and the counters. The
 * device-level {@link Node} routes datagrams here; the runtime calls {@link #encapsulate} for each IP
 * packet routed to this peer.
 *
 * <pre>
 *   data path:  reserveSend(n) ──► current keypair usable, nothing staged? ──yes──► n counters on it;
 *                    │no                     timers, re-key check       the runtime seals each packet
 *                    ▼                                                   (Keypair.seal, any thread) and
 *               stage(packet) (≤128, oldest dropped)                     sends them in counter order
 *                    └──► initiate handshake (≤1 per 5 s)
 *   encapsulate(packet): the same for one packet, sealed here and handed to Transmit.toPeer
 *   handshake complete ──► flush staged packets (or a keepalive to confirm the session)
 * </pre>
 *
 * <p>Thread-safe: every method synchronises on the peer, except the lock-free cryptography of the
 * data path ({@link Keypair#seal}, {@link Keypair#open}). Data-path methods allocate nothing.
 */
public final class Peer {
    private final Node node;
    private final PublicKey publicKey;
    private final String shortName;
    final Handshake handshake;
    final CookieGenerator cookies;

    private PresharedKey presharedKey = PresharedKey.ZERO;
    private int persistentKeepalive;
    private volatile Object attachment;

    Keypair previous;
    Keypair current;
    Keypair next;

    // Staged packets: a ring of exactly-sized copies (allocated only while no session exists).
    private final byte[][] staged = new byte[MAX_STAGED_PACKETS][];
    private final int[] stagedLength = new int[MAX_STAGED_PACKETS];
    private int stagedHead;
    private int stagedCount;

    // Timers: absolute deadlines in Clock.nanoTime() units, or NONE.
    static final long NONE = Long.MIN_VALUE;
    long retransmitHandshakeAt = NONE;
    long sendKeepaliveAt = NONE;
    boolean needAnotherKeepalive;
    long newHandshakeAt = NONE;
    long zeroKeyMaterialAt = NONE;
    long persistentKeepaliveAt = NONE;
    int handshakeAttempts;
    long lastSentHandshake;
    boolean sentLastMinuteHandshake;

    private volatile long rxBytes;
    private volatile long txBytes;
    private volatile long lastHandshakeEpochNanos;
    private boolean running;
    /** Set when the peer is removed from its node: nothing is prepared for it any more. */
    private boolean removed;
    private final byte[] scratch = new byte[INITIATION_SIZE];
    private final byte[] keepaliveBuffer = new byte[TRANSPORT_MIN_SIZE + 32];

    Peer(Node node, PublicKey publicKey, LocalIdentity identity, long now) {
        this.node = node;
        this.publicKey = publicKey;
        this.shortName = "peer(" + publicKey.shortForm() + ")";
        byte[] pk = publicKey.bytes();
        this.handshake = new Handshake(pk);
        this.handshake.setLocalIdentity(identity);
        this.cookies = new CookieGenerator(pk);
        this.lastSentHandshake = now - REKEY_TIMEOUT - 1;
    }

    public PublicKey publicKey() { return publicKey; }

    /** Something the runtime hangs on the peer (its endpoint holder). */
    public Object attachment() { return attachment; }

    public void attach(Object value) { attachment = value; }

    public synchronized PresharedKey presharedKey() { return presharedKey; }

    public synchronized void setPresharedKey(PresharedKey psk) {
        presharedKey = psk == null ? PresharedKey.ZERO : psk;
        handshake.setPresharedKey(presharedKey.secretBytes());
    }

    /** Persistent keepalive interval in seconds, 0 = off. */
    public synchronized int persistentKeepalive() { return persistentKeepalive; }

    /**
     * Sets the persistent keepalive interval (0–65535 s, 0 = off). Turning it on while the device
     * is up sends a keepalive at once (docs/protocol.md §3.5).
     */
    public void setPersistentKeepalive(int seconds, Transmit tx) {
        if (seconds < 0 || seconds > 65535) {
            throw new IllegalArgumentException("persistent keepalive " + seconds);
        }
        synchronized (this) {
            int old = persistentKeepalive;
            persistentKeepalive = seconds;
            if (seconds == 0) {
                persistentKeepaliveAt = NONE;
            } else if (old == 0 && running) {
                sendKeepalive(node.now(), tx);
            }
        }
    }

    /** Bytes of WireGuard messages received from this peer (docs/protocol.md §3.11). */
    public long rxBytes() { return rxBytes; }

    /** Bytes of WireGuard messages sent to this peer (docs/protocol.md §3.11). */
    public long txBytes() { return txBytes; }

    /** Wall-clock time of the last completed handshake in ns since the epoch, 0 if none. */
    public long lastHandshakeEpochNanos() { return lastHandshakeEpochNanos; }

    /** True while a usable current keypair exists (for status and tests). */
    public synchronized boolean hasSession() {
        return current != null && current.canSend(node.now());
    }

    /** True while any key material (keypairs or a handshake in progress) is held. */
    public synchronized boolean hasKeyMaterial() {
        return previous != null || current != null || next != null || handshake.state() != Handshake.State.ZEROED;
    }

    /**
     * Computes the handshake's static-static DH now if it is not known yet (after the peer was
     * added or the private key changed); otherwise the first handshake computes it.
     */
    public synchronized void precomputeHandshake() { handshake.precompute(); }

    /**
     * Computes ahead the part of this peer's next handshake initiation that does not depend on when
     * it is sent ({@link Handshake#prepareInitiation}: a fresh ephemeral key and two X25519
     * operations), so that the packet that starts the handshake does not wait for them. Does nothing
     * when one is prepared already. Returns whether one is prepared now (false when no handshake
     * is possible, or the peer was removed).
     */
    public synchronized boolean prepareInitiation() {
        if (handshake.hasPreparedInitiation()) {
            return true;
        }
        if (removed || !handshake.canHandshake()) {
            return false;
        }
        byte[] ephemeral = node.newEphemeral();
        try {
            return handshake.prepareInitiation(ephemeral);
        } finally {
            java.util.Arrays.fill(ephemeral, (byte) 0);
        }
    }

    /** True when {@link #prepareInitiation} has prepared an initiation that no handshake used yet. */
    public synchronized boolean hasPreparedInitiation() { return handshake.hasPreparedInitiation(); }

    /** Number of packets waiting for a session. */
    public synchronized int stagedCount() { return stagedCount; }

    // ---------------------------------------------------------------------------------------
    // Sending

    /**
     * The data path's first step for a run of {@code count} IP packets read from the TUN for this
     * peer: when nothing is staged and the current keypair can send, reserves up to {@code count}
     * consecutive counters on it (fewer when it reaches its message limit), runs the send-side timer
     * hooks and the sender's re-key check (docs/protocol.md §3.3 item 2), and fills {@code r}. The caller then seals
     * the first {@code r.count()} packets with {@link Keypair#seal} (on any thread), sends them in
     * counter order and reports their bytes with {@link #addTxBytes}; the packets not reserved (all of
     * them when this returns 0) go to {@link #stage}, in order. Allocation-free.
     *
     * @return {@code r.count()}
     */
    public synchronized int reserveSend(int count, SendReservation r, Transmit tx) {
        r.clear();
        if (count <= 0) {
            return 0;
        }
        long now = node.now();
        Keypair kp = current;
        if (stagedCount != 0 || kp == null || !kp.canSend(now)) {
            return 0;
        }
        long left = REJECT_AFTER_MESSAGES - kp.sendCounter; // canSend: sendCounter < REJECT_AFTER_MESSAGES
        int n = Long.compareUnsigned(left, count) < 0 ? (int) left : count;
        r.keypair = kp;
        r.first = kp.sendCounter;
        r.count = n;
        kp.sendCounter += n;
        timersDataSent(now);
        timersAnyAuthenticatedPacketTraversal(now);
        timersAnyAuthenticatedPacketSent();
        keepKeyFreshSending(kp, now, tx);
        return n;
    }

    /**
     * Queues a copy of the IP packet at {@code buf[off, off+len)} until a session can carry it, and
     * starts a handshake unless one went out less than REKEY_TIMEOUT ago; when a session is there
     * after all (the packets behind staged ones), what is staged is sent through {@code tx} now.
     */
    public synchronized void stage(ByteBuffer buf, int off, int len, Transmit tx) {
        if (len <= 0 || len + TRANSPORT_MIN_SIZE + PADDING_MULTIPLE > MAX_MESSAGE_SIZE) {
            return;
        }
        byte[] copy = stageSlot(len);
        buf.get(off, copy, TRANSPORT_HEADER_SIZE, len);
        sendStaged(node.now(), tx);
    }

    /** Counts {@code bytes} of transport messages the runtime sent for this peer (docs/protocol.md §3.11). */
    public void addTxBytes(long bytes) {
        synchronized (this) {
            txBytes += bytes;
        }
    }

    /**
     * Encrypts and sends one IP packet at {@code buf[off, off+len)}, in place: the buffer must
     * have 16 bytes of room before {@code off} and 31 after {@code off+len}. Without a usable
     * session the packet is copied into the staging queue and a handshake is started.
     *
     * @return true when the packet was sent now, false when it was staged or dropped
     */
    public synchronized boolean encapsulate(byte[] buf, int off, int len, Transmit tx) {
        if (len <= 0 || len + TRANSPORT_MIN_SIZE + PADDING_MULTIPLE > MAX_MESSAGE_SIZE) {
            return false;
        }
        long now = node.now();
        if (stagedCount == 0 && current != null && current.canSend(now)) {
            return sendOn(current, buf, off, len, now, tx);
        }
        stage(buf, off, len);
        sendStaged(now, tx);
        return false;
    }

    private void stage(byte[] buf, int off, int len) {
        System.arraycopy(buf, off, stageSlot(len), TRANSPORT_HEADER_SIZE, len);
    }

    /** A new staged packet of {@code len} bytes (the oldest is dropped when 128 wait), to be filled at offset 16. */
    private byte[] stageSlot(int len) {
        if (stagedCount == MAX_STAGED_PACKETS) {
            staged[stagedHead] = null;
            stagedHead = (stagedHead + 1) % MAX_STAGED_PACKETS;
            stagedCount--;
        }
        int slot = (stagedHead + stagedCount) % MAX_STAGED_PACKETS;
        byte[] copy = new byte[TRANSPORT_HEADER_SIZE + len + PADDING_MULTIPLE + TAG_LEN];
        staged[slot] = copy;
        stagedLength[slot] = len;
        stagedCount++;
        return copy;
    }

    private void dropStaged() {
        for (int i = 0; i < MAX_STAGED_PACKETS; i++) {
            staged[i] = null;
        }
        stagedHead = 0;
        stagedCount = 0;
    }

    /** wireguard-go SendStagedPackets: flush the queue on the current keypair, or initiate. */
    private void sendStaged(long now, Transmit tx) {
        while (stagedCount > 0) {
            if (current == null || !current.canSend(now)) {
                sendInitiation(now, false, tx);
                return;
            }
            byte[] b = staged[stagedHead];
            int len = stagedLength[stagedHead];
            staged[stagedHead] = null;
            stagedHead = (stagedHead + 1) % MAX_STAGED_PACKETS;
            stagedCount--;
            sendOn(current, b, TRANSPORT_HEADER_SIZE, len, now, tx);
        }
    }

    /**
     * Encrypts {@code buf[off, off+len)} in place with {@code kp} and hands the message to the
     * network; then the timer hooks and the sender-side re-key check (docs/protocol.md §3.3 item 2).
     */
    private boolean sendOn(Keypair kp, byte[] buf, int off, int len, long now, Transmit tx) {
        long counter = kp.sendCounter;
        kp.sendCounter = counter + 1;
        int padded = len + paddingSize(len, node.mtu());
        for (int i = off + len; i < off + padded; i++) {
            buf[i] = 0;
        }
        int start = off - TRANSPORT_HEADER_SIZE;
        TransportData.writeHeader(buf, start, kp.remoteIndex, counter);
        int sealed = kp.sender.seal(counter, buf, off, padded, buf, off);
        int total = TRANSPORT_HEADER_SIZE + sealed;
        if (len > 0) {
            timersDataSent(now);
        }
        timersAnyAuthenticatedPacketTraversal(now);
        timersAnyAuthenticatedPacketSent();
        if (tx.toPeer(this, buf, start, total)) {
            txBytes += total;
        }
        keepKeyFreshSending(kp, now, tx);
        return true;
    }

    /** Padding per docs/protocol.md §1.11 (wireguard-go calculatePaddingSize). */
    static int paddingSize(int packetSize, int mtu) {
        int lastUnit = packetSize;
        if (mtu == 0) {
            return ((lastUnit + PADDING_MULTIPLE - 1) & ~(PADDING_MULTIPLE - 1)) - lastUnit;
        }
        if (packetSize > mtu) {
            lastUnit %= mtu;
        }
        int paddedSize = (lastUnit + PADDING_MULTIPLE - 1) & ~(PADDING_MULTIPLE - 1);
        if (paddedSize > mtu) {
            paddedSize = mtu;
        }
        return paddedSize - lastUnit;
    }

    private void keepKeyFreshSending(Keypair kp, long now, Transmit tx) {
        if (kp != current) {
            return;
        }
        if (Long.compareUnsigned(kp.sendCounter, REKEY_AFTER_MESSAGES) > 0
                || (kp.initiator && now - kp.created > REKEY_AFTER_TIME)) {
            sendInitiation(now, false, tx);
        }
    }

    /** Sends a keepalive, or the staged packets instead when there are some (docs/protocol.md §3.5). */
    private void sendKeepalive(long now, Transmit tx) {
        if (stagedCount == 0 && current != null && current.canSend(now)) {
            sendOn(current, keepaliveBuffer, TRANSPORT_HEADER_SIZE, 0, now, tx);
            return;
        }
        if (stagedCount == 0) {
            stage(keepaliveBuffer, TRANSPORT_HEADER_SIZE, 0);
        }
        sendStaged(now, tx);
    }

    /**
     * Starts a handshake (docs/protocol.md §3.3): nothing is sent when the last one went out less than
     * REKEY_TIMEOUT ago, or when no handshake is possible (no private key, low-order peer key).
     */
    void sendInitiation(long now, boolean isRetry, Transmit tx) {
        if (!isRetry) {
            handshakeAttempts = 0;
        }
        if (now - lastSentHandshake < REKEY_TIMEOUT || !running || !handshake.canHandshake()) {
            return;
        }
        lastSentHandshake = now;
        byte[] timestamp = Tai64n.fromEpochNanos(node.epochNanos());
        int oldIndex = handshake.localIndex();
        boolean hadPending = handshake.state() == Handshake.State.INITIATION_CREATED;
        int index = node.allocateIndex(this);
        HandshakeInitiation msg = handshake.createPreparedInitiation(timestamp, index);
        if (msg == null) {
            byte[] ephemeral = node.newEphemeral();
            msg = handshake.createInitiation(ephemeral, timestamp, index);
            java.util.Arrays.fill(ephemeral, (byte) 0);
        }
        if (hadPending) {
            node.releaseIndex(oldIndex, this);
        }
        if (msg == null) {
            node.releaseIndex(index, this);
            return;
        }
        msg.encode(scratch, 0);
        cookies.addMacs(scratch, 0, INITIATION_MAC1, now);
        timersAnyAuthenticatedPacketTraversal(now);
        timersAnyAuthenticatedPacketSent();
        if (tx.toPeer(this, scratch, 0, INITIATION_SIZE)) {
            txBytes += INITIATION_SIZE;
        }
        retransmitHandshakeAt = armed(now + REKEY_TIMEOUT + node.jitter());
    }

    // ---------------------------------------------------------------------------------------
    // Session installation (called by Node under this peer's lock)

    /** Installs a freshly derived session (docs/protocol.md §3.2) and arms the zero-key timer. */
    void installSession(Handshake.SessionKeys keys, long now) {
        Keypair kp;
        try {
            kp = new Keypair(this, node.aead(), keys.sendKey(), keys.receiveKey(), keys.initiator(), now,
                    keys.localIndex(), keys.remoteIndex());
        } finally {
            java.util.Arrays.fill(keys.sendKey(), (byte) 0);
            java.util.Arrays.fill(keys.receiveKey(), (byte) 0);
        }
        node.bindIndex(kp.localIndex, kp);
        if (keys.initiator()) {
            if (next != null) {
                Keypair oldPrevious = previous;
                previous = next;
                next = null;
                discard(current);
                discard(oldPrevious);
            } else {
                discard(previous);
                previous = current;
            }
            current = kp;
        } else {
            discard(next);
            next = kp;
            discard(previous);
            previous = null;
        }
        zeroKeyMaterialAt = armed(now + ZERO_KEY_MATERIAL_TIME);
    }

    private void discard(Keypair kp) {
        if (kp != null) {
            node.releaseIndex(kp.localIndex, kp);
            kp.destroy();
        }
    }

    /** Responder key confirmation: the first packet on {@code next} makes it current (docs/protocol.md §3.2). */
    boolean confirmIfNext(Keypair kp) {
        if (kp != next) {
            return false;
        }
        discard(previous);
        previous = current;
        current = next;
        next = null;
        return true;
    }

    void handshakeComplete(long now) {
        retransmitHandshakeAt = NONE;
        handshakeAttempts = 0;
        sentLastMinuteHandshake = false;
        lastHandshakeEpochNanos = node.epochNanos();
    }

    void addRx(int bytes) { rxBytes += bytes; }

    void addTx(int bytes) { txBytes += bytes; }

    /** After a data packet was authenticated on {@code kp} (docs/protocol.md §3.3 item 3: the last-minute re-key). */
    void keepKeyFreshReceiving(Keypair kp, long now, Transmit tx) {
        if (kp == current && kp.initiator && !sentLastMinuteHandshake && now - kp.created > REKEY_ON_RECEIVE_AGE) {
            sentLastMinuteHandshake = true;
            sendInitiation(now, false, tx);
        }
    }

    /** Called after an initiator-side session was installed: flush staged packets or confirm with a keepalive. */
    void afterInitiatorSession(long now, Transmit tx) {
        sendKeepalive(now, tx);
    }

    /** Called after responder key confirmation: flush what waited for the session. */
    void afterConfirmation(long now, Transmit tx) {
        sendStaged(now, tx);
    }

    /**
     * "Expire current keypairs" (docs/protocol.md §3.2), used when the private key changes: clear the handshake,
     * allow an immediate initiation, and stop sending on current and next.
     */
    synchronized void expireCurrentKeypairs(LocalIdentity identity, long now) {
        if (handshake.state() == Handshake.State.INITIATION_CREATED) {
            node.releaseIndex(handshake.localIndex(), this);
        }
        handshake.clear();
        handshake.setLocalIdentity(identity);
        lastSentHandshake = now - REKEY_TIMEOUT - 1;
        if (current != null) {
            current.sendCounter = REJECT_AFTER_MESSAGES;
        }
        if (next != null) {
            next.sendCounter = REJECT_AFTER_MESSAGES;
        }
    }

    /** Clears the handshake and all keypairs (zero-key timer, interface down, removal). */
    private void zeroKeyMaterial() {
        if (handshake.state() == Handshake.State.INITIATION_CREATED) {
            node.releaseIndex(handshake.localIndex(), this);
        }
        handshake.clear();
        discard(previous);
        discard(current);
        discard(next);
        previous = null;
        current = null;
        next = null;
    }

    // ---------------------------------------------------------------------------------------
    // Timers (docs/protocol.md §3.4). Each hook says when to call it.

    /**
     * Every timer is set through here: the node learns of each new deadline, so that a runtime
     * sleeping until the earliest one ({@link Node#nextTickAt}) is woken when an earlier one
     * appears. Returns {@code at}.
     */
    private long armed(long at) {
        node.deadlineArmed(at);
        return at;
    }

    /** After any authenticated packet was sent: the passive keepalive is no longer needed. */
    void timersAnyAuthenticatedPacketSent() {
        sendKeepaliveAt = NONE;
    }

    /** After any authenticated packet was received. */
    void timersAnyAuthenticatedPacketReceived() {
        newHandshakeAt = NONE;
    }

    /** Just before sending or just after receiving any authenticated packet. */
    void timersAnyAuthenticatedPacketTraversal(long now) {
        if (persistentKeepalive > 0 && running) {
            persistentKeepaliveAt = armed(now + persistentKeepalive * 1_000_000_000L);
        }
    }

    /** After a data (non-keepalive) packet was sent. */
    private void timersDataSent(long now) {
        if (newHandshakeAt == NONE) {
            newHandshakeAt = armed(now + NEW_HANDSHAKE_TIMEOUT + node.jitter());
        }
    }

    /** After a data (non-keepalive) packet was received. */
    void timersDataReceived(long now) {
        if (sendKeepaliveAt == NONE) {
            sendKeepaliveAt = armed(now + KEEPALIVE_TIMEOUT);
        } else {
            needAnotherKeepalive = true;
        }
    }

    /** Runs every timer whose deadline has passed. */
    synchronized void tick(long now, Transmit tx) {
        if (!running) {
            return;
        }
        if (retransmitHandshakeAt != NONE && now >= retransmitHandshakeAt) {
            retransmitHandshakeAt = NONE;
            if (handshakeAttempts > MAX_TIMER_HANDSHAKES) {
                // Give up (docs/protocol.md §3.3 item 4).
                sendKeepaliveAt = NONE;
                dropStaged();
                if (zeroKeyMaterialAt == NONE) {
                    zeroKeyMaterialAt = armed(now + ZERO_KEY_MATERIAL_TIME);
                }
            } else {
                handshakeAttempts++;
                tx.clearSource(this);
                sendInitiation(now, true, tx);
            }
        }
        if (sendKeepaliveAt != NONE && now >= sendKeepaliveAt) {
            sendKeepaliveAt = NONE;
            sendKeepalive(now, tx);
            if (needAnotherKeepalive) {
                needAnotherKeepalive = false;
                sendKeepaliveAt = armed(now + KEEPALIVE_TIMEOUT);
            }
        }
        if (newHandshakeAt != NONE && now >= newHandshakeAt) {
            newHandshakeAt = NONE;
            tx.clearSource(this);
            sendInitiation(now, false, tx);
        }
        if (zeroKeyMaterialAt != NONE && now >= zeroKeyMaterialAt) {
            zeroKeyMaterialAt = NONE;
            zeroKeyMaterial();
        }
        if (persistentKeepaliveAt != NONE && now >= persistentKeepaliveAt) {
            persistentKeepaliveAt = NONE;
            if (persistentKeepalive > 0) {
                sendKeepalive(now, tx);
            }
        }
    }

    /** The earliest pending timer deadline, or {@link #NONE}. */
    synchronized long nextDeadline() {
        if (!running) {
            return NONE;
        }
        long d = earliest(NONE, retransmitHandshakeAt);
        d = earliest(d, sendKeepaliveAt);
        d = earliest(d, newHandshakeAt);
        d = earliest(d, zeroKeyMaterialAt);
        return earliest(d, persistentKeepaliveAt);
    }

    private static long earliest(long d, long t) {
        return t != NONE && (d == NONE || t < d) ? t : d;
    }

    /** Device up: start timers; a configured persistent keepalive sends one at once (docs/protocol.md §3.5). */
    synchronized void start(long now, Transmit tx) {
        if (running) {
            return;
        }
        running = true;
        lastSentHandshake = now - REKEY_TIMEOUT - 1;
        if (persistentKeepalive > 0) {
            sendKeepalive(now, tx);
        }
    }

    /** Device down (docs/protocol.md §3.6): purge staged packets, stop timers, clear the handshake and keypairs. */
    synchronized void stop() {
        running = false;
        dropStaged();
        retransmitHandshakeAt = NONE;
        sendKeepaliveAt = NONE;
        newHandshakeAt = NONE;
        zeroKeyMaterialAt = NONE;
        persistentKeepaliveAt = NONE;
        needAnotherKeepalive = false;
        handshakeAttempts = 0;
        zeroKeyMaterial();
    }

    /** Peer removal: stop and wipe everything including the PSK and static-static value. */
    synchronized void destroy() {
        stop();
        removed = true;
        handshake.destroy();
    }

    synchronized boolean isRunning() { return running; }

    // ---------------------------------------------------------------------------------------
    // The keypair slots, for this package's tests (package-private, read under the peer's lock)

    synchronized Keypair currentKeypair() { return current; }

    /** "peer(AbCd…WxYz)", for logs. */
    @Override
    public String toString() { return shortName; }
}
