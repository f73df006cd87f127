package dev.jwg.config.networkd;

import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code .network} keys jwg reads (systemd.network(5), wireguard-facts §6.2), by section. Section
 * and key names are case-sensitive, as in systemd.
 */
enum NetworkKey {
    MATCH_NAME(Section.MATCH, "Name"),
    ADDRESS(Section.NETWORK, "Address"),
    DNS(Section.NETWORK, "DNS"),
    DOMAINS(Section.NETWORK, "Domains"),
    ADDRESS_ADDRESS(Section.ADDRESS, "Address"),
    LINK_MTU_BYTES(Section.LINK, "MTUBytes"),
    ROUTE_DESTINATION(Section.ROUTE, "Destination"),
    ROUTE_GATEWAY(Section.ROUTE, "Gateway"),
    ROUTE_GATEWAY_ON_LINK(Section.ROUTE, "GatewayOnLink"),
    ROUTE_METRIC(Section.ROUTE, "Metric"),
    ROUTE_TABLE(Section.ROUTE, "Table"),
    ROUTE_TYPE(Section.ROUTE, "Type"),
    RULE_FROM(Section.RULE, "From"),
    RULE_TO(Section.RULE, "To"),
    RULE_TABLE(Section.RULE, "Table"),
    RULE_PRIORITY(Section.RULE, "Priority"),
    RULE_INCOMING_INTERFACE(Section.RULE, "IncomingInterface"),
    RULE_OUTGOING_INTERFACE(Section.RULE, "OutgoingInterface"),
    RULE_FIREWALL_MARK(Section.RULE, "FirewallMark"),
    RULE_INVERT(Section.RULE, "InvertRule"),
    RULE_SUPPRESS_PREFIX_LENGTH(Section.RULE, "SuppressPrefixLength"),
    RULE_FAMILY(Section.RULE, "Family"),
    RULE_TYPE(Section.RULE, "Type");

    enum Section {
        MATCH("Match"), NETWORK("Network"), ADDRESS("Address"), LINK("Link"), ROUTE("Route"),
        RULE("RoutingPolicyRule");

        final String header;

        Section(String header) {
            this.header = header;
        }
    }

    final Section section;
    final String key;

    NetworkKey(Section section, String key) {
        this.section = section;
        this.key = key;
    }

    static Optional<NetworkKey> of(Section section, String key) {
        return Arrays.stream(values()).filter(k -> k.section == section && k.key.equals(key)).findFirst();
    }
}
