package dev.jwg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwg.linux.Native;
import org.junit.jupiter.api.Test;

/** The daemon's entry points that need no root and no interface. */
class JwgdMainTest {

    /** bin/jwgd records its ahead-of-time cache from this run; a failure leaves jwgd without it. */
    @Test
    void theAotTrainingRunWarmsUpAndSucceeds() {
        assumeTrue(Native.isAvailable(), "Linux bindings unavailable");
        long start = System.nanoTime();
        assertThat(JwgdMain.aotTraining()).isZero();
        assertThat((System.nanoTime() - start) / 1_000_000).as("bounded by the warm-up's budget").isLessThan(30_000);
    }
}
