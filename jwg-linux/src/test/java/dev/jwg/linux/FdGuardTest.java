package dev.jwg.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FdGuardTest {

    @Test
    void releasesOnceWhenIdle() {
        AtomicInteger released = new AtomicInteger();
        AtomicInteger woken = new AtomicInteger();
        FdGuard guard = new FdGuard(released::incrementAndGet);
        assertThat(guard.close(woken::incrementAndGet)).isTrue();
        assertThat(guard.close(woken::incrementAndGet)).isFalse();
        assertThat(released).hasValue(1);
        assertThat(woken).hasValue(1);
        assertThat(guard.enter()).isFalse();
        assertThat(guard.isClosed()).isTrue();
    }

    @Test
    void releasesWhenTheLastUserLeaves() {
        AtomicInteger released = new AtomicInteger();
        FdGuard guard = new FdGuard(released::incrementAndGet);
        assertThat(guard.enter()).isTrue();
        assertThat(guard.enter()).isTrue();
        guard.close(() -> assertThat(released).hasValue(0));
        assertThat(released).hasValue(0);
        guard.exit();
        assertThat(released).hasValue(0);
        guard.exit();
        assertThat(released).hasValue(1);
    }

    @Test
    void releasesExactlyOnceUnderContention() throws Exception {
        for (int round = 0; round < 200; round++) {
            AtomicInteger released = new AtomicInteger();
            FdGuard guard = new FdGuard(released::incrementAndGet);
            Thread[] users = new Thread[4];
            for (int t = 0; t < users.length; t++) {
                users[t] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 1000 && guard.enter(); i++) {
                        assertThat(released).hasValue(0);
                        guard.exit();
                    }
                });
            }
            guard.close(() -> { });
            for (Thread t : users) {
                t.join();
            }
            assertThat(released).hasValue(1);
        }
    }
}
