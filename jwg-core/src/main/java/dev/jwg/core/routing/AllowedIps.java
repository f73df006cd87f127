package dev.jwg.core.routing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;

/**
 * The cryptokey-routing table (docs/protocol.md §3.9, kernel {@code allowedips.c}): maps IP
 * prefixes to the peer allowed to use them, with longest-prefix-match lookup. The send path looks
 * up a packet's destination to choose the peer; the receive path looks up a decrypted packet's
 * source and drops it unless the answer is the peer it came from.
 *
 * <p>Each address family has its own path-compressed binary trie. A node holds a masked key and its
 * prefix length; its children extend that prefix and are chosen by the key bit just after it. Nodes
 * that carry no peer exist only where two subtrees branch, so the trie has fewer than two nodes per
 * prefix and at most 33 (IPv4) or 129 (IPv6) levels. Each peer keeps a list of its nodes, so
 * {@link #removeByPeer} and {@link #prefixesOf} cost time in that peer's prefixes only.
 *
 * <p>Peers ({@code P}) are arbitrary non-null objects compared by identity. Inserting a prefix that
 * another peer owns moves it to the new peer. Stored prefixes are masked: inserting
 * {@code 192.95.5.93/27} stores {@code 192.95.5.64/27}.
 *
 * <p><b>Thread-safety</b>, in the style of the kernel's RCU trie: lookups take no lock, never block
 * and never allocate; mutations are serialised by a lock held by the writer. Readers only follow
 * {@code volatile} child links and read a {@code volatile} peer field; a node's key and length are
 * final. Writers never change a node that readers can reach except by one volatile write at a time:
 * a new node or subtree is fully built before the single write that links it in, a node that goes
 * away is unlinked by replacing the link to it with a link to its only child (or with nothing),
 * and a prefix changes owner by one write of the peer field. A concurrent lookup therefore sees,
 * at each node, either the state before or after each mutation, and answers with a peer that
 * owned a matching prefix at some moment during the lookup; unlinked nodes stay valid for a reader
 * still standing on them and are left to the garbage collector. {@link #prefixesOf} and
 * {@link #size} take the lock.
 *
 * @param <P> the peer type
 */
public final class AllowedIps<P> {

    /**
     * A trie node. Keys are 128-bit, big-endian in {@code hi}/{@code lo}; an IPv4 address sits in
     * the top 32 bits of {@code hi} with the rest zero.
     */
    private static final class Node {
        final long hi;
        final long lo;
        final short cidr;
        final boolean v4;
        volatile Node child0;
        volatile Node child1;
        /** Owner of this prefix, or null for a branching-only node. */
        volatile Object peer;
        // Writer-only fields, guarded by the lock; readers never look at them.
        Node parent;
        Node prevOfPeer;
        Node nextOfPeer;

        Node(long hi, long lo, int cidr, boolean v4, Object peer, Node parent) {
            this.hi = hi;
            this.lo = lo;
            this.cidr = (short) cidr;
            this.v4 = v4;
            this.peer = peer;
            this.parent = parent;
        }
    }

    /** The nodes a peer owns, in insertion order. */
    private static final class PeerNodes {
        Node head;
        Node tail;
    }

    private static final VarHandle INT_BE =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private volatile Node root4;
    private volatile Node root6;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final IdentityHashMap<Object, PeerNodes> byPeer = new IdentityHashMap<>();
    /** Number of prefixes; guarded by {@link #lock}. */
    private int size;

    /** Creates an empty table. */
    public AllowedIps() {}

    // ---------------------------------------------------------------- lookups (lock-free)

    /**
     * Longest-prefix match of the address stored in a packet buffer, without allocating.
     *
     * @param packet buffer holding the address in network byte order, e.g. an IP header
     * @param addrOff offset of the address: 4 bytes for IPv4, 16 for IPv6
     * @param family 4 or 6
     * @return the peer owning the longest prefix that contains the address, or {@code null}
     * @throws IndexOutOfBoundsException if the address does not fit in {@code packet}; callers
     *     validate the packet length first
     * @throws IllegalArgumentException if {@code family} is neither 4 nor 6
     */
    public P lookup(byte[] packet, int addrOff, int family) {
        if (family == 4) {
            return find(root4, ((long) (int) INT_BE.get(packet, addrOff)) << 32, 0);
        }
        if (family == 6) {
            long hi = (long) LONG_BE.get(packet, addrOff);
            long lo = (long) LONG_BE.get(packet, addrOff + 8);
            return find(root6, hi, lo);
        }
        throw new IllegalArgumentException("family must be 4 or 6, got " + family);
    }

    /** Longest-prefix match of an IPv4 address given as a big-endian {@code int} ({@code 10.0.0.1} = {@code 0x0A000001}). */
    public P lookupV4(int addr) {
        return find(root4, ((long) addr) << 32, 0);
    }

    /** Longest-prefix match of an IPv6 address given as its big-endian upper and lower 64 bits. */
    public P lookupV6(long hi, long lo) {
        return find(root6, hi, lo);
    }

    @SuppressWarnings("unchecked")
    private P find(Node n, long hi, long lo) {
        Object best = null;
        while (n != null) {
            int c = n.cidr;
            long x = hi ^ n.hi;
            if (c <= 64) {
                if (Long.numberOfLeadingZeros(x) < c) {
                    break;
                }
            } else if (x != 0 || Long.numberOfLeadingZeros(lo ^ n.lo) < c - 64) {
                break;
            }
            Object p = n.peer;
            if (p != null) {
                best = p;
            }
            // A full-length node has no children, so the bit read past the end does not matter.
            n = bit(hi, lo, c) == 0 ? n.child0 : n.child1;
        }
        return (P) best;
    }

    // ---------------------------------------------------------------- mutations (locked)

    /**
     * Routes {@code prefix} (masked) to {@code peer}. If another peer owned exactly this prefix, it moves to
     * {@code peer}; if {@code peer} already owns it, nothing changes.
     *
     * @throws NullPointerException if an argument is null
     */
    public void insert(IpPrefix given, P peer) {
        Objects.requireNonNull(peer, "peer");
        IpPrefix prefix = given.masked();
        boolean v4 = prefix.isIpv4();
        long hi = hi(prefix);
        long lo = lo(prefix);
        int cidr = prefix.bits();
        synchronized (lock) {
            Node parent = null;
            Node n = v4 ? root4 : root6;
            while (true) {
                if (n == null) {
                    Node leaf = new Node(hi, lo, cidr, v4, peer, parent);
                    link(parent, leaf);
                    added(leaf, peer);
                    return;
                }
                int common = Math.min(commonBits(hi, lo, n.hi, n.lo), Math.min(cidr, n.cidr));
                if (common == n.cidr) {
                    if (n.cidr == cidr) { // exactly this prefix
                        Object old = n.peer;
                        if (old == peer) {
                            return;
                        }
                        if (old != null) {
                            unlistFromPeer(n, old);
                            size--;
                        }
                        n.peer = peer;
                        added(n, peer);
                        return;
                    }
                    parent = n; // n's prefix contains ours: go down
                    n = bit(hi, lo, n.cidr) == 0 ? n.child0 : n.child1;
                } else if (common == cidr) {
                    // Ours contains n's: the new node goes between parent and n.
                    Node fresh = new Node(hi, lo, cidr, v4, peer, parent);
                    setChild(fresh, bit(n.hi, n.lo, cidr), n);
                    n.parent = fresh;
                    link(parent, fresh);
                    added(fresh, peer);
                    return;
                } else {
                    // The two prefixes part at bit `common`: a branching node takes n's place.
                    Node branch = new Node(maskHi(hi, common), maskLo(lo, common), common, v4, null, parent);
                    Node leaf = new Node(hi, lo, cidr, v4, peer, branch);
                    setChild(branch, bit(hi, lo, common), leaf);
                    setChild(branch, bit(n.hi, n.lo, common), n);
                    n.parent = branch;
                    link(parent, branch);
                    added(leaf, peer);
                    return;
                }
            }
        }
    }

    /**
     * Removes exactly {@code prefix} (after masking) if {@code peer} owns it. Shorter or longer
     * prefixes are not touched.
     *
     * @return whether the prefix was removed
     */
    public boolean remove(IpPrefix given, P peer) {
        IpPrefix prefix = given.masked();
        long hi = hi(prefix);
        long lo = lo(prefix);
        int cidr = prefix.bits();
        synchronized (lock) {
            Node n = prefix.isIpv4() ? root4 : root6;
            while (n != null && n.cidr <= cidr
                    && commonBits(hi, lo, n.hi, n.lo) >= n.cidr) {
                if (n.cidr == cidr) {
                    if (n.peer != peer || peer == null) {
                        return false;
                    }
                    unlistFromPeer(n, peer);
                    removeNode(n);
                    return true;
                }
                n = bit(hi, lo, n.cidr) == 0 ? n.child0 : n.child1;
            }
            return false;
        }
    }

    /** Removes every prefix owned by {@code peer}. */
    public void removeByPeer(P peer) {
        synchronized (lock) {
            PeerNodes list = byPeer.remove(peer);
            if (list == null) {
                return;
            }
            for (Node n = list.head; n != null; ) {
                Node next = n.nextOfPeer;
                n.prevOfPeer = null;
                n.nextOfPeer = null;
                removeNode(n);
                n = next;
            }
        }
    }

    /**
     * The prefixes owned by {@code peer}: IPv4 then IPv6, each in trie order (by address, a
     * containing prefix before the prefixes it contains). A new, modifiable list.
     */
    public List<IpPrefix> prefixesOf(P peer) {
        synchronized (lock) {
            PeerNodes list = byPeer.get(peer);
            if (list == null) {
                return new ArrayList<>();
            }
            List<IpPrefix> out = new ArrayList<>();
            for (Node n = list.head; n != null; n = n.nextOfPeer) {
                out.add(toPrefix(n));
            }
            Collections.sort(out);
            return out;
        }
    }

    /** Number of prefixes in the table, both families. */
    public int size() {
        synchronized (lock) {
            return size;
        }
    }

    /** Clears the peer of {@code n} (already unlisted from its peer) and unlinks what is no longer needed. */
    private void removeNode(Node n) {
        n.peer = null;
        size--;
        Node c0 = n.child0;
        Node c1 = n.child1;
        if (c0 != null && c1 != null) {
            return; // still needed to branch
        }
        Node parent = n.parent;
        Node only = c0 != null ? c0 : c1;
        if (only != null) {
            only.parent = parent;
            replace(parent, n, only);
            return;
        }
        if (parent == null) {
            replace(null, n, null);
            return;
        }
        if (parent.peer == null) {
            // The parent only branched between n and its sibling: the sibling takes its place.
            Node sibling = parent.child0 == n ? parent.child1 : parent.child0;
            sibling.parent = parent.parent;
            replace(parent.parent, parent, sibling);
        } else {
            replace(parent, n, null);
        }
    }

    private void added(Node n, Object peer) {
        size++;
        PeerNodes list = byPeer.computeIfAbsent(peer, k -> new PeerNodes());
        n.prevOfPeer = list.tail;
        n.nextOfPeer = null;
        if (list.tail == null) {
            list.head = n;
        } else {
            list.tail.nextOfPeer = n;
        }
        list.tail = n;
    }

    private void unlistFromPeer(Node n, Object peer) {
        PeerNodes list = byPeer.get(peer);
        if (n.prevOfPeer == null) {
            list.head = n.nextOfPeer;
        } else {
            n.prevOfPeer.nextOfPeer = n.nextOfPeer;
        }
        if (n.nextOfPeer == null) {
            list.tail = n.prevOfPeer;
        } else {
            n.nextOfPeer.prevOfPeer = n.prevOfPeer;
        }
        n.prevOfPeer = null;
        n.nextOfPeer = null;
        if (list.head == null) {
            byPeer.remove(peer);
        }
    }

    /** Publishes {@code child} under {@code parent} (or as a root), on the side its key selects. */
    private void link(Node parent, Node child) {
        if (parent == null) {
            setRoot(child.v4, child);
        } else {
            setChild(parent, bit(child.hi, child.lo, parent.cidr), child);
        }
    }

    /** Replaces the link from {@code parent} (or the root) to {@code old} by a link to {@code neu}. */
    private void replace(Node parent, Node old, Node neu) {
        if (parent == null) {
            setRoot(old.v4, neu);
        } else if (parent.child0 == old) {
            parent.child0 = neu;
        } else {
            parent.child1 = neu;
        }
    }

    private void setRoot(boolean v4, Node n) {
        if (v4) {
            root4 = n;
        } else {
            root6 = n;
        }
    }

    private static void setChild(Node parent, int bit, Node child) {
        if (bit == 0) {
            parent.child0 = child;
        } else {
            parent.child1 = child;
        }
    }

    // ---------------------------------------------------------------- bit helpers

    /** Bit {@code i} (0 = most significant) of the 128-bit key. */
    private static int bit(long hi, long lo, int i) {
        return (int) (i < 64 ? hi >>> (63 - i) : lo >>> (127 - i)) & 1;
    }

    /** Number of leading bits two 128-bit keys share (128 if equal). */
    private static int commonBits(long hi1, long lo1, long hi2, long lo2) {
        long x = hi1 ^ hi2;
        return x != 0 ? Long.numberOfLeadingZeros(x) : 64 + Long.numberOfLeadingZeros(lo1 ^ lo2);
    }

    private static long maskHi(long hi, int bits) {
        return bits == 0 ? 0 : bits >= 64 ? hi : hi & (-1L << (64 - bits));
    }

    private static long maskLo(long lo, int bits) {
        return bits <= 64 ? 0 : lo & (-1L << (128 - bits));
    }

    private static long hi(IpPrefix p) {
        long v = 0;
        int n = p.isIpv4() ? 4 : 8;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (p.addressByte(i) & 0xFF);
        }
        return p.isIpv4() ? v << 32 : v;
    }

    private static long lo(IpPrefix p) {
        if (p.isIpv4()) {
            return 0;
        }
        long v = 0;
        for (int i = 8; i < 16; i++) {
            v = (v << 8) | (p.addressByte(i) & 0xFF);
        }
        return v;
    }

    private static IpPrefix toPrefix(Node n) {
        byte[] a = new byte[n.v4 ? 4 : 16];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (i < 8 ? n.hi >>> (56 - 8 * i) : n.lo >>> (120 - 8 * i));
        }
        return IpPrefix.of(a, n.cidr);
    }
}
