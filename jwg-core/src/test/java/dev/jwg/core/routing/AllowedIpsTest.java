package dev.jwg.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AllowedIpsTest {

    /** A peer stand-in; identity matters, the name only helps failure messages. */
    record Peer(String name) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Peer A = new Peer("a"), B = new Peer("b"), C = new Peer("c"), D = new Peer("d"),
        E = new Peer("e"), F = new Peer("f"), G = new Peer("g"), H = new Peer("h");

    private final AllowedIps<Peer> t = new AllowedIps<>();
    private final NaiveRouter naive = new NaiveRouter();

    private void insert(String prefix, Peer p) {
        t.insert(IpPrefix.parse(prefix), p);
        naive.insert(IpPrefix.parse(prefix), p);
    }

    private Peer lookup(String addr) {
        byte[] a = IpAddresses.parse(addr);
        byte[] packet = new byte[a.length + 7];
        System.arraycopy(a, 0, packet, 7, a.length);
        Peer p = t.lookup(packet, 7, a.length == 4 ? 4 : 6);
        assertThat(p).as("naive router agrees for %s", addr).isSameAs(naive.lookup(a));
        return p;
    }

    /** The kernel's selftest/allowedips.c longest-prefix cases (docs/protocol.md §7.9). */
    @Test
    void kernelSelftestLongestPrefixMatch() {
        insert("192.168.4.0/24", A);
        insert("192.168.4.4/32", B);
        insert("192.168.0.0/16", C);
        insert("192.95.5.64/27", D);
        insert("192.95.5.65/27", C); // same /27 after masking: moves to c
        insert("2607:5300:6000:6b00::c05f:543/128", D);
        insert("2607:5300:6000:6b00::/64", C);
        insert("0.0.0.0/0", E);
        insert("::/0", E);
        insert("::/0", F); // assigned twice: last wins
        insert("2404:6800::/32", G);
        insert("2404:6800:4004:800:dead:beef:dead:beef/64", H);
        insert("2404:6800:4004:800:dead:beef:dead:beef/128", A);
        insert("2444:6800:40e4:800:deae:beef:def:beef/128", C);
        insert("2444:6800:f0e4:800:eeae:beef::/98", B);
        insert("64.15.112.0/20", G);
        insert("64.15.123.211/25", H);
        insert("10.0.0.0/25", A);
        insert("10.0.0.128/25", B);
        insert("10.1.0.0/30", A);
        insert("10.1.0.4/30", B);
        insert("10.1.0.8/29", C);
        insert("10.1.0.16/29", D);

        assertThat(lookup("192.168.4.20")).isSameAs(A);
        assertThat(lookup("192.168.4.0")).isSameAs(A);
        assertThat(lookup("192.168.4.4")).isSameAs(B);
        assertThat(lookup("192.168.200.182")).isSameAs(C);
        assertThat(lookup("192.95.5.68")).isSameAs(C);
        assertThat(lookup("192.95.5.96")).isSameAs(E);
        assertThat(lookup("2607:5300:6000:6b00::c05f:543")).isSameAs(D);
        assertThat(lookup("2607:5300:6000:6b00::c02e:1ee")).isSameAs(C);
        assertThat(lookup("2607:5300:6000:6b01::")).isSameAs(F);
        assertThat(lookup("2404:6800:4004:806::1006")).isSameAs(G);
        assertThat(lookup("2404:6800:4004:806:0:1234:0:5678")).isSameAs(G);
        assertThat(lookup("2404:67ff:4004:806:0:1234:0:5678")).isSameAs(F);
        assertThat(lookup("2404:6801:4004:806:0:1234:0:5678")).isSameAs(F);
        assertThat(lookup("2404:6800:4004:800:0:1234:0:5678")).isSameAs(H);
        assertThat(lookup("2404:6800:4004:800::")).isSameAs(H);
        assertThat(lookup("2404:6800:4004:800:1010:1010:1010:1010")).isSameAs(H);
        assertThat(lookup("2404:6800:4004:800:dead:beef:dead:beef")).isSameAs(A);
        assertThat(lookup("64.15.116.26")).isSameAs(G);
        assertThat(lookup("64.15.127.3")).isSameAs(G);
        assertThat(lookup("64.15.123.1")).isSameAs(G);
        assertThat(lookup("64.15.123.128")).isSameAs(H);
        assertThat(lookup("64.15.123.129")).isSameAs(H);
        assertThat(lookup("10.0.0.52")).isSameAs(A);
        assertThat(lookup("10.0.0.220")).isSameAs(B);
        assertThat(lookup("10.1.0.2")).isSameAs(A);
        assertThat(lookup("10.1.0.6")).isSameAs(B);
        assertThat(lookup("10.1.0.10")).isSameAs(C);
        assertThat(lookup("10.1.0.20")).isSameAs(D);
        assertThat(lookup("2444:6800:40e4:800:deae:beef:def:beef")).isSameAs(C);
        assertThat(lookup("2444:6800:f0e4:800:eeae:beef:0:1")).isSameAs(B);
        assertThat(lookup("2444:6800:f0e4:800:eeae:beef:4000:1")).isSameAs(F);
        assertThat(t.lookupV4(0x0A010014)).isSameAs(D); // 10.1.0.20
        assertThat(t.size()).isEqualTo(21); // 23 inserts, two of which re-assigned an existing prefix
        assertThat(t.prefixesOf(E)).map(IpPrefix::toString).containsExactly("0.0.0.0/0");
        assertThat(t.prefixesOf(F)).map(IpPrefix::toString).containsExactly("::/0");

        // remove_by_peer: all of a's prefixes go, nothing else changes
        insert("1.0.0.0/32", A);
        insert("64.0.0.0/32", A);
        insert("128.0.0.0/32", A);
        insert("192.0.0.0/32", A);
        insert("255.0.0.0/32", A);
        t.removeByPeer(A);
        naive.removeByPeer(A);
        for (String s : new String[] {"1.0.0.0", "64.0.0.0", "128.0.0.0", "192.0.0.0", "255.0.0.0",
                "192.168.4.20", "10.0.0.52", "10.1.0.2", "2404:6800:4004:800:dead:beef:dead:beef"}) {
            assertThat(lookup(s)).as(s).isNotSameAs(A);
        }
        assertThat(lookup("192.168.4.20")).isSameAs(C);
        assertThat(lookup("2404:6800:4004:800:dead:beef:dead:beef")).isSameAs(H);
        assertThat(t.prefixesOf(A)).isEmpty();
        assertThat(t.size()).isEqualTo(17);
    }

    @Test
    void removeByPeerOfNestedPrefixes() {
        insert("192.168.0.0/16", A);
        insert("192.168.0.0/24", A);
        t.removeByPeer(A);
        naive.removeByPeer(A);
        assertThat(lookup("192.168.0.1")).isNull();
        assertThat(t.size()).isZero();
    }

    /** Deep, lopsided tries (the kernel's free_node depth check). */
    @Test
    void deepIpv6Chains() {
        for (int i = 0; i < 64; i++) {
            long part = -1L << i;
            t.insert(v6Prefix(-1L, part, 128), A);
            t.insert(v6Prefix(part, 0, 128), A);
        }
        t.insert(v6Prefix(0, 0, 128), A);
        assertThat(t.size()).isEqualTo(129);
        for (int i = 0; i < 64; i++) {
            long part = -1L << i;
            assertThat(t.lookupV6(-1L, part)).isSameAs(A);
            assertThat(t.lookupV6(part, 0)).isSameAs(A);
            assertThat(t.lookupV6(part, 1)).isNull();
        }
        assertThat(t.prefixesOf(A)).hasSize(129).isSorted();
        t.removeByPeer(A);
        assertThat(t.size()).isZero();
        assertThat(t.lookupV6(0, 0)).isNull();
    }

    /** Stored prefixes read back masked (kernel selftest, docs/protocol.md §7.9). */
    @Test
    void prefixesReadBackMasked() {
        t.insert(IpPrefix.parse("192.95.5.93/27"), A);
        t.insert(IpPrefix.parse("2607:5300:6d8a:6bf8:dab1:f1df:c05f:1523/128"), A);
        t.insert(IpPrefix.parse("10.1.0.20/29"), A);
        t.insert(IpPrefix.parse("2607:5300:6d8a:6bf8:dab1:f1df:c05f:1523/83"), A);
        t.insert(IpPrefix.parse("2607:5300:6d8a:6bf8:dab1:f1df:c05f:1523/21"), A);
        assertThat(t.prefixesOf(A)).map(IpPrefix::toString).containsExactly(
            "10.1.0.16/29",
            "192.95.5.64/27",
            "2607:5000::/21",
            "2607:5300:6d8a:6bf8:dab1:e000::/83",
            "2607:5300:6d8a:6bf8:dab1:f1df:c05f:1523/128");
        assertThat(t.size()).isEqualTo(5);
    }

    @Test
    void removeOnlyTheExactPrefixOfThatPeer() {
        insert("10.0.0.0/8", A);
        insert("10.0.0.0/16", B);
        insert("10.0.0.0/24", A);
        IpPrefix p16 = IpPrefix.parse("10.0.0.0/16");
        assertThat(t.remove(p16, A)).as("owned by b").isFalse();
        assertThat(t.remove(IpPrefix.parse("10.0.0.0/12"), A)).as("not in the table").isFalse();
        assertThat(t.remove(IpPrefix.parse("10.0.0.0/12"), B)).isFalse();
        assertThat(lookup("10.0.1.1")).isSameAs(B);
        assertThat(t.remove(IpPrefix.parse("10.0.9.9/16"), B)).as("masked like insert").isTrue();
        naive.remove(p16, B);
        assertThat(lookup("10.0.1.1")).isSameAs(A);
        assertThat(lookup("10.0.0.1")).isSameAs(A);
        assertThat(t.remove(p16, B)).isFalse();
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.prefixesOf(B)).isEmpty();
        assertThat(t.remove(IpPrefix.parse("10.0.0.0/8"), A)).isTrue();
        assertThat(t.remove(IpPrefix.parse("10.0.0.0/24"), A)).isTrue();
        assertThat(t.size()).isZero();
        assertThat(t.lookupV4(0x0A000001)).isNull();
        assertThat(t.remove(IpPrefix.parse("10.0.0.0/24"), A)).isFalse();
    }

    @Test
    void familiesAreSeparate() {
        insert("0.0.0.0/0", A);
        assertThat(lookup("::")).isNull();
        assertThat(lookup("::ffff:10.0.0.1")).isNull();
        insert("::/0", B);
        assertThat(lookup("10.0.0.1")).isSameAs(A);
        assertThat(lookup("::ffff:10.0.0.1")).isSameAs(B);
        // 10.0.0.0/8 and 0a00::/8 have the same leading bits
        insert("10.0.0.0/8", C);
        assertThat(lookup("a00::1")).isSameAs(B);
        assertThat(t.prefixesOf(B)).map(IpPrefix::toString).containsExactly("::/0");
        assertThat(t.prefixesOf(C)).map(IpPrefix::toString).containsExactly("10.0.0.0/8");
    }

    @Test
    void reinsertingTheSameOwnerChangesNothing() {
        insert("10.0.0.0/8", A);
        insert("10.0.0.0/8", A);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.prefixesOf(A)).hasSize(1);
        insert("10.0.0.0/8", B);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.prefixesOf(A)).isEmpty();
        assertThat(t.prefixesOf(B)).hasSize(1);
    }

    @Test
    void prefixesOfIsInTrieOrderIpv4First() {
        String[] in = {"fd00::/8", "10.0.0.0/24", "::/0", "0.0.0.0/0", "10.0.0.0/8", "fd00::1/128",
            "9.255.255.255/32", "10.128.0.0/9", "1.2.3.0/24"};
        for (String s : in) t.insert(IpPrefix.parse(s), A);
        t.insert(IpPrefix.parse("10.0.0.0/16"), B);
        assertThat(t.prefixesOf(A)).map(IpPrefix::toString).containsExactly(
            "0.0.0.0/0", "1.2.3.0/24", "9.255.255.255/32", "10.0.0.0/8", "10.0.0.0/24", "10.128.0.0/9",
            "::/0", "fd00::/8", "fd00::1/128");
        assertThat(t.prefixesOf(B)).map(IpPrefix::toString).containsExactly("10.0.0.0/16");
        assertThat(t.prefixesOf(C)).isEmpty();
    }

    // ------------------------------------------------------------------ randomized

    /** Random prefixes, peers, inserts, removes and lookups against the naive router (kernel and wireguard-go style). */
    @Test
    void randomizedAgainstNaiveRouter() {
        SplittableRandom rnd = new SplittableRandom(20_171);
        Peer[] peers = new Peer[300];
        for (int i = 0; i < peers.length; i++) peers[i] = new Peer("p" + i);
        for (int round = 0; round < 4; round++) {
            AllowedIps<Peer> trie = new AllowedIps<>();
            NaiveRouter model = new NaiveRouter();
            List<byte[]> seeds = new ArrayList<>();
            List<IpPrefix> inserted = new ArrayList<>();
            for (int op = 0; op < 6000; op++) {
                int kind = rnd.nextInt(100);
                if (kind < 70 || inserted.isEmpty()) {
                    IpPrefix p = randomPrefix(rnd, seeds);
                    Peer peer = peers[rnd.nextInt(peers.length)];
                    trie.insert(p, peer);
                    model.insert(p, peer);
                    inserted.add(p);
                } else if (kind < 95) {
                    IpPrefix p = inserted.get(rnd.nextInt(inserted.size()));
                    Peer owner = model.owner(p);
                    Peer who = rnd.nextInt(4) == 0 || owner == null ? peers[rnd.nextInt(peers.length)] : owner;
                    boolean expect = owner != null && who == owner;
                    assertThat(trie.remove(p, who)).as("remove %s by %s", p, who).isEqualTo(expect);
                    if (expect) model.remove(p, who);
                } else {
                    Peer peer = peers[rnd.nextInt(peers.length)];
                    trie.removeByPeer(peer);
                    model.removeByPeer(peer);
                }
                if (op % 500 == 0) {
                    compareLookups(rnd, trie, model, seeds, 2000);
                }
            }
            compareLookups(rnd, trie, model, seeds, 30_000);
            assertThat(trie.size()).isEqualTo(model.size());
            for (Peer p : peers) {
                assertThat(trie.prefixesOf(p)).as("prefixes of %s", p).isEqualTo(model.prefixesOf(p));
            }
            // empty it through removals and check nothing is left behind
            for (Peer p : peers) {
                for (IpPrefix q : trie.prefixesOf(p)) assertThat(trie.remove(q, p)).isTrue();
            }
            assertThat(trie.size()).isZero();
            for (byte[] s : seeds) {
                assertThat(trie.lookup(s, 0, s.length == 4 ? 4 : 6)).isNull();
            }
        }
    }

    private static void compareLookups(SplittableRandom rnd, AllowedIps<Peer> trie, NaiveRouter model,
                                       List<byte[]> seeds, int n) {
        for (int i = 0; i < n; i++) {
            byte[] a;
            if (seeds.isEmpty() || rnd.nextInt(4) == 0) {
                a = new byte[rnd.nextBoolean() ? 4 : 16];
                for (int k = 0; k < a.length; k++) a[k] = (byte) rnd.nextInt(256);
            } else {
                a = seeds.get(rnd.nextInt(seeds.size())).clone();
                int flips = rnd.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    int bit = rnd.nextInt(a.length * 8);
                    a[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
                }
            }
            Peer expect = model.lookup(a);
            assertThat(trie.lookup(a, 0, a.length == 4 ? 4 : 6)).as("lookup %s", IpAddresses.format(a)).isSameAs(expect);
            if (a.length == 4) {
                int v = ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
                assertThat(trie.lookupV4(v)).isSameAs(expect);
            }
        }
    }

    /** Prefixes clustered around a growing set of seed addresses, so that they nest and overlap. */
    private static IpPrefix randomPrefix(SplittableRandom rnd, List<byte[]> seeds) {
        byte[] a;
        if (seeds.size() < 30 || rnd.nextInt(5) == 0) {
            a = new byte[rnd.nextBoolean() ? 4 : 16];
            for (int k = 0; k < a.length; k++) a[k] = (byte) rnd.nextInt(256);
            seeds.add(a.clone());
        } else {
            a = seeds.get(rnd.nextInt(seeds.size())).clone();
            int bit = rnd.nextInt(a.length * 8);
            a[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
        }
        int max = a.length * 8;
        int bits = switch (rnd.nextInt(4)) {
            case 0 -> max;
            case 1 -> rnd.nextInt(max + 1);
            default -> Math.max(0, max - rnd.nextInt(max / 2));
        };
        return IpPrefix.of(a, bits);
    }

    // ------------------------------------------------------------------ scale

    /** netns.sh scenario 18: one peer with 255 × 256 × 2 = 130 560 allowed IPs. */
    @Test
    void oneHundredThirtyThousandPrefixesOnOnePeer() {
        for (int i = 1; i <= 255; i++) {
            for (int j = 0; j <= 255; j++) {
                t.insert(IpPrefix.of(new byte[] {(byte) i, (byte) j, 0, 0}, 16), A);
                byte[] v6 = new byte[16];
                v6[0] = (byte) 0xab;
                v6[1] = (byte) 0xcd;
                v6[13] = (byte) i;
                v6[15] = (byte) j;
                t.insert(IpPrefix.of(v6, 128), A);
            }
        }
        assertThat(t.size()).isEqualTo(130_560);
        List<IpPrefix> all = t.prefixesOf(A);
        assertThat(all).hasSize(130_560).isSorted();
        assertThat(all.getFirst().toString()).isEqualTo("1.0.0.0/16");
        assertThat(all.getLast().toString()).isEqualTo("abcd::ff:ff/128");
        assertThat(t.lookupV4(0x7F7F_0001)).isSameAs(A);
        assertThat(t.lookupV4(0x0000_0001)).isNull();
        t.removeByPeer(A);
        assertThat(t.size()).isZero();
        assertThat(t.lookupV4(0x7F7F_0001)).isNull();
    }

    /** 10 000 peers with a /32, a /128 and a /24 each, plus default routes. */
    @Test
    void tenThousandPeers() {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Peer p = new Peer("p" + i);
            peers.add(p);
            t.insert(IpPrefix.of(new byte[] {10, (byte) (i >>> 8), (byte) i, 1}, 32), p);
            t.insert(IpPrefix.of(new byte[] {100, (byte) (i >>> 8), (byte) i, 0}, 24), p);
            byte[] v6 = new byte[16];
            v6[0] = (byte) 0xfd;
            v6[14] = (byte) (i >>> 8);
            v6[15] = (byte) i;
            t.insert(IpPrefix.of(v6, 128), p);
        }
        t.insert(IpPrefix.parse("0.0.0.0/0"), A);
        t.insert(IpPrefix.parse("::/0"), A);
        assertThat(t.size()).isEqualTo(30_002);
        for (int i = 0; i < 10_000; i += 7) {
            Peer p = peers.get(i);
            assertThat(t.lookupV4((10 << 24) | (i << 8) | 1)).isSameAs(p);
            assertThat(t.lookupV4((100 << 24) | (i << 8) | 77)).isSameAs(p);
            assertThat(t.lookupV6(0xfd00_0000_0000_0000L, i)).isSameAs(p);
            assertThat(t.lookupV4((10 << 24) | (i << 8) | 2)).isSameAs(A);
        }
        for (int i = 0; i < 10_000; i += 2) t.removeByPeer(peers.get(i));
        assertThat(t.size()).isEqualTo(15_002);
        assertThat(t.lookupV4((10 << 24) | (4 << 8) | 1)).isSameAs(A);
        assertThat(t.lookupV4((10 << 24) | (5 << 8) | 1)).isSameAs(peers.get(5));
    }

    // ------------------------------------------------------------------ concurrency

    /**
     * Readers look up addresses whose answer never changes while a writer churns the prefixes
     * around them, forcing branch nodes to be inserted above and spliced out around the stable nodes.
     */
    @Test
    void lockFreeLookupsDuringMutation() throws Exception {
        AllowedIps<Peer> trie = new AllowedIps<>();
        SplittableRandom rnd = new SplittableRandom(99);
        int stableCount = 512;
        int[] stableV4 = new int[stableCount];
        long[] stableV6 = new long[stableCount];
        Peer[] stablePeer = new Peer[stableCount];
        for (int i = 0; i < stableCount; i++) {
            stableV4[i] = rnd.nextInt() | 1; // odd: churn only touches even /32s
            stableV6[i] = rnd.nextLong() | 1;
            stablePeer[i] = new Peer("s" + i);
            trie.insert(IpPrefix.of(v4Bytes(stableV4[i]), 32), stablePeer[i]);
            trie.insert(v6Prefix(stableV6[i], 0, 128), stablePeer[i]);
        }
        // A covering prefix with a fixed owner, and a churning more specific one inside it.
        Peer cover = new Peer("cover"), inner = new Peer("inner");
        trie.insert(IpPrefix.parse("203.0.113.0/24"), cover);
        int probe = 0xCB00_7105; // 203.0.113.5
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong lookups = new AtomicLong();
        Runnable reader = () -> {
            long n = 0;
            int i = 0;
            while (!stop.get() && failure.get() == null) {
                i = (i + 1) & (stableCount - 1);
                if (trie.lookupV4(stableV4[i]) != stablePeer[i]) failure.set("v4 stable " + i);
                if (trie.lookupV6(stableV6[i], 0) != stablePeer[i]) failure.set("v6 stable " + i);
                Peer p = trie.lookupV4(probe);
                if (p != cover && p != inner) failure.set("probe saw " + p);
                if (++n % 64 == 0) lookups.addAndGet(3 * 64);
            }
        };
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(reader, "reader-" + r);
            readers[r].start();
        }
        Peer churn = new Peer("churn");
        List<IpPrefix> live = new ArrayList<>();
        // A fixed amount of work on both sides, however the threads are scheduled; the deadline
        // only stops a broken run.
        long deadline = System.nanoTime() + 120_000_000_000L;
        int ops = 0;
        try {
            while ((ops < 200_000 || lookups.get() < 100_000) && System.nanoTime() < deadline && failure.get() == null) {
                for (int k = 0; k < 200; k++, ops++) {
                    if (live.size() < 2000 && rnd.nextBoolean()) {
                        int s = rnd.nextInt(stableCount);
                        IpPrefix p = rnd.nextBoolean()
                            ? IpPrefix.of(v4Bytes(stableV4[s] & ~1), 32 - rnd.nextInt(0, 24)) // even, or shorter around it
                            : v6Prefix(stableV6[s], 0, rnd.nextInt(16, 128));
                        if (p.bits() == 32 && (p.address()[3] & 1) == 1) continue;
                        trie.insert(p, churn);
                        live.add(p);
                    } else if (!live.isEmpty()) {
                        trie.remove(live.remove(rnd.nextInt(live.size())), churn);
                    }
                    if (k % 20 == 0) {
                        if (rnd.nextBoolean()) trie.insert(IpPrefix.parse("203.0.113.0/28"), inner);
                        else trie.remove(IpPrefix.parse("203.0.113.0/28"), inner);
                    }
                }
                if (rnd.nextInt(10) == 0) {
                    trie.removeByPeer(churn);
                    live.clear();
                }
            }
        } finally {
            stop.set(true);
            for (Thread r : readers) r.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(ops).isGreaterThanOrEqualTo(200_000);
        assertThat(lookups.get()).isGreaterThanOrEqualTo(100_000);
        trie.removeByPeer(churn);
        trie.removeByPeer(inner);
        assertThat(trie.size()).isEqualTo(2 * stableCount + 1);
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] v4Bytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static IpPrefix v6Prefix(long hi, long lo, int bits) {
        byte[] a = new byte[16];
        for (int i = 0; i < 8; i++) {
            a[i] = (byte) (hi >>> (56 - 8 * i));
            a[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return IpPrefix.of(a, bits);
    }

    /** The slow, obviously correct router: a map of prefixes and a linear longest-match scan. */
    static final class NaiveRouter {
        private final Map<IpPrefix, Peer> routes = new HashMap<>();

        void insert(IpPrefix p, Peer peer) {
            routes.put(p, peer);
        }

        Peer owner(IpPrefix p) {
            return routes.get(p);
        }

        void remove(IpPrefix p, Peer peer) {
            routes.remove(p, peer);
        }

        void removeByPeer(Peer peer) {
            routes.values().removeIf(v -> v == peer);
        }

        int size() {
            return routes.size();
        }

        Peer lookup(byte[] addr) {
            Peer best = null;
            int bestBits = -1;
            for (Map.Entry<IpPrefix, Peer> e : routes.entrySet()) {
                IpPrefix p = e.getKey();
                if (p.bits() > bestBits && p.contains(addr)) {
                    best = e.getValue();
                    bestBits = p.bits();
                }
            }
            return best;
        }

        List<IpPrefix> prefixesOf(Peer peer) {
            Map<IpPrefix, Boolean> seen = new IdentityHashMap<>();
            List<IpPrefix> out = new ArrayList<>();
            for (Map.Entry<IpPrefix, Peer> e : routes.entrySet()) {
                if (e.getValue() == peer && seen.put(e.getKey(), true) == null) out.add(e.getKey());
            }
            out.sort(null);
            return out;
        }
    }
}
