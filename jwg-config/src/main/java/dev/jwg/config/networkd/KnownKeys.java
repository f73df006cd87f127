package dev.jwg.config.networkd;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The keys and sections systemd-networkd defines that jwg accepts without applying them to a WireGuard
 * link, each group with the reason said in its one-line note (systemd.network(5), systemd.netdev(5);
 * the keys jwg applies are {@link NetworkKey} and {@link NetdevKey}). A group marked quiet-when-off
 * says nothing when its value asks for nothing ({@code DHCP=no}, {@code IPv6ProxyNDP=no}); a
 * silent group never says anything. Values of these keys are not checked: jwg does not use them.
 *
 * <p>Stateless; the table is immutable.
 */
enum KnownKeys {
    // .network [Match]
    MATCH_CONDITIONS(File.NETWORK, "Match", Say.ALWAYS,
            "a condition jwg does not evaluate: the file is taken as matching",
            "Host", "Virtualization", "KernelCommandLine", "KernelVersion", "Credential", "Architecture", "Firmware"),
    // .network [Link]
    LINK_MAC(File.NETWORK, "Link", Say.ALWAYS, "a WireGuard link has no hardware address", "MACAddress"),
    LINK_ONLINE(File.NETWORK, "Link", Say.NEVER, "read by systemd-networkd-wait-online only",
            "RequiredForOnline", "RequiredFamilyForOnline"),
    LINK_ACTIVATION(File.NETWORK, "Link", Say.UNLESS_UP, "jwg up brings the link up whatever the policy",
            "ActivationPolicy"),
    // .network [Network]
    DESCRIPTION(File.NETWORK, "Network", Say.NEVER, "a description for networkctl only", "Description"),
    DHCP(File.NETWORK, "Network", Say.UNLESS_OFF, "no DHCP on a WireGuard link", "DHCP", "DHCPServer"),
    IPV4_LINK_LOCAL(File.NETWORK, "Network", Say.UNLESS_OFF,
            "no IPv4 link-local address: finding a free one takes ARP, which a WireGuard link does not have",
            "IPv4LLStartAddress", "IPv4LL"),
    AUTOCONF(File.NETWORK, "Network", Say.UNLESS_OFF,
            "jwg sends no router advertisements and runs no DHCPv6 or prefix delegation",
            "IPv6SendRA", "DHCPPrefixDelegation", "DHCPv6PrefixDelegation", "IPv6PrefixDelegation", "IPv6Token"),
    LLDP(File.NETWORK, "Network", Say.UNLESS_OFF, "no LLDP on a WireGuard link", "LLDP", "EmitLLDP"),
    RESOLVED_OPTIONS(File.NETWORK, "Network", Say.UNLESS_OFF,
            "a per-link option of systemd-resolved; jwg sets the link's DNS= servers and Domains= only",
            "DNSDefaultRoute", "LLMNR", "MulticastDNS", "DNSOverTLS", "DNSSEC", "DNSSECNegativeTrustAnchors",
            "UseDomains"),
    NTP(File.NETWORK, "Network", Say.ALWAYS, "jwg does not hand time servers to systemd-timesyncd", "NTP"),
    MASQUERADE(File.NETWORK, "Network", Say.UNLESS_OFF,
            "jwg adds no NAT rule; add the masquerade rule to your firewall", "IPMasquerade"),
    NEIGHBOURS(File.NETWORK, "Network", Say.UNLESS_OFF,
            "a WireGuard link has no link-layer addresses: the kernel does no ARP, neighbour discovery or "
                    + "duplicate address detection on it",
            "IPv6DuplicateAddressDetection", "IPv6RetransmissionTimeSec", "IPv4ProxyARP", "IPv4ProxyARPPrivateVLAN",
            "ProxyARP", "IPv6ProxyNDP", "IPv6ProxyNDPAddress"),
    STACKED(File.NETWORK, "Network", Say.ALWAYS, "jwg creates no other devices and enslaves the link to none",
            "KeepMaster", "BatmanAdvanced", "Bond", "Bridge", "VRF", "IPoIB", "IPVLAN", "IPVTAP", "MACsec", "MACVLAN",
            "MACVTAP", "Tunnel", "VLAN", "VXLAN", "Xfrm", "L2TP", "ActiveSlave", "PrimarySlave"),
    CARRIER(File.NETWORK, "Network", Say.NEVER, "a WireGuard link always has carrier",
            "BindCarrier", "ConfigureWithoutCarrier", "IgnoreCarrierLoss"),
    KEEP(File.NETWORK, "Network", Say.UNLESS_OFF, "jwg down removes what jwg up added", "KeepConfiguration"),
    // .network [Address]
    ADDRESS_LABELS(File.NETWORK, "Address", Say.ALWAYS, "jwg sets no NetLabel or nftables set", "NetLabel", "NFTSet"),
    // .network [Route]
    ROUTE_NEXT_HOPS(File.NETWORK, "Route", Say.ALWAYS,
            "jwg creates no multipath routes or [NextHop] objects; use ip route ... nexthop in a hook",
            "MultiPathRoute", "NextHop"),
    ROUTE_LEGACY(File.NETWORK, "Route", Say.ALWAYS, "no longer supported by networkd itself", "TTLPropagate"),
    // .netdev
    NETDEV_CONDITIONS(File.NETDEV, "Match", Say.ALWAYS,
            "a condition jwg does not evaluate: jwg up uses the .netdev it is given",
            "Host", "Virtualization", "KernelCommandLine", "KernelVersion", "Credential", "Architecture", "Firmware"),
    NETDEV_MAC(File.NETDEV, "NetDev", Say.ALWAYS, "a WireGuard link has no hardware address", "MACAddress");

    /** The kind of file a key belongs to. */
    enum File {
        NETWORK, NETDEV
    }

    /** When the one-line note is printed. */
    enum Say {
        /** Whenever the key is set. */
        ALWAYS,
        /** Unless the value asks for nothing: empty, a false boolean or {@code none}. */
        UNLESS_OFF,
        /** Unless the value is {@code up} or {@code always-up}. */
        UNLESS_UP,
        /** Never: the key has no effect anyone would miss. */
        NEVER
    }

    /**
     * The sections of a {@code .network} file that configure what a WireGuard link does not have (DHCP,
     * router advertisements, bridging, CAN, traffic control and more): noted once each, their keys skipped.
     */
    static final Set<String> OTHER_NETWORK_SECTIONS = Set.of("SR-IOV", "Neighbor", "IPv6AddressLabel", "NextHop",
            "DHCPv4", "DHCPv6", "DHCPPrefixDelegation", "IPv6AcceptRA", "DHCPServer", "DHCPServerStaticLease",
            "IPv6SendRA", "IPv6Prefix", "IPv6RoutePrefix", "IPv6PREF64Prefix", "Bridge", "BridgeFDB", "BridgeMDB",
            "BridgeVLAN", "LLDP", "CAN", "IPoIB", "QDisc", "NetworkEmulator", "TokenBucketFilter", "PIE",
            "FlowQueuePIE", "StochasticFairBlue", "StochasticFairnessQueueing", "BFIFO", "PFIFO", "PFIFOHeadDrop",
            "PFIFOFast", "CAKE", "ControlledDelay", "DeficitRoundRobinScheduler", "DeficitRoundRobinSchedulerClass",
            "EnhancedTransmissionSelection", "GenericRandomEarlyDetection", "FairQueueingControlledDelay",
            "FairQueueing", "TrivialLinkEqualizer", "HierarchyTokenBucket", "HierarchyTokenBucketClass",
            "ClassfulMultiQueueing", "BandMultiQueueing", "HeavyHitterFilter", "QuickFairQueueing",
            "QuickFairQueueingClass", "DHCP", "IPv6PrefixDelegation", "DHCPv6PrefixDelegation",
            "TrafficControlQueueingDiscipline");

    /** The sections of a {@code .netdev} file that belong to other kinds of netdev: networkd skips them. */
    static final Set<String> OTHER_NETDEV_SECTIONS = Set.of("Bridge", "VLAN", "MACVLAN", "MACVTAP", "IPVLAN",
            "IPVTAP", "VXLAN", "GENEVE", "BareUDP", "L2TP", "L2TPSession", "MACsec", "MACsecReceiveChannel",
            "MACsecTransmitAssociation", "MACsecReceiveAssociation", "Tunnel", "FooOverUDP", "Peer", "VXCAN", "Tun",
            "Tap", "Bond", "Xfrm", "VRF", "BatmanAdvanced", "IPoIB", "WLAN");

    private static final Set<String> OFF = Set.of("", "0", "no", "n", "false", "f", "off", "none");

    final File file;
    final String section;
    final Say say;
    final String reason;
    final List<String> keys;

    KnownKeys(File file, String section, Say say, String reason, String... keys) {
        this.file = file;
        this.section = section;
        this.say = say;
        this.reason = reason;
        this.keys = List.of(keys);
    }

    /** The group of {@code key} in {@code section} of a {@code file}, if networkd knows it and jwg does not apply it. */
    static Optional<KnownKeys> of(File file, String section, String key) {
        for (KnownKeys k : values()) {
            if (k.file == file && k.section.equals(section) && k.keys.contains(key)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Whether setting a key of this group to {@code value} deserves a note. */
    boolean worthSaying(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        return switch (say) {
            case ALWAYS -> true;
            case NEVER -> false;
            case UNLESS_OFF -> !OFF.contains(v);
            case UNLESS_UP -> !v.isEmpty() && !v.equals("up") && !v.equals("always-up");
        };
    }
}
