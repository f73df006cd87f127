package dev.jwg.device;

import dev.jwg.core.Clock;
import dev.jwg.core.Protocol;
import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.TransportAead;
import dev.jwg.core.tunnel.Node;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.core.tunnel.Transmit;
import dev.jwg.core.tunnel.Verdict;
import dev.jwg.core.wire.Messages;
import dev.jwg.device.io.Bind;
import dev.jwg.device.io.Endpoint;
import dev.jwg.device.io.PacketBatch;
import dev.jwg.device.io.PacketMemory;
import dev.jwg.device.io.TunDevice;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

/**
 * The runtime of one WireGuard interface: the protocol {@link Node} driven by a TUN device and a
 * UDP bind.
 *
 * <pre>
 *  send:      TUN reader ──► route, group by peer, reserve counters ──► crypto workers: seal ──► per peer, in order: UDP
 *  receive:   UDP receiver ──► keypair by index, group by peer ──► crypto workers: open ──► per peer, in order:
 *                                  │                                   replay, timers, source check ──► TUN
 *                                  └─ handshake / cookie ──► bounded queue ──► handshake thread ──► UDP
 *  timers:    timer thread ──► Node.tick (retransmit, keepalives, re-key, zeroing) ──► UDP
 * </pre>
 *
 * The two data paths are drawn in full in {@link SendPath} and {@link ReceivePath}. Their packets
 * live in {@link PacketBatch}es from the TUN's {@link PacketMemory}, and are copied once per
 * direction (by the read or receive that fills the batch). The cryptography runs on {@code workers}
 * threads shared by both directions, in parallel even for one peer, while each peer's packets keep
 * their order; a batch of a packet or two is sealed or opened by the reading thread itself
 * ({@link DataPath}), and with one worker there is no worker thread and the reading threads do it
 * all themselves.
 *
 * Handshakes never run on the data threads' receive path: they are queued (at most
 * {@link #HANDSHAKE_QUEUE} entries, dropping beyond) and the queue length tells the node when it is
 * under load, so a flood is answered with cookie replies while established peers keep flowing.
 *
 * <p>The device follows the link state ({@link #setLinkUp}): the UDP socket is open only while
 * the interface is up. Thread-safe.
 */
public final class Device implements AutoCloseable {
    /** Opens the UDP socket; throws {@link java.net.BindException} when the port is taken. */
    @FunctionalInterface
    public interface BindOpener {
        Bind open(int port) throws IOException;
    }

    static final int HANDSHAKE_QUEUE = 1024;
    static final int UNDER_LOAD_THRESHOLD = HANDSHAKE_QUEUE / 8;
    /**
     * Packets per TUN read and per UDP receive. With offloads one TUN read can return a 64 KiB
     * super-packet split into ~48 MTU-sized packets (1368-byte MSS), and one UDP receive a GRO train
     * of up to 64 datagrams, so a batch holds a few of those (wireguard-go's IdealBatchSize is 128
     * too). Slots keep room for a 64 KiB packet, as the MTU may change (the memory is reserved, not
     * committed: an MTU-sized packet costs its slot one page).
     */
    static final int BATCH = 128;
    /** A thread's outbox for control messages: handshakes, keepalives, packets that waited for a session. */
    private static final int OUTBOX = 16;
    /**
     * Jobs (batches) per direction with crypto workers: enough for every worker to have one while
     * the reading thread fills the next and the sends catch up; capped, as each reserves 8.5 MiB.
     */
    private static final int MAX_JOBS = 32;
    /**
     * The source address passed with transport messages: they are authenticated by their key, and
     * roaming takes the address from the batch ({@link PeerEndpoint#roam}).
     */
    private static final byte[] NO_SOURCE = new byte[4];

    private final String name;
    private final TunDevice tun;
    private final BindOpener opener;
    private final Clock clock;
    private final Log log;
    private final Node node;
    private final Object configLock = new Object();
    private volatile Bind bind;
    private volatile int listenPort;
    private volatile int fwmark;
    private volatile boolean linkUp;
    private volatile boolean closed;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final HandshakeQueue handshakes = new HandshakeQueue(HANDSHAKE_QUEUE);
    /** Peers whose next initiation the handshake thread prepares when idle (that thread's only). */
    private final java.util.Set<Peer> toPrepare = new java.util.LinkedHashSet<>();
    /** Set by a configuration change: the handshake thread prepares every peer with an endpoint. */
    private volatile boolean prepareAll;
    private final Thread[] threads;
    private final PacketMemory memory;
    private final Workers workers;
    private final SendPath sendPath;
    private final ReceivePath receivePath;
    private final Lane configLane;
    private final Outbox configOutbox;
    private final DeviceCounters counters = new DeviceCounters();
    private final AeadBackend aead;

    /** A device whose transport sessions use the JDK's AEAD ({@link AeadBackend#JDK}). */
    public Device(String name, TunDevice tun, BindOpener opener, Clock clock, RandomGenerator rng, Log log) {
        this(name, tun, opener, clock, rng, log, AeadBackend.JDK);
    }

    /**
     * A device whose transport sessions use {@code aead}, normally the one
     * {@link dev.jwg.device.tuning.AeadSelector} chose at start-up, with one crypto worker (the reading
     * threads do the cryptography themselves).
     */
    public Device(String name, TunDevice tun, BindOpener opener, Clock clock, RandomGenerator rng, Log log, AeadBackend aead) {
        this(name, tun, opener, clock, rng, log, aead, 1);
    }

    /**
     * A device with {@code workers} crypto workers: 1 means none of their own (the TUN reader seals,
     * the UDP receiver opens, no hand-off); more start that many threads, shared by both directions.
     */
    public Device(String name, TunDevice tun, BindOpener opener, Clock clock, RandomGenerator rng, Log log, AeadBackend aead,
            int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers " + workers);
        }
        this.name = name;
        this.tun = tun;
        this.opener = opener;
        this.clock = clock;
        this.log = log;
        this.node = new Node(clock, rng, aead);
        this.aead = aead;
        int jobs = workers == 1 ? 1 : Math.min(MAX_JOBS, 2 * workers + 2);
        int lanes = 5 + (workers == 1 ? 0 : workers); // config, two readers, handshakes, timers, workers
        this.memory = tun.packetMemory((long) PacketBatch.REGION * (2L * jobs * BATCH + (long) lanes * OUTBOX + 1));
        this.configLane = newLane();
        this.configOutbox = configLane.out;
        this.workers = workers == 1 ? null : new Workers(this, workers, 2 * jobs);
        this.sendPath = new SendPath(this, tun, this.workers, BATCH, jobs);
        this.receivePath = new ReceivePath(this, this.workers, BATCH, jobs);
        this.threads = new Thread[] {
            Thread.ofPlatform().name(name + "-tun-reader").daemon().unstarted(sendPath::run),
            Thread.ofPlatform().name(name + "-udp-receiver").daemon().unstarted(receivePath::run),
            Thread.ofPlatform().name(name + "-handshakes").daemon().unstarted(this::handshakeWorker),
            Thread.ofPlatform().name(name + "-timers").daemon().unstarted(this::timerLoop),
        };
        Thread timers = threads[3];
        node.setTimerWakeup(() -> LockSupport.unpark(timers));
    }

    public String name() { return name; }

    public Node node() { return node; }

    public Log log() { return log; }

    /** What this device counted (drops, handshakes, batches): read by the metrics endpoint. */
    public DeviceCounters counters() { return counters; }

    /** The backend that keys every transport session of this device. */
    public AeadBackend aead() { return aead; }

    Bind bind() { return bind; }

    PacketMemory memory() { return memory; }

    boolean isClosed() { return closed; }

    /** The system property that sets the number of crypto workers ({@link #configuredWorkers}). */
    public static final String WORKERS_PROPERTY = "jwg.workers";
    /** The environment variable that sets it, when the property does not. */
    public static final String WORKERS_ENVIRONMENT = "JWG_WORKERS";

    /**
     * The crypto workers asked for with {@code -Djwg.workers=N} or {@code JWG_WORKERS=N} (1 to 1024;
     * 1: none, the reading threads do the cryptography), else one per available processor.
     *
     * @throws IllegalArgumentException naming the setting when its value is not such a number
     */
    public static int configuredWorkers(String property, String environment) {
        String value = property != null ? property : environment;
        String source = property != null ? "-D" + WORKERS_PROPERTY : WORKERS_ENVIRONMENT;
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + "=" + value + ": the number of crypto workers must be 1 to 1024");
    }

    /** Crypto workers: 1 when the reading threads do the cryptography themselves. */
    public int workers() { return workers == null ? 1 : workers.size(); }

    /** A new thread context: its outbox and the core's out-parameters. */
    Lane newLane() {
        return new Lane(new Outbox(this, memory.newBatch(OUTBOX)));
    }

    /** Starts the threads. The device stays down until {@link #setLinkUp(boolean) the link is up}. */
    public void start() throws IOException {
        node.setMtu(tun.mtu());
        if (workers != null) {
            workers.start();
        }
        for (Thread t : threads) {
            t.start();
        }
    }

    /** Blocks until the device stopped (closed, or its TUN interface disappeared). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    // ---------------------------------------------------------------------------------------
    // Link state and configuration

    /** Follows the interface: up opens the UDP socket and starts the peers; down closes it (docs/protocol.md §3.6). */
    public void setLinkUp(boolean up) {
        synchronized (configLock) {
            if (up == linkUp || closed) {
                return;
            }
            if (up) {
                try {
                    openBind(listenPort);
                } catch (IOException e) {
                    log.error("Unable to update bind: %s", e.getMessage());
                    return;
                }
                linkUp = true;
                log.verbose("Interface state was Down, requested Up, now Up");
                node.setUp(true, configTransmit);
                configOutbox.flush();
            } else {
                linkUp = false;
                node.setUp(false, configTransmit);
                closeBind();
                log.verbose("Interface state was Up, requested Down, now Down");
            }
        }
    }

    public boolean isUp() { return linkUp; }

    /** Follows an MTU change of the interface (padding is clamped to it). */
    public void setMtu(int mtu) {
        node.setMtu(mtu);
    }

    /** The bound UDP port while up, else the configured one (0 = random). */
    public int listenPort() {
        Bind b = bind;
        return b != null ? b.port() : listenPort;
    }

    /** Sets the listen port; while up the socket is re-bound at once (docs/protocol.md §3.10). */
    public void setListenPort(int port) throws IOException {
        synchronized (configLock) {
            int old = listenPort;
            listenPort = port;
            if (linkUp && (bind == null || port == 0 || bind.port() != port)) {
                closeBind();
                try {
                    openBind(port);
                } catch (IOException e) {
                    listenPort = old;
                    try {
                        openBind(old);
                    } catch (IOException again) {
                        log.error("Unable to restore bind: %s", again.getMessage());
                    }
                    throw e;
                }
            }
        }
    }

    public int fwmark() { return fwmark; }

    /** Sets SO_MARK on the socket (0 clears it) and forgets every peer's sticky source (docs/protocol.md §3.10). */
    public void setFwmark(int mark) throws IOException {
        synchronized (configLock) {
            fwmark = mark;
            Bind b = bind;
            if (b != null) {
                b.setMark(mark);
            }
            for (Peer p : node.peers()) {
                endpointOf(p).clearSource();
            }
        }
    }

    private void openBind(int port) throws IOException {
        Bind b = opener.open(port);
        try {
            if (fwmark != 0) {
                b.setMark(fwmark);
            }
        } catch (IOException e) {
            b.close();
            throw e;
        }
        bind = b;
        listenPort = b.port(); // a random port, once chosen, is kept across down/up (like the kernel)
        LockSupport.unpark(threads[1]);
        log.verbose("UDP bind has been updated, listening on port %d", b.port());
    }

    private void closeBind() {
        Bind b = bind;
        bind = null;
        if (b != null) {
            try {
                b.close();
            } catch (IOException e) {
                log.error("Failed to close bind: %s", e.getMessage());
            }
        }
    }

    /** The runtime state of a peer, created on first use. */
    static PeerEndpoint endpointOf(Peer p) {
        if (p.attachment() instanceof PeerEndpoint pe) {
            return pe;
        }
        synchronized (p) {
            if (!(p.attachment() instanceof PeerEndpoint)) {
                p.attach(new PeerEndpoint());
            }
            return (PeerEndpoint) p.attachment();
        }
    }

    public Endpoint endpoint(Peer p) { return endpointOf(p).get(); }

    /** Sets the endpoint a configuration asks for (UAPI {@code endpoint=}), remembering when ({@link #endpointConfiguredAt}). */
    public void setEndpoint(Peer p, Endpoint e) {
        PeerEndpoint pe = endpointOf(p);
        pe.set(e);
        pe.configuredAt = clock.epochNanos();
    }

    /**
     * Moves the endpoint to where the peer's host name now resolves ({@link EndpointReresolver}):
     * not a configuration change, so {@link #endpointConfiguredAt} stays.
     */
    public void moveEndpoint(Peer p, Endpoint e) { endpointOf(p).set(e); }

    /** When a configuration last set the peer's endpoint ({@link Clock#epochNanos}), 0 if never. */
    public long endpointConfiguredAt(Peer p) { return endpointOf(p).configuredAt; }

    /** Transmit for configuration-time sends (keepalive when persistent keepalive is enabled, peers starting). */
    public Transmit configTransmit() { return configTransmit; }

    /** Sends what configuration changes queued (call after applying a UAPI request). */
    public void flushConfigSends() {
        synchronized (configOutbox) {
            configOutbox.flush();
        }
    }

    private final Transmit configTransmit = new Transmit() {
        @Override
        public void authenticated(Peer peer) {}

        @Override
        public boolean toPeer(Peer peer, byte[] buf, int off, int len) {
            synchronized (configOutbox) {
                return configOutbox.toPeer(peer, buf, off, len);
            }
        }

        @Override
        public void toSource(byte[] buf, int off, int len) {}

        @Override
        public void clearSource(Peer peer) { endpointOf(peer).clearSource(); }
    };

    // ---------------------------------------------------------------------------------------
    // Data paths (SendPath, ReceivePath): what they need from the device

    /** Writes all of {@code batch} to the TUN and empties it. */
    void writeTun(PacketBatch batch) {
        try {
            writeTun(batch, 0, batch.count());
        } finally {
            batch.clear();
        }
    }

    /** Writes the packets of slots {@code from..to-1} to the TUN (a failure is logged: they are dropped). */
    void writeTun(PacketBatch batch, int from, int to) {
        try {
            tun.write(batch, from, to);
        } catch (IOException e) {
            if (!closed) {
                log.error("Failed to write packets to TUN device: %s", e.getMessage());
            }
        }
    }

    /** Puts a copy of handshake message slot {@code i} (and where it came from) on the handshake queue. */
    void queueHandshake(PacketBatch in, int i) {
        if (!handshakes.offer(in, i)) {
            counters.countHandshakeQueueFull();
            node.markUnderLoad();
        }
    }

    private void handshakeWorker() {
        makeThreadCipherState();
        Lane lane = newLane();
        Outbox out = lane.out;
        PacketBatch ring = handshakes.batch();
        byte[] src4 = new byte[4];
        byte[] src6 = new byte[16];
        while (!closed) {
            int slot;
            try {
                slot = handshakes.take(); // close() interrupts
            } catch (InterruptedException e) {
                break;
            }
            if (slot < 0) {
                try {
                    prepareInitiations();
                } catch (RuntimeException e) {
                    // A peer's first packet then makes its initiation itself; the thread goes on.
                    log.error("Failed to prepare a handshake initiation: %s", e.getMessage());
                }
                continue;
            }
            try {
                node.reportHandshakeQueue(handshakes.size(), UNDER_LOAD_THRESHOLD);
                lane.from(ring, slot);
                byte[] src = ring.family(slot) == 4 ? src4 : src6;
                System.arraycopy(ring.remoteAddress(slot), 0, src, 0, src.length);
                byte[] message = handshakes.message(slot);
                Verdict v = node.decapsulate(message, 0, handshakes.length(slot), src, ring.remotePort(slot), lane, lane.received);
                counters.countHandshake(message[0], v);
                if (v == Verdict.HANDSHAKE && message[0] == Messages.TYPE_RESPONSE && lane.received.peer() != null) {
                    // Our handshake used the peer's prepared initiation: prepare the next one.
                    toPrepare.add(lane.received.peer());
                    handshakes.wakeForIdleWork();
                }
                if (log.verboseEnabled()) {
                    Peer p = lane.received.peer();
                    log.verbose("%s - Handshake message %s", p == null ? "unknown peer" : p.toString(), v);
                }
                out.flush();
            } finally {
                lane.from(null, 0);
                handshakes.release();
            }
        }
    }

    /**
     * Makes the calling thread's transport cipher state now, by sealing nothing under a throwaway
     * key. The handshake and timer threads seal packets held in arrays (those that waited for a
     * handshake; keepalives), and a backend with per-thread native state (OpenSSL's: a context and
     * zeroed staging memory) would otherwise make it for the first such packet, on the path of the
     * first ping.
     */
    private void makeThreadCipherState() {
        TransportAead t = null;
        try {
            t = aead.newTransportAead(new byte[32]);
            t.seal(0, new byte[0], 0, 0, new byte[TransportAead.TAG_LEN], 0);
        } catch (RuntimeException e) {
            // The first real packet meets the same failure and reports it; this thread goes on.
            log.error("Failed to set up the transport cipher of thread %s: %s", Thread.currentThread().getName(), e.getMessage());
        } finally {
            if (t != null) {
                t.destroy();
            }
        }
    }

    /**
     * Asks the handshake thread to prepare, when no handshake message waits, the next initiation of
     * every peer that has an endpoint ({@link Peer#prepareInitiation}); call after the
     * configuration changed. Returns at once.
     */
    public void prepareInitiationsSoon() {
        prepareAll = true;
        handshakes.wakeForIdleWork();
    }

    /**
     * The handshake thread's idle work: prepares the next initiation of the peers that completed a
     * handshake as initiator, and after a configuration change of every peer with an endpoint (a
     * peer without one cannot initiate). One peer at a time; it stops as soon as a handshake
     * message waits, and goes on where it stopped when the queue is empty again.
     */
    private void prepareInitiations() {
        if (prepareAll) {
            prepareAll = false;
            for (Peer p : node.peers()) {
                if (endpointOf(p).get() != null) {
                    toPrepare.add(p);
                }
            }
        }
        for (var it = toPrepare.iterator(); it.hasNext() && !closed; ) {
            if (!handshakes.isEmpty()) {
                handshakes.wakeForIdleWork();
                return;
            }
            Peer p = it.next();
            it.remove();
            p.prepareInitiation();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Timers

    private void timerLoop() {
        makeThreadCipherState();
        Lane tx = newLane();
        Outbox out = tx.out;
        // Sleeps until the earliest deadline; a peer that sets an earlier one unparks this thread
        // (Node.setTimerWakeup), so an idle tunnel wakes it only when a timer is due.
        while (!closed) {
            try {
                node.tick(tx);
                out.flush();
            } catch (RuntimeException e) {
                log.error("Timer failure: %s", e);
            }
            long wake = node.nextTickAt();
            long now = clock.nanoTime();
            if (closed) {
                break;
            }
            if (wake == Node.NO_TICK) {
                LockSupport.park(this);
            } else if (wake - now > 0) {
                LockSupport.parkNanos(this, wake - now);
            }
        }
    }

    // ---------------------------------------------------------------------------------------

    void stopped() {
        closed = true;
        stopped.countDown();
        if (workers != null) {
            workers.interrupt();
        }
    }

    /**
     * Lets every thread see {@link #closed}: they park until an event, the handshake worker and the
     * crypto workers wait for a job, and a reading thread may wait for a free batch.
     */
    private void wakeThreads() {
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        threads[0].interrupt();
        threads[1].interrupt();
        threads[2].interrupt();
        if (workers != null) {
            workers.interrupt();
        }
    }

    /** Stops the threads, closes the socket and the TUN device, wipes keys. Idempotent. */
    @Override
    public void close() {
        synchronized (configLock) {
            if (closed && bind == null) {
                wakeThreads();
                stopped.countDown();
                return;
            }
            closed = true;
            node.setUp(false, configTransmit);
            closeBind();
        }
        try {
            tun.close();
        } catch (IOException e) {
            log.error("Failed to close TUN device: %s", e.getMessage());
        }
        wakeThreads();
        node.removeAllPeers();
        node.setPrivateKey(null);
        stopped.countDown();
    }

    @Override
    public String toString() { return "Device(" + name + ")"; }
}

