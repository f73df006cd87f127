package dev.jwg.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.KeyFileReader;
import dev.jwg.config.networkd.NetdevParser;
import dev.jwg.config.networkd.NetworkParser;
import dev.jwg.config.networkd.NetworkdWriter;
import dev.jwg.config.wgquick.WgQuickParser;
import dev.jwg.config.wgquick.WgQuickWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded mutations of the realistic fixtures: every parser either refuses the text with a
 * {@link ConfigException} or accepts it, and then what it accepted survives its writer and parser
 * unchanged (and converts without failing). No other exception ever escapes. A plain seeded stand-in
 * until Jazzer fuzz tests exist for these parsers.
 */
class ParserRobustnessTest {
    private static final String[] FRAGMENTS = {
        "\n", "=", ",", " ", "\t", "#", ";", "\\", "\\\n", "[", "]", "/", ":", "%", "!", "*", "@", "-", "~",
        "0", "1", "65535", "65536", "4294967296", "0x", "off", "auto", "yes", "true", "main",
        "[Interface]\n", "[Peer]\n", "[NetDev]\n", "[WireGuard]\n", "[WireGuardPeer]\n", "[Match]\n", "[Route]\n",
        "[RoutingPolicyRule]\n", "[Link]\n", "[Address]\n", "X-", "PublicKey=", "AllowedIPs=", "Endpoint=",
        "Address=", "DNS=", "Table=", "Type=", "Family=", "From=", "Gateway=", "MTU=", "MTUBytes=",
        "PrivateKeyFile=/k\n", "oJXyD5OVZQz5OAuO2yJKaySKHpJOj9CuLhqUkqMwXxg=", "10.0.0.0/8", "fd00::/64",
        "::ffff:1.2.3.4", "[fe80::1%eth0]:51820", "host.example:1", "\u0000", "\u00e9", "\r",
    };

    private static final KeyFileReader KEYS = p -> "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaE=\n"
            .getBytes(StandardCharsets.US_ASCII);

    static String mutate(String text, Random r) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int li = r.nextInt(lines.size());
            String l = lines.get(li);
            switch (r.nextInt(6)) {
                case 0 -> lines.remove(li == 0 && lines.size() == 1 ? 0 : li);
                case 1 -> lines.add(li, lines.get(r.nextInt(lines.size())));
                case 2 -> {
                    int at = l.isEmpty() ? 0 : r.nextInt(l.length() + 1);
                    lines.set(li, l.substring(0, at) + FRAGMENTS[r.nextInt(FRAGMENTS.length)] + l.substring(at));
                }
                case 3 -> {
                    if (!l.isEmpty()) {
                        int at = r.nextInt(l.length());
                        lines.set(li, l.substring(0, at) + l.substring(Math.min(l.length(), at + 1 + r.nextInt(4))));
                    }
                }
                case 4 -> Collections.swap(lines, li, r.nextInt(lines.size()));
                default -> lines.set(li, l.toUpperCase());
            }
            if (lines.isEmpty()) {
                lines.add("");
            }
        }
        return String.join("\n", lines);
    }

    /** A parser of one file's text. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String text) throws ConfigException;
    }

    /** What must hold for every text the parser accepts. */
    @FunctionalInterface
    interface Accepted<T> {
        void check(String text, T parsed) throws ConfigException;
    }

    /**
     * 1500 seeded mutations of a fixture: each is refused with a message naming {@code fileName}, or
     * accepted and checked; more than 50 must be accepted, or the test would prove little.
     */
    private static <T> void mutations(String fixture, String fileName, Parser<T> parser, Accepted<T> accepted)
            throws Exception {
        String text = Fixtures.text(fixture);
        Random r = new Random(fixture.hashCode());
        int count = 0;
        for (int i = 0; i < 1500; i++) {
            String m = mutate(text, r);
            T parsed;
            try {
                parsed = parser.parse(m);
            } catch (ConfigException e) {
                assertThat(e.getMessage()).startsWith(fileName);
                continue;
            }
            count++;
            accepted.check(m, parsed);
        }
        assertThat(count).as("some mutations are still valid").isGreaterThan(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wgquick/hub0.conf", "wgquick/laptop.conf"})
    void wgQuick(String fixture) throws Exception {
        mutations(fixture, "wg0.conf", m -> WgQuickParser.parse("wg0.conf", m), (m, t) -> {
            assertThat(WgQuickParser.parse("wg0.conf", WgQuickWriter.toWgQuickString(t))).as(m).isEqualTo(t);
            assertThat(WgQuickParser.parse("wg0.conf", WgQuickWriter.toWgString(t))).as(m).isEqualTo(t.wgOnly());
            Convert.NetworkdFiles f = Convert.wgQuickToNetworkd(t);
            assertThat(NetdevParser.parse("wg0.netdev", f.netdev(), KEYS).peers()).isEqualTo(t.peers());
            assertThat(NetworkParser.parse("wg0.network", f.network())).isEqualTo(f.config().network().orElseThrow());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"networkd/80-wg0.netdev", "networkd/fulltunnel/90-wgc.netdev"})
    void netdev(String fixture) throws Exception {
        mutations(fixture, "80-wg0.netdev", m -> NetdevParser.parse("80-wg0.netdev", m, KEYS), (m, t) -> {
            assertThat(NetdevParser.parse("80-wg0.netdev", NetworkdWriter.toNetdevString(t), KEYS)).as(m).isEqualTo(t);
            Convert.WgQuickFile q = Convert.networkdToWgQuick(t);
            if (WgQuickParser.isValidInterfaceName(t.name())) {
                assertThat(WgQuickParser.parse(t.name() + ".conf", q.text())).isEqualTo(q.config());
            } else {
                assertThat(q.warnings()).anyMatch(w -> w.contains("cannot name a wg-quick file"));
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"networkd/80-wg0.network", "networkd/fulltunnel/90-wgc.network"})
    void network(String fixture) throws Exception {
        mutations(fixture, "80-wg0.network", m -> NetworkParser.parse("80-wg0.network", m), (m, n) -> {
            assertThat(NetworkParser.parse("80-wg0.network", NetworkdWriter.toNetworkString(n))).as(m).isEqualTo(n);
            TunnelConfig t = TunnelConfig.builder("wg0").network(n).build();
            Convert.WgQuickFile q = Convert.networkdToWgQuick(t);
            assertThat(WgQuickParser.parse("wg0.conf", q.text())).isEqualTo(q.config());
        });
    }
}
