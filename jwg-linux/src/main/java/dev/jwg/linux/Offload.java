package dev.jwg.linux;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kernel offloads a {@link LinuxTun} or {@link LinuxUdpBind} may use, as wireguard-go does on
 * Linux: instead of one system call per packet, the TUN hands over TCP (and UDP) super-packets of
 * up to 64 KiB that are split in Java and takes coalesced ones back ({@code IFF_VNET_HDR},
 * {@code TUNSETOFFLOAD}), and the UDP socket sends runs of equal datagrams in one call
 * ({@code UDP_SEGMENT}) and receives them coalesced ({@code UDP_GRO}). Each is switched on only
 * when the kernel accepts it; {@code offloads()} on the device or socket tells which are active.
 *
 * <p>Offloads cut the CPU time per byte of a bulk transfer several times over (figures in
 * docs/performance.md ("Measurements behind design choices") and its throughput sections).
 *
 * <p>Switch: offloads are on by default; the system property {@code jwg.offload=false} (also
 * {@code 0}, {@code off}, {@code no}) or, when the property is not set, the environment variable
 * {@code JWG_OFFLOAD=0} (also {@code false}, {@code off}, {@code no}) turns them all off, giving
 * the plain one-packet-per-call TUN and socket.
 */
public enum Offload {
    /** TUN: a {@code virtio_net_hdr} comes before every packet read and written ({@code IFF_VNET_HDR}). */
    VNET_HDR,
    /** TUN: the kernel may leave checksums to us ({@code TUN_F_CSUM}); required by all the others. */
    CSUM,
    /** TUN: TCP/IPv4 super-packets ({@code TUN_F_TSO4}); also enables coalescing TCP on write. */
    TSO4,
    /** TUN: TCP/IPv6 super-packets ({@code TUN_F_TSO6}). */
    TSO6,
    /** TUN: UDP/IPv4 super-packets ({@code TUN_F_USO4}, Linux 6.2+). */
    USO4,
    /** TUN: UDP/IPv6 super-packets ({@code TUN_F_USO6}, Linux 6.2+). */
    USO6,
    /** UDP socket: runs of datagrams sent with one {@code UDP_SEGMENT} message (Linux 4.18+). */
    UDP_GSO,
    /** UDP socket: coalesced datagrams received with their {@code UDP_GRO} segment size (Linux 5.0+). */
    UDP_GRO;

    /** Property and environment variable of the switch. */
    public static final String PROPERTY = "jwg.offload";
    public static final String ENVIRONMENT = "JWG_OFFLOAD";

    /** False when the switch turns offloads off (see the class comment). */
    public static boolean enabledByDefault() {
        return enabled(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
    }

    static boolean enabled(String property, String environment) {
        String value = property != null ? property : environment;
        if (value == null) {
            return true;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "0", "false", "off", "no" -> false;
            default -> true;
        };
    }

    /** {@code "csum tso4 tso6"}, or {@code "none"}: for log lines. */
    public static String describe(Set<Offload> offloads) {
        if (offloads.isEmpty()) {
            return "none";
        }
        return offloads.stream().map(o -> o.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(" "));
    }
}
