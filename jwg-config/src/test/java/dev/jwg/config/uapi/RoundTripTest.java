package dev.jwg.config.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DeviceUpdate → what wg sends (rendered independently, {@link WgRenderer}) → parse → the same DeviceUpdate. */
class RoundTripTest {

    static byte[] randomKey(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return b;
    }

    static IpPrefix randomPrefix(Random r) {
        byte[] a = new byte[r.nextInt(3) == 0 ? 16 : 4];
        r.nextBytes(a);
        if (a.length == 16 && r.nextBoolean()) {
            a[2] = a[3] = a[4] = a[5] = a[6] = a[7] = 0;
        }
        return IpPrefix.ofAsWritten(a, r.nextInt(a.length * 8 + 1));
    }

    static UapiEndpoint randomEndpoint(Random r) {
        int port = r.nextInt(65536);
        return switch (r.nextInt(3)) {
            case 0 -> new UapiEndpoint(new byte[] {(byte) r.nextInt(), (byte) r.nextInt(), 2, 7}, Optional.empty(), port);
            case 1 -> UapiEndpoint.parse("[2001:db8::" + Integer.toHexString(r.nextInt(65536)) + "]:" + port).orElseThrow();
            default -> UapiEndpoint.parse("[fe80::" + Integer.toHexString(r.nextInt(65536)) + "%" + (1 + r.nextInt(99)) + "]:" + port).orElseThrow();
        };
    }

    /** A configuration file's content, as setconf/addconf would send it. */
    static DeviceUpdate randomFile(Random r) {
        DeviceUpdate.Builder d = DeviceUpdate.builder();
        if (r.nextBoolean()) {
            d.privateKey(PrivateKey.fromBytesAsWritten(randomKey(r)));
        }
        if (r.nextBoolean()) {
            d.listenPort(r.nextInt(65536));
        }
        if (r.nextBoolean()) {
            d.fwmark(r.nextInt()); // includes marks >= 2^31
        }
        int peers = r.nextInt(6);
        for (int i = 0; i < peers; i++) {
            PeerUpdate.Builder p = PeerUpdate.builder(PublicKey.fromBytes(randomKey(r))).replaceAllowedIps();
            if (r.nextBoolean()) {
                p.presharedKey(r.nextInt(4) == 0 ? PresharedKey.ZERO : PresharedKey.fromBytes(randomKey(r)));
            }
            if (r.nextBoolean()) {
                p.endpoint(randomEndpoint(r));
            }
            if (r.nextBoolean()) {
                p.persistentKeepalive(r.nextInt(65536));
            }
            int ips = r.nextInt(8);
            for (int j = 0; j < ips; j++) {
                p.addAllowedIp(randomPrefix(r));
            }
            d.peer(p.build());
        }
        return d.build();
    }

    /** What {@code wg set} may send: any item, incremental allowed-ips, remove, update_only. */
    static DeviceUpdate randomSet(Random r) {
        DeviceUpdate f = randomFile(r);
        DeviceUpdate.Builder d = DeviceUpdate.builder();
        f.privateKey().ifPresent(d::privateKey);
        f.listenPort().ifPresent(d::listenPort);
        f.fwmark().ifPresent(d::fwmark);
        if (r.nextInt(4) == 0) {
            d.replacePeers();
        }
        for (PeerUpdate p : f.peers()) {
            if (r.nextInt(4) == 0) {
                d.peer(PeerUpdate.builder(p.publicKey()).remove().build());
                continue;
            }
            PeerUpdate.Builder b = PeerUpdate.builder(p.publicKey());
            if (r.nextInt(3) == 0) {
                b.updateOnly();
            }
            p.presharedKey().ifPresent(b::presharedKey);
            p.endpoint().ifPresent(b::endpoint);
            p.persistentKeepalive().ifPresent(b::persistentKeepalive);
            if (r.nextBoolean()) {
                b.replaceAllowedIps();
            }
            for (AllowedIpChange c : p.allowedIps()) {
                if (r.nextBoolean()) {
                    b.removeAllowedIp(c.prefix());
                } else {
                    b.addAllowedIp(c.prefix());
                }
            }
            d.peer(b.build());
        }
        return d.build();
    }

    @Test
    void setconfRoundTrips() throws Exception {
        Random r = new Random(42);
        for (int i = 0; i < 500; i++) {
            DeviceUpdate file = randomFile(r);
            DeviceUpdate parsed = DeviceUpdate.parse(WgRenderer.setconf(file));
            // setconf always sends the device keys, zero when the file has none, and replace_peers.
            assertThat(parsed).isEqualTo(new DeviceUpdate(Optional.of(file.privateKey().orElse(PrivateKey.ZERO)),
                    OptionalInt.of(file.listenPort().orElse(0)), OptionalInt.of(file.fwmark().orElse(0)), true,
                    file.peers()));
        }
    }

    @Test
    void setAndAddconfRoundTrip() throws Exception {
        Random r = new Random(43);
        for (int i = 0; i < 1000; i++) {
            DeviceUpdate u = r.nextBoolean() ? randomFile(r) : randomSet(r);
            String wire = WgRenderer.set(u);
            assertThat(DeviceUpdate.parse(wire)).as(wire).isEqualTo(u);
        }
    }

    @Test
    void parsingCallsTheHandlerExactlyAsApplyingTheUpdateDoes() throws Exception {
        Random r = new Random(44);
        for (int i = 0; i < 300; i++) {
            DeviceUpdate u = randomSet(r);
            RecordingHandler replayed = new RecordingHandler();
            u.applyTo(replayed);
            RecordingHandler parsed = UapiSetParserTest.run(WgRenderer.set(u));
            assertThat(parsed.calls).isEqualTo(replayed.calls);
        }
    }

    @Test
    void netnsTest18OnePeerWith130560AllowedIps() throws Exception {
        // wg setconf with 255 × 256 × 2 allowed IPs on one peer, as the kernel's netns.sh does.
        PeerUpdate.Builder p = PeerUpdate.builder(PublicKey.fromBytes(randomKey(new Random(1)))).replaceAllowedIps();
        List<IpPrefix> expected = new ArrayList<>();
        for (int i = 0; i < 255; i++) {
            for (int j = 0; j < 256; j++) {
                expected.add(IpPrefix.parseAsWritten("192.168." + i + "." + j + "/32"));
                expected.add(IpPrefix.parseAsWritten("abcd::" + Integer.toHexString(i) + ":" + Integer.toHexString(j) + "/128"));
            }
        }
        expected.forEach(p::addAllowedIp);
        DeviceUpdate file = DeviceUpdate.builder().peer(p.build()).build();
        byte[] wire = WgRenderer.setconf(file).getBytes(StandardCharsets.US_ASCII);

        UapiRequestReader reader = new UapiRequestReader(new ByteArrayInputStream(wire));
        reader.next();
        DeviceUpdate parsed = reader.readSet();

        assertThat(parsed.peers()).singleElement().satisfies(peer -> {
            assertThat(peer.allowedIps()).hasSize(130_560);
            assertThat(peer.allowedIps().stream().map(AllowedIpChange::prefix).toList()).isEqualTo(expected);
        });
    }
}
