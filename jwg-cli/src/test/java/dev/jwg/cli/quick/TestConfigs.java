package dev.jwg.cli.quick;

import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.KeyFileReader;
import dev.jwg.config.networkd.NetdevParser;
import dev.jwg.config.networkd.NetworkParser;
import dev.jwg.config.wgquick.WgQuickParser;
import dev.jwg.core.routing.IpAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Keys, configurations and facts shared by the tests; nothing touches the system. */
final class TestConfigs {
    static final String PRIV_A = "+KPGrG+ES+AtHoL/00ot7VJtk66qnsbZEInnV14RE2M=";
    static final String PRIV_A_HEX = "f8a3c6ac6f844be02d1e82ffd34a2ded526d93aeaa9ec6d91089e7575e111363";
    static final String PUB_B = "SOWx59tArSbkd+RF0VEFQgUz6jHv3f4zwRQJA5Yuxjo=";
    static final String PUB_B_HEX = "48e5b1e7db40ad26e477e445d15105420533ea31efddfe33c1140903962ec63a";
    static final String PUB_C = "iDNU4ydY0DJJl2O84YuAMisFxzhnDsk3vrtpNvdc2iI=";
    static final String PUB_C_HEX = "883354e32758d032499763bce18b80322b05c738670ec937bebb6936f75cda22";
    static final String PSK = "pOVU58+AiHXUQBHdjR8z8aV/6be53VgxVgOJlKXnBB8=";
    static final String PSK_HEX = "a4e554e7cf808875d44011dd8d1f33f1a57fe9b7b9dd583156038994a5e7041f";

    /** Key files of the networkd fixtures, served from memory. */
    static final KeyFileReader KEYS = path -> switch (path.toString()) {
        case "/etc/jwg/wn.key" -> (PRIV_A + "\n").getBytes(StandardCharsets.US_ASCII);
        case "/etc/jwg/wn-b.psk" -> (PSK + "\n").getBytes(StandardCharsets.US_ASCII);
        default -> throw new NoSuchFileException(path.toString());
    };

    private TestConfigs() {}

    static TunnelConfig wgQuick(String fileName, String text) throws ConfigException {
        return WgQuickParser.parse(fileName, text);
    }

    static TunnelConfig networkd(String netdevName, String netdev, String networkName, String network) throws ConfigException {
        TunnelConfig t = NetdevParser.parse(netdevName, netdev, KEYS);
        NetworkConfig n = NetworkParser.parse(networkName, network);
        return t.toBuilder().network(n).addSource(Path.of(networkName)).build();
    }

    /**
     * A system where the endpoint 192.0.2.1 is reached over a 1500-byte link, table 51820 is free,
     * nft is installed and Debian's resolvconf (prefix {@code tun.}) too.
     */
    static Facts facts() {
        return new Facts(List.of("jwgd"), Map.of(), Map.of(IpAddress.parse("192.0.2.1"), 1500), OptionalInt.of(1500),
                51820, true, Optional.of("tun."));
    }

    static Facts facts(Map<IpAddress, Integer> routeMtu, OptionalInt defaultMtu, long freeTable, boolean nft,
            Optional<String> resolvconf) {
        return new Facts(List.of("jwgd"), Map.of(), routeMtu, defaultMtu, freeTable, nft, resolvconf);
    }
}
