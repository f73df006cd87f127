package dev.jwg.cli.wg;

import dev.jwg.config.uapi.AllowedIpChange;
import dev.jwg.config.uapi.DeviceUpdate;
import dev.jwg.config.uapi.PeerUpdate;
import dev.jwg.config.uapi.UapiEndpoint;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PublicKey;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@code wg set IF ...} after the interface name, read as {@code config.c}'s
 * {@code config_read_cmd} reads them: device options ({@code listen-port}, {@code fwmark},
 * {@code private-key}) only before the first {@code peer}, peer options after it, a later value
 * overriding an earlier one. Key files are read and endpoints resolved while parsing, so every
 * failure comes before anything is sent. Stateless and thread-safe.
 */
final class SetArguments {
    private SetArguments() {}

    /** The update {@code args} ask for; a {@link WgFailure} carries {@code wg}'s message. */
    static DeviceUpdate parse(List<String> args, EndpointResolution endpoints, Services services, PrintStream warnings)
            throws WgFailure {
        DeviceUpdate.Builder device = DeviceUpdate.builder();
        List<Draft> peers = new ArrayList<>();
        Draft peer = null;
        int i = 0;
        while (i < args.size()) {
            String option = args.get(i);
            boolean hasValue = i + 1 < args.size();
            if (option.equals("listen-port") && hasValue && peer == null) {
                device.listenPort(WgValues.port(args.get(i + 1), services));
                i += 2;
            } else if (option.equals("fwmark") && hasValue && peer == null) {
                device.fwmark(WgValues.fwmark(args.get(i + 1)));
                i += 2;
            } else if (option.equals("private-key") && hasValue && peer == null) {
                device.privateKey(KeyFiles.readPrivate(args.get(i + 1)));
                i += 2;
            } else if (option.equals("peer") && hasValue) {
                peer = new Draft(WgValues.key(args.get(i + 1)));
                peers.add(peer);
                i += 2;
            } else if (option.equals("remove") && peer != null) {
                peer.remove = true;
                i += 1;
            } else if (option.equals("endpoint") && hasValue && peer != null) {
                peer.endpoint = endpoints.resolve(args.get(i + 1));
                i += 2;
            } else if (option.equals("allowed-ips") && hasValue && peer != null) {
                boolean replace = WgValues.allowedIps(WgValues.stripSpaces(args.get(i + 1)), peer.allowedIps, warnings);
                peer.replaceAllowedIps = replace;
                i += 2;
            } else if (option.equals("persistent-keepalive") && hasValue && peer != null) {
                peer.keepalive = WgValues.persistentKeepalive(args.get(i + 1));
                i += 2;
            } else if (option.equals("preshared-key") && hasValue && peer != null) {
                peer.presharedKey = KeyFiles.readPreshared(args.get(i + 1));
                i += 2;
            } else {
                throw new WgFailure("Invalid argument: " + option);
            }
        }
        for (Draft d : peers) {
            device.peer(d.build());
        }
        return device.build();
    }

    /** One {@code peer} section of the command line. */
    private static final class Draft {
        final PublicKey publicKey;
        boolean remove;
        PresharedKey presharedKey;
        UapiEndpoint endpoint;
        Integer keepalive;
        boolean replaceAllowedIps;
        final List<AllowedIpChange> allowedIps = new ArrayList<>();

        Draft(PublicKey publicKey) {
            this.publicKey = publicKey;
        }

        PeerUpdate build() {
            PeerUpdate.Builder b = PeerUpdate.builder(publicKey);
            if (remove) {
                b.remove();
            }
            if (presharedKey != null) {
                b.presharedKey(presharedKey);
            }
            if (endpoint != null) {
                b.endpoint(endpoint);
            }
            if (keepalive != null) {
                b.persistentKeepalive(keepalive);
            }
            if (replaceAllowedIps) {
                b.replaceAllowedIps();
            }
            for (AllowedIpChange c : allowedIps) {
                if (c.remove()) {
                    b.removeAllowedIp(c.prefix());
                } else {
                    b.addAllowedIp(c.prefix());
                }
            }
            return b.build();
        }
    }
}
