package dev.jwg.device.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.core.testkit.FakeClock;
import dev.jwg.device.Device;
import dev.jwg.device.MemoryNetwork;
import dev.jwg.device.SystemClock;
import dev.jwg.device.io.Bind;
import dev.jwg.device.io.TunDevice;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The warm-up's two private devices over memory: everything sent comes back, and nothing is left behind. */
class WarmupTest {
    private final MemoryNetwork net = new MemoryNetwork();
    private final List<MemoryNetwork.MemoryTun> tuns = new ArrayList<>();
    private final List<MemoryNetwork.MemoryBind> binds = new ArrayList<>();

    /** Memory I/O that remembers what it handed out. */
    private final Warmup.Io io = new Warmup.Io() {
        private final Device.BindOpener opener = net.opener(new byte[] {127, 0, 0, 1});

        @Override
        public Warmup.Wire openWire(String name, int mtu) {
            MemoryNetwork.MemoryTun tun = new MemoryNetwork.MemoryTun(name);
            tuns.add(tun);
            return new Warmup.Wire() {
                @Override
                public TunDevice device() { return tun; }

                @Override
                public void inject(byte[] buf, int off, int len) {
                    tun.fromKernel.add(Arrays.copyOfRange(buf, off, off + len));
                }

                @Override
                public int collect(byte[] buf, int off, int timeoutMillis) throws IOException {
                    try {
                        byte[] p = tun.toKernel.poll(timeoutMillis, TimeUnit.MILLISECONDS);
                        if (p == null) {
                            return -1;
                        }
                        System.arraycopy(p, 0, buf, off, p.length);
                        return p.length;
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }

                @Override
                public void close() { tun.close(); }
            };
        }

        @Override
        public Bind openBind() throws IOException {
            MemoryNetwork.MemoryBind b = (MemoryNetwork.MemoryBind) opener.open(0);
            binds.add(b);
            return b;
        }

        @Override
        public byte[] bindAddress() { return new byte[] {127, 0, 0, 1}; }
    };

    @Test
    void packetsGoThereAndBack() throws IOException {
        Warmup w = new Warmup("wt0", io, SystemClock.INSTANCE, new SecureRandom());
        // 96 rounds: 12 times the burst cycle 1,1,1,2,1,1,1,4 (12 packets), each packet there and back.
        // The memory network loses nothing, but a packet not back within the warm-up's timeout
        // (250 ms, a stalled test machine) counts as lost: most, never more.
        assertThat(w.run(96, 600_000_000_000L)).isBetween(12 * 12 * 2 / 2, 12 * 12 * 2);
    }

    @Test
    void survivesTheClockJumpsAndFreshDevicesOfALongRun() throws IOException {
        Warmup w = new Warmup("wt4", io, SystemClock.INSTANCE, new SecureRandom());
        // 2,400 rounds: six pairs of devices (64, 128, ... 2,048 rounds), the clock jumping ahead 22 times.
        // Crossing handshakes after a jump may drop a few packets (see Warmup.MAX_LOST): not an exact count.
        assertThat(w.run(2_400, 600_000_000_000L)).isBetween(300 * 12 * 2 / 2, 300 * 12 * 2);
    }

    @Test
    void closesEverythingItOpened() throws Exception {
        new Warmup("wt1", io, SystemClock.INSTANCE, new SecureRandom()).run(192, 600_000_000_000L);
        // two lives of a device pair: 64 and 128 rounds
        assertThat(tuns).hasSize(4).allMatch(t -> t.closed);
        assertThat(binds).hasSize(4).allMatch(b -> b.closed);
        for (Thread t : threadsNamed("wt1-")) {
            t.join(5_000);
            assertThat(t.isAlive()).as("thread %s", t.getName()).isFalse();
        }
    }

    @Test
    void strayPacketsWithoutAPeerAreHandedInAndNeverComeOut() throws IOException {
        List<byte[]> injected = new ArrayList<>();
        List<byte[]> collected = new ArrayList<>();
        Warmup.Io recording = new Warmup.Io() {
            @Override
            public Warmup.Wire openWire(String name, int mtu) throws IOException {
                Warmup.Wire w = io.openWire(name, mtu);
                return new Warmup.Wire() {
                    @Override
                    public TunDevice device() { return w.device(); }

                    @Override
                    public void inject(byte[] buf, int off, int len) throws IOException {
                        injected.add(Arrays.copyOfRange(buf, off, off + len));
                        w.inject(buf, off, len);
                    }

                    @Override
                    public int collect(byte[] buf, int off, int timeoutMillis) throws IOException {
                        int len = w.collect(buf, off, timeoutMillis);
                        if (len > 0) {
                            collected.add(Arrays.copyOfRange(buf, off, off + len));
                        }
                        return len;
                    }

                    @Override
                    public void close() throws IOException { w.close(); }
                };
            }

            @Override
            public Bind openBind() throws IOException { return io.openBind(); }

            @Override
            public byte[] bindAddress() { return io.bindAddress(); }
        };
        // 96 rounds: strays at rounds 16, 48 and 80 (a router solicitation, an mDNS query, a solicitation)
        new Warmup("wt6", recording, SystemClock.INSTANCE, new SecureRandom()).run(96, 600_000_000_000L);
        assertThat(injected.stream().filter(WarmupTest::multicast))
                .extracting(p -> p[0] >>> 4)
                .containsExactly(6, 4, 6);
        assertThat(collected).as("packets that came out at a far end").isNotEmpty().noneMatch(WarmupTest::multicast);
    }

    @Test
    void strayPacketsAreWellFormed() {
        byte[] b = new byte[48];
        int len = Warmup.stray(b, 0);
        assertThat(len).isEqualTo(48);
        assertThat(b[0] >>> 4).isEqualTo(6);
        assertThat(((b[4] & 0xff) << 8 | (b[5] & 0xff)) + 40).as("IPv6 payload length").isEqualTo(len);
        assertThat(b[40] & 0xff).as("ICMPv6 router solicitation").isEqualTo(133);
        len = Warmup.stray(b, 1);
        assertThat(len).isEqualTo(40);
        assertThat(b[0]).isEqualTo((byte) 0x45);
        assertThat((b[2] & 0xff) << 8 | (b[3] & 0xff)).as("IPv4 total length").isEqualTo(len);
        assertThat((b[24] & 0xff) << 8 | (b[25] & 0xff)).as("UDP length").isEqualTo(len - 20);
    }

    /** An IPv6 packet to ff00::/8 or an IPv4 packet to 224.0.0.0/4. */
    static boolean multicast(byte[] p) {
        return p[0] >>> 4 == 6 ? (p[24] & 0xff) == 0xff : (p[16] & 0xf0) == 0xe0;
    }

    @Test
    void theFirstLifeRunsOnTheGivenClockAndTheLongerOnesJump() {
        assertThat(Warmup.warps(Warmup.sessionRounds(0))).as("64 round trips: no jump, the real clock").isFalse();
        for (int s = 1; s < 8; s++) {
            assertThat(Warmup.warps(Warmup.sessionRounds(s))).as("life %d", s).isTrue();
        }
    }

    @Test
    void theTimeBudgetEndsARunWithoutARoundLimit() throws IOException {
        Warmup w = new Warmup("wt2", io, SystemClock.INSTANCE, new SecureRandom());
        // Returns at all only because the budget ends it: no round limit.
        assertThat(w.run(Integer.MAX_VALUE, 300_000_000L)).isPositive();
    }

    @Test
    void theStopRuleIsTheRoundLimitOrTheBudgetWhicheverComesFirst() {
        FakeClock clock = new FakeClock();
        Warmup w = new Warmup("wt5", io, clock, new SecureRandom());
        Warmup.Stop byBudget = w.fixed(Integer.MAX_VALUE, 300_000_000L);
        assertThat(byBudget.done(1_000_000)).isFalse();
        clock.advanceMillis(299);
        assertThat(byBudget.done(1_000_000)).isFalse();
        clock.advanceMillis(1);
        assertThat(byBudget.done(0)).isTrue();
        Warmup.Stop byRounds = w.fixed(96, 300_000_000L);
        assertThat(byRounds.done(95)).isFalse();
        assertThat(byRounds.done(96)).isTrue();
    }

    @Test
    void failsWhenTheIoCannotBeSetUpAndClosesWhatItOpened() {
        Warmup.Io noSocket = new Warmup.Io() {
            @Override
            public Warmup.Wire openWire(String name, int mtu) throws IOException { return io.openWire(name, mtu); }

            @Override
            public Bind openBind() throws IOException { throw new IOException("loopback is down"); }

            @Override
            public byte[] bindAddress() { return io.bindAddress(); }
        };
        assertThatThrownBy(() -> new Warmup("wt3", noSocket, SystemClock.INSTANCE, new SecureRandom()).run(16, 600_000_000_000L))
                .isInstanceOf(IOException.class);
        assertThat(tuns).hasSize(2).allMatch(t -> t.closed);
    }

    @Test
    void modesAreReadFromTheSetting() {
        assertThat(Warmup.Mode.parse(null)).isEqualTo(Warmup.Mode.BRIEF);
        for (String off : List.of("0", "false", "OFF", " off ")) {
            assertThat(Warmup.Mode.parse(off)).as(off).isEqualTo(Warmup.Mode.OFF);
        }
        for (String brief : List.of("1", "true", "on", "Brief", "")) {
            assertThat(Warmup.Mode.parse(brief)).as(brief).isEqualTo(Warmup.Mode.BRIEF);
        }
        assertThat(Warmup.Mode.parse("full")).isEqualTo(Warmup.Mode.FULL);
        assertThat(Warmup.Mode.parse("FULL")).isEqualTo(Warmup.Mode.FULL);
        assertThat(Warmup.Mode.parse("fast")).isNull();
        assertThat(Warmup.Mode.parse("2")).isNull();
    }

    @Test
    void theSystemPropertyIsTheSetting() {
        String old = System.getProperty("jwg.warmup");
        try {
            System.setProperty("jwg.warmup", "full");
            assertThat(Warmup.Mode.parse(Warmup.setting())).isEqualTo(Warmup.Mode.FULL);
            System.setProperty("jwg.warmup", "false");
            assertThat(Warmup.Mode.parse(Warmup.setting())).isEqualTo(Warmup.Mode.OFF);
            System.setProperty("jwg.warmup", "sometimes");
            assertThat(Warmup.setting()).isEqualTo("sometimes");
            assertThat(Warmup.Mode.parse(Warmup.setting())).isNull();
        } finally {
            if (old == null) {
                System.clearProperty("jwg.warmup");
            } else {
                System.setProperty("jwg.warmup", old);
            }
        }
    }

    @Test
    void aSettlingLifeFollowsAnEarlierRunOnFreshDevices() throws Exception {
        Warmup w = new Warmup("wt7", io, SystemClock.INSTANCE, new SecureRandom());
        w.run(64, 600_000_000_000L);
        // 64 rounds: 8 burst cycles of 12 packets, there and back; most arrive, as above.
        assertThat(w.runSettle()).isBetween(8 * 12 * 2 / 2, 8 * 12 * 2);
        // a second pair of devices, and everything closed again
        assertThat(tuns).hasSize(4).allMatch(t -> t.closed);
        assertThat(binds).hasSize(4).allMatch(b -> b.closed);
    }

    @Test
    void theSettlingLifeRunsOnTheGivenClock() {
        // It links the calls of the code real packets will run, so it must not warp time.
        assertThat(Warmup.warps(Warmup.SETTLE_ROUNDS)).isFalse();
        assertThat(Warmup.sessionRounds(0)).isEqualTo(Warmup.SETTLE_ROUNDS);
    }

    static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).toList();
    }
}
