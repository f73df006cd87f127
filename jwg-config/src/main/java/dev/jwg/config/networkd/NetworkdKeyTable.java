package dev.jwg.config.networkd;

import java.util.ArrayList;
import java.util.List;

/**
 * What jwg does with each key systemd-networkd defines in the sections of a WireGuard link: the one
 * table behind the parsers ({@link NetworkKey}, {@link NetdevKey}, {@link KnownKeys}), readable by
 * tests and documentation. Stateless; the lists are immutable.
 */
public final class NetworkdKeyTable {
    private NetworkdKeyTable() {}

    /** What jwg does with a key. */
    public enum Treatment {
        /** Checked, and applied to the link (or used to match it). */
        APPLIED,
        /** Accepted; a one-line note says it does nothing for a WireGuard link (unless the value asks for nothing). */
        NOTED,
        /** Accepted silently: nothing anyone would miss. */
        SILENT
    }

    /**
     * One key.
     *
     * @param file {@code .network} or {@code .netdev}
     * @param section the section, as in its header
     * @param key the key, as networkd spells it
     * @param treatment what jwg does with it
     * @param reason for a noted or silent key, why it does nothing; empty for an applied key
     */
    public record Entry(String file, String section, String key, Treatment treatment, String reason) {}

    /** Every key, {@code .network} then {@code .netdev}, applied keys first within each file. */
    public static List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (NetworkKey k : NetworkKey.values()) {
            out.add(new Entry(".network", k.section.header, k.key, Treatment.APPLIED, ""));
        }
        for (KnownKeys g : KnownKeys.values()) {
            if (g.file == KnownKeys.File.NETWORK) {
                g.keys.forEach(k -> out.add(entry(".network", g, k)));
            }
        }
        for (NetdevKey k : NetdevKey.values()) {
            out.add(new Entry(".netdev", k.section.header, k.key, Treatment.APPLIED, ""));
        }
        for (KnownKeys g : KnownKeys.values()) {
            if (g.file == KnownKeys.File.NETDEV) {
                g.keys.forEach(k -> out.add(entry(".netdev", g, k)));
            }
        }
        return List.copyOf(out);
    }

    private static Entry entry(String file, KnownKeys g, String key) {
        return new Entry(file, g.section, key, g.say == KnownKeys.Say.NEVER ? Treatment.SILENT : Treatment.NOTED, g.reason);
    }
}
