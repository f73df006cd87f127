package dev.jwg.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long MS = 1_000_000L;

    private static byte[] v4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    private static byte[] v6(long hi, long lo) {
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return out;
    }

    private static boolean allow(RateLimiter r, long now, byte[] a) {
        return r.allow(now, a, 0, a.length);
    }

    /**
     * The kernel's selftest/ratelimiter.c schedule with a fake clock: five pass, the sixth is
     * refused; 50 ms later one passes and the next is refused; 100 ms later two pass, then refused.
     */
    private static void kernelSchedule(RateLimiter r, long start, byte[] addr) {
        long now = start;
        for (int i = 0; i < 5; i++) {
            assertThat(allow(r, now, addr)).as("burst packet %d", i + 1).isTrue();
        }
        assertThat(allow(r, now, addr)).as("sixth packet").isFalse();
        now += 50 * MS;
        assertThat(allow(r, now, addr)).isTrue();
        assertThat(allow(r, now, addr)).isFalse();
        now += 100 * MS;
        assertThat(allow(r, now, addr)).isTrue();
        assertThat(allow(r, now, addr)).isTrue();
        assertThat(allow(r, now, addr)).isFalse();
    }

    @Test
    void kernelSelftestIpv4() {
        kernelSchedule(new RateLimiter(1), 123_456 * MS, v4(192, 168, 1, 1));
    }

    @Test
    void kernelSelftestIpv6() {
        kernelSchedule(new RateLimiter(2), -5_000 * MS, v6(0x2001_0db8_0000_0001L, 0x1234));
    }

    @Test
    void sustainedRateIsTwentyPerSecond() {
        RateLimiter r = new RateLimiter(3);
        byte[] a = v4(10, 0, 0, 1);
        int passed = 0;
        for (long t = 0; t < 10_000 * MS; t += MS) { // one attempt per ms for 10 s
            if (allow(r, t, a)) passed++;
        }
        assertThat(passed).isEqualTo(5 + 20 * 10 - 1); // burst, then one per 50 ms after the first 250 ms
    }

    @Test
    void bucketNeverHoldsMoreThanTheBurst() {
        RateLimiter r = new RateLimiter(4);
        byte[] a = v4(10, 0, 0, 1);
        assertThat(allow(r, 0, a)).isTrue();
        long later = 900 * MS; // quiet for long, but not swept
        for (int i = 0; i < 5; i++) assertThat(allow(r, later, a)).isTrue();
        assertThat(allow(r, later, a)).isFalse();
    }

    @Test
    void sourcesHaveIndependentBuckets() {
        RateLimiter r = new RateLimiter(5);
        byte[] a = v4(192, 168, 1, 1);
        byte[] b = v4(192, 168, 1, 2);
        for (int i = 0; i < 5; i++) assertThat(allow(r, 0, a)).isTrue();
        assertThat(allow(r, 0, a)).isFalse();
        for (int i = 0; i < 5; i++) assertThat(allow(r, 0, b)).isTrue();
        assertThat(allow(r, 0, b)).isFalse();
        // an IPv6 address whose first bytes equal the IPv4 one is another source
        byte[] c = v6(0xC0A8_0101_0000_0000L, 0);
        assertThat(allow(r, 0, c)).isTrue();
        assertThat(r.size()).isEqualTo(3);
    }

    @Test
    void ipv6SharesOneBucketPerSlash64() {
        RateLimiter r = new RateLimiter(6);
        long net = 0x2001_0db8_aaaa_bbbbL;
        for (int i = 0; i < 5; i++) {
            assertThat(allow(r, 0, v6(net, i * 0x1111_2222_3333L + 7))).isTrue();
        }
        assertThat(allow(r, 0, v6(net, 0xFFFF_FFFF_FFFF_FFFFL))).isFalse();
        assertThat(allow(r, 0, v6(net + 1, 0))).isTrue(); // the neighbouring /64 is separate
        assertThat(r.size()).isEqualTo(2);
    }

    @Test
    void readsTheAddressAtAnOffset() {
        RateLimiter r = new RateLimiter(7);
        byte[] packet = new byte[40];
        packet[12] = 10;
        packet[15] = 9;
        for (int i = 0; i < 5; i++) assertThat(r.allow(0, packet, 12, 4)).isTrue();
        assertThat(r.allow(0, v4(10, 0, 0, 9), 0, 4)).isFalse();
        assertThatThrownBy(() -> r.allow(0, packet, 30, 16)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> r.allow(0, packet, 0, 8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sweepRemovesOnlyIdleEntries() {
        RateLimiter r = new RateLimiter(8);
        byte[] a = v4(1, 1, 1, 1);
        byte[] b = v4(2, 2, 2, 2);
        for (int i = 0; i < 6; i++) allow(r, 0, a); // a is exhausted
        allow(r, 500 * MS, b);
        r.sweep(1000 * MS); // exactly 1 s idle is not "more than"
        assertThat(r.size()).isEqualTo(2);
        r.sweep(1000 * MS + 1);
        assertThat(r.size()).isEqualTo(1);
        // a starts over with a full bucket
        for (int i = 0; i < 5; i++) assertThat(allow(r, 1000 * MS + 1, a)).isTrue();
        r.sweep(1600 * MS);
        assertThat(r.size()).isEqualTo(1); // b (seen at 500 ms) is gone, a stays
        r.sweep(10_000 * MS);
        assertThat(r.size()).isZero();
    }

    @Test
    void tableIsBoundedAndRefusesNewSourcesWhenFull() {
        RateLimiter r = new RateLimiter(9);
        byte[] a = new byte[4];
        for (int i = 0; i < RateLimiter.MAX_ENTRIES; i++) {
            a[0] = 10;
            a[1] = (byte) (i >>> 16);
            a[2] = (byte) (i >>> 8);
            a[3] = (byte) i;
            assertThat(allow(r, 0, a)).isTrue();
        }
        assertThat(r.size()).isEqualTo(RateLimiter.MAX_ENTRIES);
        assertThat(allow(r, 0, v4(11, 0, 0, 1))).as("new source while full").isFalse();
        assertThat(allow(r, 0, v4(10, 0, 0, 1))).as("known source still served").isTrue();
        r.sweep(2_000 * MS);
        assertThat(r.size()).isZero();
        assertThat(allow(r, 2_000 * MS, v4(11, 0, 0, 1))).isTrue();
    }

    @Test
    void manySourcesSurviveGrowthAndSweep() {
        RateLimiter r = new RateLimiter(10);
        byte[] a = new byte[16];
        for (int i = 0; i < 5000; i++) {
            a[7] = (byte) i;
            a[6] = (byte) (i >>> 8);
            for (int k = 0; k < 5; k++) assertThat(r.allow(i % 2 == 0 ? 0 : 600 * MS, a, 0, 16)).isTrue();
        }
        r.sweep(1_200 * MS); // the even ones (seen at 0) go
        assertThat(r.size()).isEqualTo(2500);
        for (int i = 0; i < 5000; i++) {
            a[7] = (byte) i;
            a[6] = (byte) (i >>> 8);
            // odd ones were emptied at 600 ms and have refilled; even ones were swept and start over
            assertThat(r.allow(1_200 * MS, a, 0, 16)).isTrue();
        }
    }

    /** Random sources, times and sweeps against a straightforward map-based model of the same buckets. */
    @Test
    void randomizedAgainstModel() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(2024);
        RateLimiter r = new RateLimiter(rnd.nextLong());
        java.util.Map<String, long[]> model = new java.util.HashMap<>(); // key -> {tokens, lastSeen}
        long now = 0;
        long cost = 50 * MS, max = 250 * MS;
        for (int op = 0; op < 300_000; op++) {
            now += rnd.nextLong(0, 200_000); // 0-0.2 ms
            if (op % 10_000 == 0) {
                r.sweep(now);
                final long t = now;
                model.values().removeIf(v -> t - v[1] > 1000 * MS);
                assertThat(r.size()).as("size after sweep at op %d", op).isEqualTo(model.size());
            }
            boolean six = rnd.nextInt(3) == 0;
            byte[] a = new byte[six ? 16 : 4];
            int id = rnd.nextInt(3000);
            if (six) {
                a[6] = (byte) (id >>> 8);
                a[7] = (byte) id;
                a[15] = (byte) rnd.nextInt(256); // host part: ignored
            } else {
                a[2] = (byte) (id >>> 8);
                a[3] = (byte) id;
            }
            String key = (six ? "6:" : "4:") + id;
            long[] v = model.get(key);
            boolean expect;
            if (v == null) {
                model.put(key, new long[] {max - cost, now});
                expect = true;
            } else {
                long tokens = Math.min(v[0] + Math.min(now - v[1], max), max);
                v[1] = now;
                expect = tokens >= cost;
                v[0] = expect ? tokens - cost : tokens;
            }
            assertThat(r.allow(now, a, 0, a.length)).as("op %d key %s", op, key).isEqualTo(expect);
        }
        r.sweep(now + 2000 * MS);
        assertThat(r.size()).isZero();
    }
}
