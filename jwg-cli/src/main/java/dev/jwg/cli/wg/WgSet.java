package dev.jwg.cli.wg;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.DeviceUpdate;
import java.util.List;

/**
 * {@code wg set}, {@code setconf}, {@code addconf} and {@code syncconf} ({@code set.c},
 * {@code setconf.c}): parse everything first, then send one set request; nothing is sent when
 * anything fails to parse. Stateless and thread-safe.
 */
final class WgSet {
    private WgSet() {}

    static String setUsage(String prog) {
        return "Usage: " + prog + " set <interface> [listen-port <port>] [fwmark <mark>] [private-key <file path>]"
                + " [peer <base64 public key> [remove] [preshared-key <file path>] [endpoint <ip>:<port>]"
                + " [persistent-keepalive <interval seconds>] [allowed-ips <ip1>/<cidr1>[,<ip2>/<cidr2>]...] ]...";
    }

    /** {@code set IF ARGS...}. */
    static int set(WgContext cx, List<String> args) {
        if (args.size() < 2) {
            cx.err().println(setUsage(cx.prog()));
            return 1;
        }
        DeviceUpdate update;
        try {
            update = SetArguments.parse(args.subList(1, args.size()), cx.endpoints(), cx.services(), cx.err());
        } catch (WgFailure f) {
            return fail(cx, f);
        }
        return send(cx, args.get(0), update);
    }

    /** {@code setconf|addconf|syncconf IF FILE}; {@code command} is the subcommand name. */
    static int conf(WgContext cx, String command, List<String> args) {
        if (args.size() != 2) {
            cx.err().println("Usage: " + cx.prog() + " " + command + " <interface> <configuration filename>");
            return 1;
        }
        String ifname = args.get(0);
        DeviceUpdate update;
        ConfFile.Loaded loaded;
        try {
            loaded = ConfFile.loadWithNames(cx, args.get(1), command.equals("addconf") ? ConfFile.Mode.ADD : ConfFile.Mode.SET);
            update = loaded.update();
        } catch (WgFailure f) {
            return fail(cx, f);
        }
        if (command.equals("syncconf") && SyncConf.needsRuntime(update)) {
            DeviceSnapshot runtime;
            try {
                runtime = cx.uapi().get(ifname);
            } catch (Uapi.Failure e) {
                cx.err().println("Unable to retrieve current interface configuration: " + e.getMessage());
                return 1;
            }
            update = SyncConf.apply(update, runtime);
        }
        int status = send(cx, ifname, update);
        if (status == 0) {
            EndpointNamesFile.afterConf(cx, ifname, command.equals("addconf"), loaded);
        }
        return status;
    }

    private static int send(WgContext cx, String ifname, DeviceUpdate update) {
        try {
            cx.uapi().set(ifname, SetRequestText.body(update));
        } catch (Uapi.Failure e) {
            cx.err().println("Unable to modify interface: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static int fail(WgContext cx, WgFailure f) {
        if (!f.getMessage().isEmpty()) {
            cx.err().println(f.getMessage());
        }
        return f.status();
    }
}
