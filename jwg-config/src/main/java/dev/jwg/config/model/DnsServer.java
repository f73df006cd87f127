package dev.jwg.config.model;

import dev.jwg.core.routing.IpAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A DNS server as systemd.network(5) writes it in {@code DNS=}: an address, optionally a port, an
 * interface to reach it through and a server name for DNS-over-TLS, in the forms
 * {@code 192.0.2.53:9953%eth0#dns.example} and {@code [2001:db8::53]:9953%eth0#dns.example}. A wg-quick
 * {@code DNS} server is the bare address.
 *
 * <p>Immutable and thread-safe.
 *
 * @param address the server's address
 * @param port 1..65535; absent: 53
 * @param ifname the interface to reach it through ({@code %ifname}), an interface name
 * @param serverName the TLS server name ({@code #name}), a DNS name
 */
public record DnsServer(IpAddress address, OptionalInt port, Optional<String> ifname, Optional<String> serverName) {
    public DnsServer {
        Objects.requireNonNull(address);
        Checks.range(port, 1, 65535, "port");
        Objects.requireNonNull(ifname);
        ifname.ifPresent(n -> {
            if (!Checks.isInterfaceName(n)) {
                throw new IllegalArgumentException("not an interface name");
            }
        });
        Objects.requireNonNull(serverName);
        serverName.ifPresent(n -> {
            if (!HostPort.isDnsName(n)) {
                throw new IllegalArgumentException("not a server name");
            }
        });
    }

    /** Just an address. */
    public static DnsServer of(IpAddress address) {
        return new DnsServer(address, OptionalInt.empty(), Optional.empty(), Optional.empty());
    }

    /** Whether this is a bare address, the only form resolvconf and wg-quick can carry. */
    public boolean isPlain() {
        return port.isEmpty() && ifname.isEmpty() && serverName.isEmpty();
    }

    /**
     * Parses networkd's form.
     *
     * @throws IllegalArgumentException with a human reason if malformed
     */
    public static DnsServer parse(String text) {
        String rest = text;
        Optional<String> name = Optional.empty();
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            name = Optional.of(rest.substring(hash + 1));
            rest = rest.substring(0, hash);
            if (!HostPort.isDnsName(name.get())) {
                throw new IllegalArgumentException("'" + name.get() + "' after '#' is not a server name");
            }
        }
        Optional<String> ifname = Optional.empty();
        int pct = rest.lastIndexOf('%');
        if (pct >= 0) {
            ifname = Optional.of(rest.substring(pct + 1));
            rest = rest.substring(0, pct);
            if (!Checks.isInterfaceName(ifname.get())) {
                throw new IllegalArgumentException("'" + ifname.get() + "' after '%' is not an interface name");
            }
        }
        String address = rest;
        OptionalInt port = OptionalInt.empty();
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("an address in brackets must be followed by :port");
            }
            address = rest.substring(1, close);
            port = OptionalInt.of(port(rest.substring(close + 2)));
            if (address.indexOf(':') < 0) {
                throw new IllegalArgumentException("brackets are only for IPv6 addresses");
            }
        } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
            address = rest.substring(0, rest.indexOf(':'));
            port = OptionalInt.of(port(rest.substring(rest.indexOf(':') + 1)));
        }
        IpAddress a;
        try {
            a = IpAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address");
        }
        return new DnsServer(a, port, ifname, name);
    }

    private static int port(String s) {
        long p = ConfigValues.decimal(s, 65535, false);
        if (p < 1) {
            throw new IllegalArgumentException("'" + s + "' is not a port 1..65535");
        }
        return (int) p;
    }

    /** networkd's form; the bare address when {@link #isPlain()}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (port.isPresent() && !address.isIpv4()) {
            sb.append('[').append(address).append("]:").append(port.getAsInt());
        } else {
            sb.append(address);
            port.ifPresent(p -> sb.append(':').append(p));
        }
        ifname.ifPresent(n -> sb.append('%').append(n));
        serverName.ifPresent(n -> sb.append('#').append(n));
        return sb.toString();
    }
}
