package dev.jwg.config.wgquick;

import java.util.Locale;
import java.util.Optional;

/**
 * The keys of a wg-quick file (docs/protocol.md §5.2, §5.3), with the section they belong to and how
 * their value is read. Matched case-insensitively, as {@code wg} and wg-quick do.
 */
enum WgQuickKey {
    PRIVATE_KEY("PrivateKey", Section.INTERFACE, Syntax.WG, true),
    LISTEN_PORT("ListenPort", Section.INTERFACE, Syntax.WG, false),
    FW_MARK("FwMark", Section.INTERFACE, Syntax.WG, false),
    ADDRESS("Address", Section.INTERFACE, Syntax.LIST, false),
    DNS("DNS", Section.INTERFACE, Syntax.LIST, false),
    MTU("MTU", Section.INTERFACE, Syntax.SCALAR, false),
    TABLE("Table", Section.INTERFACE, Syntax.SCALAR, false),
    PRE_UP("PreUp", Section.INTERFACE, Syntax.RAW, false),
    POST_UP("PostUp", Section.INTERFACE, Syntax.RAW, false),
    PRE_DOWN("PreDown", Section.INTERFACE, Syntax.RAW, false),
    POST_DOWN("PostDown", Section.INTERFACE, Syntax.RAW, false),
    SAVE_CONFIG("SaveConfig", Section.INTERFACE, Syntax.SCALAR, false),
    PUBLIC_KEY("PublicKey", Section.PEER, Syntax.WG, false),
    PRESHARED_KEY("PresharedKey", Section.PEER, Syntax.WG, true),
    ALLOWED_IPS("AllowedIPs", Section.PEER, Syntax.WG, false),
    ENDPOINT("Endpoint", Section.PEER, Syntax.WG, false),
    PERSISTENT_KEEPALIVE("PersistentKeepalive", Section.PEER, Syntax.WG, false);

    /** The two sections, plus the state before the first header. */
    enum Section {
        NONE, INTERFACE, PEER
    }

    /** How the value is taken from the line. */
    enum Syntax {
        /** A {@code wg} key: every whitespace character of the line removed, the comment cut off. */
        WG,
        /** A wg-quick list: comment cut off, split on commas and whitespace (as wg-quick's {@code ${value//,/ }}). */
        LIST,
        /** A wg-quick scalar: comment cut off, trimmed. */
        SCALAR,
        /** A hook: the raw text after the first {@code =}, {@code #} included, trimmed. */
        RAW
    }

    final String canonical;
    final Section section;
    final Syntax syntax;
    /** Whether the value is secret and must never be echoed in an error message. */
    final boolean secret;

    WgQuickKey(String canonical, Section section, Syntax syntax, boolean secret) {
        this.canonical = canonical;
        this.section = section;
        this.syntax = syntax;
        this.secret = secret;
    }

    /** The key named {@code name} (any case), in any section. */
    static Optional<WgQuickKey> byName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (WgQuickKey k : values()) {
            if (k.canonical.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
