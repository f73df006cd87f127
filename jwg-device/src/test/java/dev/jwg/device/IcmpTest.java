package dev.jwg.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.testkit.Packets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IcmpTest {
    final byte[] out = new byte[Icmp.SCRATCH];

    static byte[] v6(int nextHeader, int firstPayloadByte) {
        byte[] src = new byte[16];
        byte[] dst = new byte[16];
        src[0] = (byte) 0xfd;
        src[15] = 1;
        dst[0] = (byte) 0xfd;
        dst[15] = 9;
        byte[] b = Packets.ipv6(src, dst, 1, 24);
        byte[] p = Arrays.copyOfRange(b, Packets.HEADROOM, Packets.HEADROOM + 64);
        p[6] = (byte) nextHeader;
        p[40] = (byte) firstPayloadByte;
        return p;
    }

    @Test
    void ipv6AddressUnreachableWithValidChecksum() {
        byte[] p = v6(17, 0);
        int n = Icmp.unreachable(p, 0, p.length, out);
        assertThat(n).isPositive();
        byte[] a = Arrays.copyOf(out, n);
        assertThat(a[6]).as("ICMPv6").isEqualTo((byte) 58);
        assertThat(Arrays.copyOfRange(a, 8, 24)).as("from the unreachable destination").isEqualTo(Arrays.copyOfRange(p, 24, 40));
        assertThat(Arrays.copyOfRange(a, 24, 40)).as("to the sender").isEqualTo(Arrays.copyOfRange(p, 8, 24));
        assertThat(a[40]).isEqualTo((byte) 1);
        assertThat(a[41]).isEqualTo((byte) 3);
        int payload = ((a[4] & 0xff) << 8) | (a[5] & 0xff);
        assertThat(payload).isEqualTo(8 + p.length);
        long pseudo = 0;
        for (int i = 8; i < 40; i += 2) {
            pseudo += ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
        }
        pseudo += payload + 58;
        assertThat(Icmp.checksum(a, 40, payload, pseudo)).isZero();
        assertThat(Arrays.copyOfRange(a, 48, 48 + p.length)).isEqualTo(p);
    }

    @Test
    void errorsAreNotAnsweredWithErrors() {
        byte[] icmp6Error = v6(58, 1);
        assertThat(Icmp.unreachable(icmp6Error, 0, icmp6Error.length, out)).isZero();
        byte[] echo = v6(58, 128);
        assertThat(Icmp.unreachable(echo, 0, echo.length, out)).isPositive();
        byte[] v4 = Arrays.copyOfRange(Packets.ipv4(Packets.addr(10, 0, 0, 1), Packets.addr(10, 0, 0, 9), 1, 20),
                Packets.HEADROOM, Packets.HEADROOM + 40);
        v4[9] = 1;
        v4[20] = 3;
        assertThat(Icmp.unreachable(v4, 0, v4.length, out)).as("ICMP dest unreachable").isZero();
        v4[20] = 8;
        assertThat(Icmp.unreachable(v4, 0, v4.length, out)).as("echo request").isPositive();
        byte[] multicast = Arrays.copyOfRange(Packets.ipv4(Packets.addr(10, 0, 0, 1), Packets.addr(224, 0, 0, 1), 1, 20),
                Packets.HEADROOM, Packets.HEADROOM + 40);
        assertThat(Icmp.unreachable(multicast, 0, multicast.length, out)).isZero();
        assertThat(Icmp.unreachable(new byte[] {0x45}, 0, 1, out)).isZero();
        assertThat(Icmp.unreachable(new byte[0], 0, 0, out)).isZero();
    }
}
