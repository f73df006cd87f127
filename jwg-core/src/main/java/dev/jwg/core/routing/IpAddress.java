package dev.jwg.core.routing;

import java.util.Arrays;

/**
 * A literal IPv4 or IPv6 address without zone: a DNS server, a route gateway, an interface address's
 * host part. Parsed and written by {@link IpAddresses} (strict, no name lookups; RFC 5952 text).
 *
 * <p>Immutable and thread-safe; {@link #bytes()} returns a copy.
 *
 * @param bytes 4 bytes (IPv4) or 16 bytes (IPv6), network byte order
 */
public record IpAddress(byte[] bytes) {
    public IpAddress {
        if (bytes.length != 4 && bytes.length != 16) {
            throw new IllegalArgumentException("an address is 4 or 16 bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /**
     * Parses an address literal.
     *
     * @throws IllegalArgumentException if {@code text} is not exactly one IPv4 or IPv6 literal
     */
    public static IpAddress parse(String text) {
        return new IpAddress(IpAddresses.parse(text));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Whether this is an IPv4 address (4 bytes). */
    public boolean isIpv4() {
        return bytes.length == 4;
    }

    /** 32 or 128. */
    public int bitLength() {
        return bytes.length * 8;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && Arrays.equals(bytes, a.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** {@code 192.0.2.1}, {@code 2001:db8::1}. */
    @Override
    public String toString() {
        return IpAddresses.format(bytes);
    }
}
