package dev.jwg.cli.wg;

import static dev.jwg.cli.wg.Terminal.BOLD;
import static dev.jwg.cli.wg.Terminal.FG_CYAN;
import static dev.jwg.cli.wg.Terminal.FG_GREEN;
import static dev.jwg.cli.wg.Terminal.FG_YELLOW;
import static dev.jwg.cli.wg.Terminal.RESET;

import dev.jwg.config.uapi.PeerSnapshot;
import dev.jwg.core.routing.IpAddresses;
import dev.jwg.core.routing.IpPrefix;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The terminal form of {@code wg show} ({@code show.c}'s {@code pretty_print}): the interface, then
 * the peers sorted by latest handshake, most recent first, peers that never completed one last
 * (stable, as glibc's merge-sorting {@code qsort}). Text is produced in the same pieces as
 * {@code wg}'s {@code terminal_printf} calls and filtered piece by piece, so the bytes match with and
 * without colour. Stateless and thread-safe.
 */
final class PrettyPrinter {
    /** {@code show.c}'s {@code peer_cmp}. */
    static final Comparator<PeerSnapshot> BY_LATEST_HANDSHAKE = (a, b) -> {
        boolean aNever = a.lastHandshakeEpochSec() == 0 && a.lastHandshakeNsec() == 0;
        boolean bNever = b.lastHandshakeEpochSec() == 0 && b.lastHandshakeNsec() == 0;
        if (aNever && !bNever) {
            return 1;
        }
        if (bNever && !aNever) {
            return -1;
        }
        long diff = a.lastHandshakeEpochSec() - b.lastHandshakeEpochSec();
        if (diff == 0) {
            diff = a.lastHandshakeNsec() - b.lastHandshakeNsec();
        }
        return diff < 0 ? 1 : diff > 0 ? -1 : 0;
    };

    private final StringBuilder out;
    private final boolean color;

    private PrettyPrinter(StringBuilder out, boolean color) {
        this.out = out;
        this.color = color;
    }

    /**
     * Appends the pretty form of {@code device} to {@code out}.
     *
     * @param color whether ANSI colours stay in
     * @param showKeys {@code WG_HIDE_KEYS=never}: print private and preshared keys instead of {@code (hidden)}
     * @param now the current Unix time in seconds, for handshake ages
     */
    static void print(ShownDevice device, boolean color, boolean showKeys, long now, EndpointText.Scopes scopes,
            StringBuilder out) {
        new PrettyPrinter(out, color).device(device, showKeys, now, scopes);
    }

    /** One {@code terminal_printf} call. */
    private void t(String s) {
        out.append(color ? s : Terminal.strip(s));
    }

    private void device(ShownDevice device, boolean showKeys, long now, EndpointText.Scopes scopes) {
        var d = device.snapshot();
        t(RESET);
        t(FG_GREEN + BOLD + "interface" + RESET + ": " + FG_GREEN + device.name() + RESET + "\n");
        device.publicKeyBase64().ifPresent(k -> t("  " + BOLD + "public key" + RESET + ": " + k + "\n"));
        device.privateKeyBase64().ifPresent(k -> t("  " + BOLD + "private key" + RESET + ": "
                + (showKeys ? k : "(hidden)") + "\n"));
        if (d.listenPort() != 0) {
            t("  " + BOLD + "listening port" + RESET + ": " + d.listenPort() + "\n");
        }
        if (d.fwmark() != 0) {
            t("  " + BOLD + "fwmark" + RESET + ": 0x" + Integer.toHexString(d.fwmark()) + "\n");
        }
        List<PeerSnapshot> peers = new ArrayList<>(d.peers());
        if (!peers.isEmpty()) {
            peers.sort(BY_LATEST_HANDSHAKE);
            t("\n");
        }
        for (int i = 0; i < peers.size(); i++) {
            PeerSnapshot p = peers.get(i);
            t(FG_YELLOW + BOLD + "peer" + RESET + ": " + FG_YELLOW + p.publicKey().toBase64() + RESET + "\n");
            Optional<String> psk = ShownDevice.presharedKey(p);
            psk.ifPresent(k -> t("  " + BOLD + "preshared key" + RESET + ": " + (showKeys ? k : "(hidden)") + "\n"));
            ShownDevice.endpoint(p, scopes).ifPresent(e -> t("  " + BOLD + "endpoint" + RESET + ": " + e + "\n"));
            t("  " + BOLD + "allowed ips" + RESET + ": ");
            List<IpPrefix> ips = p.allowedIps();
            if (ips.isEmpty()) {
                t("(none)\n");
            }
            for (int j = 0; j < ips.size(); j++) {
                IpPrefix a = ips.get(j);
                t(IpAddresses.formatInetNtop(a.address()) + FG_CYAN + "/" + RESET + a.bits() + (j + 1 < ips.size() ? ", " : "\n"));
            }
            if (p.lastHandshakeEpochSec() != 0) {
                t("  " + BOLD + "latest handshake" + RESET + ": " + HumanUnits.ago(p.lastHandshakeEpochSec(), now) + "\n");
            }
            if (p.rxBytes() != 0 || p.txBytes() != 0) {
                t("  " + BOLD + "transfer" + RESET + ": ");
                t(HumanUnits.bytes(p.rxBytes()) + " received, ");
                t(HumanUnits.bytes(p.txBytes()) + " sent\n");
            }
            if (p.persistentKeepalive() != 0) {
                t("  " + BOLD + "persistent keepalive" + RESET + ": " + HumanUnits.every(p.persistentKeepalive()) + "\n");
            }
            if (i + 1 < peers.size()) {
                t("\n");
            }
        }
    }
}
