package dev.jwg.core.routing;

import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network prefix such as {@code 10.0.0.0/24} or {@code fd00::/64}: an address
 * and a prefix length ("bits", the CIDR).
 *
 * <p>{@link #parse} and {@link #of} mask the address to the prefix length, as the kernel stores
 * allowed IPs: {@code 192.95.5.93/27} becomes {@code 192.95.5.64/27} (docs/protocol.md, "Allowed
 * IPs"). {@link #parseAsWritten} and {@link #ofAsWritten} keep the host bits, as a configuration
 * file or a UAPI request holds them, so that writing the prefix back reproduces it; {@link #masked()}
 * is the stored form, and the routing table masks what it is given. Callers that want to warn about
 * non-zero host bits, like {@code wg} does, use {@link #hasHostBits()}. This is jwg's one prefix
 * type; {@link IpAddresses} is its text codec.
 *
 * <p>{@link #toString()} is canonical (see {@link IpAddresses}) and always carries the length:
 * {@code 10.0.0.1/32}, {@code ::/0}. Prefixes order IPv4 before IPv6, then by address (unsigned),
 * then shorter first, which is the pre-order of the allowed-IPs trie.
 *
 * <p><b>Immutable and thread-safe</b>; the address array is copied in and out.
 */
public final class IpPrefix implements Comparable<IpPrefix> {

    /** The address, 4 or 16 bytes, masked unless created as written; never exposed. */
    private final byte[] addr;
    private final int bits;

    private IpPrefix(byte[] maskedAddr, int bits) {
        this.addr = maskedAddr;
        this.bits = bits;
    }

    /**
     * Parses {@code address/bits}, or a bare address meaning a single host ({@code /32} or
     * {@code /128}). The length is decimal without sign or leading zeros.
     *
     * @throws IllegalArgumentException with a message naming the text and the problem
     */
    public static IpPrefix parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        byte[] a = IpAddresses.parse(text, slash < 0 ? text.length() : slash);
        int bits = slash < 0 ? a.length * 8 : parseBits(text, slash + 1, a.length * 8);
        mask(a, bits);
        return new IpPrefix(a, bits);
    }

    /**
     * Parses {@code address/bits}, or a bare address meaning a single host, and keeps host bits as
     * written ({@code 10.0.0.1/24} stays so).
     *
     * @throws IllegalArgumentException with a message naming the text and the problem
     */
    public static IpPrefix parseAsWritten(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        byte[] a = IpAddresses.parse(text, slash < 0 ? text.length() : slash);
        int bits = slash < 0 ? a.length * 8 : parseBits(text, slash + 1, a.length * 8);
        return new IpPrefix(a, bits);
    }

    /**
     * The prefix {@code address/bits} with host bits as given.
     *
     * @param address 4 or 16 bytes in network byte order (copied)
     * @throws IllegalArgumentException if the address length or the prefix length is invalid
     */
    public static IpPrefix ofAsWritten(byte[] address, int bits) {
        checkLengths(address, bits);
        return new IpPrefix(address.clone(), bits);
    }

    /**
     * Returns the prefix of the given length containing {@code address}; host bits are cleared.
     *
     * @param address 4 or 16 bytes in network byte order (copied)
     * @param bits 0–32 for IPv4, 0–128 for IPv6
     * @throws IllegalArgumentException if the address length or the prefix length is invalid
     */
    public static IpPrefix of(byte[] address, int bits) {
        checkLengths(address, bits);
        byte[] a = address.clone();
        mask(a, bits);
        return new IpPrefix(a, bits);
    }

    private static void checkLengths(byte[] address, int bits) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address length must be 4 or 16, got " + address.length);
        }
        if (bits < 0 || bits > address.length * 8) {
            throw new IllegalArgumentException(
                "prefix length " + bits + " out of range 0-" + address.length * 8);
        }
    }

    /**
     * Whether the text names a valid prefix whose address has bits set beyond the prefix length
     * ({@code 192.95.5.93/27}). Such prefixes are accepted and masked; {@code wg} warns about them.
     *
     * @throws IllegalArgumentException if the text is not a valid prefix
     */
    public static boolean hasHostBits(String text) {
        IpPrefix p = parse(text);
        int slash = text.indexOf('/');
        byte[] raw = IpAddresses.parse(text, slash < 0 ? text.length() : slash);
        return !Arrays.equals(raw, p.addr);
    }

    /** Whether the address has bits set beyond the prefix length (only a prefix created as written can). */
    public boolean hasHostBits() {
        int full = bits >>> 3;
        int rest = bits & 7;
        if (rest != 0) {
            if ((addr[full] & (0xFF >>> rest)) != 0) {
                return true;
            }
            full++;
        }
        for (int i = full; i < addr.length; i++) {
            if (addr[i] != 0) {
                return true;
            }
        }
        return false;
    }

    /** This prefix with every bit after {@link #bits()} cleared: itself (no copy) when there is none. */
    public IpPrefix masked() {
        if (!hasHostBits()) {
            return this;
        }
        byte[] a = addr.clone();
        mask(a, bits);
        return new IpPrefix(a, bits);
    }

    /** The address (masked unless created as written): a new array of 4 or 16 bytes. */
    public byte[] address() {
        return addr.clone();
    }

    /** The prefix length. */
    public int bits() {
        return bits;
    }

    /** 4 for IPv4, 6 for IPv6. */
    public int family() {
        return addr.length == 4 ? 4 : 6;
    }

    /** Whether this is an IPv4 prefix. */
    public boolean isIpv4() {
        return addr.length == 4;
    }

    /** Whether {@code address} (4 or 16 bytes) lies inside this prefix; other families never do. */
    public boolean contains(byte[] address) {
        if (address.length != addr.length) {
            return false;
        }
        int full = bits >>> 3;
        for (int i = 0; i < full; i++) {
            if (address[i] != addr[i]) {
                return false;
            }
        }
        int rest = bits & 7;
        return rest == 0 || ((address[full] ^ addr[full]) & (0xFF00 >>> rest) & 0xFF) == 0;
    }

    /** Byte {@code i} of the masked address, for the routing table without copying. */
    byte addressByte(int i) {
        return addr[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.bits == bits && Arrays.equals(p.addr, addr);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(addr) * 31 + bits;
    }

    @Override
    public int compareTo(IpPrefix o) {
        if (addr.length != o.addr.length) {
            return addr.length - o.addr.length;
        }
        int c = Arrays.compareUnsigned(addr, o.addr);
        return c != 0 ? c : Integer.compare(bits, o.bits);
    }

    /**
     * Canonical text, e.g. {@code 192.95.5.64/27} or {@code 2607:5000::/21}: Go's
     * {@code netip.Prefix.String()}, what wireguard-go prints.
     */
    @Override
    public String toString() {
        return appendTo(new StringBuilder(44)).toString();
    }

    /** Appends {@link #toString()} to {@code sb} without copying the address; returns {@code sb}. */
    public StringBuilder appendTo(StringBuilder sb) {
        if (addr.length == 4) {
            IpAddresses.appendV4(sb, addr, 0);
        } else {
            IpAddresses.appendV6(sb, addr, 0);
        }
        return sb.append('/').append(bits);
    }

    private static int parseBits(String text, int start, int max) {
        int end = text.length();
        if (start == end) {
            throw bad(text, "missing prefix length after '/'");
        }
        if (end - start > 3) {
            throw bad(text, "prefix length out of range 0-" + max);
        }
        int v = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw bad(text, "prefix length is not a decimal number");
            }
            v = v * 10 + (c - '0');
        }
        if (end - start > 1 && text.charAt(start) == '0') {
            throw bad(text, "prefix length with a leading zero");
        }
        if (v > max) {
            throw bad(text, "prefix length " + v + " out of range 0-" + max);
        }
        return v;
    }

    /** Clears every bit of {@code a} after the first {@code bits}. */
    private static void mask(byte[] a, int bits) {
        int full = bits >>> 3;
        int rest = bits & 7;
        if (rest != 0) {
            a[full] &= (byte) (0xFF00 >>> rest);
            full++;
        }
        for (int i = full; i < a.length; i++) {
            a[i] = 0;
        }
    }

    private static IllegalArgumentException bad(String text, String reason) {
        return new IllegalArgumentException("invalid IP prefix \"" + text + "\": " + reason);
    }
}
