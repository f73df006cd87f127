package dev.jwg.device;

import dev.jwg.core.Clock;
import dev.jwg.core.Protocol;
import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.tunnel.Node;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.core.tunnel.Received;
import dev.jwg.core.tunnel.Transmit;
import dev.jwg.core.tunnel.Verdict;
import dev.jwg.core.wire.Messages;
import dev.jwg.device.io.Bind;
import dev.jwg.device.io.DatagramBatch;
import dev.jwg.device.io.Endpoint;
import dev.jwg.device.io.PacketBatch;
import dev.jwg.device.io.TunDevice;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

/**
 * The runtime of one WireGuard interface: the protocol {@link Node} driven by a TUN device and a
 * UDP bind, with four threads.
 *
 * <pre>
 *  send:      TUN ──read batch──► route (allowed IPs) ──► Peer.send: encrypt in place ──► outbox ──sendmmsg──► UDP
 *                                      └─ no peer: ICMP unreachable back into the TUN
 *  receive:   UDP ──recvmmsg batch──► transport? ──► Node.receive: decrypt, replay, roam, source check ──► TUN
 *                                      └─ handshake / cookie ──► bounded queue ──► handshake thread ──► UDP
 *  timers:    timer thread ──► Node.tick (retransmit, keepalives, re-key, zeroing) ──► UDP
 * </pre>
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
     * Packets per TUN read, per UDP receive and per outbox flush. With offloads one TUN read can
     * return a 64 KiB super-packet split into ~48 MTU-sized packets (1368-byte MSS), and one UDP
     * receive a GRO train of up to 64 datagrams, so a batch holds a few of those (wireguard-go's
     * IdealBatchSize is 128 too). Slots keep room for a 64 KiB packet, as the MTU may change.
     */
    private static final int BATCH = 128;
    /** The timer thread's outbox: handshake initiations and keepalives only. */
    private static final int TIMER_BATCH = 32;
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
    private final Thread[] threads;
    private final Outbox configOutbox;
    private final DeviceCounters counters = new DeviceCounters();
    private final AeadBackend aead;

    /** A device whose transport sessions use the JDK's AEAD ({@link AeadBackend#JDK}). */
    public Device(String name, TunDevice tun, BindOpener opener, Clock clock, RandomGenerator rng, Log log) {
        this(name, tun, opener, clock, rng, log, AeadBackend.JDK);
    }

    /**
     * A device whose transport sessions use {@code aead}, normally the one
     * {@link dev.jwg.device.tuning.AeadSelector} chose at start-up.
     */
    public Device(String name, TunDevice tun, BindOpener opener, Clock clock, RandomGenerator rng, Log log, AeadBackend aead) {
        this.name = name;
        this.tun = tun;
        this.opener = opener;
        this.clock = clock;
        this.log = log;
        this.node = new Node(clock, rng, aead);
        this.aead = aead;
        this.configOutbox = new Outbox(this, 8);
        this.threads = new Thread[] {
            Thread.ofPlatform().name(name + "-tun-reader").daemon().unstarted(this::tunReader),
            Thread.ofPlatform().name(name + "-udp-receiver").daemon().unstarted(this::udpReceiver),
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

    /** Starts the worker threads. The device stays down until {@link #setLinkUp(boolean) the link is up}. */
    public void start() throws IOException {
        node.setMtu(tun.mtu());
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

    public void setEndpoint(Peer p, Endpoint e) { endpointOf(p).set(e); }

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
    // Send path: TUN → peers → UDP

    private void tunReader() {
        PacketBatch in = new PacketBatch(BATCH, Protocol.MAX_MESSAGE_SIZE - Messages.TRANSPORT_MIN_SIZE - Protocol.PADDING_MULTIPLE);
        PacketBatch icmp = new PacketBatch(4, 1280);
        Outbox out = new Outbox(this, BATCH);
        Transmit tx = new Transmit() {
            @Override
            public void authenticated(Peer peer) {}

            @Override
            public boolean toPeer(Peer peer, byte[] buf, int off, int len) { return out.toPeer(peer, buf, off, len); }

            @Override
            public void toSource(byte[] buf, int off, int len) {}

            @Override
            public void clearSource(Peer peer) { endpointOf(peer).clearSource(); }
        };
        int failures = 0;
        try {
            while (!closed) {
                int n;
                try {
                    n = tun.read(in);
                    failures = 0;
                } catch (IOException e) {
                    if (closed || ++failures > 10) {
                        log.error("Failed to read packet from TUN device: %s", e.getMessage());
                        break;
                    }
                    continue;
                }
                if (n < 0) {
                    if (!closed) {
                        log.verbose("TUN device %s is gone", name);
                    }
                    break;
                }
                counters.countBatch(DeviceCounters.Path.TUN_READ, n);
                send(in, n, icmp, out, tx);
            }
        } finally {
            stopped();
        }
    }

    /**
     * Routes and encrypts the {@code n} packets the TUN read, then sends them. A method of its own
     * (not the body of the reader's loop) so that it is compiled like any other: a loop that runs
     * once per idle packet would wait for on-stack replacement, and code compiled for another
     * device (the {@link dev.jwg.device.tuning.Warmup}'s) is used at once.
     */
    private void send(PacketBatch in, int n, PacketBatch icmp, Outbox out, Transmit tx) {
        for (int i = 0; i < n; i++) {
            byte[] buf = in.buffer(i);
            int off = in.offset(i);
            int len = in.length(i);
            Peer peer = node.route(buf, off, len);
            if (peer == null) {
                if (Icmp.unreachable(buf, off, len, icmp)) {
                    writeTun(icmp);
                }
                continue;
            }
            if (!linkUp) {
                // The TUN only hands us packets while the interface is up: don't drop
                // the first packets because the netlink event has not arrived yet.
                setLinkUp(true);
            }
            peer.encapsulate(buf, off, len, tx);
        }
        out.flush();
        in.clear();
    }

    private void writeTun(PacketBatch batch) {
        try {
            tun.write(batch);
        } catch (IOException e) {
            if (!closed) {
                log.error("Failed to write packets to TUN device: %s", e.getMessage());
            }
        } finally {
            batch.clear();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Receive path: UDP → transport (here) or handshake queue → TUN

    private void udpReceiver() {
        DatagramBatch in = new DatagramBatch(BATCH, Protocol.MAX_MESSAGE_SIZE);
        PacketBatch toTun = new PacketBatch(BATCH, Protocol.MAX_MESSAGE_SIZE - Messages.TRANSPORT_MIN_SIZE);
        Outbox out = new Outbox(this, BATCH);
        Received received = new Received();
        int[] current = new int[1];
        Transmit tx = new Transmit() {
            @Override
            public void authenticated(Peer peer) { endpointOf(peer).roam(in, current[0]); }

            @Override
            public boolean toPeer(Peer peer, byte[] buf, int off, int len) { return out.toPeer(peer, buf, off, len); }

            @Override
            public void toSource(byte[] buf, int off, int len) { out.toSourceOf(in, current[0], buf, off, len); }

            @Override
            public void clearSource(Peer peer) { endpointOf(peer).clearSource(); }
        };
        int failures = 0;
        while (!closed) {
            Bind b = bind;
            if (b == null) {
                LockSupport.park(this); // openBind() and close() unpark
                continue;
            }
            int n;
            try {
                n = b.receive(in);
                failures = 0;
            } catch (IOException e) {
                if (b != bind || closed) {
                    continue;
                }
                if (++failures > 10) {
                    log.error("Failed to receive packets: %s", e.getMessage());
                    LockSupport.parkNanos(100_000_000L);
                }
                continue;
            }
            if (n < 0) {
                if (b == bind && !closed) {
                    LockSupport.parkNanos(10_000_000L);
                }
                continue;
            }
            counters.countBatch(DeviceCounters.Path.UDP_RECEIVE, n);
            receive(in, n, toTun, out, tx, received, current);
        }
    }

    /**
     * Decrypts the {@code n} datagrams received (queueing handshake messages), writes what they
     * carried to the TUN and sends what they caused. A method of its own, as {@link #send}.
     */
    private void receive(DatagramBatch in, int n, PacketBatch toTun, Outbox out, Transmit tx, Received received,
            int[] current) {
        for (int i = 0; i < n; i++) {
            current[0] = i;
            byte[] buf = in.buffer(i);
            int off = in.offset(i);
            int len = in.length(i);
            int type = Messages.typeOf(buf, off, len);
            if (type == Messages.TYPE_TRANSPORT) {
                Verdict v = node.decapsulate(buf, off, len, NO_SOURCE, in.remotePort(i), tx, received);
                if (v == Verdict.DELIVER) {
                    int slot = toTun.count();
                    System.arraycopy(buf, received.offset(), toTun.buffer(slot), PacketBatch.HEADROOM, received.length());
                    toTun.set(slot, PacketBatch.HEADROOM, received.length());
                    toTun.setCount(slot + 1);
                } else if (v.isDrop()) {
                    counters.countDrop(v);
                    if (log.verboseEnabled()) {
                        log.verbose("Dropped transport packet: %s", v);
                    }
                }
            } else if (type != 0) {
                queueHandshake(in, i);
            } else {
                counters.countDrop(Verdict.DROP_MALFORMED);
            }
        }
        if (toTun.count() > 0) {
            writeTun(toTun);
        }
        out.flush();
        in.clear();
    }

    private void queueHandshake(DatagramBatch in, int i) {
        if (!handshakes.offer(in, i)) {
            counters.countHandshakeQueueFull();
            node.markUnderLoad();
        }
    }

    private void handshakeWorker() {
        Outbox out = new Outbox(this, 8);
        Received received = new Received();
        DatagramBatch ring = handshakes.batch();
        int[] current = new int[1];
        Transmit tx = new Transmit() {
            @Override
            public void authenticated(Peer peer) { endpointOf(peer).roam(ring, current[0]); }

            @Override
            public boolean toPeer(Peer peer, byte[] buf, int off, int len) { return out.toPeer(peer, buf, off, len); }

            @Override
            public void toSource(byte[] buf, int off, int len) { out.toSourceOf(ring, current[0], buf, off, len); }

            @Override
            public void clearSource(Peer peer) { endpointOf(peer).clearSource(); }
        };
        byte[] src4 = new byte[4];
        byte[] src6 = new byte[16];
        while (!closed) {
            int slot;
            try {
                slot = handshakes.take(); // close() interrupts
            } catch (InterruptedException e) {
                break;
            }
            try {
                node.reportHandshakeQueue(handshakes.size(), UNDER_LOAD_THRESHOLD);
                current[0] = slot;
                byte[] src = ring.family(slot) == 4 ? src4 : src6;
                System.arraycopy(ring.remoteAddress(slot), 0, src, 0, src.length);
                Verdict v = node.decapsulate(ring.buffer(slot), ring.offset(slot), ring.length(slot), src,
                        ring.remotePort(slot), tx, received);
                counters.countHandshake(ring.buffer(slot)[ring.offset(slot)], v);
                if (log.verboseEnabled()) {
                    Peer p = received.peer();
                    log.verbose("%s - Handshake message %s", p == null ? "unknown peer" : p.toString(), v);
                }
                out.flush();
            } finally {
                handshakes.release();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Timers

    private void timerLoop() {
        Outbox out = new Outbox(this, TIMER_BATCH);
        Transmit tx = new Transmit() {
            @Override
            public void authenticated(Peer peer) {}

            @Override
            public boolean toPeer(Peer peer, byte[] buf, int off, int len) { return out.toPeer(peer, buf, off, len); }

            @Override
            public void toSource(byte[] buf, int off, int len) {}

            @Override
            public void clearSource(Peer peer) { endpointOf(peer).clearSource(); }
        };
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

    private void stopped() {
        closed = true;
        stopped.countDown();
    }

    /** Lets every thread see {@link #closed}: they park until an event, and the handshake worker waits for a job. */
    private void wakeThreads() {
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        threads[2].interrupt();
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
