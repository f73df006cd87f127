package dev.jwg.config.uapi;

import dev.jwg.core.routing.IpAddresses;
import java.util.Arrays;
import java.util.Optional;

/**
 * A peer endpoint as it crosses the UAPI: {@code a.b.c.d:port} or {@code [ipv6%zone]:port}.
 *
 * <p>Parsing follows Go's {@code netip.ParseAddrPort}, which wireguard-go's bind uses: numeric
 * addresses only (never a host name: {@code wg} resolves names itself), IPv6 only in brackets and
 * IPv4 never, a decimal port 0..65535. Two deliberate differences: an IPv4-mapped IPv6 address
 * ({@code [::ffff:192.0.2.1]:51820}) is normalised to plain IPv4, dropping any zone (a socket
 * reports such peers that way, and {@code wg} should never be shown the mapped form); and a zone
 * must look like a Linux interface name or index (1..15 printable characters, none of
 * {@code / : % [ ]} or whitespace) where Go accepts any non-empty string.
 *
 * <p>Immutable and thread-safe; {@link #address()} returns a copy.
 *
 * @param address 4 bytes (IPv4) or 16 bytes (IPv6, never IPv4-mapped)
 * @param zone the IPv6 scope zone ({@code "eth0"}, {@code "2"}), if any; never with IPv4
 * @param port 0..65535
 */
public record UapiEndpoint(byte[] address, Optional<String> zone, int port) {
    /** Longest zone accepted: IFNAMSIZ − 1. */
    static final int MAX_ZONE_LENGTH = 15;

    public UapiEndpoint {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + address.length);
        }
        if (IpAddresses.isIpv4Mapped(address)) {
            throw new IllegalArgumentException("IPv4-mapped address: use the 4-byte IPv4 form");
        }
        if (zone.isPresent() && (address.length == 4 || !isValidZone(zone.get(), 0, zone.get().length()))) {
            throw new IllegalArgumentException("bad zone");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad port " + port);
        }
        address = address.clone();
    }

    /** Parses {@code a.b.c.d:port} or {@code [ipv6]:port} / {@code [ipv6%zone]:port}; empty if malformed. */
    public static Optional<UapiEndpoint> parse(String s) {
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        long port = UapiDecimal.parse(s, colon + 1, s.length(), 65535);
        if (port < 0) {
            return Optional.empty();
        }
        byte[] addr;
        String zone = null;
        if (colon >= 1 && s.charAt(0) == '[') {
            if (colon < 2 || s.charAt(colon - 1) != ']') {
                return Optional.empty();
            }
            int end = colon - 1;
            int percent = s.indexOf('%', 1);
            if (percent >= 0 && percent < end) {
                if (!isValidZone(s, percent + 1, end)) {
                    return Optional.empty();
                }
                zone = s.substring(percent + 1, end);
                end = percent;
            }
            addr = parseAddress(s, 1, end, 16);
            if (addr == null) {
                return Optional.empty(); // includes [a.b.c.d]:port: brackets are for IPv6 only
            }
            if (IpAddresses.isIpv4Mapped(addr)) {
                addr = Arrays.copyOfRange(addr, 12, 16);
                zone = null;
            }
        } else {
            addr = parseAddress(s, 0, colon, 4); // an unbracketed IPv6 address fails here
            if (addr == null) {
                return Optional.empty();
            }
        }
        return Optional.of(new UapiEndpoint(addr, Optional.ofNullable(zone), (int) port));
    }

    /** A literal address of {@code length} bytes in {@code s[from, to)} (no zone), or null. */
    private static byte[] parseAddress(String s, int from, int to, int length) {
        try {
            byte[] a = IpAddresses.parse(s.substring(from, to));
            return a.length == length ? a : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isValidZone(String s, int from, int to) {
        if (to - from < 1 || to - from > MAX_ZONE_LENGTH) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '/' || c == ':' || c == '%' || c == '[' || c == ']') {
                return false;
            }
        }
        return true;
    }

    /** A copy of the address bytes (4 or 16). */
    @Override
    public byte[] address() {
        return address.clone();
    }

    /** Whether the address is IPv4. */
    public boolean isIpv4() {
        return address.length == 4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UapiEndpoint e && port == e.port && Arrays.equals(address, e.address)
                && zone.equals(e.zone);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(address) * 31 + zone.hashCode()) * 31 + port;
    }

    /** The wire form, as wireguard-go prints it: {@code 192.0.2.1:51820}, {@code [fe80::1%eth0]:51820}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64);
        if (address.length == 4) {
            sb.append(IpAddresses.format(address));
        } else {
            sb.append('[').append(IpAddresses.format(address));
            zone.ifPresent(z -> sb.append('%').append(z));
            sb.append(']');
        }
        return sb.append(':').append(port).toString();
    }
}
