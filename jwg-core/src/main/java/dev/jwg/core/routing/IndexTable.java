package dev.jwg.core.routing;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.random.RandomGenerator;

/**
 * The receiver-index table (docs/protocol.md §1.7, kernel {@code peerlookup.c}): maps the random
 * 32-bit indices we hand out as "sender" in handshake messages to the local object an incoming
 * message is for (a pending handshake, later its keypair). Every transport packet is dispatched
 * through {@link #get(int)}.
 *
 * <p>An index is any {@code int}, negative values and zero included. {@link #allocate} draws from
 * the caller's generator until it finds an index not in use, so indices are unpredictable and
 * unique within the table.
 *
 * <p>Layout: open addressing with linear probing over an {@link AtomicReferenceArray} of
 * immutable {@code (index, value)} entries, so a reader always sees an index and its value
 * together. Removal leaves a tombstone (entries never move while readers may be probing); when
 * entries and tombstones fill half the array, the writer builds a new array and publishes it with
 * one volatile write, so a reader keeps a consistent array for its whole probe.
 *
 * <p><b>Thread-safety</b>: {@link #get} is lock-free and allocation-free (no boxing) and may be
 * called from any number of threads; mutations are serialised by a lock. A reader racing a
 * mutation sees the table before or after it: in particular it may still obtain a value that is
 * being removed, so values must tolerate use just after removal (as keypairs do, whose keys are
 * checked again by the caller).
 *
 * @param <T> the value type; values are compared by identity and must not be null
 */
public final class IndexTable<T> {

    private record Entry(int index, Object value) {}

    /** Marks a removed entry; probes continue past it. */
    private static final Entry TOMBSTONE = new Entry(0, null);
    private static final int MIN_CAPACITY = 16;
    /** Give up allocating after this many draws that were all in use: the generator is broken. */
    private static final int MAX_DRAWS = 1 << 16;
    /** Refuse to grow past this many entries (kernel and wireguard-go peers × keypairs stay far below). */
    public static final int MAX_ENTRIES = 1 << 24;

    private final Object lock = new Object();
    private volatile AtomicReferenceArray<Entry> table = new AtomicReferenceArray<>(MIN_CAPACITY);
    /** Live entries; guarded by {@link #lock}. */
    private int live;
    /** Live entries plus tombstones; guarded by {@link #lock}. */
    private int used;

    /** Creates an empty table. */
    public IndexTable() {}

    /** The value mapped to {@code index}, or {@code null}. Lock-free; does not allocate. */
    @SuppressWarnings("unchecked")
    public T get(int index) {
        AtomicReferenceArray<Entry> t = table;
        int mask = t.length() - 1;
        int i = mix(index) & mask;
        // At least one slot is always empty, so the probe ends.
        while (true) {
            Entry e = t.getAcquire(i);
            if (e == null) {
                return null;
            }
            if (e.index == index && e != TOMBSTONE) {
                return (T) e.value;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Maps {@code value} to a fresh random index and returns it. Indices are drawn with
     * {@link RandomGenerator#nextInt()} until one is not in use; an index in use is never returned.
     *
     * @throws IllegalStateException if the table is full, or if {@code rng} returned only indices in
     *     use for a very long time (a broken generator)
     */
    public int allocate(T value, RandomGenerator rng) {
        Objects.requireNonNull(value, "value");
        synchronized (lock) {
            if (live >= MAX_ENTRIES) {
                throw new IllegalStateException("index table full (" + live + " entries)");
            }
            for (int draw = 0; draw < MAX_DRAWS; draw++) {
                int index = rng.nextInt();
                if (slotOf(table, index) < 0) {
                    insertAbsent(index, value);
                    return index;
                }
            }
            throw new IllegalStateException("no free index after " + MAX_DRAWS + " random draws");
        }
    }

    /**
     * Removes {@code index} if it still maps to {@code expected} (identity).
     *
     * @return whether the entry was removed
     */
    public boolean remove(int index, T expected) {
        synchronized (lock) {
            AtomicReferenceArray<Entry> t = table;
            int i = slotOf(t, index);
            if (i < 0 || t.getPlain(i).value != expected) {
                return false;
            }
            t.setRelease(i, TOMBSTONE);
            live--;
            if (t.length() > MIN_CAPACITY && live * 8 < t.length()) {
                rebuild(t.length() / 2);
            }
            return true;
        }
    }

    /**
     * Maps an index already in use to a new value (a handshake's index passing to its keypair).
     *
     * @return {@code false}, changing nothing, if {@code index} is not in use
     */
    public boolean replace(int index, T value) {
        Objects.requireNonNull(value, "value");
        synchronized (lock) {
            AtomicReferenceArray<Entry> t = table;
            int i = slotOf(t, index);
            if (i < 0) {
                return false;
            }
            t.setRelease(i, new Entry(index, value));
            return true;
        }
    }

    /**
     * Maps {@code index} to {@code value} only if it currently maps to {@code expected} (identity).
     *
     * @return whether the value was replaced
     */
    public boolean replace(int index, T expected, T value) {
        Objects.requireNonNull(value, "value");
        synchronized (lock) {
            AtomicReferenceArray<Entry> t = table;
            int i = slotOf(t, index);
            if (i < 0 || t.getPlain(i).value != expected) {
                return false;
            }
            t.setRelease(i, new Entry(index, value));
            return true;
        }
    }

    /** Number of indices in use. */
    public int size() {
        synchronized (lock) {
            return live;
        }
    }

    /** Slot holding {@code index} in {@code t}, or -1. Writer side. */
    private static int slotOf(AtomicReferenceArray<Entry> t, int index) {
        int mask = t.length() - 1;
        int i = mix(index) & mask;
        while (true) {
            Entry e = t.getPlain(i);
            if (e == null) {
                return -1;
            }
            if (e.index == index && e != TOMBSTONE) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /** Inserts an index known to be absent, reusing the first tombstone on its probe path. */
    private void insertAbsent(int index, Object value) {
        AtomicReferenceArray<Entry> t = table;
        int mask = t.length() - 1;
        int i = mix(index) & mask;
        Entry e;
        while ((e = t.getPlain(i)) != null && e != TOMBSTONE) {
            i = (i + 1) & mask;
        }
        t.setRelease(i, new Entry(index, value));
        live++;
        if (e == null) {
            used++;
        }
        if (used * 2 > t.length()) {
            // Grow if live entries alone are dense, otherwise just sweep the tombstones away.
            rebuild(live * 4 > t.length() ? t.length() * 2 : t.length());
        }
    }

    /** Copies the live entries into a new array and publishes it. */
    private void rebuild(int capacity) {
        AtomicReferenceArray<Entry> old = table;
        AtomicReferenceArray<Entry> t = new AtomicReferenceArray<>(capacity);
        int mask = capacity - 1;
        for (int j = 0; j < old.length(); j++) {
            Entry e = old.getPlain(j);
            if (e != null && e != TOMBSTONE) {
                int i = mix(e.index) & mask;
                while (t.getPlain(i) != null) {
                    i = (i + 1) & mask;
                }
                t.setPlain(i, e);
            }
        }
        used = live;
        table = t; // volatile publish: the new array is complete before readers can see it
    }

    /** MurmurHash3's 32-bit finaliser, so that poor generators still spread over the array. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EB_CA6B;
        h ^= h >>> 13;
        h *= 0xC2B2_AE35;
        h ^= h >>> 16;
        return h;
    }
}
