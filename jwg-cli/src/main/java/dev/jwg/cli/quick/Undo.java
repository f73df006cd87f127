package dev.jwg.cli.quick;

import java.util.List;
import java.util.Objects;

/**
 * How to take back one thing {@code jwg up} put on the system, as recorded in the state file: the
 * command, and what kind of thing it removes, which fixes when {@code jwg down} runs it.
 *
 * <p>Immutable and thread-safe. Every word is a non-empty token without white space or control
 * characters, so an undo fits on one line of the state file and reads back unchanged.
 *
 * @param kind what the command removes
 * @param command the command that removes it
 */
public record Undo(Kind kind, SysCommand command) {

    /**
     * What an undo removes. {@code jwg down} takes them back in wg-quick's order: policy rules, routes
     * that outlive the link, systemd-resolved's link settings, the link itself (with its addresses and
     * device routes), a resolvconf record, firewall.
     * A rollback after a failed {@code up} instead undoes everything in exact reverse order.
     */
    public enum Kind {
        /** An {@code ip rule}: not removed with the link. */
        RULE,
        /** A route without a device (blackhole, unreachable, prohibit, throw): not removed with the link. */
        ROUTE,
        /** systemd-resolved's settings for the link: reverted while the link still exists. */
        RESOLVED,
        /** The interface: deleting it removes its addresses and every route through it, and ends the daemon. */
        LINK,
        /** A resolvconf record. */
        DNS,
        /** An nftables table. */
        FIREWALL;

        /** The position in {@code jwg down}'s order. */
        int downOrder() {
            return ordinal();
        }

        String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Kind of(String keyword) {
            for (Kind k : values()) {
                if (k.keyword().equals(keyword)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown undo kind " + keyword);
        }
    }

    public Undo {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(command);
        if (command.stdin().isPresent()) {
            throw new IllegalArgumentException("an undo takes no input");
        }
        for (String w : command.argv()) {
            if (!isToken(w)) {
                throw new IllegalArgumentException("an undo word must be a token without white space: '" + w + "'");
            }
        }
    }

    public static Undo of(Kind kind, List<String> argv) {
        return new Undo(kind, SysCommand.of(argv));
    }

    public static Undo of(Kind kind, String... argv) {
        return new Undo(kind, SysCommand.of(argv));
    }

    static boolean isToken(String w) {
        if (w.isEmpty()) {
            return false;
        }
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
