package dev.jwg.config.uapi;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IP prefix as it crosses the UAPI ({@code allowed_ip=10.0.0.0/24}, {@code allowed_ip=fd00::/64}).
 * A stand-in until jwg-core's {@code IpPrefix} exists; keep it self-contained so it can be swapped.
 *
 * <p>Parsing is strict and matches Go's {@code netip.ParsePrefix}, which wireguard-go uses: a literal
 * address (no host names, no zone) as {@link IpText} accepts it, {@code /}, and a decimal length with
 * no sign and no leading zero, at most 32 or 128. Host bits are kept as given (wireguard-go's
 * allowed-IPs trie masks them on insertion; see {@link #masked()}). An IPv4-mapped IPv6 prefix stays
 * IPv6, as in Go.
 *
 * <p>Immutable and thread-safe; {@link #address()} returns a copy.
 *
 * @param address 4 bytes (IPv4) or 16 bytes (IPv6)
 * @param bits prefix length, 0..32 or 0..128
 */
public record Prefix(byte[] address, int bits) {
    public Prefix {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + address.length);
        }
        if (bits < 0 || bits > address.length * 8) {
            throw new IllegalArgumentException("bad prefix length " + bits + " for a " + address.length + "-byte address");
        }
        address = address.clone();
    }

    /** Parses {@code addr/bits} strictly; empty if malformed. */
    public static Optional<Prefix> parse(String s) {
        return Optional.ofNullable(parse(s, 0, s.length()));
    }

    /** Parses {@code s[from, to)}; {@code null} if malformed. */
    static Prefix parse(String s, int from, int to) {
        int slash = s.lastIndexOf('/', to - 1);
        if (slash < from) {
            return null;
        }
        byte[] addr = IpText.parseAddress(s, from, slash);
        if (addr == null) {
            return null;
        }
        int bitsFrom = slash + 1;
        if (to - bitsFrom > 1 && s.charAt(bitsFrom) == '0') {
            return null; // leading zero
        }
        long bits = IpText.parseUnsigned(s, bitsFrom, to, addr.length * 8L);
        if (bits < 0) {
            return null;
        }
        return new Prefix(addr, (int) bits);
    }

    /** A copy of the address bytes. */
    @Override
    public byte[] address() {
        return address.clone();
    }

    /** Whether this is an IPv4 prefix (4-byte address). */
    public boolean isIPv4() {
        return address.length == 4;
    }

    /** The same prefix with every bit after {@link #bits()} cleared. */
    public Prefix masked() {
        byte[] a = address.clone();
        for (int i = 0; i < a.length; i++) {
            int keep = Math.clamp(bits - 8L * i, 0, 8);
            a[i] &= (byte) (0xff00 >> keep);
        }
        return new Prefix(a, bits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prefix p && bits == p.bits && Arrays.equals(address, p.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + bits;
    }

    /** The Go {@code netip.Prefix.String()} form, e.g. {@code 10.0.0.0/24}, {@code fd00::/64}: what wireguard-go prints. */
    @Override
    public String toString() {
        return appendTo(new StringBuilder(48)).toString();
    }

    /** Appends {@link #toString()} to {@code sb} without copying the address. */
    StringBuilder appendTo(StringBuilder sb) {
        return IpText.format(address, sb).append('/').append(bits);
    }
}
