package dev.jwg.config.uapi;

import dev.jwg.core.crypto.KeyFormatException;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@code get} response (docs/protocol.md §4.2) into a {@link DeviceSnapshot}, the way
 * wireguard-tools' ipc-uapi.h does: device keys count only before the first {@code public_key},
 * peer keys apply to the latest peer, unknown keys are ignored, integers must start with a
 * digit, and the response must end with {@code errno=N} and a blank line. A non-zero errno or a
 * malformed line is an {@link UapiException}. Stateless and thread-safe.
 */
public final class UapiGetParser {
    private UapiGetParser() {}

    /** Parses the response from a stream positioned after the {@code get=1} request was sent. */
    public static DeviceSnapshot parse(InputStream in) throws IOException, UapiException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
        Optional<PrivateKey> privateKey = Optional.empty();
        int listenPort = 0;
        int fwmark = 0;
        List<PeerSnapshot> peers = new ArrayList<>();
        PeerBuilder peer = null;
        int lineNo = 0;
        String line;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isEmpty()) {
                throw new UapiException(UapiErrno.EPROTO, lineNo, "response ended without errno", null);
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new UapiException(UapiErrno.EPROTO, lineNo, "line without '='", null);
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            if (key.equals("errno")) {
                long errno = number(value, lineNo, 0x7fff_ffffL);
                if (!"".equals(r.readLine())) {
                    throw new UapiException(UapiErrno.EPROTO, lineNo + 1, "no blank line after errno", null);
                }
                if (errno != 0) {
                    throw new UapiException((int) -Math.abs(errno), lineNo, "the daemon answered errno=" + value, null);
                }
                if (peer != null) {
                    peers.add(peer.build(lineNo));
                }
                return new DeviceSnapshot(privateKey, listenPort, fwmark, peers);
            }
            if (key.equals("public_key")) {
                if (peer != null) {
                    peers.add(peer.build(lineNo));
                }
                peer = new PeerBuilder(publicKey(value, lineNo));
                continue;
            }
            if (peer == null) {
                switch (key) {
                    case "private_key" -> privateKey = Optional.of(privateKey(value, lineNo)).filter(k -> !k.isZero());
                    case "listen_port" -> listenPort = (int) number(value, lineNo, 0xffff);
                    case "fwmark" -> fwmark = (int) number(value, lineNo, 0xffff_ffffL);
                    default -> { }
                }
                continue;
            }
            switch (key) {
                case "preshared_key" -> peer.psk = presharedKey(value, lineNo);
                case "endpoint" -> peer.endpoint = Optional.of(value);
                case "last_handshake_time_sec" -> peer.sec = number(value, lineNo, Long.MAX_VALUE);
                case "last_handshake_time_nsec" -> peer.nsec = number(value, lineNo, Long.MAX_VALUE);
                case "tx_bytes" -> peer.tx = number(value, lineNo, -1L);
                case "rx_bytes" -> peer.rx = number(value, lineNo, -1L);
                case "persistent_keepalive_interval" -> peer.keepalive = (int) number(value, lineNo, 0xffff);
                case "allowed_ip" -> peer.allowedIps.add(allowedIp(value));
                default -> { }
            }
        }
        throw new UapiException(UapiErrno.EPROTO, lineNo, "connection closed before errno", null);
    }

    private static IpPrefix allowedIp(String value) throws UapiException {
        IpPrefix p = AllowedIpChange.parsePrefix(value, 0);
        if (p == null) {
            throw new UapiException(UapiErrno.EPROTO, 0, "bad allowed_ip", null);
        }
        return p;
    }

    private static PrivateKey privateKey(String hex, int line) throws UapiException {
        try {
            return PrivateKey.fromHexAsWritten(hex);
        } catch (KeyFormatException e) {
            throw badKey(line);
        }
    }

    private static PublicKey publicKey(String hex, int line) throws UapiException {
        try {
            return PublicKey.fromHex(hex);
        } catch (KeyFormatException e) {
            throw badKey(line);
        }
    }

    private static PresharedKey presharedKey(String hex, int line) throws UapiException {
        try {
            return PresharedKey.fromHex(hex);
        } catch (KeyFormatException e) {
            throw badKey(line);
        }
    }

    private static UapiException badKey(int line) {
        return new UapiException(UapiErrno.EPROTO, line, "bad key", null);
    }

    /** An unsigned decimal up to {@code max} (compared unsigned), starting with a digit, as wg's {@code NUM}. */
    private static long number(String s, int line, long max) throws UapiException {
        if (s.isEmpty() || s.charAt(0) < '0' || s.charAt(0) > '9') {
            throw new UapiException(UapiErrno.EPROTO, line, "not a number", null);
        }
        long v;
        try {
            v = Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new UapiException(UapiErrno.EPROTO, line, "not a number", null);
        }
        if (Long.compareUnsigned(v, max) > 0) {
            throw new UapiException(UapiErrno.EPROTO, line, "number out of range", null);
        }
        return v;
    }

    private static final class PeerBuilder {
        final PublicKey publicKey;
        PresharedKey psk = PresharedKey.ZERO;
        Optional<String> endpoint = Optional.empty();
        long sec;
        long nsec;
        long tx;
        long rx;
        int keepalive;
        final List<IpPrefix> allowedIps = new ArrayList<>();

        PeerBuilder(PublicKey publicKey) {
            this.publicKey = publicKey;
        }

        PeerSnapshot build(int line) throws UapiException {
            try {
                return new PeerSnapshot(publicKey, psk, endpoint, sec, nsec, tx, rx, keepalive, allowedIps);
            } catch (IllegalArgumentException e) {
                throw new UapiException(UapiErrno.EPROTO, line, "unusable peer values", e);
            }
        }
    }
}
