package dev.jwg.cli.wg;

import dev.jwg.config.KeyText;
import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.routing.IpPrefix;
import dev.jwg.linux.Errno;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Shared test data: a device with four peers, a fake daemon set, a context capturing the streams. */
final class Fixtures {
    private Fixtures() {}

    static final long NOW = 1_700_000_000L;

    /** RFC 7748 §6.1 Alice: private key (unclamped) and its public key. */
    static final String ALICE_PRIVATE = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
    static final String ALICE_PUBLIC = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=";
    static final String K1 = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    static final String K2 = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
    static final String K3 = "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=";
    static final String K4 = "BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ=";
    static final String PSK = "ERERERERERERERERERERERERERERERERERERERERERE=";

    static IpPrefix prefix(String s) {
        return IpPrefix.parseAsWritten(s);
    }

    static PeerSnapshot peer(String pub, String psk, String endpoint, long sec, long rx, long tx, int keepalive,
            String... ips) {
        List<IpPrefix> list = new ArrayList<>();
        for (String ip : ips) {
            list.add(prefix(ip));
        }
        return new PeerSnapshot(KeyText.pub(pub), psk == null ? PresharedKey.ZERO : KeyText.psk(psk), Optional.ofNullable(endpoint), sec,
                sec == 0 ? 0 : 123_456_789, tx, rx, keepalive, list);
    }

    /**
     * wg0 in the daemon's order: K1 (handshake 90 s ago, PSK, traffic, keepalive), K2 (nothing), K3
     * (handshake 5 s ago, link-local endpoint by index), K4 (never, one allowed IP).
     */
    static DeviceSnapshot wg0() {
        return new DeviceSnapshot(Optional.of(KeyText.priv(ALICE_PRIVATE)), 51820, 0x1234, List.of(
                peer(K1, PSK, "192.0.2.7:51820", NOW - 90, 1260, 4781506, 25, "10.0.0.2/32", "fd00::2/128"),
                peer(K2, null, null, 0, 0, 0, 0),
                peer(K3, null, "[fe80::1%7]:5", NOW - 5, 0, 0, 0, "10.0.1.0/24"),
                peer(K4, null, null, 0, 0, 0, 0, "10.0.2.0/24")));
    }

    /** A device with nothing configured. */
    static DeviceSnapshot empty() {
        return new DeviceSnapshot(Optional.empty(), 0, 0, List.of());
    }

    /** Daemons in memory: a list order, snapshots, and the set requests received. */
    static final class FakeUapi implements Uapi {
        final Map<String, DeviceSnapshot> devices = new LinkedHashMap<>();
        final Map<String, Integer> failing = new HashMap<>();
        final List<String> listed = new ArrayList<>();
        final List<String> sets = new ArrayList<>();

        FakeUapi add(String name, DeviceSnapshot d) {
            devices.put(name, d);
            listed.add(name);
            return this;
        }

        @Override
        public List<String> interfaces() {
            return List.copyOf(listed);
        }

        @Override
        public DeviceSnapshot get(String ifname) throws Failure {
            if (failing.containsKey(ifname)) {
                throw new Failure(failing.get(ifname));
            }
            DeviceSnapshot d = devices.get(ifname);
            if (d == null) {
                throw new Failure(Errno.ENODEV);
            }
            return d;
        }

        @Override
        public void set(String ifname, String body) throws Failure {
            if (!devices.containsKey(ifname)) {
                throw new Failure(Errno.ENODEV);
            }
            sets.add(body);
        }
    }

    /** A context over captured streams. */
    static final class Run {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final FakeUapi uapi;
        final Map<String, String> env = new HashMap<>();
        final Map<String, InetAddress[]> hosts = new HashMap<>();
        byte[] stdin = new byte[0];
        boolean terminal;
        boolean worldAccessible;
        final List<Long> sleeps = new ArrayList<>();
        java.util.random.RandomGenerator random = new SplittableRandom(7);

        Run(FakeUapi uapi) {
            this.uapi = uapi;
        }

        Run() {
            this(new FakeUapi());
        }

        WgContext context() {
            return new WgContext("wg", new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(stdin), env::get,
                    () -> NOW, uapi, terminal, () -> worldAccessible, EndpointTextTest.SCOPES, Services.SYSTEM,
                    host -> {
                        InetAddress[] a = hosts.get(host);
                        if (a == null) {
                            throw new UnknownHostException(host + ": Name or service not known");
                        }
                        return a;
                    }, sleeps::add, random);
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }
}
