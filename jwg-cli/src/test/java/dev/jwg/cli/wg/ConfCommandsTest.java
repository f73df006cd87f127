package dev.jwg.cli.wg;

import static dev.jwg.cli.wg.Fixtures.K1;
import static dev.jwg.cli.wg.Fixtures.K2;
import static dev.jwg.cli.wg.Fixtures.K3;
import static dev.jwg.cli.wg.Fixtures.K4;
import static dev.jwg.cli.wg.Fixtures.PSK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.config.KeyText;
import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.core.crypto.PresharedKey;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** setconf, addconf and syncconf: the exact request sent for a file, and the failures. */
class ConfCommandsTest {
    @TempDir
    Path dir;

    private Fixtures.Run run;
    private Path conf;

    private static final String FILE = """
            [Interface]
            PrivateKey = %s
            ListenPort = 51820
            # a comment
            FwMark = 0x10

            [Peer]
            PublicKey = %s
            PresharedKey = %s
            AllowedIPs = 10.0.0.2/32, fd00::2/128
            Endpoint = vpn.example:51820
            PersistentKeepalive = 25

            [Peer]
            PublicKey = %s
            AllowedIPs = 10.0.3.0/24
            """.formatted(Fixtures.ALICE_PRIVATE, K1, PSK, K3);

    private static String hex(String base64) {
        return HexFormat.of().formatHex(KeyText.pub(base64).bytes());
    }

    @BeforeEach
    void setUp() throws Exception {
        run = new Fixtures.Run();
        run.uapi.add("wg0", Fixtures.wg0());
        run.hosts.put("vpn.example", new InetAddress[] {InetAddress.getByName("192.0.2.7")});
        conf = dir.resolve("any-name.txt");
        Files.writeString(conf, FILE);
    }

    private int conf(String command, String... args) {
        return WgSet.conf(run.context(), command, List.of(args));
    }

    @Test
    void setconf() {
        assertThat(conf("setconf", "wg0", conf.toString())).isZero();
        assertThat(run.uapi.sets).containsExactly("""
                private_key=%s
                listen_port=51820
                fwmark=16
                replace_peers=true
                public_key=%s
                preshared_key=%s
                endpoint=192.0.2.7:51820
                persistent_keepalive_interval=25
                replace_allowed_ips=true
                allowed_ip=10.0.0.2/32
                allowed_ip=fd00::2/128
                public_key=%s
                replace_allowed_ips=true
                allowed_ip=10.0.3.0/24
                """.formatted(hex(Fixtures.ALICE_PRIVATE), hex(K1), hex(PSK), hex(K3)));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void theEndpointNamesOfAnInterfaceJwgUpBroughtUpFollowTheFile() throws Exception {
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        run.env.put("JWG_STATE_DIR", state.toString());
        assertThat(conf("setconf", "wg0", conf.toString())).isZero();
        assertThat(state.resolve("wg0.endpoints")).as("not brought up by jwg up: left alone").doesNotExist();

        Files.writeString(state.resolve("wg0.state"), "");
        assertThat(conf("syncconf", "wg0", conf.toString())).isZero();
        assertThat(Files.readAllLines(state.resolve("wg0.endpoints"))).contains(K1 + " vpn.example:51820").hasSize(2);
        Files.writeString(conf, "[Peer]\nPublicKey = " + K3 + "\nEndpoint = vpn.example:7\n");
        assertThat(conf("addconf", "wg0", conf.toString())).isZero();
        assertThat(Files.readAllLines(state.resolve("wg0.endpoints")))
                .contains(K1 + " vpn.example:51820", K3 + " vpn.example:7").hasSize(3);
        Files.writeString(conf, "[Peer]\nPublicKey = " + K1 + "\nEndpoint = 192.0.2.9:1\n[Peer]\nPublicKey = " + K3
                + "\nEndpoint = 192.0.2.9:2\n");
        assertThat(conf("addconf", "wg0", conf.toString())).isZero();
        assertThat(state.resolve("wg0.endpoints")).as("no name left").doesNotExist();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void setconfOfAnEmptyFileClearsEverything() throws Exception {
        Files.writeString(conf, "");
        assertThat(conf("setconf", "wg0", conf.toString())).isZero();
        assertThat(run.uapi.sets).containsExactly("""
                private_key=0000000000000000000000000000000000000000000000000000000000000000
                listen_port=0
                fwmark=0
                replace_peers=true
                """);
    }

    @Test
    void addconf() throws Exception {
        Files.writeString(conf, "[Interface]\nListenPort = 1\n[Peer]\nPublicKey = " + K2 + "\nAllowedIPs = 10.9.0.0/16\n");
        assertThat(conf("addconf", "wg0", conf.toString())).isZero();
        assertThat(run.uapi.sets).containsExactly("""
                listen_port=1
                public_key=%s
                replace_allowed_ips=true
                allowed_ip=10.9.0.0/16
                """.formatted(hex(K2)));
    }

    @Test
    void syncconfRemovesVanishedPeersInDescendingKeyOrder() {
        // Running: K1 (PSK, keepalive 25), K2, K3, K4. File: K1 without PSK and keepalive, K3.
        // As wg 1.0.20210914, the PSK and keepalive the file dropped are left alone.
        String file = """
                [Interface]
                PrivateKey = %s
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.2/32
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.3.0/24
                """.formatted(Fixtures.ALICE_PRIVATE, K1, K3);
        assertThat(syncconf(file)).isZero();
        assertThat(run.uapi.sets).containsExactly("""
                private_key=%s
                listen_port=0
                fwmark=0
                public_key=%s
                remove=true
                public_key=%s
                remove=true
                public_key=%s
                replace_allowed_ips=true
                allowed_ip=10.0.0.2/32
                public_key=%s
                replace_allowed_ips=true
                allowed_ip=10.0.3.0/24
                """.formatted(hex(Fixtures.ALICE_PRIVATE), hex(K4), hex(K2), hex(K1), hex(K3)));
    }

    private int syncconf(String file) {
        try {
            Files.writeString(conf, file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return conf("syncconf", "wg0", conf.toString());
    }

    @Test
    void syncconfKeepsReplacePeersWhenOneSideHasNoPeers() {
        assertThat(syncconf("[Interface]\nListenPort = 7\n")).isZero();
        assertThat(run.uapi.sets).containsExactly("""
                private_key=0000000000000000000000000000000000000000000000000000000000000000
                listen_port=7
                fwmark=0
                replace_peers=true
                """);
        run.uapi.devices.put("wg1", new DeviceSnapshot(Optional.empty(), 0, 0, List.of()));
        run.uapi.sets.clear();
        try {
            Files.writeString(conf, "[Peer]\nPublicKey = " + K2 + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(conf("syncconf", "wg1", conf.toString())).isZero();
        assertThat(run.uapi.sets.get(0)).contains("replace_peers=true\n");
    }

    @Test
    void syncconfOfAMissingInterface() {
        assertThat(conf("syncconf", "nope", conf.toString())).isOne();
        assertThat(run.err()).isEqualTo("Unable to retrieve current interface configuration: No such device\n");
    }

    @Test
    void errorsNameTheFileAndLineAndSendNothing() throws Exception {
        Files.writeString(conf, "[Interface]\nListenPort = 1\n[Peer]\nPublicKey = " + K1 + "\nAllowedIPs = 10.0.0.0/33\n");
        assertThat(conf("setconf", "wg0", conf.toString())).isOne();
        assertThat(run.err()).startsWith(conf + ":5: AllowedIPs: ").endsWith("\nConfiguration parsing error\n");
        assertThat(run.uapi.sets).isEmpty();
    }

    @Test
    void wgQuickKeysAreRefusedAsWgRefusesThem() throws Exception {
        Files.writeString(conf, "[Interface]\nListenPort = 1\n  address = 10.0.0.1/24 # hm\n");
        assertThat(conf("addconf", "wg0", conf.toString())).isOne();
        assertThat(run.err()).startsWith(conf + ":3: ").contains("wg-quick").endsWith("\nConfiguration parsing error\n");
        assertThat(run.uapi.sets).isEmpty();
    }

    @Test
    void unresolvableEndpoint() throws Exception {
        Files.writeString(conf, "[Peer]\nPublicKey = " + K1 + "\nEndpoint = nowhere.invalid:1\n");
        assertThat(conf("setconf", "wg0", conf.toString())).isOne();
        assertThat(run.err()).isEqualTo("Name or service not known: `nowhere.invalid:1'\nConfiguration parsing error\n");
    }

    @Test
    void hostBitsDrawWgsWarning() throws Exception {
        Files.writeString(conf, "[Peer]\nPublicKey = " + K1 + "\nAllowedIPs = 10.0.0.1/24\n");
        assertThat(conf("addconf", "wg0", conf.toString())).isZero();
        assertThat(run.err()).isEqualTo("Warning: AllowedIP has nonzero host part: 10.0.0.1/24\n");
    }

    @Test
    void missingFileAndUsage() {
        assertThat(conf("setconf", "wg0", dir.resolve("missing").toString())).isOne();
        assertThat(run.err()).isEqualTo("fopen: No such file or directory\n");
        assertThat(conf("addconf", "wg0")).isOne();
        assertThat(run.err()).endsWith("Usage: wg addconf <interface> <configuration filename>\n");
    }

    @Test
    void missingInterface() {
        assertThat(conf("setconf", "nope", conf.toString())).isOne();
        assertThat(run.err()).isEqualTo("Unable to modify interface: No such device\n");
    }

    @Test
    void setCommand() {
        assertThat(WgSet.set(run.context(), List.of("wg0", "listen-port", "9"))).isZero();
        assertThat(run.uapi.sets).containsExactly("listen_port=9\n");
        assertThat(WgSet.set(run.context(), List.of("wg0"))).isOne();
        assertThat(run.err()).startsWith("Usage: wg set <interface> [listen-port <port>]");
        assertThat(WgSet.set(run.context(), List.of("nope", "listen-port", "x"))).isOne();
        assertThat(run.err()).endsWith("Servname not supported for ai_socktype: `x'\n"); // parsing comes first
        assertThat(WgSet.set(run.context(), List.of("nope", "listen-port", "1"))).isOne();
        assertThat(run.err()).endsWith("Unable to modify interface: No such device\n");
        assertThat(PresharedKey.ZERO.isZero()).isTrue();
    }
}
