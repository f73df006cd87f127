package dev.jwg.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.routing.IpPrefix;
import dev.jwg.core.testkit.Packets;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.core.wire.LittleEndian;
import dev.jwg.core.wire.Messages;
import dev.jwg.device.io.Endpoint;
import java.io.OutputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One device with many crypto workers sending to three peers at once, each also with many workers:
 * every peer's packets must leave in counter order (a recording network sees each peer's transport
 * counters strictly increasing) and reach the far TUN in the order they were read from the near
 * one, although the batches of all three peers are sealed and opened in parallel. No sleeps: the
 * test waits for the packets themselves, with generous deadlines.
 */
class ParallelOrderTest {
    static final int WORKERS = 8;
    static final int PEERS = 3;
    static final int PACKETS = 600;

    final MemoryNetwork net = new MemoryNetwork();
    final SecureRandom rng = new SecureRandom();
    final List<Device> devices = new ArrayList<>();
    static final Log SILENT = new Log(Log.Level.SILENT, "order", new PrintStream(OutputStream.nullOutputStream()));

    @AfterEach
    void tearDown() {
        devices.forEach(Device::close);
    }

    private Device device(String name, MemoryNetwork.MemoryTun tun, byte[] address, int port) throws Exception {
        Device d = new Device(name, tun, net.opener(address), SystemClock.INSTANCE, rng, SILENT, AeadBackend.JDK, WORKERS);
        devices.add(d);
        d.node().setPrivateKey(PrivateKey.generate(rng));
        d.setListenPort(port);
        d.start();
        d.setLinkUp(true);
        return d;
    }

    private static void connect(Device from, Device to, byte[] toAddress, int toPort, int tunnelHost) {
        Peer p = from.node().addPeer(to.node().publicKey().orElseThrow(), from.configTransmit()).orElseThrow();
        from.setEndpoint(p, new Endpoint(4, toAddress, toPort, 0, null, 0));
        from.node().allowedIps().insert(IpPrefix.of(new byte[] {10, 0, 0, (byte) tunnelHost}, 32), p);
    }

    @Test
    void eachPeersPacketsKeepTheirOrderThroughParallelCrypto() throws Exception {
        burstKeepsOrder(null);
    }

    /**
     * Reads alternate between jobs small enough for the reading thread to seal or open itself
     * ({@link DataPath#INLINE_MAX}) and jobs for the workers, on the hub's TUN and on every UDP
     * socket: a small job read after a large one must still be posted after it.
     */
    @Test
    void orderHoldsWhenSmallJobsRunOnTheReadingThreadAndLargeOnesOnWorkers() throws Exception {
        int small = DataPath.INLINE_MAX;
        burstKeepsOrder(new int[] {1, 37, small, 1, 128, small, 60, 1, small + 1});
    }

    private void burstKeepsOrder(int[] readLimits) throws Exception {
        net.bindLimits = readLimits;
        MemoryNetwork.MemoryTun hubTun = new MemoryNetwork.MemoryTun("hub");
        hubTun.limits = readLimits;
        byte[] hubAddress = {(byte) 192, 0, 2, 100};
        Device hub = device("hub", hubTun, hubAddress, 51820);
        MemoryNetwork.MemoryTun[] tuns = new MemoryNetwork.MemoryTun[PEERS];
        int[] ports = new int[PEERS];
        for (int k = 0; k < PEERS; k++) {
            tuns[k] = new MemoryNetwork.MemoryTun("spoke" + k);
            byte[] address = {(byte) 192, 0, 2, (byte) (1 + k)};
            ports[k] = 51821 + k;
            Device spoke = device("spoke" + k, tuns[k], address, ports[k]);
            connect(hub, spoke, address, ports[k], 1 + k);
            connect(spoke, hub, hubAddress, 51820, 100);
        }
        // First a packet each, so that every session exists before the burst (nothing is staged).
        for (int k = 0; k < PEERS; k++) {
            byte[] p = packet(k, -1);
            hubTun.fromKernel.add(p);
            assertThat(tuns[k].toKernel.poll(10, TimeUnit.SECONDS)).as("first packet to spoke %d", k).isEqualTo(p);
        }
        net.sent.clear();
        net.recording = true;
        // The burst: the three peers' packets interleaved, read by the hub in batches of up to 128.
        for (int seq = 0; seq < PACKETS; seq++) {
            for (int k = 0; k < PEERS; k++) {
                hubTun.fromKernel.add(packet(k, seq));
            }
        }
        for (int k = 0; k < PEERS; k++) {
            for (int seq = 0; seq < PACKETS; seq++) {
                byte[] got = tuns[k].toKernel.poll(10, TimeUnit.SECONDS);
                assertThat(got).as("spoke %d, packet %d", k, seq).isNotNull();
                assertThat(sequence(got)).as("spoke %d: the packets in the order they were read", k).isEqualTo(seq);
            }
        }
        Map<Integer, Long> lastCounter = new HashMap<>();
        Map<Integer, Integer> dataPerPeer = new HashMap<>();
        synchronized (net.sent) {
            for (MemoryNetwork.Sent s : net.sent) {
                if (s.fromPort() != 51820 || Messages.typeOf(s.payload(), 0, s.payload().length) != Messages.TYPE_TRANSPORT) {
                    continue;
                }
                long counter = LittleEndian.getLong(s.payload(), Messages.TRANSPORT_COUNTER);
                Long before = lastCounter.put(s.toPort(), counter);
                assertThat(before == null || Long.compareUnsigned(counter, before) > 0)
                        .as("to port %d: counter %d after %d", s.toPort(), counter, before).isTrue();
                dataPerPeer.merge(s.toPort(), 1, Integer::sum);
            }
        }
        for (int k = 0; k < PEERS; k++) {
            assertThat(dataPerPeer.get(ports[k])).as("datagrams to spoke %d", k).isGreaterThanOrEqualTo(PACKETS);
        }
    }

    /** An IPv4 packet from the hub to spoke {@code k} whose payload starts with {@code seq}. */
    private static byte[] packet(int k, int seq) {
        byte[] b = Packets.ipv4(Packets.addr(10, 0, 0, 100), Packets.addr(10, 0, 0, 1 + k), seq, 200);
        return Arrays.copyOfRange(b, Packets.HEADROOM, Packets.HEADROOM + 220);
    }

    private static int sequence(byte[] p) {
        return ((p[20] & 0xff) << 24) | ((p[21] & 0xff) << 16) | ((p[22] & 0xff) << 8) | (p[23] & 0xff);
    }
}
