package dev.jwg.config.networkd;

import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code .network} keys jwg applies to a WireGuard link (systemd.network(5), docs/networkd.md §2),
 * by section, with networkd's spelling: section and key names are case-sensitive, and a legacy alias
 * ({@code GatewayOnlink=}, {@code PrefixRoute=}, {@code IPForward=}, {@code IPv6AcceptRouterAdvertisements=})
 * is a key of its own here. The keys
 * networkd knows that jwg does not apply are in {@link KnownKeys}.
 */
enum NetworkKey {
    MATCH_NAME(Section.MATCH, "Name"),
    MATCH_MAC(Section.MATCH, "MACAddress"),
    MATCH_PERMANENT_MAC(Section.MATCH, "PermanentMACAddress"),
    MATCH_PATH(Section.MATCH, "Path"),
    MATCH_DRIVER(Section.MATCH, "Driver"),
    MATCH_TYPE(Section.MATCH, "Type"),
    MATCH_KIND(Section.MATCH, "Kind"),
    MATCH_WLAN_TYPE(Section.MATCH, "WLANInterfaceType"),
    MATCH_SSID(Section.MATCH, "SSID"),
    MATCH_BSSID(Section.MATCH, "BSSID"),
    MATCH_PROPERTY(Section.MATCH, "Property"),
    LINK_MTU_BYTES(Section.LINK, "MTUBytes"),
    LINK_ARP(Section.LINK, "ARP"),
    LINK_MULTICAST(Section.LINK, "Multicast"),
    LINK_ALL_MULTICAST(Section.LINK, "AllMulticast"),
    LINK_PROMISCUOUS(Section.LINK, "Promiscuous"),
    LINK_GROUP(Section.LINK, "Group"),
    LINK_UNMANAGED(Section.LINK, "Unmanaged"),
    ADDRESS(Section.NETWORK, "Address"),
    GATEWAY(Section.NETWORK, "Gateway"),
    DNS(Section.NETWORK, "DNS"),
    DOMAINS(Section.NETWORK, "Domains"),
    DEFAULT_ROUTE_ON_DEVICE(Section.NETWORK, "DefaultRouteOnDevice"),
    IP_FORWARD(Section.NETWORK, "IPForward"),
    IPV4_FORWARDING(Section.NETWORK, "IPv4Forwarding"),
    IPV6_FORWARDING(Section.NETWORK, "IPv6Forwarding"),
    LINK_LOCAL_ADDRESSING(Section.NETWORK, "LinkLocalAddressing"),
    IPV6_LINK_LOCAL_MODE(Section.NETWORK, "IPv6LinkLocalAddressGenerationMode"),
    IPV6_STABLE_SECRET(Section.NETWORK, "IPv6StableSecretAddress"),
    IPV4LL_ROUTE(Section.NETWORK, "IPv4LLRoute"),
    IPV6_ACCEPT_RA(Section.NETWORK, "IPv6AcceptRA"),
    IPV6_ACCEPT_ROUTER_ADVERTISEMENTS(Section.NETWORK, "IPv6AcceptRouterAdvertisements"),
    IPV6_PRIVACY_EXTENSIONS(Section.NETWORK, "IPv6PrivacyExtensions"),
    IPV6_HOP_LIMIT(Section.NETWORK, "IPv6HopLimit"),
    IPV6_MTU_BYTES(Section.NETWORK, "IPv6MTUBytes"),
    IPV4_REVERSE_PATH_FILTER(Section.NETWORK, "IPv4ReversePathFilter"),
    IPV4_ACCEPT_LOCAL(Section.NETWORK, "IPv4AcceptLocal"),
    IPV4_ROUTE_LOCALNET(Section.NETWORK, "IPv4RouteLocalnet"),
    MULTICAST_IGMP_VERSION(Section.NETWORK, "MulticastIGMPVersion"),
    ADDRESS_ADDRESS(Section.ADDRESS, "Address"),
    ADDRESS_PEER(Section.ADDRESS, "Peer"),
    ADDRESS_BROADCAST(Section.ADDRESS, "Broadcast"),
    ADDRESS_LABEL(Section.ADDRESS, "Label"),
    ADDRESS_PREFERRED_LIFETIME(Section.ADDRESS, "PreferredLifetime"),
    ADDRESS_SCOPE(Section.ADDRESS, "Scope"),
    ADDRESS_ROUTE_METRIC(Section.ADDRESS, "RouteMetric"),
    ADDRESS_HOME_ADDRESS(Section.ADDRESS, "HomeAddress"),
    ADDRESS_DAD(Section.ADDRESS, "DuplicateAddressDetection"),
    ADDRESS_MANAGE_TEMPORARY(Section.ADDRESS, "ManageTemporaryAddress"),
    ADDRESS_ADD_PREFIX_ROUTE(Section.ADDRESS, "AddPrefixRoute"),
    ADDRESS_PREFIX_ROUTE(Section.ADDRESS, "PrefixRoute"),
    ADDRESS_AUTO_JOIN(Section.ADDRESS, "AutoJoin"),
    ROUTE_GATEWAY(Section.ROUTE, "Gateway"),
    ROUTE_GATEWAY_ON_LINK(Section.ROUTE, "GatewayOnLink"),
    ROUTE_GATEWAY_ONLINK(Section.ROUTE, "GatewayOnlink"),
    ROUTE_DESTINATION(Section.ROUTE, "Destination"),
    ROUTE_SOURCE(Section.ROUTE, "Source"),
    ROUTE_METRIC(Section.ROUTE, "Metric"),
    ROUTE_SCOPE(Section.ROUTE, "Scope"),
    ROUTE_PREFERRED_SOURCE(Section.ROUTE, "PreferredSource"),
    ROUTE_TABLE(Section.ROUTE, "Table"),
    ROUTE_PROTOCOL(Section.ROUTE, "Protocol"),
    ROUTE_TYPE(Section.ROUTE, "Type"),
    ROUTE_MTU_BYTES(Section.ROUTE, "MTUBytes"),
    ROUTE_IPV6_PREFERENCE(Section.ROUTE, "IPv6Preference"),
    ROUTE_HOP_LIMIT(Section.ROUTE, "HopLimit"),
    ROUTE_INITIAL_CONGESTION_WINDOW(Section.ROUTE, "InitialCongestionWindow"),
    ROUTE_INITIAL_RECEIVE_WINDOW(Section.ROUTE, "InitialAdvertisedReceiveWindow"),
    ROUTE_QUICK_ACK(Section.ROUTE, "QuickAck"),
    ROUTE_FAST_OPEN_NO_COOKIE(Section.ROUTE, "FastOpenNoCookie"),
    ROUTE_ADVERTISED_MSS(Section.ROUTE, "TCPAdvertisedMaximumSegmentSize"),
    ROUTE_CONGESTION_CONTROL(Section.ROUTE, "TCPCongestionControlAlgorithm"),
    ROUTE_RTO_MIN(Section.ROUTE, "TCPRetransmissionTimeoutSec"),
    RULE_TOS(Section.RULE, "TypeOfService"),
    RULE_FROM(Section.RULE, "From"),
    RULE_TO(Section.RULE, "To"),
    RULE_FIREWALL_MARK(Section.RULE, "FirewallMark"),
    RULE_TABLE(Section.RULE, "Table"),
    RULE_PRIORITY(Section.RULE, "Priority"),
    RULE_GOTO(Section.RULE, "GoTo"),
    RULE_INCOMING_INTERFACE(Section.RULE, "IncomingInterface"),
    RULE_OUTGOING_INTERFACE(Section.RULE, "OutgoingInterface"),
    RULE_L3_MASTER_DEVICE(Section.RULE, "L3MasterDevice"),
    RULE_SOURCE_PORT(Section.RULE, "SourcePort"),
    RULE_DESTINATION_PORT(Section.RULE, "DestinationPort"),
    RULE_IP_PROTOCOL(Section.RULE, "IPProtocol"),
    RULE_INVERT(Section.RULE, "InvertRule"),
    RULE_FAMILY(Section.RULE, "Family"),
    RULE_USER(Section.RULE, "User"),
    RULE_SUPPRESS_PREFIX_LENGTH(Section.RULE, "SuppressPrefixLength"),
    RULE_SUPPRESS_INTERFACE_GROUP(Section.RULE, "SuppressInterfaceGroup"),
    RULE_TYPE(Section.RULE, "Type");

    enum Section {
        MATCH("Match"), LINK("Link"), NETWORK("Network"), ADDRESS("Address"), ROUTE("Route"),
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
