package dev.jwg.cli.wg;

import dev.jwg.config.uapi.UapiEndpoint;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code config.c}'s {@code parse_endpoint}: splits {@code host:port} / {@code [host]:port}, then
 * resolves it as {@code getaddrinfo} does for a UDP socket — literal addresses (an IPv6 scope by
 * interface name or number), else the system resolver, retried on temporary failures up to
 * {@code WG_ENDPOINT_RESOLUTION_RETRIES} times (default 15, {@code infinity} allowed) with {@code wg}'s
 * growing delay. The first address returned is used. Thread-safe if the resolver is.
 */
final class EndpointResolution {
    /** The name lookup: all addresses of {@code host}, in the resolver's order. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    /** Delays between attempts; replaceable in tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleepMicros(long micros) throws InterruptedException;
    }

    private final Lookup lookup;
    private final EndpointText.Scopes scopes;
    private final Services services;
    private final UnaryOperator<String> env;
    private final PrintStream err;
    private final Sleeper sleeper;

    EndpointResolution(Lookup lookup, EndpointText.Scopes scopes, Services services, UnaryOperator<String> env,
            PrintStream err, Sleeper sleeper) {
        this.lookup = lookup;
        this.scopes = scopes;
        this.services = services;
        this.env = env;
        this.err = err;
        this.sleeper = sleeper;
    }

    /**
     * The system resolver, returning addresses in {@code getaddrinfo}'s order (as far as the JDK can:
     * {@code java.net.preferIPv6Addresses=system} is requested before the first lookup) and never
     * caching a failure across retries.
     */
    static Lookup systemLookup() {
        if (System.getProperty("java.net.preferIPv6Addresses") == null) {
            System.setProperty("java.net.preferIPv6Addresses", "system");
        }
        java.security.Security.setProperty("networkaddress.cache.negative.ttl", "0");
        return InetAddress::getAllByName;
    }

    /** Resolves an endpoint value; every failure message is {@code wg}'s. */
    UapiEndpoint resolve(String value) throws WgFailure {
        int retries = retries();
        if (value.isEmpty()) {
            throw new WgFailure("Unable to parse empty endpoint");
        }
        String host;
        String port;
        if (value.charAt(0) == '[') {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new WgFailure("Unable to find matching brace of endpoint: `" + value + "'");
            }
            if (close + 1 >= value.length() || value.charAt(close + 1) != ':' || close + 2 >= value.length()) {
                throw new WgFailure("Unable to find port of endpoint: `" + value + "'");
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon < 0 || colon + 1 >= value.length()) {
                throw new WgFailure("Unable to find port of endpoint: `" + value + "'");
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        if (WgValues.isFullyParsed(port, 10) && WgValues.strtoul(port, 10) > 65535) {
            // glibc would wrap the number to 16 bits; jwg refuses it, as its file parsers do
            throw new WgFailure("Port must be 0..65535: `" + value + "'");
        }
        for (long timeout = 1_000_000;; timeout = Math.min(20_000_000, timeout * 6 / 5)) {
            Object r = getaddrinfo(host, port);
            if (r instanceof UapiEndpoint e) {
                return e;
            }
            String reason = (String) r;
            // glibc's permanent failures; everything else, even a bad service name, is retried as wg does.
            boolean permanent = reason.equals("Name or service not known")
                    || reason.equals("Non-recoverable failure in name resolution")
                    || reason.equals("No address associated with hostname");
            if (permanent || (retries >= 0 && retries-- == 0)) {
                throw new WgFailure(reason + ": `" + value + "'");
            }
            err.printf("%s: `%s'. Trying again in %s seconds...%n", reason, value,
                    HumanUnits.twoDecimals(timeout / 1_000_000.0));
            try {
                sleeper.sleepMicros(timeout);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new WgFailure(reason + ": `" + value + "'");
            }
        }
    }

    /**
     * One {@code getaddrinfo(host, port)} for a UDP socket: the endpoint, or the {@code gai_strerror}
     * text of the failure. The service is looked at first, as glibc does.
     */
    private Object getaddrinfo(String host, String port) {
        var portNumber = WgValues.service(port, services);
        if (portNumber.isEmpty()) {
            return "Servname not supported for ai_socktype";
        }
        byte[] address;
        int scope = 0;
        if (host.indexOf('%') >= 0 || looksLiteral(host)) {
            Optional<EndpointText.NumericHost> literal = EndpointText.NumericHost.parse(host, scopes);
            if (literal.isEmpty()) {
                return "Name or service not known";
            }
            address = literal.get().address();
            scope = literal.get().scopeId();
        } else {
            InetAddress a;
            try {
                InetAddress[] all = lookup.all(host);
                if (all.length == 0) {
                    return "No address associated with hostname";
                }
                a = all[0];
            } catch (UnknownHostException e) {
                return gaiReason(e);
            }
            address = a.getAddress();
            if (a instanceof Inet6Address v6) {
                scope = v6.getScopeId();
            }
        }
        if (address.length == 16 && isV4Mapped(address)) {
            address = Arrays.copyOfRange(address, 12, 16); // UapiEndpoint's rule: mapped addresses as IPv4
            scope = 0;
        }
        String zone = address.length == 16 ? EndpointText.scopeText(address, scope, scopes) : "";
        return new UapiEndpoint(address, zone.isEmpty() ? Optional.empty() : Optional.of(zone), portNumber.getAsInt());
    }

    private static boolean looksLiteral(String host) {
        return host.indexOf(':') >= 0 || (!host.isEmpty() && host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')
                && host.chars().filter(c -> c == '.').count() == 3);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
    }

    /** The {@code gai_strerror} text the JDK puts after the host name in its message. */
    static String gaiReason(UnknownHostException e) {
        String m = e.getMessage();
        if (m == null) {
            return "Name or service not known";
        }
        int colon = m.lastIndexOf(": ");
        String r = colon < 0 ? "" : m.substring(colon + 2);
        return r.isEmpty() || r.equals("unknown error") ? "Name or service not known" : r;
    }

    /** {@code WG_ENDPOINT_RESOLUTION_RETRIES}: 15 by default, -1 for infinity. */
    private int retries() throws WgFailure {
        String v = env.apply("WG_ENDPOINT_RESOLUTION_RETRIES");
        if (v == null) {
            return 15;
        }
        if (v.equals("infinity")) {
            return -1;
        }
        long n = WgValues.strtoul(v, 10);
        if (!WgValues.isFullyParsed(v, 10) || Long.compareUnsigned(n, Integer.MAX_VALUE) > 0) {
            throw new WgFailure("Unable to parse WG_ENDPOINT_RESOLUTION_RETRIES: `" + v + "'");
        }
        return (int) n;
    }
}
