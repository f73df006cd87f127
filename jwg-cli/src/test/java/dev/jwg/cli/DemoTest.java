package dev.jwg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of {@code jwg demo} that need no root: command display and iperf3 parsing. */
class DemoTest {

    @Test
    void commandsAreShownAsAShellWouldNeedThem() {
        assertThat(DemoShell.display(List.of("ip", "netns", "exec", "jwg-demo-a", "ping", "-c", "3", "10.227.0.2")))
                .isEqualTo("ip netns exec jwg-demo-a ping -c 3 10.227.0.2");
        assertThat(DemoShell.display(List.of("ss", "-Htln", "sport = :5201"))).isEqualTo("ss -Htln 'sport = :5201'");
        assertThat(DemoShell.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(DemoShell.quote("")).isEqualTo("''");
        assertThat(DemoShell.quote("+9SlSGjQ0xQTvxyIkVdPycjzTkbx9W1qqrtWAgGTRzc=")).isEqualTo("+9SlSGjQ0xQTvxyIkVdPycjzTkbx9W1qqrtWAgGTRzc=");
    }

    @Test
    void iperfReceiverRateInMbits() {
        String out = """
                [ ID] Interval           Transfer     Bitrate         Retr
                [  5]   0.00-3.00   sec   345 MBytes   965 Mbits/sec   21             sender
                [  5]   0.00-3.04   sec   341 MBytes   941 Mbits/sec                  receiver
                """;
        assertThat(Demo.receiverMbits(out).getAsDouble()).isEqualTo(941.0);
        assertThat(Demo.receiverMbits("[  5]   0.00-3.04   sec  3.1 GBytes  1.25 Gbits/sec   receiver").getAsDouble()).isEqualTo(1250.0);
        assertThat(Demo.receiverMbits("iperf3: error - unable to connect")).isEmpty();
    }

    @Test
    void namesCannotClashWithRealInterfaces() {
        for (String ifname : Demo.INTERFACES) {
            assertThat(ifname).startsWith("jwgdemo").hasSizeLessThanOrEqualTo(15);
        }
        for (String ns : Demo.NAMESPACES) {
            assertThat(ns).startsWith("jwg-demo-");
        }
    }
}
