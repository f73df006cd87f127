package dev.jwg.cli.wg;

import static dev.jwg.cli.wg.Fixtures.K1;
import static dev.jwg.cli.wg.Fixtures.K2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwg.config.KeyText;
import dev.jwg.config.uapi.DeviceUpdate;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wg set} arguments to the exact request text wg sends. */
class SetArgumentsTest {
    @TempDir
    Path dir;

    private final Fixtures.Run run = new Fixtures.Run();

    private static String hex(String base64) {
        return HexFormat.of().formatHex(KeyText.pub(base64).bytes());
    }

    private String request(String... args) throws WgFailure {
        WgContext cx = run.context();
        DeviceUpdate u = SetArguments.parse(List.of(args), cx.endpoints(), new Services(dir.resolve("none")), cx.err());
        return SetRequestText.request(u);
    }

    @Test
    void everyOption() throws Exception {
        Path priv = dir.resolve("priv");
        Files.writeString(priv, Fixtures.ALICE_PRIVATE + "\n");
        Path psk = dir.resolve("psk");
        Files.writeString(psk, Fixtures.PSK + "\n");
        assertThat(request("listen-port", "51820", "fwmark", "0x20", "private-key", priv.toString(),
                "peer", K1, "preshared-key", psk.toString(), "endpoint", "192.0.2.7:51820",
                "persistent-keepalive", "25", "allowed-ips", "10.0.0.2/32, fd00::2/128",
                "peer", K2, "remove")).isEqualTo("""
                set=1
                private_key=%s
                listen_port=51820
                fwmark=32
                public_key=%s
                preshared_key=%s
                endpoint=192.0.2.7:51820
                persistent_keepalive_interval=25
                replace_allowed_ips=true
                allowed_ip=10.0.0.2/32
                allowed_ip=fd00::2/128
                public_key=%s
                remove=true

                """.formatted(hex(Fixtures.ALICE_PRIVATE), hex(K1), hex(Fixtures.PSK), hex(K2)));
    }

    @Test
    void offAndEmptyValues() throws Exception {
        assertThat(request("fwmark", "off", "private-key", "/dev/null", "peer", K1, "persistent-keepalive", "off",
                "preshared-key", "/dev/null", "allowed-ips", "")).isEqualTo("""
                set=1
                private_key=0000000000000000000000000000000000000000000000000000000000000000
                fwmark=0
                public_key=%s
                preshared_key=0000000000000000000000000000000000000000000000000000000000000000
                persistent_keepalive_interval=0
                replace_allowed_ips=true

                """.formatted(hex(K1)));
    }

    @Test
    void incrementalAllowedIps() throws Exception {
        assertThat(request("peer", K1, "allowed-ips", "+10.0.0.0/24,-10.1.0.0/24,+fd00::/64,-fd01::1")).isEqualTo("""
                set=1
                public_key=%s
                allowed_ip=10.0.0.0/24
                allowed_ip=-10.1.0.0/24
                allowed_ip=fd00::/64
                allowed_ip=-fd01::1/128

                """.formatted(hex(K1)));
        // A later plain list turns replacement back on, keeping what came before (as wg's flag logic does).
        assertThat(request("peer", K1, "allowed-ips", "+10.0.0.0/24", "allowed-ips", "10.2.0.0/24")).isEqualTo("""
                set=1
                public_key=%s
                replace_allowed_ips=true
                allowed_ip=10.0.0.0/24
                allowed_ip=10.2.0.0/24

                """.formatted(hex(K1)));
    }

    @Test
    void laterValuesWinAndPeersRepeat() throws Exception {
        assertThat(request("listen-port", "1", "listen-port", "2", "peer", K1, "endpoint", "192.0.2.1:1",
                "endpoint", "[2001:db8::1]:2", "peer", K1, "persistent-keepalive", "5")).isEqualTo("""
                set=1
                listen_port=2
                public_key=%s
                endpoint=[2001:db8::1]:2
                public_key=%s
                persistent_keepalive_interval=5

                """.formatted(hex(K1), hex(K1)));
    }

    @Test
    void endpoints() throws Exception {
        run.hosts.put("vpn.example", new InetAddress[] {InetAddress.getByName("2001:db8::7"),
            InetAddress.getByName("192.0.2.7")});
        assertThat(request("peer", K1, "endpoint", "vpn.example:51820")).contains("endpoint=[2001:db8::7]:51820\n");
        assertThat(request("peer", K1, "endpoint", "[fe80::1%7]:51820")).contains("endpoint=[fe80::1%veth0]:51820\n");
        assertThat(request("peer", K1, "endpoint", "[fe80::1%veth0]:51820")).contains("endpoint=[fe80::1%veth0]:51820\n");
        assertThat(request("peer", K1, "endpoint", "2001:db8::1:51820")).contains("endpoint=[2001:db8::1]:51820\n");
        assertThat(request("peer", K1, "endpoint", "[192.0.2.1]:1")).contains("endpoint=192.0.2.1:1\n");
        assertThat(request("peer", K1, "endpoint", "[2001:0DB8::0:1]:1")).contains("endpoint=[2001:db8::1]:1\n");
    }

    @Test
    void endpointErrors() {
        run.env.put("WG_ENDPOINT_RESOLUTION_RETRIES", "2");
        assertThatThrownBy(() -> request("peer", K1, "endpoint", "")).hasMessage("Unable to parse empty endpoint");
        assertThatThrownBy(() -> request("peer", K1, "endpoint", "1.2.3.4"))
                .hasMessage("Unable to find port of endpoint: `1.2.3.4'");
        assertThatThrownBy(() -> request("peer", K1, "endpoint", "[fd00::1"))
                .hasMessage("Unable to find matching brace of endpoint: `[fd00::1'");
        assertThatThrownBy(() -> request("peer", K1, "endpoint", "[fd00::1]:"))
                .hasMessage("Unable to find port of endpoint: `[fd00::1]:'");
        assertThatThrownBy(() -> request("peer", K1, "endpoint", "nowhere.invalid:1"))
                .hasMessage("Name or service not known: `nowhere.invalid:1'");
        assertThatThrownBy(() -> request("peer", K1, "endpoint", "192.0.2.1:70000"))
                .hasMessage("Port must be 0..65535: `192.0.2.1:70000'"); // wg would wrap it to 4464
        assertThat(run.sleeps).isEmpty(); // a permanent failure is not retried
        assertThatThrownBy(() -> request("peer", K1, "endpoint", "1.2.3.4:abc"))
                .hasMessage("Servname not supported for ai_socktype: `1.2.3.4:abc'");
        assertThat(run.sleeps).containsExactly(1_000_000L, 1_200_000L); // wg retries even that
        assertThat(run.err()).isEqualTo("""
                Servname not supported for ai_socktype: `1.2.3.4:abc'. Trying again in 1.00 seconds...
                Servname not supported for ai_socktype: `1.2.3.4:abc'. Trying again in 1.20 seconds...
                """);
        run.env.put("WG_ENDPOINT_RESOLUTION_RETRIES", "x");
        assertThatThrownBy(() -> request("peer", K1, "endpoint", "1.2.3.4:1"))
                .hasMessage("Unable to parse WG_ENDPOINT_RESOLUTION_RETRIES: `x'");
    }

    @Test
    void grammarErrors() {
        assertThatThrownBy(() -> request("listen-port", "70000")).hasMessage("Port must be 0..65535: `70000'");
        assertThatThrownBy(() -> request("listen-port")).hasMessage("Invalid argument: listen-port");
        assertThatThrownBy(() -> request("remove")).hasMessage("Invalid argument: remove");
        assertThatThrownBy(() -> request("peer", K1, "listen-port", "1")).hasMessage("Invalid argument: listen-port");
        assertThatThrownBy(() -> request("peer", K1, "bogus")).hasMessage("Invalid argument: bogus");
        assertThatThrownBy(() -> request("peer", "abc")).hasMessage("Key is not the correct length or format: `abc'");
        assertThatThrownBy(() -> request("peer")).hasMessage("Invalid argument: peer");
        assertThatThrownBy(() -> request("peer", K1, "allowed-ips", "10.0.0.1/33"))
                .hasMessage("AllowedIP is not in the correct format: `10.0.0.1/33'");
    }
}
