package dev.jwg.config.model;

import dev.jwg.core.routing.IpAddress;
import dev.jwg.core.routing.IpPrefix;
import java.util.Objects;

/**
 * An address assigned to the interface, with the prefix length of its on-link network:
 * {@code 10.0.0.1/24} is the host 10.0.0.1 on 10.0.0.0/24 — the host bits are the point, unlike an
 * allowed-IPs {@link IpPrefix}. Written without a length it is a full-length (/32, /128) address, as
 * {@code ip address add} and networkd read it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param address the interface's own address
 * @param prefixLength 0..32 or 0..128
 */
public record InterfaceAddress(IpAddress address, int prefixLength) {
    public InterfaceAddress {
        Objects.requireNonNull(address);
        if (prefixLength < 0 || prefixLength > address.bitLength()) {
            throw new IllegalArgumentException("bad prefix length " + prefixLength);
        }
    }

    /**
     * Parses {@code 10.0.0.1/24}, {@code fd00::1/64} or a bare address (full length).
     *
     * @throws IllegalArgumentException if malformed
     */
    public static InterfaceAddress parse(String text) {
        IpPrefix p = IpPrefix.parseAsWritten(text);
        return new InterfaceAddress(new IpAddress(p.address()), p.bits());
    }

    public boolean isIpv4() {
        return address.isIpv4();
    }

    /** The address with its length, host bits kept: {@code 10.0.0.1/24}. */
    public IpPrefix toPrefix() {
        return IpPrefix.ofAsWritten(address.bytes(), prefixLength);
    }

    /** The on-link network, host bits cleared: {@code 10.0.0.0/24}. */
    public IpPrefix network() {
        return toPrefix().masked();
    }

    /** {@code 10.0.0.1/24}. */
    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
