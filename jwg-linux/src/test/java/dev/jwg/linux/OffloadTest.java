package dev.jwg.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class OffloadTest {
    @Test
    void onUnlessSwitchedOff() {
        assertThat(Offload.enabled(null, null)).isTrue();
        assertThat(Offload.enabled(null, "1")).isTrue();
        for (String off : new String[] {"0", "false", "OFF", " no "}) {
            assertThat(Offload.enabled(off, null)).as(off).isFalse();
            assertThat(Offload.enabled(null, off)).as(off).isFalse();
        }
        assertThat(Offload.enabled("true", "0")).as("the property wins").isTrue();
        assertThat(Offload.enabled("false", "1")).isFalse();
    }

    @Test
    void describesSetsForLogs() {
        assertThat(Offload.describe(EnumSet.noneOf(Offload.class))).isEqualTo("none");
        assertThat(Offload.describe(EnumSet.of(Offload.VNET_HDR, Offload.TSO4, Offload.UDP_GRO))).isEqualTo("vnet_hdr tso4 udp_gro");
    }
}
