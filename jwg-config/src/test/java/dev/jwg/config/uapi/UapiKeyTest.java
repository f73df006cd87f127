package dev.jwg.config.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UapiKeyTest {
    @Test
    void everyKeyOfTheSpecIsThereWithItsWireName() {
        assertThat(Arrays.stream(UapiKey.values()).map(UapiKey::wireName)).containsExactly(
                "private_key", "listen_port", "fwmark", "replace_peers", "public_key", "remove", "update_only",
                "preshared_key", "endpoint", "persistent_keepalive_interval", "replace_allowed_ips", "allowed_ip",
                "protocol_version", "last_handshake_time_sec", "last_handshake_time_nsec", "rx_bytes", "tx_bytes",
                "errno");
        for (UapiKey k : UapiKey.values()) {
            assertThat(UapiKey.fromWireName(k.wireName())).contains(k);
        }
        assertThat(UapiKey.fromWireName("Private_Key")).isEmpty();
        assertThat(UapiKey.fromWireName("get")).isEmpty();
    }

    @Test
    void scopesAndDirections() {
        assertThat(Arrays.stream(UapiKey.values()).filter(k -> k.scope() == UapiKey.Scope.DEVICE)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(UapiKey.class))))
                .containsExactly(UapiKey.PRIVATE_KEY, UapiKey.LISTEN_PORT, UapiKey.FWMARK, UapiKey.REPLACE_PEERS);
        assertThat(Arrays.stream(UapiKey.values()).filter(k -> !k.inGet()))
                .containsExactlyInAnyOrder(UapiKey.REPLACE_PEERS, UapiKey.REMOVE, UapiKey.UPDATE_ONLY,
                        UapiKey.REPLACE_ALLOWED_IPS);
        assertThat(Arrays.stream(UapiKey.values()).filter(k -> !k.inSet()))
                .containsExactlyInAnyOrder(UapiKey.LAST_HANDSHAKE_TIME_SEC, UapiKey.LAST_HANDSHAKE_TIME_NSEC,
                        UapiKey.RX_BYTES, UapiKey.TX_BYTES, UapiKey.ERRNO);
        assertThat(UapiKey.ERRNO.scope()).isEqualTo(UapiKey.Scope.RESPONSE);
    }

    @Test
    void errnoValuesAreWireguardGos() {
        assertThat(UapiErrno.EIO).isEqualTo(-5);
        assertThat(UapiErrno.EINVAL).isEqualTo(-22);
        assertThat(UapiErrno.UNKNOWN).isEqualTo(-55);
        assertThat(UapiErrno.EPROTO).isEqualTo(-71);
        assertThat(UapiErrno.EADDRINUSE).isEqualTo(-98);
        assertThat(new UapiException(UapiErrno.EPROTO, 3, "no =", null).getMessage()).isEqualTo("EPROTO at line 3: no =");
    }
}
