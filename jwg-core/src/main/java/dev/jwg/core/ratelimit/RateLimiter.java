package dev.jwg.core.ratelimit;

import java.util.Objects;

/**
 * Token-bucket rate limiter for handshake messages from one source address, consulted only while
 * the device is under load and only for messages that carry a valid mac2 (docs/protocol.md §3.8).
 *
 * <p>Each source may send {@value #PACKETS_PER_SECOND} packets per second with bursts of
 * {@value #PACKETS_BURSTABLE}. The bucket holds time: it fills at one nanosecond per nanosecond up
 * to {@code 5 × 50 ms} and a packet costs 50 ms. A source is an IPv4 address, or the /64 of an
 * IPv6 address as in the kernel (one IPv6 host usually owns a whole /64; wireguard-go keys on the
 * full address instead).
 *
 * <p>Entries idle for more than one second are dropped by {@link #sweep(long)}, which the device
 * calls about once a second, like the kernel's garbage-collection work. The table holds at most
 * {@link #MAX_ENTRIES} sources; while it is full, packets from new sources are refused, as the
 * kernel does when its table is full.
 *
 * <p>The table is an open-addressing hash with linear probing, keyed by a seeded mix of the
 * address so that an attacker who does not know the seed cannot aim spoofed sources at one chain.
 * {@link #allow} does not allocate except when the table grows.
 *
 * <p><b>Thread-safe</b>: all methods lock the instance. Time is the caller's monotonic clock in
 * nanoseconds ({@link dev.jwg.core.Clock#nanoTime()}); only differences matter.
 */
public final class RateLimiter {

    /** Sustained packets per second allowed per source. */
    public static final int PACKETS_PER_SECOND = 20;
    /** Packets a source may send at once after being quiet. */
    public static final int PACKETS_BURSTABLE = 5;
    /** Upper bound on the number of sources tracked at once. */
    public static final int MAX_ENTRIES = 1 << 16;
    /** Entries not seen for longer than this are removed by {@link #sweep(long)}. */
    public static final long IDLE_TIMEOUT_NANOS = 1_000_000_000L;

    private static final long PACKET_COST = 1_000_000_000L / PACKETS_PER_SECOND;
    private static final long TOKEN_MAX = PACKET_COST * PACKETS_BURSTABLE;

    private static final byte EMPTY = 0;
    private static final byte V4 = 4;
    private static final byte V6 = 6;
    private static final int MIN_CAPACITY = 64;

    private final long seed;
    private final Object lock = new Object();

    // Parallel arrays, one slot per entry; family[i] == EMPTY marks a free slot.
    private byte[] family;
    private long[] keys;
    private long[] tokens;
    private long[] lastSeen;
    private int size;

    /** Creates a limiter with a fixed hash seed; prefer {@link #RateLimiter(long)} with a random seed. */
    public RateLimiter() {
        this(0x5DEE_CE66_D1CE_4E5BL);
    }

    /**
     * Creates a limiter whose hash table is keyed by {@code hashSeed}; pass a random value so
     * sources cannot be chosen to collide.
     */
    public RateLimiter(long hashSeed) {
        this.seed = hashSeed;
        allocate(MIN_CAPACITY);
    }

    /**
     * Decides whether one handshake message from the given source may be processed now, and
     * charges the source's bucket if so.
     *
     * @param nowNanos current monotonic time
     * @param addr buffer holding the source address in network byte order
     * @param off offset of the address in {@code addr}
     * @param len 4 for IPv4 or 16 for IPv6
     * @return {@code true} to process the message, {@code false} to drop it
     * @throws IllegalArgumentException if {@code len} is neither 4 nor 16
     * @throws IndexOutOfBoundsException if the address does not fit in {@code addr}
     */
    public boolean allow(long nowNanos, byte[] addr, int off, int len) {
        byte fam;
        long key;
        if (len == 4 || len == 16) {
            Objects.checkFromIndexSize(off, len, addr.length);
        }
        if (len == 4) {
            fam = V4;
            key = readBigEndian(addr, off, 4);
        } else if (len == 16) {
            fam = V6;
            key = readBigEndian(addr, off, 8); // the /64
        } else {
            throw new IllegalArgumentException("address length must be 4 or 16, got " + len);
        }
        synchronized (lock) {
            int mask = keys.length - 1;
            int i = slot(fam, key, mask);
            while (family[i] != EMPTY) {
                if (family[i] == fam && keys[i] == key) {
                    long elapsed = Math.clamp(nowNanos - lastSeen[i], 0, TOKEN_MAX);
                    long t = Math.min(tokens[i] + elapsed, TOKEN_MAX);
                    lastSeen[i] = nowNanos;
                    if (t >= PACKET_COST) {
                        tokens[i] = t - PACKET_COST;
                        return true;
                    }
                    tokens[i] = t;
                    return false;
                }
                i = (i + 1) & mask;
            }
            if (size >= MAX_ENTRIES) {
                return false;
            }
            family[i] = fam;
            keys[i] = key;
            tokens[i] = TOKEN_MAX - PACKET_COST; // a new source starts full and pays for this packet
            lastSeen[i] = nowNanos;
            size++;
            if (size * 2 > keys.length) {
                rehash(keys.length * 2);
            }
            return true;
        }
    }

    /**
     * Removes every source not seen for more than {@link #IDLE_TIMEOUT_NANOS}, and shrinks the
     * table when it has become mostly empty. A removed source starts with a full bucket again.
     * Works in place; allocates only when shrinking.
     */
    public void sweep(long nowNanos) {
        synchronized (lock) {
            int mask = keys.length - 1;
            // Start just after an empty slot (there always is one: the load stays at most 1/2).
            // Backward-shift deletion never moves an entry across an empty slot, so one lap from
            // there sees every entry, provided a slot is examined again after a deletion refills it.
            int start = 0;
            while (family[start] != EMPTY) {
                start++;
            }
            int i = (start + 1) & mask;
            for (int seen = 1; seen < keys.length; ) {
                if (family[i] != EMPTY && nowNanos - lastSeen[i] > IDLE_TIMEOUT_NANOS) {
                    deleteAt(i);
                    size--;
                    continue; // slot i may now hold an entry shifted back from further on
                }
                i = (i + 1) & mask;
                seen++;
            }
            int capacity = keys.length;
            while (capacity > MIN_CAPACITY && size * 8 < capacity) {
                capacity >>= 1;
            }
            if (capacity != keys.length) {
                rehash(capacity);
            }
        }
    }

    /** Empties slot {@code hole}, shifting later entries of its probe cluster back (linear probing). */
    private void deleteAt(int hole) {
        int mask = keys.length - 1;
        int j = hole;
        while (true) {
            j = (j + 1) & mask;
            if (family[j] == EMPTY) {
                break;
            }
            int home = slot(family[j], keys[j], mask);
            // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                family[hole] = family[j];
                keys[hole] = keys[j];
                tokens[hole] = tokens[j];
                lastSeen[hole] = lastSeen[j];
                hole = j;
            }
        }
        family[hole] = EMPTY;
    }

    /** Number of sources currently tracked. */
    public int size() {
        synchronized (lock) {
            return size;
        }
    }

    private void rehash(int capacity) {
        byte[] oldFamily = family;
        long[] oldKeys = keys;
        long[] oldTokens = tokens;
        long[] oldLast = lastSeen;
        allocate(capacity);
        int mask = capacity - 1;
        int n = 0;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldFamily[j] != EMPTY) {
                int i = slot(oldFamily[j], oldKeys[j], mask);
                while (family[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                family[i] = oldFamily[j];
                keys[i] = oldKeys[j];
                tokens[i] = oldTokens[j];
                lastSeen[i] = oldLast[j];
                n++;
            }
        }
        size = n;
    }

    private void allocate(int capacity) {
        family = new byte[capacity];
        keys = new long[capacity];
        tokens = new long[capacity];
        lastSeen = new long[capacity];
    }

    private int slot(byte fam, long key, int mask) {
        // Seeded 64-bit finaliser (SplitMix64 / MurmurHash3 style); not a PRF, but the seed is secret.
        long h = key ^ seed ^ ((long) fam << 59);
        h = (h ^ (h >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D0_49BB_1331_11EBL;
        h ^= seed >>> 7;
        h = (h ^ (h >>> 31)) * 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 29;
        return (int) h & mask;
    }

    private static long readBigEndian(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
