package dev.jwg.core.tunnel;

import static dev.jwg.core.wire.Messages.*;

import dev.jwg.core.Clock;
import dev.jwg.core.Protocol;
import dev.jwg.core.cookie.CookieChecker;
import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.crypto.X25519;
import dev.jwg.core.noise.Handshake;
import dev.jwg.core.noise.LocalIdentity;
import dev.jwg.core.ratelimit.RateLimiter;
import dev.jwg.core.routing.AllowedIps;
import dev.jwg.core.routing.IndexTable;
import dev.jwg.core.wire.CookieReply;
import dev.jwg.core.wire.HandshakeInitiation;
import dev.jwg.core.wire.HandshakeResponse;
import dev.jwg.core.wire.NetworkOrder;
import dev.jwg.core.wire.TransportData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The device-level protocol state of one WireGuard interface, pure and I/O-free: our static
 * identity, the peers, the receiver-index table, the cookie checker and rate limiter, and the
 * allowed-IPs table. The runtime feeds it datagrams ({@link #decapsulate}), routes TUN packets to
 * peers ({@link #route}) and ticks it ({@link #tick}); it answers through a {@link Transmit}.
 *
 * <pre>
 *   datagram ──► type? ── transport ──► index → keypair → peer: decrypt, replay, timers,
 *                 │                      endpoint, key confirmation, allowed-IPs source check
 *                 ├── initiation/response ──► mac1 ─► (under load: mac2 or cookie reply, rate limit)
 *                 │                           ─► Noise ─► keypair ─► reply / flush staged
 *                 └── cookie reply ──► index → peer: store cookie for the next mac2
 * </pre>
 *
 * <p>The data path uses the split form of transport receive: {@link #transportKeypair} (lock-free
 * index lookup), {@link Keypair#open} (lock-free, any thread, in parallel) and
 * {@link #receiveOpened} (under the peer's lock, in arrival order: expiry, replay, timers, key
 * confirmation, the inner packet). {@link #decapsulate} does all of it in one call.
 *
 * <p>Thread-safe. Transport messages may be received from several threads at once (each takes
 * only its peer's lock); handshake messages are expected on one handshake thread, off the data path.
 */
public final class Node {
    private final Clock clock;
    private final RandomGenerator rng;
    private final AeadBackend aead;
    private final Object rngLock = new Object();
    /**
     * Timer jitter needs no cryptographic randomness (wireguard-go takes it from the runtime's fast
     * generator). Drawing it from the node's generator, a {@code SecureRandom} in the daemon, cost
     * a read of /dev/urandom per sent packet on an idle tunnel ({@code NativePRNG} refreshes its
     * buffer when it is older than 100 ms), in code the JIT had compiled for busy tunnels: the
     * branch trapped and the sender ran interpreted. Seeded from the node's generator, lazily, so
     * that seeded tests stay deterministic and draw nothing more before the first jitter.
     */
    private SplittableRandom jitterRandom;
    private final CookieChecker cookieChecker;
    private final RateLimiter rateLimiter;
    private final IndexTable<Object> indices = new IndexTable<>();
    private final AllowedIps<Peer> allowedIps = new AllowedIps<>();

    private final Object configLock = new Object();
    private final Map<PublicKey, Peer> peersByKey = new LinkedHashMap<>();
    private volatile Peer[] peerList = new Peer[0];
    private volatile LocalIdentity identity;
    private volatile int mtu = Protocol.DEFAULT_MTU;
    private volatile boolean up;
    private volatile long underLoadUntil = Long.MIN_VALUE;
    /**
     * When the runtime will next call {@link #tick} (Clock units), {@link #NO_TICK} while it plans
     * none; lowered by every earlier deadline armed meanwhile. See {@link #nextTickAt}.
     */
    private final AtomicLong plannedTick = new AtomicLong(NO_TICK);
    private volatile Runnable timerWakeup = () -> { };
    /** When the rate limiter was last swept: its entries age out by one sweep a second (docs/protocol.md §3.8). */
    private volatile long lastSweep;

    /** A node whose transport AEAD is the JDK's ({@link AeadBackend#JDK}). */
    public Node(Clock clock, RandomGenerator rng) {
        this(clock, rng, AeadBackend.JDK);
    }

    /**
     * A node that keys its transport sessions with {@code aead}, which the caller has checked
     * ({@link dev.jwg.core.crypto.AeadBackendCheck}) and usually chosen by measurement.
     */
    public Node(Clock clock, RandomGenerator rng, AeadBackend aead) {
        this.clock = clock;
        this.rng = rng;
        this.aead = java.util.Objects.requireNonNull(aead, "aead");
        this.cookieChecker = new CookieChecker(rng);
        this.rateLimiter = new RateLimiter(rng.nextLong());
    }

    long now() { return clock.nanoTime(); }

    /** The backend that keys every transport session of this node. */
    public AeadBackend aead() { return aead; }

    long epochNanos() { return clock.epochNanos(); }

    /** A random timer jitter below REKEY_TIMEOUT_JITTER_MAX (docs/protocol.md §3.4); allocation-free. */
    long jitter() {
        synchronized (rngLock) {
            if (jitterRandom == null) {
                jitterRandom = new SplittableRandom(rng.nextLong());
            }
            return jitterRandom.nextLong(Protocol.REKEY_TIMEOUT_JITTER_MAX);
        }
    }

    byte[] newEphemeral() {
        synchronized (rngLock) {
            return X25519.generatePrivateKey(rng);
        }
    }

    int allocateIndex(Object value) {
        synchronized (rngLock) {
            return indices.allocate(value, rng);
        }
    }

    void bindIndex(int index, Object value) { indices.replace(index, value); }

    void releaseIndex(int index, Object expected) { indices.remove(index, expected); }

    // ---------------------------------------------------------------------------------------
    // Configuration

    public Optional<PrivateKey> privateKey() {
        LocalIdentity id = identity;
        return id == null ? Optional.empty() : Optional.of(id.privateKey());
    }

    public Optional<PublicKey> publicKey() {
        LocalIdentity id = identity;
        return id == null ? Optional.empty() : Optional.of(id.publicKey());
    }

    /**
     * Sets or (with null) removes the private key, as the kernel does (docs/protocol.md §3.10): the same key changes
     * nothing; otherwise a peer with our new public key is removed, every peer's static-static DH
     * is recomputed and its current keypairs stop sending, and the mac1/cookie keys change.
     */
    public void setPrivateKey(PrivateKey key) {
        synchronized (configLock) {
            LocalIdentity old = identity;
            if (key == null ? old == null : old != null && old.privateKey().equals(key)) {
                return;
            }
            LocalIdentity id = key == null || key.isZero() ? null : new LocalIdentity(key);
            if (id != null) {
                Peer self = peersByKey.get(id.publicKey());
                if (self != null) {
                    removePeerLocked(self);
                }
            }
            identity = id;
            cookieChecker.setPublicKey(id == null ? null : id.publicKey().bytes());
            long now = now();
            for (Peer p : peerList) {
                p.expireCurrentKeypairs(id, now);
            }
        }
    }

    /** Current interface MTU, used to clamp padding. */
    public int mtu() { return mtu; }

    public void setMtu(int mtu) { this.mtu = mtu; }

    /**
     * The peer with this key, created if absent (not started until the device is up). Returns
     * empty for our own public key, which is silently ignored (docs/protocol.md §1.12), or when the peer limit is reached.
     */
    public Optional<Peer> addPeer(PublicKey key, Transmit tx) {
        synchronized (configLock) {
            LocalIdentity id = identity;
            if (id != null && id.publicKey().equals(key)) {
                return Optional.empty();
            }
            Peer existing = peersByKey.get(key);
            if (existing != null) {
                return Optional.of(existing);
            }
            if (peersByKey.size() >= Protocol.MAX_PEERS) {
                return Optional.empty();
            }
            Peer p = new Peer(this, key, id, now());
            peersByKey.put(key, p);
            Peer[] list = Arrays.copyOf(peerList, peerList.length + 1);
            list[list.length - 1] = p;
            peerList = list;
            if (up) {
                p.start(now(), tx);
            }
            return Optional.of(p);
        }
    }

    public Optional<Peer> peer(PublicKey key) {
        synchronized (configLock) {
            return Optional.ofNullable(peersByKey.get(key));
        }
    }

    /** Peers in the order they were added. */
    public List<Peer> peers() { return List.of(peerList); }

    public boolean removePeer(PublicKey key) {
        synchronized (configLock) {
            Peer p = peersByKey.get(key);
            if (p == null) {
                return false;
            }
            removePeerLocked(p);
            return true;
        }
    }

    public void removeAllPeers() {
        synchronized (configLock) {
            for (Peer p : new ArrayList<>(peersByKey.values())) {
                removePeerLocked(p);
            }
        }
    }

    private void removePeerLocked(Peer p) {
        peersByKey.remove(p.publicKey());
        peerList = peersByKey.values().toArray(new Peer[0]);
        allowedIps.removeByPeer(p);
        p.destroy();
    }

    /** The cryptokey-routing table: prefixes → peers. */
    public AllowedIps<Peer> allowedIps() { return allowedIps; }

    /** Brings the device up (peers start; persistent keepalives go out) or down (docs/protocol.md §3.6). */
    public void setUp(boolean isUp, Transmit tx) {
        synchronized (configLock) {
            up = isUp;
            long now = now();
            for (Peer p : peerList) {
                if (isUp) {
                    p.start(now, tx);
                } else {
                    p.stop();
                }
            }
        }
    }

    public boolean isUp() { return up; }

    /**
     * Reports the length of the runtime's handshake queue; at or above {@code threshold} the node
     * is "under load" for the next second (docs/protocol.md §3.8).
     */
    public void reportHandshakeQueue(int length, int threshold) {
        if (length >= threshold) {
            underLoadUntil = now() + Protocol.UNDER_LOAD_AFTER;
        }
    }

    /** Forces the under-load state for a second (tests, and a runtime that measures load otherwise). */
    public void markUnderLoad() {
        underLoadUntil = now() + Protocol.UNDER_LOAD_AFTER;
    }

    public boolean isUnderLoad() { return now() < underLoadUntil; }

    // ---------------------------------------------------------------------------------------
    // Data path

    /**
     * The peer an outgoing IP packet at {@code buf[off, off+len)} is routed to by its destination
     * address, or null. Allocation-free.
     */
    public Peer route(ByteBuffer buf, int off, int len) {
        if (len < 1) {
            return null;
        }
        int version = (buf.get(off) & 0xff) >>> 4;
        if (version == 4 && len >= 20) {
            return allowedIps.lookupV4(NetworkOrder.getInt(buf, off + 16));
        }
        if (version == 6 && len >= 40) {
            return allowedIps.lookupV6(NetworkOrder.getLong(buf, off + 24), NetworkOrder.getLong(buf, off + 32));
        }
        return null;
    }

    /** {@link #route(ByteBuffer, int, int)} of a packet in an array. */
    public Peer route(byte[] buf, int off, int len) {
        if (len < 1) {
            return null;
        }
        int version = (buf[off] & 0xff) >>> 4;
        if (version == 4 && len >= 20) {
            return allowedIps.lookup(buf, off + 16, 4);
        }
        if (version == 6 && len >= 40) {
            return allowedIps.lookup(buf, off + 24, 6);
        }
        return null;
    }

    /**
     * Processes one received datagram at {@code buf[off, off+len)} from {@code srcAddress} (4 or
     * 16 bytes) and {@code srcPort}. Transport messages are decrypted in place; for
     * {@link Verdict#DELIVER} the packet's position is in {@code out}. Never throws for any input.
     */
    public Verdict decapsulate(byte[] buf, int off, int len, byte[] srcAddress, int srcPort, Transmit tx, Received out) {
        out.reset();
        int type = typeOf(buf, off, len);
        return switch (type) {
            case TYPE_TRANSPORT -> receiveTransport(buf, off, len, tx, out);
            case TYPE_INITIATION -> receiveInitiation(buf, off, srcAddress, srcPort, tx, out);
            case TYPE_RESPONSE -> receiveResponse(buf, off, srcAddress, srcPort, tx, out);
            case TYPE_COOKIE_REPLY -> receiveCookieReply(buf, off, len, out);
            default -> Verdict.DROP_MALFORMED;
        };
    }

    private Verdict receiveTransport(byte[] buf, int off, int len, Transmit tx, Received out) {
        if (len > Protocol.MAX_MESSAGE_SIZE) {
            return Verdict.DROP_MALFORMED;
        }
        ByteBuffer b = ByteBuffer.wrap(buf);
        Keypair kp = transportKeypair(b, off, len);
        if (kp == null) {
            return Verdict.DROP_UNKNOWN_INDEX;
        }
        return receiveOpened(kp, b, off, len, kp.open(b, off, len), tx, out);
    }

    /**
     * The keypair the transport message at {@code buf[off, off+len)} is addressed to (by its receiver
     * index), or null: not a transport message of an acceptable length, or an index that is not a
     * keypair of ours. Lock-free, allocation-free and thread-safe; the keypair may be retired just
     * after ({@link #receiveOpened} checks it again).
     */
    public Keypair transportKeypair(ByteBuffer buf, int off, int len) {
        if (len > Protocol.MAX_MESSAGE_SIZE || typeOf(buf, off, len) != TYPE_TRANSPORT) {
            return null;
        }
        return indices.get(TransportData.receiver(buf, off)) instanceof Keypair kp ? kp : null;
    }

    /**
     * The ordered half of receiving the transport message at {@code buf[off, off+len)} for
     * {@code kp}, after {@link Keypair#open} returned {@code plain}: under the peer's lock, the key's
     * expiry, authentication ({@code plain < 0} drops), the replay window, roaming
     * ({@link Transmit#authenticated}), key confirmation, the timers and the re-key check
     * (docs/protocol.md §3.3 item 3), then the inner packet's length and the allowed-IPs source check
     * (docs/protocol.md §1.11). For {@link Verdict#DELIVER} the packet's position in {@code buf} is in
     * {@code out}. A peer's messages must come here in the order they arrived (the replay window
     * tolerates disorder, TCP does not like it). Never throws for any input; allocation-free.
     */
    public Verdict receiveOpened(Keypair kp, ByteBuffer buf, int off, int len, int plain, Transmit tx, Received out) {
        out.reset();
        Peer peer = kp.peer;
        out.peer = peer;
        long counter = TransportData.counter(buf, off);
        synchronized (peer) {
            long now = now();
            if (!kp.canReceive(now) || !peer.isRunning()) {
                return Verdict.DROP_EXPIRED_KEY;
            }
            if (plain < 0) {
                return Verdict.DROP_DECRYPT;
            }
            if (!kp.replay.validate(counter)) {
                return Verdict.DROP_REPLAY;
            }
            tx.authenticated(peer);
            if (peer.confirmIfNext(kp)) {
                peer.handshakeComplete(now);
                peer.afterConfirmation(now, tx);
            }
            peer.keepKeyFreshReceiving(kp, now, tx);
            peer.timersAnyAuthenticatedPacketTraversal(now);
            peer.timersAnyAuthenticatedPacketReceived();
            peer.addRx(len);
            if (plain == 0) {
                return Verdict.KEEPALIVE;
            }
            peer.timersDataReceived(now);
        }
        return checkInner(buf, off + TRANSPORT_HEADER_SIZE, plain, peer, out);
    }

    /** Trims the decrypted packet to its IP length and applies the allowed-IPs source check (docs/protocol.md §1.11). */
    private Verdict checkInner(ByteBuffer buf, int off, int plain, Peer peer, Received out) {
        int version = (buf.get(off) & 0xff) >>> 4;
        int ipLen;
        Peer source;
        if (version == 4 && plain >= 20) {
            ipLen = NetworkOrder.u16(buf, off + 2);
            if (ipLen < 20) {
                return Verdict.DROP_INNER_MALFORMED;
            }
            source = ipLen > plain ? null : allowedIps.lookupV4(NetworkOrder.getInt(buf, off + 12));
        } else if (version == 6 && plain >= 40) {
            ipLen = 40 + NetworkOrder.u16(buf, off + 4);
            source = ipLen > plain ? null
                    : allowedIps.lookupV6(NetworkOrder.getLong(buf, off + 8), NetworkOrder.getLong(buf, off + 16));
        } else {
            return Verdict.DROP_INNER_MALFORMED;
        }
        if (ipLen > plain) {
            return Verdict.DROP_INNER_MALFORMED;
        }
        if (source != peer) {
            return Verdict.DROP_ALLOWED_IPS;
        }
        out.offset = off;
        out.length = ipLen;
        out.family = version;
        return Verdict.DELIVER;
    }

    /** mac1, then under load mac2 (else a cookie reply) and the rate limiter (docs/protocol.md §3.8). Null means go on. */
    private Verdict screenHandshake(byte[] buf, int off, int mac1Offset, int senderIndex,
                                    byte[] srcAddress, int srcPort, Transmit tx) {
        if (!cookieChecker.checkMac1(buf, off, mac1Offset)) {
            return Verdict.DROP_MAC;
        }
        if (isUnderLoad()) {
            long now = now();
            if (!cookieChecker.checkMac2(buf, off, mac1Offset, srcAddress, srcPort, now)) {
                CookieReply reply = cookieChecker.createReply(buf, off, mac1Offset, senderIndex, srcAddress, srcPort, now);
                if (reply == null) {
                    return Verdict.DROP_MAC;
                }
                byte[] bytes = reply.toBytes();
                tx.toSource(bytes, 0, bytes.length);
                return Verdict.COOKIE_SENT;
            }
            boolean allowed = rateLimiter.allow(now, srcAddress, 0, srcAddress.length);
            deadlineArmed(lastSweep + SWEEP_INTERVAL); // the table has an entry to age out
            if (!allowed) {
                return Verdict.DROP_RATE_LIMITED;
            }
        }
        return null;
    }

    private Verdict receiveInitiation(byte[] buf, int off, byte[] srcAddress, int srcPort, Transmit tx, Received out) {
        HandshakeInitiation msg = HandshakeInitiation.decode(buf, off, INITIATION_SIZE).orElse(null);
        if (msg == null) {
            return Verdict.DROP_MALFORMED;
        }
        Verdict screened = screenHandshake(buf, off, INITIATION_MAC1, msg.sender(), srcAddress, srcPort, tx);
        if (screened != null) {
            return screened;
        }
        LocalIdentity id = identity;
        Handshake.InitiationPrelude prelude = Handshake.beginConsumeInitiation(id, msg);
        if (prelude == null) {
            return Verdict.DROP_HANDSHAKE;
        }
        Peer peer;
        synchronized (configLock) {
            peer = peersByKey.get(PublicKey.fromBytes(prelude.remoteStatic()));
        }
        if (peer == null) {
            return Verdict.DROP_UNKNOWN_PEER;
        }
        out.peer = peer;
        synchronized (peer) {
            long now = now();
            if (!peer.isRunning()) {
                return Verdict.DROP_HANDSHAKE;
            }
            boolean hadPending = peer.handshake.state() == Handshake.State.INITIATION_CREATED;
            int pendingIndex = peer.handshake.localIndex();
            if (peer.handshake.consumeInitiation(prelude, msg, now) != Handshake.InitiationVerdict.ACCEPTED) {
                return Verdict.DROP_HANDSHAKE;
            }
            if (hadPending) {
                releaseIndex(pendingIndex, peer);
            }
            tx.authenticated(peer);
            peer.addRx(INITIATION_SIZE);
            peer.timersAnyAuthenticatedPacketTraversal(now);
            peer.timersAnyAuthenticatedPacketReceived();

            byte[] ephemeral = newEphemeral();
            int index = allocateIndex(peer);
            HandshakeResponse response = peer.handshake.createResponse(ephemeral, index);
            Arrays.fill(ephemeral, (byte) 0);
            if (response == null) {
                releaseIndex(index, peer);
                return Verdict.DROP_HANDSHAKE;
            }
            Handshake.SessionKeys keys = peer.handshake.deriveSessionKeys();
            peer.installSession(keys, now);
            byte[] bytes = response.toBytes();
            peer.cookies.addMacs(bytes, 0, RESPONSE_MAC1, now);
            peer.lastSentHandshake = now;
            peer.timersAnyAuthenticatedPacketTraversal(now);
            peer.timersAnyAuthenticatedPacketSent();
            if (tx.toPeer(peer, bytes, 0, RESPONSE_SIZE)) {
                peer.addTx(RESPONSE_SIZE);
            }
        }
        return Verdict.HANDSHAKE;
    }

    private Verdict receiveResponse(byte[] buf, int off, byte[] srcAddress, int srcPort, Transmit tx, Received out) {
        HandshakeResponse msg = HandshakeResponse.decode(buf, off, RESPONSE_SIZE).orElse(null);
        if (msg == null) {
            return Verdict.DROP_MALFORMED;
        }
        Verdict screened = screenHandshake(buf, off, RESPONSE_MAC1, msg.sender(), srcAddress, srcPort, tx);
        if (screened != null) {
            return screened;
        }
        if (!(indices.get(msg.receiver()) instanceof Peer peer)) {
            return Verdict.DROP_UNKNOWN_INDEX;
        }
        out.peer = peer;
        synchronized (peer) {
            long now = now();
            if (!peer.isRunning() || !peer.handshake.consumeResponse(msg)) {
                return Verdict.DROP_HANDSHAKE;
            }
            tx.authenticated(peer);
            peer.addRx(RESPONSE_SIZE);
            peer.timersAnyAuthenticatedPacketTraversal(now);
            peer.timersAnyAuthenticatedPacketReceived();
            Handshake.SessionKeys keys = peer.handshake.deriveSessionKeys();
            peer.installSession(keys, now);
            peer.handshakeComplete(now);
            peer.afterInitiatorSession(now, tx);
        }
        return Verdict.HANDSHAKE;
    }

    private Verdict receiveCookieReply(byte[] buf, int off, int len, Received out) {
        CookieReply reply = CookieReply.decode(buf, off, len).orElse(null);
        if (reply == null) {
            return Verdict.DROP_MALFORMED;
        }
        Object entry = indices.get(reply.receiver());
        Peer peer = entry instanceof Peer p ? p : entry instanceof Keypair kp ? kp.peer : null;
        if (peer == null) {
            return Verdict.DROP_UNKNOWN_INDEX;
        }
        out.peer = peer;
        synchronized (peer) {
            return peer.cookies.consumeReply(reply, now()) ? Verdict.COOKIE : Verdict.DROP_MAC;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Timers
    //
    // The runtime sleeps until the earliest deadline instead of polling (an idle tunnel costs
    // nothing): after each tick it asks nextTickAt() when to tick again, and sleeps until then or
    // until the wake-up it registered runs. Every timer a peer sets goes through deadlineArmed,
    // which lowers the planned tick and runs the wake-up when the new deadline is earlier. The
    // plan is reset to NO_TICK before the peers are scanned, so a deadline armed while the scan
    // runs is never lost: either the scan sees it, or it lowers the plan the scan then publishes.

    /** {@link #nextTickAt} when no timer is pending: the runtime may sleep until woken. */
    public static final long NO_TICK = Long.MAX_VALUE;
    /** The rate limiter is swept this often while it holds entries. */
    static final long SWEEP_INTERVAL = 1_000_000_000L;

    /**
     * Registers what wakes the runtime's timer when a deadline earlier than the planned tick is
     * set (from whichever thread set it, possibly while holding a peer's lock: it must not block).
     */
    public void setTimerWakeup(Runnable wakeup) {
        timerWakeup = java.util.Objects.requireNonNull(wakeup, "wakeup");
    }

    /** Runs every peer's due timers and ages the rate limiter. */
    public void tick(Transmit tx) {
        long now = now();
        for (Peer p : peerList) {
            p.tick(now, tx);
        }
        if (now - lastSweep >= SWEEP_INTERVAL) {
            rateLimiter.sweep(now);
            lastSweep = now;
        }
    }

    /**
     * When {@link #tick} must run next (in {@link Clock#nanoTime()} units, possibly already past),
     * or {@link #NO_TICK} when no timer is pending. From then on, a deadline set earlier than the
     * returned time runs the {@link #setTimerWakeup wake-up}; the runtime then asks again.
     * Called by the one thread that ticks.
     */
    public long nextTickAt() {
        plannedTick.set(NO_TICK);
        long d = NO_TICK;
        for (Peer p : peerList) {
            long t = p.nextDeadline();
            if (t != Peer.NONE && t < d) {
                d = t;
            }
        }
        if (rateLimiter.size() > 0) {
            d = Math.min(d, lastSweep + SWEEP_INTERVAL);
        }
        long planned = d;
        return plannedTick.accumulateAndGet(planned, Math::min);
    }

    /** A timer was set to {@code at}: wakes the runtime if it planned to tick later. */
    void deadlineArmed(long at) {
        long planned = plannedTick.get();
        while (at < planned) {
            if (plannedTick.compareAndSet(planned, at)) {
                timerWakeup.run();
                return;
            }
            planned = plannedTick.get();
        }
    }

    /** The earliest timer deadline of any peer (in {@link Clock#nanoTime()} units), or empty. */
    public java.util.OptionalLong nextDeadline() {
        long d = Peer.NONE;
        for (Peer p : peerList) {
            long t = p.nextDeadline();
            if (t != Peer.NONE && (d == Peer.NONE || t < d)) {
                d = t;
            }
        }
        return d == Peer.NONE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(d);
    }

    @Override
    public String toString() {
        LocalIdentity id = identity;
        return "Node(" + (id == null ? "no key" : id.publicKey().shortForm()) + ", " + peerList.length + " peers)";
    }
}
