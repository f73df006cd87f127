package dev.jwg.device.tuning;

import dev.jwg.core.Clock;
import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.Protocol;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.routing.IpPrefix;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.device.Device;
import dev.jwg.device.Log;
import dev.jwg.device.io.Bind;
import dev.jwg.device.io.Endpoint;
import dev.jwg.device.io.TunDevice;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Runs packets through two private devices, built from the same classes as the real one, until
 * the JIT has compiled the data path, so that the first packets of an idle tunnel are not
 * interpreted.
 *
 * <p><b>Why.</b> A tunnel that carries little traffic never reaches the JIT's compile thresholds on
 * its own, and an interpreted data path makes every packet of an idle tunnel several times slower
 * than a busy one's. The glue (FFM downcalls, memory access, batches, the device's loops) costs as
 * much as the cryptography, so the whole device is warmed, not only the protocol core (figures in
 * docs/performance.md ("Measurements behind design choices")).
 *
 * <p><b>How.</b> Two {@link Device}s, each with a fresh key and the other as its only peer, run
 * on I/O from an {@link Io}: for jwgd, a {@code LinuxTun} over one end of a Unix socket pair
 * (message boundaries like a TUN, the same virtio header) and {@code LinuxUdpBind}s bound to the
 * loopback address; in tests, memory. This thread plays the kernel at both far ends: it puts
 * packets (ICMP, TCP and UDP, IPv4 and IPv6, alone and in bursts) into device A's TUN, takes them
 * out of B's after they went through A's encryption, the UDP sockets and B's decryption, and sends
 * each back the same way with its addresses swapped; now and then it also hands A a packet that no
 * peer takes, as the kernel does on an idle link ({@link #STRAY_EVERY}). The real device's code
 * paths, receiver types and branches are what the JIT sees, so what it compiles is what the real
 * device needs. Code compiled for branches the warm-up never took is thrown back to the
 * interpreter when the real device takes them, and at idle rates it is not compiled again for
 * minutes; so the warm-up also does what a real device does once or now and then: it runs short
 * lives of fresh device pairs (first handshake, first send without a sticky source, ...) and makes
 * the devices' clock jump (keepalives, re-keying, expired keys).
 *
 * <p><b>Two sizes.</b> {@link #run()} is the full warm-up, seconds long: the training run of the
 * daemon's ahead-of-time cache runs it, and the cache keeps the method profiles it left (JEP 515),
 * so the JIT of a later daemon compiles with them instead of profiling first. {@link #runBrief()}
 * is what the daemon runs at start, before it reports ready: four short lives, enough to
 * initialise every class of the data path, take each first-time branch once and carry enough
 * lone packets that the JIT's optimising compiler takes on the one-packet path, in a fraction of
 * a second. The warm-up never runs beside live traffic: it would compete
 * with the first packets for the CPU, and its garbage would make the collector stop every thread,
 * live packets included.
 *
 * <p><b>No side effects.</b> The devices, keys and sockets are the warm-up's own and are closed at
 * the end; no interface is created, and nothing reaches a network: the TUNs are socket pairs, and
 * the daemon's sockets live in a network namespace of their own (see {@code LinuxWarmupIo}).
 * {@code JWG_WARMUP=0} (or {@code -Djwg.warmup=false}) turns it off.
 *
 * <p>Not thread-safe; {@link #run} once per instance.
 */
public final class Warmup {
    /** The private I/O a warm-up runs on. Implementations must not touch any real interface or network. */
    public interface Io {
        /** A fresh TUN-like device with its far end. */
        Wire openWire(String name, int mtu) throws IOException;

        /** A fresh UDP socket reachable only from this host, on a port the system picks. */
        Bind openBind() throws IOException;

        /** The address (4 or 16 bytes) where the binds of {@link #openBind} are reached. */
        byte[] bindAddress();
    }

    /** A TUN-like device and its far end, where the kernel would be. */
    public interface Wire extends Closeable {
        /** What the device reads and writes. */
        TunDevice device();

        /** Hands the device an IP packet, as the kernel hands a TUN what is routed to it. */
        void inject(byte[] buf, int off, int len) throws IOException;

        /**
         * Takes the next packet the device wrote into {@code buf} at {@code off}; returns its length,
         * or -1 when none came within {@code timeoutMillis}.
         */
        int collect(byte[] buf, int off, int timeoutMillis) throws IOException;
    }

    /**
     * Every this many round trips the warm-up devices' clock jumps ahead by the next of
     * {@link #JUMPS}, so that what an idle tunnel goes through happens here too: keepalives,
     * re-keying, expired keys and fresh handshakes, and the first packet on a new key. Without
     * it the JIT compiled those branches as never taken, and the real tunnel's first handshake
     * and first packets threw the compiled send and receive paths back to the interpreter.
     */
    private static final int JUMP_EVERY = 100;
    private static final long SECOND = 1_000_000_000L;
    /** Past the passive keepalive, past REKEY_AFTER_TIME, past REJECT_AFTER_TIME (whitepaper §6.1–6.5). */
    private static final long[] JUMPS = {
        Protocol.KEEPALIVE_TIMEOUT + SECOND,
        Protocol.REKEY_AFTER_TIME + SECOND,
        Protocol.KEEPALIVE_TIMEOUT + SECOND,
        Protocol.REJECT_AFTER_TIME + SECOND,
    };

    /**
     * Round trips per pair of fresh devices. A real device does some things only once (its first
     * send on a new socket, to an endpoint without a sticky source, its first handshake, with the
     * first packet waiting for it); a warm-up pair that lived for all the rounds did them only
     * once too, the JIT compiled them as never happening, and the real device's first packets
     * deoptimised {@code LinuxUdpBind.send}, {@code MessageArray.setForSend} and
     * {@code Peer.encapsulate}. Several short lives make them ordinary.
     */
    private static final int SESSION_ROUNDS = 4_000;

    /**
     * Round trips of {@link #runBrief}: lives of 64, 128, 256 and 512 round trips, the last two
     * with passive keepalives and a re-key, the fourth also with expired keys ({@link #JUMPS},
     * one every {@link #JUMP_EVERY} round trips of a life); what a fresh tunnel does
     * in its first minutes, in a fraction of a second. With three lives the one-packet path was
     * still left to the quick compiler at ready, and the first pings paid for it while the
     * optimising compiler caught up (docs/performance.md, "Warm from the first packet").
     */
    static final int BRIEF_ROUNDS = 64 + 128 + 256 + 512;
    /** Round trips of {@link #runSettle}: the first life of a run, short enough to stay on the real clock. */
    static final int SETTLE_ROUNDS = 64;
    /** At most this long at start (it usually needs a fraction). */
    static final long BRIEF_BUDGET_NANOS = 1_500_000_000L;
    /** At most this many round trips (the time budget usually ends the run first). */
    static final int MAX_ROUNDS = 50_000;
    /** At most this long: about one core for 3 s, plus what the JIT compiles meanwhile. */
    static final long BUDGET_NANOS = 3_000_000_000L;
    /** The largest packet sent: a full one at the default MTU. */
    private static final int MAX_PACKET = 1420;
    private static final int MTU = 1420;
    /** Waiting for a session's first packet covers its first handshake; later ones come in microseconds. */
    private static final int FIRST_TIMEOUT_MILLIS = 5_000;
    private static final int TIMEOUT_MILLIS = 250;
    /**
     * Packets lost in a row after which the warm-up gives up (something is broken). Losses happen:
     * when the clock jumps, both devices' timers may start a handshake at once, and crossing
     * initiations can cancel each other until REKEY_TIMEOUT retries one (wireguard-go and the
     * kernel behave alike); the warm-up then jumps the clock past that timeout.
     */
    private static final int MAX_LOST = 64;

    /** Packet kinds sent: {IP version, protocol, length}. */
    private static final int[][] KINDS = {
        {4, 1, 84},     // ping
        {4, 6, 52},     // TCP ACK
        {6, 58, 104},   // ping6
        {4, 17, 1420},  // full-size UDP
        {4, 6, 1420},   // full-size TCP segment
        {6, 6, 72},     // TCP ACK over IPv6
    };
    /**
     * Packets per round trip, in turn: mostly single packets (an idle tunnel), some bursts. Bursts
     * stay small: every batch slot a burst reaches is a 64 KiB buffer the devices keep.
     */
    private static final int[] BURSTS = {1, 1, 1, 2, 1, 1, 1, 4};

    /**
     * Every this many round trips A's far end also hands A a packet that no peer's allowed IPs
     * cover and that gets no answer, as the kernel does on an idle tunnel: router solicitations
     * to ff02::2 (repeated, further and further apart, for as long as the link is up) and IPv4
     * multicast. Without them the compiled TUN path has never seen a packet without a peer, and a
     * solicitation on a real idle tunnel throws it back to the interpreter.
     */
    static final int STRAY_EVERY = 32;

    private static final byte[] A4 = {10, (byte) 255, 0, 1};
    private static final byte[] B4 = {10, (byte) 255, 0, 2};
    private static final byte[] A6 = v6(1);
    private static final byte[] B6 = v6(2);

    private final Io io;
    private final Clock clock;
    private final WarpClock warp;
    private final RandomGenerator rng;
    private final AeadBackend aead;
    private final int workers;
    private final String name;
    private final byte[][] packets = new byte[8][MAX_PACKET];
    private final int[] lengths = new int[8];
    private final byte[] stray = new byte[48];

    /**
     * @param name prefix of the warm-up devices' names (their threads are named after them)
     * @param rng for the devices' keys and handshakes, as the real device's
     */
    public Warmup(String name, Io io, Clock clock, RandomGenerator rng) {
        this(name, io, clock, rng, AeadBackend.JDK);
    }

    /**
     * @param aead the transport AEAD the real device uses, so that the code warmed is the code run
     */
    public Warmup(String name, Io io, Clock clock, RandomGenerator rng, AeadBackend aead) {
        this(name, io, clock, rng, aead, 1);
    }

    /**
     * @param aead the transport AEAD the real device uses, so that the code warmed is the code run
     * @param workers the real device's crypto workers ({@link Device#workers()}), for the same reason
     */
    public Warmup(String name, Io io, Clock clock, RandomGenerator rng, AeadBackend aead, int workers) {
        this.workers = workers;
        this.aead = aead;
        this.name = name;
        this.io = io;
        this.clock = clock;
        this.warp = new WarpClock(clock);
        this.rng = rng;
    }

    /**
     * How much warming up the daemon does before it reports ready, from {@code -Djwg.warmup} or
     * else {@code JWG_WARMUP}.
     */
    public enum Mode {
        /** None ({@code 0}, {@code false}, {@code off}). */
        OFF,
        /** {@link #runBrief} (the default; {@code 1}, {@code true}, {@code on}, {@code brief}). */
        BRIEF,
        /**
         * {@link #runBrief}, then waiting until the JIT has compiled what it queued, then
         * {@link #runSettle} ({@code full}): the first packets find the final code, for a later
         * ready (docs/performance.md, "What C2 still compiles after ready").
         */
        FULL;

        /** The mode a setting names (case ignored), {@link #BRIEF} when unset, null when not understood. */
        public static Mode parse(String setting) {
            if (setting == null) {
                return BRIEF;
            }
            return switch (setting.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "0", "false", "off" -> OFF;
                case "1", "true", "on", "brief", "" -> BRIEF;
                case "full" -> FULL;
                default -> null;
            };
        }
    }

    /** The warm-up setting as given: {@code -Djwg.warmup}, else {@code JWG_WARMUP}, else null. */
    public static String setting() {
        String p = System.getProperty("jwg.warmup");
        return p != null ? p : System.getenv("JWG_WARMUP");
    }

    /** When to stop: asked after every round trip with the number done so far. */
    interface Stop {
        boolean done(int rounds);
    }

    /** A fixed number of round trips or a time budget, whichever ends first. */
    Stop fixed(int rounds, long budgetNanos) {
        long deadline = clock.nanoTime() + budgetNanos;
        return r -> r >= rounds || clock.nanoTime() - deadline >= 0;
    }

    /**
     * Sends packets through the two private devices and back, up to {@code rounds} round trips or
     * until {@code budgetNanos} have passed, then closes everything it opened.
     *
     * @return how many packets came out at a far end (each packet of a round trip counts twice)
     * @throws IOException when the I/O cannot be set up
     */
    public int run() throws IOException {
        return run(MAX_ROUNDS, BUDGET_NANOS);
    }

    /**
     * The daemon's warm-up at start (see the class comment): the first {@link #BRIEF_ROUNDS}
     * round trips of {@link #run()}, four short lives of device pairs, at most
     * {@link #BRIEF_BUDGET_NANOS}.
     */
    public int runBrief() throws IOException {
        return run(BRIEF_ROUNDS, BRIEF_BUDGET_NANOS);
    }

    /**
     * One more short life on fresh devices, on the clock the daemon gave ({@link #SETTLE_ROUNDS}
     * round trips): after the JIT replaced the code the brief warm-up ran, the new code's calls
     * are linked here, not by the first real packets.
     */
    public int runSettle() throws IOException {
        return run(SETTLE_ROUNDS, BRIEF_BUDGET_NANOS);
    }

    /** Like {@link #run()}, with other limits. */
    public int run(int rounds, long budgetNanos) throws IOException {
        return run(fixed(rounds, budgetNanos));
    }

    private int run(Stop stop) throws IOException {
        int[] done = new int[1];
        int delivered = 0;
        for (int s = 0; !stop.done(done[0]); s++) {
            delivered += session(done, stop, sessionRounds(s));
        }
        return delivered;
    }

    /**
     * Rounds of session {@code s}: short lives first (64, 128, ... round trips), so that what a
     * device does once is in the JIT's profiles before it compiles, then {@link #SESSION_ROUNDS}.
     */
    static int sessionRounds(int s) {
        return s < 6 ? 64 << s : SESSION_ROUNDS;
    }

    /**
     * One tunnel's life on fresh devices: configured, up, the first packet waiting for the first
     * handshake, traffic with the clock jumping ahead, closed. Returns the packets delivered.
     */
    private int session(int[] done, Stop stop, int rounds) throws IOException {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Wire wa = open(opened, io.openWire(name + "-wa", MTU));
            Wire wb = open(opened, io.openWire(name + "-wb", MTU));
            Clock c = warps(rounds) ? warp : clock;
            Device a = device(opened, name + "-wa", wa, c);
            Device b = device(opened, name + "-wb", wb, c);
            connect(a, b, B4, B6);
            connect(b, a, A4, A6);
            return pingPong(wa, wb, rounds, done, stop);
        } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception ignored) {
                    // closing private resources: nothing to do about a failure
                }
            }
        }
    }

    /**
     * Whether a life of {@code rounds} round trips runs on the jumping clock: only a life long
     * enough to see a jump does. The first, shorter life runs on the clock the warm-up was given,
     * the real device's: the code that asks a device's clock for the time then sees both clocks'
     * classes, and the JIT does not compile it for the jumping one alone (code compiled so would be
     * thrown back to the interpreter by the real device's first packets).
     */
    static boolean warps(int rounds) {
        return rounds > JUMP_EVERY;
    }

    private static <T extends AutoCloseable> T open(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    /** A started device on {@code wire} with a fresh key, up (its socket open). */
    private Device device(List<AutoCloseable> opened, String deviceName, Wire wire, Clock c) throws IOException {
        Device d = open(opened, new Device(deviceName, wire.device(), port -> io.openBind(), c, rng, SILENT, aead, workers));
        d.node().setPrivateKey(PrivateKey.generate(rng));
        d.start();
        d.setLinkUp(true);
        if (!d.isUp()) {
            throw new IOException("warm-up device " + deviceName + " has no socket");
        }
        return d;
    }

    /** Makes {@code to} a peer of {@code from}, reached at its socket, with the tunnel addresses {@code to4} and {@code to6}. */
    private void connect(Device from, Device to, byte[] to4, byte[] to6) {
        Peer p = from.node().addPeer(to.node().publicKey().orElseThrow(), from.configTransmit()).orElseThrow();
        byte[] addr = io.bindAddress();
        from.setEndpoint(p, new Endpoint(addr.length == 4 ? 4 : 6, addr, to.listenPort(), 0, null, 0));
        from.node().allowedIps().insert(IpPrefix.of(to4, 32), p);
        from.node().allowedIps().insert(IpPrefix.of(to6, 128), p);
        p.precomputeHandshake();
        p.prepareInitiation(); // as a configured device's handshake thread does before the first packet
    }

    /** {@code rounds} round trips on one pair of devices, counted in {@code done[0]}, unless {@code stop} says so first. */
    private int pingPong(Wire wa, Wire wb, int rounds, int[] done, Stop stop) throws IOException {
        int delivered = 0;
        int lost = 0;
        int timeout = FIRST_TIMEOUT_MILLIS;
        for (int r = 0; r < rounds && !stop.done(done[0]); r++, done[0]++) {
            if (r > 0 && r % JUMP_EVERY == 0) {
                warp.jump(JUMPS[(r / JUMP_EVERY - 1) % JUMPS.length]);
            }
            if (r % STRAY_EVERY == STRAY_EVERY / 2) {
                wa.inject(stray, 0, stray(stray, r / STRAY_EVERY));
            }
            int burst = BURSTS[r % BURSTS.length];
            for (int k = 0; k < burst; k++) {
                int[] kind = KINDS[(r + k) % KINDS.length];
                lengths[k] = packet(packets[k], kind[0], kind[1], kind[2], r);
                wa.inject(packets[k], 0, lengths[k]);
            }
            // B's far end: every packet that came through is answered, addresses swapped.
            int got = 0;
            for (int k = 0; k < burst; k++) {
                int len = wb.collect(packets[got], 0, timeout);
                if (len < 0) {
                    break;
                }
                lengths[got++] = len;
            }
            for (int k = 0; k < got; k++) {
                swapAddresses(packets[k]);
                wb.inject(packets[k], 0, lengths[k]);
            }
            int back = 0;
            for (int k = 0; k < got; k++) {
                if (wa.collect(packets[k], 0, timeout) < 0) {
                    break;
                }
                back++;
            }
            delivered += got + back;
            if (got + back == 2 * burst) {
                lost = 0;
            } else {
                lost += 2 * burst - got - back;
                if (lost > MAX_LOST) {
                    throw new IOException("warm-up packets lost after " + delivered + " delivered");
                }
                warp.jump(Protocol.REKEY_TIMEOUT + Protocol.REKEY_TIMEOUT_JITTER_MAX); // the handshake retry is due
            }
            timeout = TIMEOUT_MILLIS;
        }
        return delivered;
    }

    /**
     * An IP packet of {@code len} bytes from A to B: header with the right version, length,
     * protocol and addresses; the rest is whatever the buffer held. Returns {@code len}.
     */
    static int packet(byte[] b, int version, int protocol, int len, int sequence) {
        if (version == 4) {
            b[0] = 0x45;
            b[1] = 0;
            b[2] = (byte) (len >>> 8);
            b[3] = (byte) len;
            b[4] = (byte) (sequence >>> 8);
            b[5] = (byte) sequence;
            b[6] = 0x40; // DF
            b[7] = 0;
            b[8] = 64;
            b[9] = (byte) protocol;
            System.arraycopy(A4, 0, b, 12, 4);
            System.arraycopy(B4, 0, b, 16, 4);
            if (protocol == 6 && len >= 40) {
                b[32] = 0x50; // data offset: 5 words
                b[33] = 0x10; // ACK
            }
        } else {
            b[0] = 0x60;
            b[1] = 0;
            b[2] = 0;
            b[3] = 0;
            b[4] = (byte) ((len - 40) >>> 8);
            b[5] = (byte) (len - 40);
            b[6] = (byte) protocol;
            b[7] = 64;
            System.arraycopy(A6, 0, b, 8, 16);
            System.arraycopy(B6, 0, b, 24, 16);
            if (protocol == 6 && len >= 60) {
                b[52] = 0x50;
                b[53] = 0x10;
            }
        }
        return len;
    }

    /**
     * The {@code n}th stray packet (see {@link #STRAY_EVERY}) at {@code b[0]}, in turn an IPv6
     * router solicitation from A's link-local address to ff02::2 and an IPv4 mDNS query to
     * 224.0.0.251; returns its length.
     */
    static int stray(byte[] b, int n) {
        java.util.Arrays.fill(b, 0, 48, (byte) 0);
        if (n % 2 == 0) {
            b[0] = 0x60;
            b[5] = 8;           // payload: the ICMPv6 message
            b[6] = 58;          // ICMPv6
            b[7] = (byte) 255;  // hop limit of neighbour discovery
            b[8] = (byte) 0xfe;
            b[9] = (byte) 0x80;
            b[23] = 1;          // fe80::1
            b[24] = (byte) 0xff;
            b[25] = 2;
            b[39] = 2;          // ff02::2, all routers
            b[40] = (byte) 133; // router solicitation
            return 48;
        }
        b[0] = 0x45;
        b[3] = 40;              // 20 + 8 + 12
        b[8] = (byte) 255;
        b[9] = 17;              // UDP
        System.arraycopy(A4, 0, b, 12, 4);
        b[16] = (byte) 224;
        b[19] = (byte) 251;     // 224.0.0.251
        b[20] = 0x14;
        b[21] = (byte) 0xe9;    // source port 5353
        b[22] = 0x14;
        b[23] = (byte) 0xe9;    // destination port 5353
        b[25] = 20;             // UDP length
        return 40;
    }

    /** Swaps source and destination of an IPv4 or IPv6 packet: the far end's answer. */
    static void swapAddresses(byte[] b) {
        int at = (b[0] & 0xf0) == 0x40 ? 12 : 8;
        int size = at == 12 ? 4 : 16;
        for (int i = 0; i < size; i++) {
            byte t = b[at + i];
            b[at + i] = b[at + size + i];
            b[at + size + i] = t;
        }
    }

    private static byte[] v6(int last) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xfd;
        a[1] = 0x77;
        a[15] = (byte) last;
        return a;
    }

    /** The warm-up devices' clock: the real one plus an offset that only grows. Thread-safe. */
    private static final class WarpClock implements Clock {
        private final Clock base;
        private volatile long offset;

        WarpClock(Clock base) {
            this.base = base;
        }

        void jump(long nanos) {
            offset += nanos; // one writer: the warm-up thread
        }

        @Override
        public long nanoTime() { return base.nanoTime() + offset; }

        @Override
        public long epochNanos() { return base.epochNanos() + offset; }
    }

    private static final Log SILENT = new Log(Log.Level.SILENT, "warmup", new PrintStream(OutputStream.nullOutputStream()));
}
