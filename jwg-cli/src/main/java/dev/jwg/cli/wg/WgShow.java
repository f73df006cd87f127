package dev.jwg.cli.wg;

import dev.jwg.config.uapi.DeviceSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code wg show} and {@code wg showconf} ({@code show.c}, {@code showconf.c}): argument handling,
 * which devices to read, where the output and the errors go, and the exit status. Output is written
 * only once the whole of it is known for one device, as {@code wg} would have it on a pipe.
 * Stateless and thread-safe.
 */
final class WgShow {
    private WgShow() {}

    static String showUsage(String prog) {
        return "Usage: " + prog + " show { <interface> | all | interfaces } [public-key | private-key | listen-port"
                + " | fwmark | peers | preshared-keys | endpoints | allowed-ips | latest-handshakes | transfer"
                + " | persistent-keepalive | dump]";
    }

    /** {@code show [IF|all|interfaces] [FIELD]}, plus the {@code --json} extension (with or without a field). */
    static int show(WgContext cx, List<String> argv) {
        List<String> args = new ArrayList<>(argv);
        boolean json = args.removeIf(a -> a.equals("--json"));
        if (args.size() > 2) {
            cx.err().println(showUsage(cx.prog()));
            return 1;
        }
        ShowJson.Shape shape = ShowJson.Shape.FULL;
        if (json && args.size() == 2) {
            java.util.Optional<ShowJson.Shape> s = ShowJson.shape(args.get(1));
            if (s.isEmpty()) {
                invalidParameter(cx, args.get(1));
                return 1;
            }
            shape = s.get();
        }
        boolean showKeys = "never".equals(cx.env().apply("WG_HIDE_KEYS"));
        boolean color = Terminal.colorMode(cx.env().apply("WG_COLOR_MODE"), cx.stdoutIsTerminal());
        if (args.isEmpty() || args.get(0).equals("all")) {
            List<String> names = interfaces(cx);
            if (names == null) {
                return 1;
            }
            int ret = names.isEmpty() ? 0 : 1;
            List<ShownDevice> devices = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                DeviceSnapshot d;
                try {
                    d = cx.uapi().get(name);
                } catch (Uapi.Failure e) {
                    cx.err().println("Unable to access interface " + name + ": " + e.getMessage());
                    continue;
                }
                ShownDevice device = new ShownDevice(name, d);
                StringBuilder sb = new StringBuilder();
                if (json) {
                    devices.add(device);
                } else if (args.size() == 2) {
                    if (!FieldPrinter.print(device, args.get(1), true, cx.scopes(), sb)) {
                        invalidParameter(cx, args.get(1));
                        return 1;
                    }
                } else {
                    PrettyPrinter.print(device, color, showKeys, cx.nowSeconds().getAsLong(), cx.scopes(), sb);
                    if (i + 1 < names.size()) {
                        sb.append('\n');
                    }
                }
                cx.out().print(sb);
                cx.out().flush();
                ret = 0;
            }
            if (json) {
                StringBuilder sb = new StringBuilder();
                ShowJson.devices(devices, shape, showKeys, cx.scopes(), sb);
                cx.out().print(sb);
                return 0;
            }
            return ret;
        }
        if (args.get(0).equals("interfaces")) {
            if (args.size() > 1) {
                cx.err().println(showUsage(cx.prog()));
                return 1;
            }
            List<String> names = interfaces(cx);
            if (names == null) {
                return 1;
            }
            StringBuilder sb = new StringBuilder();
            if (json) {
                ShowJson.names(names, sb);
            } else if (!names.isEmpty()) {
                sb.append(String.join(" ", names)).append('\n');
            }
            cx.out().print(sb);
            return 0;
        }
        if (args.size() == 1 && (args.get(0).equals("-h") || args.get(0).equals("--help") || args.get(0).equals("help"))) {
            cx.err().println(showUsage(cx.prog()));
            return 0;
        }
        ShownDevice device = device(cx, args.get(0));
        if (device == null) {
            return 1;
        }
        StringBuilder sb = new StringBuilder();
        if (json) {
            ShowJson.device(device, shape, showKeys, cx.scopes(), "", sb);
            sb.append('\n');
        } else if (args.size() == 2) {
            if (!FieldPrinter.print(device, args.get(1), false, cx.scopes(), sb)) {
                invalidParameter(cx, args.get(1));
                return 1;
            }
        } else {
            PrettyPrinter.print(device, color, showKeys, cx.nowSeconds().getAsLong(), cx.scopes(), sb);
        }
        cx.out().print(sb);
        return 0;
    }

    private static void invalidParameter(WgContext cx, String field) {
        cx.out().flush();
        cx.err().println("Invalid parameter: `" + field + "'");
        cx.err().println(showUsage(cx.prog()));
    }

    /** {@code showconf IF}. */
    static int showConf(WgContext cx, List<String> args) {
        if (args.size() != 1) {
            cx.err().println("Usage: " + cx.prog() + " showconf <interface>");
            return 1;
        }
        ShownDevice device = device(cx, args.get(0));
        if (device == null) {
            return 1;
        }
        cx.out().print(ShowConf.render(device, cx.scopes()));
        return 0;
    }

    /** The interfaces' names, or {@code null} once {@code wg}'s error is printed. */
    private static List<String> interfaces(WgContext cx) {
        try {
            return cx.uapi().interfaces();
        } catch (Uapi.Failure e) {
            cx.err().println("Unable to list interfaces: " + e.getMessage());
            return null;
        }
    }

    /** The device {@code name}, or {@code null} once {@code wg}'s error is printed. */
    private static ShownDevice device(WgContext cx, String name) {
        try {
            return new ShownDevice(name, cx.uapi().get(name));
        } catch (Uapi.Failure e) {
            cx.err().println("Unable to access interface: " + e.getMessage());
            return null;
        }
    }
}
