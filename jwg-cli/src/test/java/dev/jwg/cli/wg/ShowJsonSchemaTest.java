package dev.jwg.cli.wg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The documented schema of {@code jwg show ... --json} (README, {@link ShowJson}): for the whole
 * device and for every field, the output parses as JSON and has exactly the documented keys with
 * values of the documented types. Key names are part of the interface: changing one breaks scripts.
 */
class ShowJsonSchemaTest {
    /** The device-level keys (besides "interface") and the peer-level keys (besides "publicKey") per field. */
    static final Map<String, List<Set<String>>> SCHEMA = new LinkedHashMap<>();

    static {
        SCHEMA.put("public-key", List.of(Set.of("publicKey"), Set.of()));
        SCHEMA.put("private-key", List.of(Set.of("privateKey"), Set.of()));
        SCHEMA.put("listen-port", List.of(Set.of("listenPort"), Set.of()));
        SCHEMA.put("fwmark", List.of(Set.of("fwmark"), Set.of()));
        SCHEMA.put("peers", List.of(Set.of("peers"), Set.of()));
        SCHEMA.put("preshared-keys", List.of(Set.of("peers"), Set.of("presharedKey")));
        SCHEMA.put("endpoints", List.of(Set.of("peers"), Set.of("endpoint")));
        SCHEMA.put("allowed-ips", List.of(Set.of("peers"), Set.of("allowedIps")));
        SCHEMA.put("latest-handshakes", List.of(Set.of("peers"), Set.of("latestHandshake")));
        SCHEMA.put("transfer", List.of(Set.of("peers"), Set.of("transferRx", "transferTx")));
        SCHEMA.put("persistent-keepalive", List.of(Set.of("peers"), Set.of("persistentKeepalive")));
        SCHEMA.put("dump", List.of(Set.of("publicKey", "hasPrivateKey", "privateKey", "listenPort", "fwmark", "peers"),
                Set.of("hasPresharedKey", "presharedKey", "endpoint", "allowedIps", "latestHandshake", "latestHandshakeNsec",
                        "transferRx", "transferTx", "persistentKeepalive")));
    }

    static final Set<String> FULL_DEVICE = Set.of("interface", "publicKey", "hasPrivateKey", "listenPort", "fwmark", "peers");
    static final Set<String> FULL_PEER = Set.of("publicKey", "hasPresharedKey", "endpoint", "allowedIps", "latestHandshake",
            "latestHandshakeNsec", "transferRx", "transferTx", "persistentKeepalive");

    static List<String> fields() {
        return new ArrayList<>(SCHEMA.keySet());
    }

    @Test
    void everyFieldOfWgShowHasASchema() {
        assertThat(SCHEMA.keySet()).isEqualTo(FieldPrinter.FIELDS);
    }

    private static Fixtures.Run withWg0() {
        Fixtures.Run run = new Fixtures.Run();
        run.uapi.add("wg0", Fixtures.wg0()).add("wg1", Fixtures.empty());
        return run;
    }

    @ParameterizedTest
    @MethodSource("fields")
    void showInterfaceFieldJson(String field) {
        Fixtures.Run run = withWg0();
        assertThat(WgShow.show(run.context(), List.of("wg0", field, "--json"))).isZero();
        assertThat(run.err()).isEmpty();
        Object doc = Json.parse(run.out());
        checkDevice(doc, field);
    }

    @ParameterizedTest
    @MethodSource("fields")
    void showAllFieldJsonIsAnArrayOfTheSame(String field) {
        Fixtures.Run run = withWg0();
        assertThat(WgShow.show(run.context(), List.of("all", field, "--json"))).isZero();
        List<?> all = (List<?>) Json.parse(run.out());
        assertThat(all).hasSize(2);
        for (Object d : all) {
            checkDevice(d, field);
        }
        assertThat(((Map<?, ?>) all.get(1)).get("interface")).isEqualTo("wg1");
    }

    private static void checkDevice(Object doc, String field) {
        Map<?, ?> d = (Map<?, ?>) doc;
        List<Set<String>> schema = SCHEMA.get(field);
        Set<String> keys = new java.util.HashSet<>(schema.get(0));
        keys.add("interface");
        assertThat(d.keySet()).as(field).isEqualTo(keys);
        typesOfDevice(d);
        if (d.containsKey("peers")) {
            for (Object p : (List<?>) d.get("peers")) {
                Set<String> pk = new java.util.HashSet<>(schema.get(1));
                pk.add("publicKey");
                assertThat(((Map<?, ?>) p).keySet()).as(field + " peer").isEqualTo(pk);
                typesOfPeer((Map<?, ?>) p);
            }
        }
    }

    @Test
    void theWholeDeviceHidesSecretsUnlessAsked() {
        Fixtures.Run run = withWg0();
        assertThat(WgShow.show(run.context(), List.of("wg0", "--json"))).isZero();
        Map<?, ?> d = (Map<?, ?>) Json.parse(run.out());
        assertThat(d.keySet()).isEqualTo(FULL_DEVICE);
        typesOfDevice(d);
        List<?> peers = (List<?>) d.get("peers");
        assertThat(peers).hasSize(4);
        for (Object p : peers) {
            assertThat(((Map<?, ?>) p).keySet()).isEqualTo(FULL_PEER);
            typesOfPeer((Map<?, ?>) p);
        }
        assertThat(run.out()).doesNotContain(Fixtures.ALICE_PRIVATE).doesNotContain(Fixtures.PSK);

        Fixtures.Run never = withWg0();
        never.env.put("WG_HIDE_KEYS", "never");
        WgShow.show(never.context(), List.of("wg0", "--json"));
        Map<?, ?> shown = (Map<?, ?>) Json.parse(never.out());
        assertThat(shown.get("privateKey")).isEqualTo(Fixtures.ALICE_PRIVATE);
        assertThat(((Map<?, ?>) ((List<?>) shown.get("peers")).get(0)).get("presharedKey")).isEqualTo(Fixtures.PSK);
    }

    @Test
    void valuesMatchTheTextForms() {
        Fixtures.Run run = withWg0();
        WgShow.show(run.context(), List.of("wg0", "transfer", "--json"));
        Map<?, ?> d = (Map<?, ?>) Json.parse(run.out());
        Map<?, ?> first = (Map<?, ?>) ((List<?>) d.get("peers")).get(0);
        Fixtures.Run text = withWg0();
        WgShow.show(text.context(), List.of("wg0", "transfer"));
        assertThat(text.out().lines().findFirst().orElseThrow())
                .isEqualTo(first.get("publicKey") + "\t" + first.get("transferRx") + "\t" + first.get("transferTx"));
        Fixtures.Run priv = withWg0();
        WgShow.show(priv.context(), List.of("wg1", "private-key", "--json"));
        assertThat(Json.parse(priv.out())).isEqualTo(Map.of("interface", "wg1", "privateKey", Json.NULL));
    }

    @Test
    void anUnknownFieldIsRefusedAsWithoutJson() {
        Fixtures.Run run = withWg0();
        assertThat(WgShow.show(run.context(), List.of("wg0", "colour", "--json"))).isOne();
        assertThat(run.err()).startsWith("Invalid parameter: `colour'\n");
        assertThat(run.out()).isEmpty();
        Fixtures.Run three = withWg0();
        assertThat(WgShow.show(three.context(), List.of("wg0", "dump", "extra", "--json"))).isOne();
    }

    private static void typesOfDevice(Map<?, ?> d) {
        assertThat(d.get("interface")).isInstanceOf(String.class);
        check(d, "publicKey", String.class, true);
        check(d, "privateKey", String.class, true);
        check(d, "hasPrivateKey", Boolean.class, false);
        check(d, "listenPort", Long.class, false);
        check(d, "fwmark", Long.class, false);
        check(d, "peers", List.class, false);
    }

    private static void typesOfPeer(Map<?, ?> p) {
        check(p, "publicKey", String.class, false);
        check(p, "hasPresharedKey", Boolean.class, false);
        check(p, "presharedKey", String.class, true);
        check(p, "endpoint", String.class, true);
        check(p, "allowedIps", List.class, false);
        if (p.get("allowedIps") instanceof List<?> ips) {
            assertThat(ips).allMatch(ip -> ip instanceof String s && s.contains("/"));
        }
        for (String k : List.of("latestHandshake", "latestHandshakeNsec", "transferRx", "transferTx", "persistentKeepalive")) {
            check(p, k, Long.class, false);
        }
    }

    private static void check(Map<?, ?> m, String key, Class<?> type, boolean nullable) {
        if (!m.containsKey(key)) {
            return;
        }
        Object v = m.get(key);
        if (nullable && v == Json.NULL) {
            return;
        }
        assertThat(v).as(key).isInstanceOf(type);
    }

    /** A strict JSON reader for the tests: objects (insertion-ordered maps), arrays, strings, integers, booleans, null. */
    static final class Json {
        static final Object NULL = new Object() {
            @Override
            public String toString() { return "null"; }
        };
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json j = new Json(text);
            Object v = j.value();
            j.ws();
            if (j.i != text.length()) {
                throw new IllegalArgumentException("trailing text at " + j.i);
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && " \n\r\t".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String k = (String) value();
                    ws();
                    expect(':');
                    if (m.put(k, value()) != null) {
                        throw new IllegalArgumentException("duplicate key " + k);
                    }
                    ws();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect('}');
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect(']');
                        return l;
                    }
                }
            }
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (s.charAt(i) != '"') {
                    char ch = s.charAt(i++);
                    if (ch == '\\') {
                        char e = s.charAt(i++);
                        switch (e) {
                            case 'n' -> sb.append('\n');
                            case 't' -> sb.append('\t');
                            case 'r' -> sb.append('\r');
                            case 'u' -> {
                                sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                                i += 4;
                            }
                            default -> sb.append(e);
                        }
                    } else if (ch < 0x20) {
                        throw new IllegalArgumentException("control character in a string at " + i);
                    } else {
                        sb.append(ch);
                    }
                }
                i++;
                return sb.toString();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return NULL;
            }
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
            }
            return Long.parseLong(s.substring(start, i));
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i + ", found '" + s.charAt(i) + "'");
            }
            i++;
        }
    }
}
