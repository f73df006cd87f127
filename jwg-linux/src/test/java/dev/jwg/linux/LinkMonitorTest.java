package dev.jwg.linux;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwg.device.io.PacketBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** rtnetlink link events of real TUN devices (root only). */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinkMonitorTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void needRoot() {
        assumeTrue(Shell.rootTestsPossible(), "needs root, /dev/net/tun and iproute2");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private <T extends AutoCloseable> T later(T resource) {
        cleanup.add(resource);
        return resource;
    }

    /** Runs a monitor's poll loop on its own thread, queueing every event. */
    private static final class Recorder implements LinkMonitor.Listener {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> finished = new CompletableFuture<>();

        Recorder(LinkMonitor monitor) {
            this(monitor, "link-monitor-test");
        }

        Recorder(LinkMonitor monitor, String threadName) {
            Thread.ofPlatform().daemon().name(threadName).start(() -> {
                try {
                    monitor.poll(this);
                    finished.complete(null);
                } catch (Throwable t) {
                    finished.completeExceptionally(t);
                }
            });
        }

        @Override
        public void linkChanged(LinkMonitor.LinkState state) {
            events.add(state);
        }

        @Override
        public void linkRemoved(LinkMonitor.Removal removal) {
            events.add(removal);
        }

        /** The next state event, skipping none; fails after 15 s. */
        LinkMonitor.LinkState state() throws InterruptedException {
            Object e = events.poll(15, SECONDS);
            assertThat(e).as("next event").isInstanceOf(LinkMonitor.LinkState.class);
            return (LinkMonitor.LinkState) e;
        }

        /** Skips state events until one matches. */
        LinkMonitor.LinkState stateWhere(java.util.function.Predicate<LinkMonitor.LinkState> p) throws InterruptedException {
            long deadline = System.nanoTime() + SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                Object e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e instanceof LinkMonitor.LinkState s && p.test(s)) {
                    return s;
                }
                assertThat(e).as("unexpected removal").isNotInstanceOf(LinkMonitor.Removal.class);
            }
            throw new AssertionError("no matching link state within 15 s");
        }

        LinkMonitor.Removal removal() throws InterruptedException {
            long deadline = System.nanoTime() + SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                Object e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e instanceof LinkMonitor.Removal r) {
                    return r;
                }
            }
            throw new AssertionError("no removal within 15 s");
        }
    }

    private LinuxTun tun(int mtu) throws Exception {
        String name = Shell.unique("jwgm");
        LinuxTun tun = later(LinuxTun.create(name, mtu));
        later(() -> Shell.quietly("ip", "link", "del", name));
        return tun;
    }

    @Test
    void reportsUpDownMtuAndDeletion() throws Exception {
        LinuxTun tun = tun(1420);
        LinkMonitor monitor = later(LinkMonitor.open(tun.ifIndex()));
        Recorder recorder = new Recorder(monitor);

        LinkMonitor.LinkState initial = recorder.state();
        assertThat(initial.ifIndex()).isEqualTo(tun.ifIndex());
        assertThat(initial.name()).isEqualTo(tun.name());
        assertThat(initial.mtu()).isEqualTo(1420);
        assertThat(initial.isUp()).isFalse();

        Shell.run("ip", "link", "set", tun.name(), "up");
        assertThat(recorder.stateWhere(LinkMonitor.LinkState::isRunning).isUp()).isTrue();

        Shell.run("ip", "link", "set", tun.name(), "mtu", "1300");
        assertThat(recorder.stateWhere(s -> s.mtu() == 1300).isRunning()).isTrue();

        Shell.run("ip", "link", "set", tun.name(), "down");
        assertThat(recorder.stateWhere(s -> !s.isUp()).isRunning()).isFalse();

        Shell.run("ip", "link", "del", tun.name());
        LinkMonitor.Removal removal = recorder.removal();
        assertThat(removal.moved()).isFalse();
        assertThat(removal.name()).isEqualTo(tun.name());
        recorder.finished.get(30, SECONDS); // poll returns after a removal
        assertThat(tun.isDeleted()).isTrue();
    }

    @Test
    void closeStopsPolling() throws Exception {
        LinuxTun tun = tun(0);
        LinkMonitor monitor = LinkMonitor.open(tun.ifIndex());
        Recorder recorder = new Recorder(monitor, "jwgm-poll-close");
        recorder.state();
        Shell.awaitSleepingInKernel("jwgm-poll-close");
        assertThat(recorder.finished).isNotDone();
        monitor.close();
        recorder.finished.get(30, SECONDS);
    }

    @Test
    void reportsAnUnknownIndexAsRemoved() throws Exception {
        try (LinkMonitor monitor = LinkMonitor.open(0x7ffffff0)) {
            Recorder recorder = new Recorder(monitor);
            assertThat(recorder.removal().moved()).isFalse();
        }
    }

    @Test
    void tellsAMoveToAnotherNamespaceFromADeletionAndFollowsTheTun() throws Exception {
        LinuxTun tun = tun(1420);
        LinkMonitor here = later(LinkMonitor.open(tun.ifIndex()));
        Recorder recorder = new Recorder(here);
        recorder.state();

        Shell.Namespace ns = later(new Shell.Namespace());
        Shell.run("ip", "link", "set", tun.name(), "netns", ns.name);
        LinkMonitor.Removal removal = recorder.removal();
        assertThat(removal.moved()).as("moved, not deleted").isTrue();
        assertThat(removal.newIfIndex()).isPositive();
        assertThat(tun.isDeleted()).isFalse();

        // Follow it into its new namespace.
        LinkMonitor there = later(LinkMonitor.open(tun));
        assertThat(there.ifIndex()).isEqualTo(removal.newIfIndex());
        Recorder followed = new Recorder(there);
        assertThat(followed.state().isUp()).isFalse();
        ns.run("ip", "link", "set", tun.name(), "up");
        assertThat(followed.stateWhere(LinkMonitor.LinkState::isRunning).name()).isEqualTo(tun.name());
        ns.run("ip", "link", "set", tun.name(), "mtu", "1280");
        followed.stateWhere(s -> s.mtu() == 1280);
        assertThat(tun.mtu()).isEqualTo(1280);

        ns.run("ip", "link", "del", tun.name());
        assertThat(followed.removal().moved()).isFalse();
        assertThat(tun.isDeleted()).isTrue();
        assertThat(tun.read(PacketBatch.allocate(1, 1500))).isEqualTo(-1);
    }
}
