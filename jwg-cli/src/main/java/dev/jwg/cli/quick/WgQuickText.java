package dev.jwg.cli.quick;

import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.core.routing.IpPrefix;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Texts wg-quick produces, to the byte: {@code wg-quick strip}'s output and the file {@code save}
 * writes. Stateless and thread-safe; the outputs hold keys.
 */
public final class WgQuickText {
    /** The {@code [Interface]} keys wg-quick handles itself and strips before {@code wg}. */
    private static final Set<String> WG_QUICK_KEYS = Set.of("address", "mtu", "dns", "table", "preup", "predown",
            "postup", "postdown", "saveconfig");

    private WgQuickText() {}

    /**
     * What {@code wg-quick strip} prints for a file: its lines as bash's {@code read -r} returns them
     * (blanks at both ends removed), without wg-quick's own {@code [Interface]} keys, then the extra
     * newline of {@code echo}. Comments stay.
     */
    public static String strip(String text) {
        StringBuilder out = new StringBuilder();
        boolean inInterface = false;
        String[] lines = text.split("\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) {
            n--; // the newline ending the last line
        }
        for (int i = 0; i < n; i++) {
            String line = trimBlanks(lines[i]);
            int hash = line.indexOf('#');
            String stripped = hash < 0 ? line : line.substring(0, hash);
            int eq = stripped.indexOf('=');
            String key = trimSpace(eq < 0 ? stripped : stripped.substring(0, eq));
            if (key.startsWith("[")) {
                inInterface = false;
            }
            if (key.equalsIgnoreCase("[Interface]")) {
                inInterface = true;
            }
            if (inInterface && WG_QUICK_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
                continue;
            }
            out.append(line).append('\n');
        }
        return out.append('\n').toString();
    }

    /** bash {@code read -r} with the default IFS: spaces, tabs (and newlines) at both ends go. */
    private static String trimBlanks(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) {
            b++;
        }
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
            e--;
        }
        return s.substring(b, e);
    }

    /** {@code [[:space:]]}: space, tab, newline, vertical tab, form feed, carriage return. */
    private static String trimSpace(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isSpace(s.charAt(b))) {
            b++;
        }
        while (e > b && isSpace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /**
     * What {@code wg showconf} prints for a device: {@code [Interface]} with ListenPort, FwMark (hex),
     * PrivateKey, a blank line, then each peer, blank lines between peers.
     */
    public static String showconf(DeviceSnapshot d) {
        StringBuilder sb = new StringBuilder("[Interface]\n");
        if (d.listenPort() != 0) {
            sb.append("ListenPort = ").append(d.listenPort()).append('\n');
        }
        if (d.fwmark() != 0) {
            sb.append("FwMark = 0x").append(Integer.toHexString(d.fwmark())).append('\n');
        }
        if (d.privateKey().isPresent() && !d.privateKey().get().isZero()) {
            sb.append("PrivateKey = ").append(d.privateKey().get().toBase64()).append('\n');
        }
        sb.append('\n');
        List<PeerSnapshot> peers = d.peers();
        for (int i = 0; i < peers.size(); i++) {
            PeerSnapshot p = peers.get(i);
            sb.append("[Peer]\nPublicKey = ").append(p.publicKey().toBase64()).append('\n');
            if (!p.presharedKey().isZero()) {
                sb.append("PresharedKey = ").append(p.presharedKey().toBase64()).append('\n');
            }
            if (!p.allowedIps().isEmpty()) {
                sb.append("AllowedIPs = ").append(p.allowedIps().stream().map(IpPrefix::toString)
                        .collect(Collectors.joining(", "))).append('\n');
            }
            p.endpoint().ifPresent(e -> sb.append("Endpoint = ").append(e).append('\n'));
            if (p.persistentKeepalive() != 0) {
                sb.append("PersistentKeepalive = ").append(p.persistentKeepalive()).append('\n');
            }
            if (i + 1 < peers.size()) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * The live interface as wg-quick's {@code save_config} writes it: {@code [Interface]}, the live
     * addresses, DNS, MTU (only if the file sets one), Table, SaveConfig and the hooks from the file,
     * then the rest of {@code wg showconf}.
     *
     * @param file the configuration as read from the file (for MTU-set, Table, SaveConfig, hooks)
     * @param addresses the interface's addresses as ip(8) prints them, {@code 10.0.0.2/24}
     * @param dns DNS values to write, one {@code DNS =} line each
     * @param liveMtu the interface's MTU
     * @param device the device state
     */
    public static String saved(InterfaceConfig file, List<String> addresses, List<String> dns, int liveMtu,
            DeviceSnapshot device) {
        StringBuilder head = new StringBuilder("[Interface]\n");
        addresses.forEach(a -> head.append("Address = ").append(a).append('\n'));
        dns.forEach(a -> head.append("DNS = ").append(a).append('\n'));
        if (file.mtu().isPresent()) {
            head.append("MTU = ").append(liveMtu).append('\n');
        }
        file.table().ifPresent(t -> head.append("Table = ").append(t).append('\n'));
        if (file.saveConfig()) {
            head.append("SaveConfig = true\n");
        }
        file.preUp().forEach(h -> head.append("PreUp = ").append(h).append('\n'));
        file.postUp().forEach(h -> head.append("PostUp = ").append(h).append('\n'));
        file.preDown().forEach(h -> head.append("PreDown = ").append(h).append('\n'));
        file.postDown().forEach(h -> head.append("PostDown = ").append(h).append('\n'));
        String current = showconf(device);
        while (current.endsWith("\n")) {
            current = current.substring(0, current.length() - 1); // $(...) drops trailing newlines
        }
        return current.replaceFirst("\\[Interface\\]\n", java.util.regex.Matcher.quoteReplacement(head.toString())) + "\n";
    }
}
