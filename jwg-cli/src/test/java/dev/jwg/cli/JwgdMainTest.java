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
        assertThat(JwgdMain.aotTraining()).isZero();
    }
}
