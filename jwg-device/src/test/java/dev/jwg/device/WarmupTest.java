package dev.jwg.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.tunnel.Node;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class WarmupTest {
    @Test
    void everyPacketOfEveryRoundTripIsDelivered() {
        Warmup w = new Warmup(SystemClock.INSTANCE, new SecureRandom(), Node::new);
        // three sizes, both directions: six packets per round
        assertThat(w.run(50, 60_000_000_000L)).isEqualTo(50 * 6);
    }

    @Test
    void theTimeBudgetBoundsTheRun() {
        Warmup w = new Warmup(SystemClock.INSTANCE, new SecureRandom(), Node::new);
        int delivered = w.run(Integer.MAX_VALUE, 200_000_000L);
        assertThat(delivered).isPositive().isLessThan(Integer.MAX_VALUE);
    }
}
