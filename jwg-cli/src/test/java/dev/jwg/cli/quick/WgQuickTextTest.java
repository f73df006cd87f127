package dev.jwg.cli.quick;

import static dev.jwg.cli.quick.TestConfigs.PRIV_A;
import static dev.jwg.cli.quick.TestConfigs.PSK;
import static dev.jwg.cli.quick.TestConfigs.PUB_B;
import static dev.jwg.cli.quick.TestConfigs.PUB_C;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.config.KeyText;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.routing.IpPrefix;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code strip} and {@code save} texts, byte for byte as wireguard-tools 1.0.20210914 writes them. */
class WgQuickTextTest {

    @Test
    void stripIsWgQuicksOutputByteForByte() {
        String file = "# leading comment\n  [interface]  \nPrivateKey = " + PRIV_A + "\n  address = 10.0.0.2/24 # mine\n"
                + "DNS=1.1.1.1\nListenPort = 51820\n\tPostUp = echo \"%i # not a comment\"\nsaveconfig = true\nMTU=1400\n"
                + "Table = off\n\n[Peer] # the server\nPublicKey = " + PUB_B + "\nAddress = 1.2.3.4\nAllowedIPs = 0.0.0.0/0\n"
                + "[Interface]\nFwMark = 7";
        // Captured from: wg-quick strip /tmp/wu-manual/wu9.conf (this file, no final newline)
        assertThat(WgQuickText.strip(file)).isEqualTo("# leading comment\n[interface]\nPrivateKey = " + PRIV_A
                + "\nListenPort = 51820\n\n[Peer] # the server\nPublicKey = " + PUB_B
                + "\nAddress = 1.2.3.4\nAllowedIPs = 0.0.0.0/0\n[Interface]\nFwMark = 7\n\n");
        assertThat(WgQuickText.strip("")).isEqualTo("\n");
    }


    private static DeviceSnapshot device() {
        PeerSnapshot b = new PeerSnapshot(KeyText.pub(PUB_B), KeyText.psk(PSK), Optional.of("192.0.2.1:51820"), 0, 0, 0, 0, 25,
                List.of(IpPrefix.parseAsWritten("0.0.0.0/0"), IpPrefix.parseAsWritten("::/0")));
        PeerSnapshot c = new PeerSnapshot(KeyText.pub(PUB_C), PresharedKey.ZERO, Optional.empty(), 0, 0, 0, 0, 0, List.<IpPrefix>of());
        return new DeviceSnapshot(Optional.of(KeyText.priv(PRIV_A)), 51820, 51820, List.of(b, c));
    }

    /** What {@code wg showconf} prints for {@link #device()} after its {@code [Interface]} line. */
    private static final String DEVICE_KEYS_AND_PEERS = """
            ListenPort = 51820
            FwMark = 0xca6c
            PrivateKey = %s

            [Peer]
            PublicKey = %s
            PresharedKey = %s
            AllowedIPs = 0.0.0.0/0, ::/0
            Endpoint = 192.0.2.1:51820
            PersistentKeepalive = 25

            [Peer]
            PublicKey = %s
            """.formatted(PRIV_A, PUB_B, PSK, PUB_C);

    @Test
    void showconfAsWgPrintsIt() {
        assertThat(WgQuickText.showconf(device())).isEqualTo("[Interface]\n" + DEVICE_KEYS_AND_PEERS);
    }

    @Test
    void savedPutsWgQuicksKeysFirstThenShowconf() throws ConfigException {
        InterfaceConfig file = TestConfigs.wgQuick("wu0.conf", """
                [Interface]
                PrivateKey = %s
                Address = 10.9.9.9/32
                MTU = 1400
                Table = auto
                SaveConfig = true
                PreUp = echo pre %%i
                PostDown = echo post %%i # kept
                """.formatted(PRIV_A)).iface();
        String text = WgQuickText.saved(file, List.of("10.0.0.2/32", "fd00::2/128"), List.of("10.0.0.53", "corp.example"),
                1380, device());
        assertThat(text).isEqualTo("""
                [Interface]
                Address = 10.0.0.2/32
                Address = fd00::2/128
                DNS = 10.0.0.53
                DNS = corp.example
                MTU = 1380
                Table = auto
                SaveConfig = true
                PreUp = echo pre %i
                PostDown = echo post %i # kept
                """ + DEVICE_KEYS_AND_PEERS);
        // and it parses back
        assertThat(TestConfigs.wgQuick("wu0.conf", text).peers()).hasSize(2);
        // without MTU in the file, the live MTU is not written
        assertThat(WgQuickText.saved(InterfaceConfig.EMPTY, List.of(), List.of(), 1420,
                new DeviceSnapshot(Optional.empty(), 0, 0, List.of()))).isEqualTo("[Interface]\n");
    }
}
