package dev.jwg.config.uapi;

import dev.jwg.core.routing.IpPrefix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the response to {@code get=1} exactly as wireguard-go does (docs/protocol.md §4.3):
 * <pre>
 * private_key=…       (only if set)
 * listen_port=…       (only if not 0)
 * fwmark=…            (only if not 0)
 * for each peer:
 *   public_key=…  preshared_key=… (zeros if none)  protocol_version=1  endpoint=… (only if known)
 *   last_handshake_time_sec=…  last_handshake_time_nsec=…  tx_bytes=…  rx_bytes=…
 *   persistent_keepalive_interval=…  allowed_ip=… (one line each)
 * errno=0
 * (blank line)
 * </pre>
 * Keys in lowercase hex, numbers in decimal. Output goes through a fixed 8 KiB buffer, so a peer with
 * 130,000 allowed IPs costs no more memory than one with a single one.
 *
 * <p>Stateless and thread-safe.
 */
public final class UapiGetWriter {
    private UapiGetWriter() {}

    /** Writes the whole response and flushes {@code out}. */
    public static void write(DeviceSnapshot device, OutputStream out) throws IOException {
        AsciiSink w = new AsciiSink(out);
        if (device.privateKey().isPresent() && !device.privateKey().get().isZero()) {
            w.key(UapiKey.PRIVATE_KEY).hex(device.privateKey().get()).newline();
        }
        if (device.listenPort() != 0) {
            w.key(UapiKey.LISTEN_PORT).unsigned(device.listenPort()).newline();
        }
        if (device.fwmark() != 0) {
            w.key(UapiKey.FWMARK).unsigned(Integer.toUnsignedLong(device.fwmark())).newline();
        }
        for (PeerSnapshot p : device.peers()) {
            w.key(UapiKey.PUBLIC_KEY).hex(p.publicKey()).newline();
            w.key(UapiKey.PRESHARED_KEY).hex(p.presharedKey()).newline();
            w.key(UapiKey.PROTOCOL_VERSION).ch('1').newline();
            if (p.endpoint().isPresent()) {
                w.key(UapiKey.ENDPOINT).text(p.endpoint().get()).newline();
            }
            w.key(UapiKey.LAST_HANDSHAKE_TIME_SEC).unsigned(p.lastHandshakeEpochSec()).newline();
            w.key(UapiKey.LAST_HANDSHAKE_TIME_NSEC).unsigned(p.lastHandshakeNsec()).newline();
            w.key(UapiKey.TX_BYTES).unsigned(p.txBytes()).newline();
            w.key(UapiKey.RX_BYTES).unsigned(p.rxBytes()).newline();
            w.key(UapiKey.PERSISTENT_KEEPALIVE_INTERVAL).unsigned(p.persistentKeepalive()).newline();
            StringBuilder sb = new StringBuilder(64);
            for (IpPrefix prefix : p.allowedIps()) {
                sb.setLength(0);
                w.key(UapiKey.ALLOWED_IP).text(prefix.appendTo(sb)).newline();
            }
        }
        w.key(UapiKey.ERRNO).ch('0').newline().newline();
        w.flush();
    }

    /** The response as a string, for tests and logs. */
    public static String toString(DeviceSnapshot device) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(device, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
