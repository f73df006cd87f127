package dev.jwg.linux;

import static dev.jwg.linux.LinuxUdpBindTest.ip;
import static dev.jwg.linux.LinuxUdpBindTest.put;
import static dev.jwg.linux.LinuxUdpBindTest.receive;
import static dev.jwg.linux.LinuxUdpBindTest.sendOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwg.device.io.PacketBatch;
import dev.jwg.device.io.Endpoint;
import dev.jwg.linux.LinuxUdpBindTest.Received;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * UDP sockets inside a private network namespace whose loopback carries two IPv4 and two IPv6
 * addresses from the documentation ranges (root only): sticky source addresses, an address that
 * disappears, and a firewall that rejects one destination.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinuxUdpBindNetnsTest {
    private static final byte[] A4 = ip("192.0.2.1");
    private static final byte[] B4 = ip("192.0.2.2");
    private static final byte[] A6 = ip("2001:db8::1");
    private static final byte[] B6 = ip("2001:db8::2");

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private Shell.Namespace ns;
    private LinuxUdpBind a;
    private LinuxUdpBind b;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Shell.rootTestsPossible(), "needs root and iproute2");
        ns = later(new Shell.Namespace());
        ns.run("ip", "link", "set", "lo", "up");
        ns.run("ip", "addr", "add", "192.0.2.1/32", "dev", "lo");
        ns.run("ip", "addr", "add", "192.0.2.2/32", "dev", "lo");
        ns.run("ip", "-6", "addr", "add", "2001:db8::1/128", "dev", "lo", "nodad");
        ns.run("ip", "-6", "addr", "add", "2001:db8::2/128", "dev", "lo", "nodad");
        int nsFd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            nsFd = Libc.check(Libc.open(state, arena.allocateFrom("/run/netns/" + ns.name), Libc.O_CLOEXEC, 0), "open", state);
        }
        try {
            a = later(LinuxUdpBind.open(0, nsFd));
            b = later(LinuxUdpBind.open(0, nsFd));
        } finally {
            Libc.closeQuietly(nsFd);
        }
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

    @Test
    void repliesFromTheAddressThePeerReachedUs() throws Exception {
        for (byte[][] pair : new byte[][][] {{A4, B4}, {A6, B6}}) {
            byte[] first = pair[0];
            byte[] second = pair[1];
            // a reaches b on its second address; b learns that and answers from it.
            sendOne(a, "hello", second, b.port(), first);
            Received got = receive(b, 1, 1500).getFirst();
            assertThat(got.remoteText()).isEqualTo(LinuxUdpBindTest.text(first.length == 4 ? 4 : 6, first));
            assertThat(got.localText()).isEqualTo(LinuxUdpBindTest.text(second.length == 4 ? 4 : 6, second));

            PacketBatch in = PacketBatch.allocate(1, 1500);
            System.arraycopy(got.remote(), 0, in.remoteAddress(0), 0, 16);
            in.setRemote(0, got.family(), got.port());
            System.arraycopy(got.local(), 0, in.localAddress(0), 0, 16);
            in.setLocal(0, got.localFamily(), got.localIfIndex());
            Endpoint peer = Endpoint.from(in, 0);

            PacketBatch reply = PacketBatch.allocate(1, 1500);
            put(reply, 0, "reply", new byte[4], 0, null);
            peer.writeTo(reply, 0);
            reply.setCount(1);
            b.send(reply);
            Received back = receive(a, 1, 1500).getFirst();
            assertThat(back.payload()).isEqualTo("reply");
            assertThat(back.remoteText()).as("sticky source").isEqualTo(LinuxUdpBindTest.text(second.length == 4 ? 4 : 6, second));

            // Without the sticky source the kernel picks by route: the destination's own address here.
            sendOne(b, "unsticky", first, a.port(), null);
            assertThat(receive(a, 1, 1500).getFirst().remoteText())
                    .isEqualTo(LinuxUdpBindTest.text(first.length == 4 ? 4 : 6, first));
        }
    }

    @Test
    void fallsBackWhenTheStickyAddressIsRemoved() throws Exception {
        sendOne(a, "from .2", A4, b.port(), B4);
        sendOne(a, "from 6::2", A6, b.port(), B6);
        assertThat(receive(b, 2, 1500)).extracting(Received::payload, Received::remoteText)
                .containsExactly(tuple("from .2", "192.0.2.2"), tuple("from 6::2", "2001:db8:0:0:0:0:0:2"));
        ns.run("ip", "addr", "del", "192.0.2.2/32", "dev", "lo");
        ns.run("ip", "-6", "addr", "del", "2001:db8::2/128", "dev", "lo");
        sendOne(a, "v4 after removal", A4, b.port(), B4);
        sendOne(a, "v6 after removal", A6, b.port(), B6);
        assertThat(receive(b, 2, 1500)).extracting(Received::payload, Received::remoteText)
                .containsExactly(tuple("v4 after removal", "192.0.2.1"), tuple("v6 after removal", "2001:db8:0:0:0:0:0:1"));
    }

    @Test
    void skipsDatagramsAFirewallRejects() throws Exception {
        assumeTrue(Shell.onPath("nft"), "needs nft (Debian package nftables)");
        try (LinuxUdpBind blocked = LinuxUdpBind.open(0)) {
            int port = blocked.port(); // any port number; only the rule matters
            ns.run("nft", "add table inet jwgtest");
            ns.run("nft", "add chain inet jwgtest out { type filter hook output priority 0 ; }");
            ns.run("nft", "add rule inet jwgtest out udp dport " + port + " drop");
            PacketBatch out = PacketBatch.allocate(4, 1500);
            put(out, 0, "one", A4, b.port(), null);
            put(out, 1, "blocked v4", A4, port, null);
            put(out, 2, "blocked v6", A6, port, B6);
            put(out, 3, "two", A6, b.port(), null);
            out.setCount(4);
            a.send(out); // EPERM for the middle two, not an exception
            assertThat(receive(b, 2, 1500)).extracting(Received::payload).containsExactly("one", "two");
        }
    }
}
