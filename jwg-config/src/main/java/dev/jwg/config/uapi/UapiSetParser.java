package dev.jwg.config.uapi;

import dev.jwg.core.crypto.KeyBytes;
import dev.jwg.core.crypto.KeyFormatException;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;
import java.io.IOException;

/**
 * Parses the key/value lines of one {@code set} request into {@link UapiSetHandler} calls, line by
 * line, with wireguard-go's rules ({@code IpcSetOperation}, docs/protocol.md §4.2–4.3):
 * <ul>
 *   <li>lines end at {@code '\n'}; one {@code '\r'} before it is dropped (Go's {@code bufio.ScanLines});
 *       an unterminated last line before end of stream still counts;
 *   <li>an empty line, or the end of the stream, ends the request successfully;
 *   <li>each line is split at its first {@code '='}; no {@code '='} → {@link UapiErrno#EPROTO};
 *   <li>{@code public_key} ends the device part; device keys are refused after it and peer keys
 *       before it, as are unknown keys and get-only keys → {@link UapiErrno#EINVAL};
 *   <li>values are checked exactly as wireguard-go does (see {@link #parse}).
 * </ul>
 *
 * <p>Stateless; package-private engine of {@link UapiRequestReader#readSet(UapiSetHandler)}.
 */
final class UapiSetParser {
    private UapiSetParser() {}

    private static final int U16_MAX = 0xffff;
    private static final long U32_MAX = 0xffff_ffffL;

    /**
     * Reads lines until the end of the request, calling the handler for each.
     *
     * <p>Values: keys are 64 hex digits, either case ({@code private_key} and {@code preshared_key}
     * may be all zeros); {@code listen_port} and {@code persistent_keepalive_interval} decimal
     * 0..65535 and {@code fwmark} 0..2^32−1 (digits only, leading zeros allowed); {@code replace_peers},
     * {@code remove}, {@code update_only} and {@code replace_allowed_ips} exactly {@code true};
     * {@code protocol_version} exactly {@code 1}; {@code endpoint} per {@link UapiEndpoint#parse};
     * {@code allowed_ip} per {@link AllowedIpChange#parsePrefix}, with a leading {@code -} for removal.
     */
    static void parse(UapiLineReader lines, int maxLines, UapiSetHandler h) throws UapiException {
        boolean inPeer = false;
        boolean devicePart = true;
        int lineNo = 1; // "set=1"
        while (true) {
            lineNo++;
            UapiLineReader.Status status;
            try {
                status = lines.read();
            } catch (IOException e) {
                throw readFailure(h, inPeer, lineNo, "read failed: " + e.getMessage(), e);
            }
            if (status == UapiLineReader.Status.EOF) {
                finish(h, inPeer);
                return;
            }
            if (status == UapiLineReader.Status.TOO_LONG) {
                throw readFailure(h, inPeer, lineNo, "line too long", null);
            }
            String line = lines.line();
            if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                finish(h, inPeer);
                return;
            }
            if (lineNo - 1 > maxLines) {
                throw readFailure(h, inPeer, lineNo, "more than " + maxLines + " lines in one request", null);
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new UapiException(UapiErrno.EPROTO, lineNo, "line without '=': "
                        + (line.startsWith("private_key") || line.startsWith("preshared_key") ? "(a key, not shown)" : excerpt(line)), null);
            }
            String name = line.substring(0, eq);
            String value = line.substring(eq + 1);
            UapiKey key = UapiKey.lookup(name);
            if (key == UapiKey.PUBLIC_KEY) {
                if (inPeer) {
                    inPeer = false;
                    h.endPeer();
                }
                devicePart = false;
                h.beginPeer(publicKey(value, key, lineNo));
                inPeer = true;
            } else if (devicePart) {
                deviceLine(h, key, name, value, lineNo);
            } else {
                peerLine(h, key, name, value, lineNo);
            }
        }
    }

    private static void deviceLine(UapiSetHandler h, UapiKey key, String name, String value, int lineNo)
            throws UapiException {
        switch (key) {
            case PRIVATE_KEY -> h.setPrivateKey(privateKey(value, key, lineNo));
            case LISTEN_PORT -> h.setListenPort((int) number(value, U16_MAX, key, lineNo));
            case FWMARK -> h.setFwmark((int) number(value, U32_MAX, key, lineNo));
            case REPLACE_PEERS -> {
                requireTrue(value, key, lineNo);
                h.replacePeers();
            }
            case null, default -> throw invalid(lineNo, "invalid device key " + excerpt(name));
        }
    }

    private static void peerLine(UapiSetHandler h, UapiKey key, String name, String value, int lineNo)
            throws UapiException {
        switch (key) {
            case UPDATE_ONLY -> {
                requireTrue(value, key, lineNo);
                h.updateOnly();
            }
            case REMOVE -> {
                requireTrue(value, key, lineNo);
                h.removePeer();
            }
            case PRESHARED_KEY -> h.setPresharedKey(presharedKey(value, key, lineNo));
            case ENDPOINT -> h.setEndpoint(UapiEndpoint.parse(value)
                    .orElseThrow(() -> badValue(key, value, lineNo)));
            case PERSISTENT_KEEPALIVE_INTERVAL -> h.setPersistentKeepalive((int) number(value, U16_MAX, key, lineNo));
            case REPLACE_ALLOWED_IPS -> {
                requireTrue(value, key, lineNo);
                h.replaceAllowedIps();
            }
            case ALLOWED_IP -> {
                boolean remove = !value.isEmpty() && value.charAt(0) == '-';
                IpPrefix p = AllowedIpChange.parsePrefix(value, remove ? 1 : 0);
                if (p == null) {
                    throw badValue(key, value, lineNo);
                }
                if (remove) {
                    h.removeAllowedIp(p);
                } else {
                    h.addAllowedIp(p);
                }
            }
            case PROTOCOL_VERSION -> {
                if (!value.equals("1")) {
                    throw invalid(lineNo, "unsupported protocol_version " + excerpt(value));
                }
            }
            case null, default -> throw invalid(lineNo, "invalid peer key " + excerpt(name));
        }
    }

    private static void finish(UapiSetHandler h, boolean inPeer) throws UapiException {
        if (inPeer) {
            h.endPeer();
        }
        h.end();
    }

    /** wireguard-go starts the pending peer even when reading fails, then answers EIO. */
    private static UapiException readFailure(UapiSetHandler h, boolean inPeer, int lineNo, String reason,
            Throwable cause) throws UapiException {
        if (inPeer) {
            h.endPeer();
        }
        return new UapiException(UapiErrno.EIO, lineNo, reason, cause);
    }

    /** The key as written: the device clamps it. */
    private static PrivateKey privateKey(String value, UapiKey key, int lineNo) throws UapiException {
        try {
            return PrivateKey.fromHexAsWritten(value);
        } catch (KeyFormatException e) {
            throw badKey(key, lineNo);
        }
    }

    private static PublicKey publicKey(String value, UapiKey key, int lineNo) throws UapiException {
        try {
            return PublicKey.fromHex(value);
        } catch (KeyFormatException e) {
            throw badKey(key, lineNo);
        }
    }

    private static PresharedKey presharedKey(String value, UapiKey key, int lineNo) throws UapiException {
        try {
            return PresharedKey.fromHex(value);
        } catch (KeyFormatException e) {
            throw badKey(key, lineNo);
        }
    }

    /** Never echoes the value: it may be a private or preshared key. */
    private static UapiException badKey(UapiKey key, int lineNo) {
        return invalid(lineNo, "invalid " + key.wireName() + ": not " + KeyBytes.HEX_LEN + " hex digits");
    }

    private static long number(String value, long max, UapiKey key, int lineNo) throws UapiException {
        long n = UapiDecimal.parse(value, 0, value.length(), max);
        if (n < 0) {
            throw badValue(key, value, lineNo);
        }
        return n;
    }

    private static void requireTrue(String value, UapiKey key, int lineNo) throws UapiException {
        if (!value.equals("true")) {
            throw badValue(key, value, lineNo);
        }
    }

    private static UapiException badValue(UapiKey key, String value, int lineNo) {
        return invalid(lineNo, "invalid " + key.wireName() + " value " + excerpt(value));
    }

    private static UapiException invalid(int lineNo, String reason) {
        return new UapiException(UapiErrno.EINVAL, lineNo, reason, null);
    }

    /** Untrusted text, quoted and escaped for logs. */
    private static String excerpt(String s) {
        return '"' + UapiLineReader.escape(s) + '"';
    }
}
