package dev.jwg.config.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jwg.config.KeyText;
import dev.jwg.core.routing.IpPrefix;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UapiSetParserTest {
    static final String PRIV = "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a";
    static final String PUB1 = "b85996fecc9c7f1fc6d2572a76eda11d59bcd20be8e543b15ce4bd85a8e75a33";
    static final String PUB2 = "58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376";
    static final String PSK = "188515093e952f5f22e865cef3012e72f8b5f0b598ac0309d5dacce3b70fcf52";
    static final String ZERO = "0".repeat(64);


    static IpPrefix prefix(String s) {
        return IpPrefix.parseAsWritten(s);
    }

    /** Runs a whole request through the reader into a recorder; returns the recorder, or throws. */
    static RecordingHandler run(String request, RecordingHandler h) throws UapiException {
        UapiRequestReader r = new UapiRequestReader(stream(request));
        try {
            assertThat(r.next()).isInstanceOf(UapiRequest.Set.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        r.readSet(h);
        return h;
    }

    static RecordingHandler run(String request) throws UapiException {
        return run(request, new RecordingHandler());
    }

    /** Runs a request expected to fail; returns the exception, with the calls made before it in {@code h}. */
    static UapiException fail(String request, RecordingHandler h) {
        UapiException e = catchThrowableOfType(UapiException.class, () -> run(request, h));
        assertThat(e).as("request should fail:\n" + request).isNotNull();
        return e;
    }

    static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void exampleExchangeOfTheFactsParses() throws Exception {
        String request = """
                set=1
                private_key=e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a
                listen_port=51820
                replace_peers=true
                public_key=b85996fecc9c7f1fc6d2572a76eda11d59bcd20be8e543b15ce4bd85a8e75a33
                endpoint=192.0.2.7:51820
                persistent_keepalive_interval=25
                replace_allowed_ips=true
                allowed_ip=10.0.0.2/32
                allowed_ip=fd00::2/128

                """;
        assertThat(run(request).calls).containsExactly(
                "setPrivateKey " + PRIV, "setListenPort 51820", "replacePeers", "beginPeer " + PUB1,
                "setEndpoint 192.0.2.7:51820", "setPersistentKeepalive 25", "replaceAllowedIps",
                "addAllowedIp 10.0.0.2/32", "addAllowedIp fd00::2/128", "endPeer", "end");

        DeviceUpdate expected = new DeviceUpdate(Optional.of(KeyText.privHex(PRIV)), OptionalInt.of(51820), OptionalInt.empty(), true,
                List.of(new PeerUpdate(KeyText.pubHex(PUB1), false, false, Optional.empty(),
                        UapiEndpoint.parse("192.0.2.7:51820"), OptionalInt.of(25), true,
                        List.of(AllowedIpChange.add(prefix("10.0.0.2/32")), AllowedIpChange.add(prefix("fd00::2/128"))))));
        assertThat(DeviceUpdate.parse(request)).isEqualTo(expected);
    }

    @Test
    void everySettableValue() throws Exception {
        String request = "set=1\nprivate_key=" + PRIV.toUpperCase() + "\nlisten_port=0\nfwmark=4294967295\n"
                + "public_key=" + PUB1 + "\nprotocol_version=1\npreshared_key=" + PSK + "\n"
                + "endpoint=[fe80::1%2]:51820\npersistent_keepalive_interval=65535\n"
                + "public_key=" + PUB2 + "\nupdate_only=true\npreshared_key=" + ZERO + "\nendpoint=[::ffff:10.1.2.3]:9\n"
                + "persistent_keepalive_interval=0\nremove=true\n\n";
        assertThat(run(request).calls).containsExactly(
                "setPrivateKey " + PRIV, "setListenPort 0", "setFwmark 4294967295",
                "beginPeer " + PUB1, "setPresharedKey " + PSK, "setEndpoint [fe80::1%2]:51820",
                "setPersistentKeepalive 65535", "endPeer",
                "beginPeer " + PUB2, "updateOnly", "setPresharedKey " + ZERO, "setEndpoint 10.1.2.3:9",
                "setPersistentKeepalive 0", "removePeer", "endPeer", "end");
    }

    @Test
    void zeroPrivateKeyMeansRemove() throws Exception {
        DeviceUpdate u = DeviceUpdate.parse("set=1\nprivate_key=" + ZERO + "\n\n");
        assertThat(u.privateKey()).hasValueSatisfying(k -> assertThat(k.isZero()).isTrue());
    }

    @Test
    void incrementalAllowedIpsKeepTheirOrderAndSign() throws Exception {
        String request = "set=1\npublic_key=" + PUB1 + "\nallowed_ip=10.0.0.0/24\nallowed_ip=-10.0.1.0/24\n"
                + "allowed_ip=-fd00::/64\nallowed_ip=fd01::/64\n\n";
        assertThat(run(request).calls).containsExactly("beginPeer " + PUB1, "addAllowedIp 10.0.0.0/24",
                "removeAllowedIp 10.0.1.0/24", "removeAllowedIp fd00::/64", "addAllowedIp fd01::/64", "endPeer", "end");
        assertThat(DeviceUpdate.parse(request).peers().getFirst().allowedIps()).containsExactly(
                AllowedIpChange.add(prefix("10.0.0.0/24")), AllowedIpChange.remove(prefix("10.0.1.0/24")),
                AllowedIpChange.remove(prefix("fd00::/64")), AllowedIpChange.add(prefix("fd01::/64")));
    }

    @Test
    void replaceAllowedIpsIsDeliveredWhereItStands() throws Exception {
        String request = "set=1\npublic_key=" + PUB1 + "\nallowed_ip=10.0.0.0/24\nreplace_allowed_ips=true\n"
                + "allowed_ip=10.0.1.0/24\n\n";
        // Line by line: the handler sees the first prefix added, then everything dropped.
        assertThat(run(request).calls).containsExactly("beginPeer " + PUB1, "addAllowedIp 10.0.0.0/24",
                "replaceAllowedIps", "addAllowedIp 10.0.1.0/24", "endPeer", "end");
        // Collected: the replace undoes what came before it.
        PeerUpdate p = DeviceUpdate.parse(request).peers().getFirst();
        assertThat(p.replaceAllowedIps()).isTrue();
        assertThat(p.allowedIps()).containsExactly(AllowedIpChange.add(prefix("10.0.1.0/24")));
    }

    @Test
    void emptyAllowedIpReplacementAsWgSendsForAllowedIpsEmptyString() throws Exception {
        PeerUpdate p = DeviceUpdate.parse("set=1\npublic_key=" + PUB1 + "\nreplace_allowed_ips=true\n\n").peers().getFirst();
        assertThat(p.replaceAllowedIps()).isTrue();
        assertThat(p.allowedIps()).isEmpty();
    }

    @Test
    void updateOnlyAndRemoveAreFlagsOfTheirSection() throws Exception {
        DeviceUpdate u = DeviceUpdate.parse("set=1\npublic_key=" + PUB1 + "\nremove=true\npublic_key=" + PUB2
                + "\nupdate_only=true\nendpoint=1.2.3.4:5\n\n");
        assertThat(u.peers()).hasSize(2);
        assertThat(u.peers().get(0).remove()).isTrue();
        assertThat(u.peers().get(0).updateOnly()).isFalse();
        assertThat(u.peers().get(1).remove()).isFalse();
        assertThat(u.peers().get(1).updateOnly()).isTrue();
        assertThat(u.peers().get(1).endpoint()).isEqualTo(UapiEndpoint.parse("1.2.3.4:5"));
    }

    @Test
    void endOfStreamEndsTheRequestLikeABlankLine() throws Exception {
        assertThat(run("set=1\nlisten_port=1\npublic_key=" + PUB1).calls)
                .containsExactly("setListenPort 1", "beginPeer " + PUB1, "endPeer", "end");
        assertThat(run("set=1\n").calls).containsExactly("end");
        assertThat(run("set=1\n\n").calls).containsExactly("end");
    }

    @Test
    void carriageReturnBeforeNewlineIsDroppedLikeGoScanLines() throws Exception {
        assertThat(run("set=1\nlisten_port=1\r\nfwmark=2\r\n\r\nlisten_port=3\n\n").calls)
                .containsExactly("setListenPort 1", "setFwmark 2", "end");
    }

    @Test
    void theRequestEndsAtTheBlankLineAndTheNextOperationFollows() throws Exception {
        UapiRequestReader r = new UapiRequestReader(stream("set=1\nlisten_port=1\n\nget=1\n\n"));
        assertThat(r.next()).isInstanceOf(UapiRequest.Set.class);
        RecordingHandler h = new RecordingHandler();
        r.readSet(h);
        assertThat(h.calls).containsExactly("setListenPort 1", "end");
        assertThat(r.next()).isInstanceOf(UapiRequest.Get.class);
        assertThat(r.next()).isInstanceOf(UapiRequest.EndOfStream.class);
    }

    // ---- errors: right errno, stopped at the right line, earlier calls stand ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown device key            | bogus=1                                  | -22
            empty key                     | =1                                       | -22
            key case matters              | Listen_Port=1                            | -22
            get-only key in set           | rx_bytes=1                               | -22
            errno is no request key       | errno=0                                  | -22
            peer key in device part       | endpoint=1.2.3.4:5                       | -22
            allowed_ip in device part     | allowed_ip=10.0.0.0/8                    | -22
            line without '='              | listen_port                              | -71
            line with space, no '='       | listen_port 1                            | -71
            private key too short         | private_key=e84b                         | -22
            private key 63 digits         | private_key=e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027 | -22
            private key bad digit         | private_key=x84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a | -22
            private key base64            | private_key=6EtabScXwQA6E7QxVwNT26ypFGzxUMX4V1aA/rpSAno= | -22
            empty private key             | private_key=                             | -22
            port too big                  | listen_port=65536                        | -22
            port negative                 | listen_port=-1                           | -22
            port with sign                | listen_port=+1                           | -22
            port empty                    | listen_port=                             | -22
            port hex                      | listen_port=0x10                         | -22
            port with space               | listen_port= 1                           | -22
            fwmark too big                | fwmark=4294967296                        | -22
            fwmark negative               | fwmark=-1                                | -22
            replace_peers=false           | replace_peers=false                      | -22
            replace_peers=TRUE            | replace_peers=TRUE                       | -22
            replace_peers=1               | replace_peers=1                          | -22
            """)
    void deviceLineErrors(String name, String badLine, int errno) {
        RecordingHandler h = new RecordingHandler();
        UapiException e = fail("set=1\nlisten_port=7\n" + badLine + "\nfwmark=1\n\n", h);
        assertThat(e.errno()).isEqualTo(errno);
        assertThat(e.line()).isEqualTo(3);
        assertThat(h.calls).containsExactly("setListenPort 7");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            device key after public_key   | listen_port=1                            | -22
            private key after public_key  | private_key=e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a | -22
            replace_peers after public_key| replace_peers=true                       | -22
            unknown peer key              | allowed_ips=10.0.0.0/8                   | -22
            line without '='              | endpoint                                 | -71
            psk bad length                | preshared_key=1885                       | -22
            psk bad digit                 | preshared_key=188515093e952f5f22e865cef3012e72f8b5f0b598ac0309d5dacce3b70fcf5z | -22
            keepalive too big             | persistent_keepalive_interval=65536      | -22
            keepalive negative            | persistent_keepalive_interval=-1         | -22
            keepalive word                | persistent_keepalive_interval=off        | -22
            protocol_version=2            | protocol_version=2                       | -22
            protocol_version=01           | protocol_version=01                      | -22
            protocol_version empty        | protocol_version=                        | -22
            remove=false                  | remove=false                             | -22
            update_only=yes               | update_only=yes                          | -22
            replace_allowed_ips=false     | replace_allowed_ips=false                | -22
            endpoint without port         | endpoint=192.0.2.7                       | -22
            endpoint port too big         | endpoint=192.0.2.7:65536                 | -22
            endpoint unbracketed IPv6     | endpoint=fe80::1:51820                   | -22
            endpoint host name            | endpoint=vpn.example.com:51820           | -22
            allowed ip host name          | allowed_ip=localhost/32                  | -22
            allowed ip no length          | allowed_ip=10.0.0.1                      | -22
            allowed ip length too big     | allowed_ip=10.0.0.0/33                   | -22
            allowed ip double minus       | allowed_ip=--10.0.0.0/8                  | -22
            allowed ip plus               | allowed_ip=+10.0.0.0/8                   | -22
            allowed ip zone               | allowed_ip=fe80::%eth0/64                | -22
            allowed ip empty              | allowed_ip=                              | -22
            allowed ip minus only         | allowed_ip=-                             | -22
            """)
    void peerLineErrors(String name, String badLine, int errno) {
        RecordingHandler h = new RecordingHandler();
        UapiException e = fail("set=1\nlisten_port=7\npublic_key=" + PUB1 + "\nallowed_ip=10.9.0.0/16\n" + badLine
                + "\nallowed_ip=10.8.0.0/16\n\n", h);
        assertThat(e.errno()).isEqualTo(errno);
        assertThat(e.line()).isEqualTo(5);
        // Earlier lines were applied; the section in progress was not finished (wireguard-go does not start the peer).
        assertThat(h.calls).containsExactly("setListenPort 7", "beginPeer " + PUB1, "addAllowedIp 10.9.0.0/16");
    }

    @Test
    void badPublicKeyFinishesThePreviousSectionFirst() {
        RecordingHandler h = new RecordingHandler();
        UapiException e = fail("set=1\npublic_key=" + PUB1 + "\npublic_key=" + PUB2.substring(2) + "\nendpoint=1.2.3.4:5\n\n", h);
        assertThat(e.errno()).isEqualTo(UapiErrno.EINVAL);
        assertThat(e.line()).isEqualTo(3);
        assertThat(h.calls).containsExactly("beginPeer " + PUB1, "endPeer");
    }

    @Test
    void errorMessagesNeverContainKeys() {
        String psk = PSK.substring(0, 63) + "z";
        UapiException e = fail("set=1\npublic_key=" + PUB1 + "\npreshared_key=" + psk + "\n\n", new RecordingHandler());
        assertThat(e.getMessage()).doesNotContain(psk.substring(0, 16)).contains("preshared_key");
        UapiException e2 = fail("set=1\nprivate_key=" + PRIV + "0\n\n", new RecordingHandler());
        assertThat(e2.getMessage()).doesNotContain(PRIV.substring(0, 16));
    }

    @Test
    void handlerErrorsPassThroughUnchangedAndStopTheRequest() {
        RecordingHandler h = new RecordingHandler().failOn("setListenPort", UapiErrno.EADDRINUSE);
        UapiException e = fail("set=1\nprivate_key=" + PRIV + "\nlisten_port=51820\nfwmark=5\n\n", h);
        assertThat(e.errno()).isEqualTo(UapiErrno.EADDRINUSE);
        assertThat(h.calls).containsExactly("setPrivateKey " + PRIV, "setListenPort 51820");

        RecordingHandler h2 = new RecordingHandler().failOn("beginPeer", UapiErrno.EINVAL);
        assertThat(fail("set=1\npublic_key=" + PUB1 + "\nremove=true\n\n", h2).errno()).isEqualTo(UapiErrno.EINVAL);
        assertThat(h2.calls).containsExactly("beginPeer " + PUB1);
    }

    @Test
    void overlongLineIsAReadFailureThatStillFinishesThePeerLikeWireguardGo() {
        RecordingHandler h = new RecordingHandler();
        UapiException e = fail("set=1\npublic_key=" + PUB1 + "\nendpoint=" + "1".repeat(5000) + "\n\n", h);
        assertThat(e.errno()).isEqualTo(UapiErrno.EIO);
        assertThat(e.line()).isEqualTo(3);
        assertThat(h.calls).containsExactly("beginPeer " + PUB1, "endPeer");
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() throws Exception {
        String line = "listen_port=" + "0".repeat(UapiRequestReader.DEFAULT_MAX_LINE_BYTES - "listen_port=1".length()) + "1";
        assertThat(line).hasSize(UapiRequestReader.DEFAULT_MAX_LINE_BYTES);
        assertThat(run("set=1\n" + line + "\n\n").calls).containsExactly("setListenPort 1", "end");
        assertThat(fail("set=1\n0" + line + "\n\n", new RecordingHandler()).errno()).isEqualTo(UapiErrno.EIO);
    }

    @Test
    void tooManyLinesIsAReadFailure() throws Exception {
        String lines = "listen_port=1\n".repeat(10);
        UapiRequestReader ok = new UapiRequestReader(stream("set=1\n" + lines + "\n"), 4096, 10);
        ok.next();
        RecordingHandler h = new RecordingHandler();
        ok.readSet(h);
        assertThat(h.calls).hasSize(11);

        UapiRequestReader r = new UapiRequestReader(stream("set=1\n" + lines + "listen_port=2\n\n"), 4096, 10);
        r.next();
        RecordingHandler h2 = new RecordingHandler();
        UapiException e = catchThrowableOfType(UapiException.class, () -> r.readSet(h2));
        assertThat(e.errno()).isEqualTo(UapiErrno.EIO);
        assertThat(e.line()).isEqualTo(12);
        assertThat(h2.calls).hasSize(10);
    }

    @Test
    void streamFailureIsEio() throws Exception {
        InputStream failing = new InputStream() {
            private final InputStream head = stream("set=1\npublic_key=" + PUB1 + "\n");

            @Override
            public int read() throws IOException {
                int b = head.read();
                if (b < 0) {
                    throw new IOException("connection reset");
                }
                return b;
            }
        };
        UapiRequestReader r = new UapiRequestReader(failing);
        assertThat(r.next()).isInstanceOf(UapiRequest.Set.class);
        RecordingHandler h = new RecordingHandler();
        UapiException e = catchThrowableOfType(UapiException.class, () -> r.readSet(h));
        assertThat(e.errno()).isEqualTo(UapiErrno.EIO);
        assertThat(e.getCause()).hasMessage("connection reset");
        assertThat(h.calls).containsExactly("beginPeer " + PUB1, "endPeer");
    }

    @Test
    void afterAFailedSetTheRestIsReadAsAnOperationAsInWireguardGo() throws Exception {
        UapiRequestReader r = new UapiRequestReader(stream("set=1\nlisten_port=x\nfwmark=1\n\n"));
        assertThat(r.next()).isInstanceOf(UapiRequest.Set.class);
        assertThatThrownBy(() -> r.readSet(new RecordingHandler())).isInstanceOf(UapiException.class);
        assertThat(r.next()).isEqualTo(new UapiRequest.InvalidOperation("fwmark=1"));
    }

    @Test
    void collectorKeepsWhatWasAcceptedBeforeAnError() {
        DeviceUpdateCollector c = new DeviceUpdateCollector();
        UapiRequestReader r = new UapiRequestReader(stream("set=1\nlisten_port=9\npublic_key=" + PUB1
                + "\nallowed_ip=10.0.0.0/8\nallowed_ip=10.0.0.0/x\n\n"));
        assertThatThrownBy(() -> {
            r.next();
            r.readSet(c);
        }).isInstanceOf(UapiException.class);
        DeviceUpdate partial = c.result();
        assertThat(partial.listenPort()).hasValue(9);
        assertThat(partial.peers()).singleElement().satisfies(p ->
                assertThat(p.allowedIps()).containsExactly(AllowedIpChange.add(prefix("10.0.0.0/8"))));
    }

    @Test
    void readSetOutOfOrderIsAProgrammingError() throws Exception {
        UapiRequestReader r = new UapiRequestReader(stream("set=1\n\nget=1\n\n"));
        assertThatThrownBy(() -> r.readSet(new RecordingHandler())).isInstanceOf(IllegalStateException.class);
        r.next();
        assertThatThrownBy(r::next).isInstanceOf(IllegalStateException.class);
        r.readSet(new RecordingHandler());
        assertThat(r.next()).isInstanceOf(UapiRequest.Get.class);
    }

    @Test
    void applyToReplaysInWgOrder() throws Exception {
        DeviceUpdate u = DeviceUpdate.parse("set=1\nreplace_peers=true\nfwmark=3\nlisten_port=2\nprivate_key=" + PRIV
                + "\npublic_key=" + PUB1 + "\nallowed_ip=10.0.0.0/8\nendpoint=1.2.3.4:5\npublic_key=" + PUB2
                + "\nremove=true\n\n");
        RecordingHandler h = new RecordingHandler();
        u.applyTo(h);
        assertThat(h.calls).containsExactly("setPrivateKey " + PRIV, "setListenPort 2", "setFwmark 3", "replacePeers",
                "beginPeer " + PUB1, "setEndpoint 1.2.3.4:5", "addAllowedIp 10.0.0.0/8", "endPeer",
                "beginPeer " + PUB2, "removePeer", "endPeer", "end");
    }
}
