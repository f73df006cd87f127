package dev.jwg.config.model;

import dev.jwg.config.uapi.Prefix;
import java.util.Arrays;

/**
 * A literal IPv4 or IPv6 address without zone: a DNS server, a route gateway. Parsing is strict (no
 * host names, no leading zeros in IPv4 fields, no zone); formatting is RFC 5952 for IPv6.
 *
 * <p>Immutable and thread-safe; {@link #bytes()} returns a copy.
 *
 * @param bytes 4 bytes (IPv4) or 16 bytes (IPv6)
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
        // The strict literal parser lives with the UAPI stand-in Prefix; "/0" borrows it unchanged.
        if (text.isEmpty() || text.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not an IP address");
        }
        return Prefix.parse(text + "/0").map(p -> new IpAddress(p.address()))
                .orElseThrow(() -> new IllegalArgumentException("not an IP address"));
    }

    /**
     * Parses {@code addr/len}, or a bare {@code addr} meaning a full-length prefix, as {@code wg} reads
     * AllowedIPs. Host bits are kept as written.
     *
     * @throws IllegalArgumentException if malformed
     */
    public static Prefix parsePrefix(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            IpAddress a = parse(text);
            return new Prefix(a.bytes, a.bitLength());
        }
        return Prefix.parse(text).orElseThrow(() -> new IllegalArgumentException("not an IP prefix"));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isIPv4() {
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
        String s = new Prefix(bytes, 0).toString();
        return s.substring(0, s.length() - 2);
    }
}
