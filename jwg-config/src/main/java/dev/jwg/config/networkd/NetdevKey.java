package dev.jwg.config.networkd;

import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code .netdev} keys jwg applies (systemd.netdev(5), docs/networkd.md §2), by section, with
 * networkd's spelling: section and key names are case-sensitive, and the deprecated {@code FwMark=} is
 * a key of its own. The keys networkd knows that jwg does not apply are in {@link KnownKeys}.
 */
enum NetdevKey {
    NAME(Section.NETDEV, "Name", false),
    KIND(Section.NETDEV, "Kind", false),
    MTU_BYTES(Section.NETDEV, "MTUBytes", false),
    DESCRIPTION(Section.NETDEV, "Description", false),
    PRIVATE_KEY(Section.WIREGUARD, "PrivateKey", true),
    PRIVATE_KEY_FILE(Section.WIREGUARD, "PrivateKeyFile", false),
    LISTEN_PORT(Section.WIREGUARD, "ListenPort", false),
    FIREWALL_MARK(Section.WIREGUARD, "FirewallMark", false),
    FW_MARK(Section.WIREGUARD, "FwMark", false),
    ROUTE_TABLE(Section.WIREGUARD, "RouteTable", false),
    ROUTE_METRIC(Section.WIREGUARD, "RouteMetric", false),
    PUBLIC_KEY(Section.PEER, "PublicKey", false),
    PUBLIC_KEY_FILE(Section.PEER, "PublicKeyFile", false),
    PRESHARED_KEY(Section.PEER, "PresharedKey", true),
    PRESHARED_KEY_FILE(Section.PEER, "PresharedKeyFile", false),
    ALLOWED_IPS(Section.PEER, "AllowedIPs", false),
    ENDPOINT(Section.PEER, "Endpoint", false),
    PERSISTENT_KEEPALIVE(Section.PEER, "PersistentKeepalive", false),
    PEER_ROUTE_TABLE(Section.PEER, "RouteTable", false),
    PEER_ROUTE_METRIC(Section.PEER, "RouteMetric", false);

    enum Section {
        MATCH("Match"), NETDEV("NetDev"), WIREGUARD("WireGuard"), PEER("WireGuardPeer");

        final String header;

        Section(String header) {
            this.header = header;
        }
    }

    final Section section;
    final String key;
    /** Whether the value is secret and must never be echoed. */
    final boolean secret;

    NetdevKey(Section section, String key, boolean secret) {
        this.section = section;
        this.key = key;
        this.secret = secret;
    }

    static Optional<NetdevKey> of(Section section, String key) {
        return Arrays.stream(values()).filter(k -> k.section == section && k.key.equals(key)).findFirst();
    }
}
