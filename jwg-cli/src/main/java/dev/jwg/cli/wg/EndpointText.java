package dev.jwg.cli.wg;

import dev.jwg.config.uapi.UapiEndpoint;
import dev.jwg.core.routing.IpAddress;
import dev.jwg.core.routing.IpAddresses;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Endpoints in the text {@code wg} prints and sends: the round trip {@code wg} makes through
 * {@code getaddrinfo} and {@code getnameinfo(NI_NUMERICHOST | NI_NUMERICSERV)}, which decides how an
 * IPv6 scope is written; addresses in them as glibc's {@code inet_ntop} writes them
 * ({@link IpAddresses#formatInetNtop}). Stateless and thread-safe.
 */
final class EndpointText {
    private EndpointText() {}

    /** Interface names and indexes, for IPv6 scopes. Implementations must be thread-safe. */
    interface Scopes {
        /** {@code if_nametoindex}. */
        OptionalInt indexOf(String name);

        /** {@code if_indextoname}. */
        Optional<String> nameOf(int index);

        /** No interfaces at all: scopes stay numeric. */
        Scopes NONE = new Scopes() {
            @Override
            public OptionalInt indexOf(String name) {
                return OptionalInt.empty();
            }

            @Override
            public Optional<String> nameOf(int index) {
                return Optional.empty();
            }
        };
    }

    /** {@code fe80::/10}. */
    static boolean isLinkLocal(byte[] a) {
        return a.length == 16 && (a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0x80;
    }

    /** {@code ff02::/16}-style link-local multicast (any flags). */
    static boolean isMulticastLinkLocal(byte[] a) {
        return a.length == 16 && (a[0] & 0xff) == 0xff && (a[1] & 0x0f) == 0x02;
    }

    /** {@code ff01::/16}-style node-local multicast (any flags). */
    static boolean isMulticastNodeLocal(byte[] a) {
        return a.length == 16 && (a[0] & 0xff) == 0xff && (a[1] & 0x0f) == 0x01;
    }

    /**
     * glibc's {@code __inet6_scopeid_pton}: for link-local and node-local addresses an interface name
     * first, then a decimal number up to 2^32 − 1; empty when neither.
     */
    static OptionalInt scopeId(byte[] address, String zone, Scopes scopes) {
        if (isLinkLocal(address) || isMulticastNodeLocal(address) || isMulticastLinkLocal(address)) {
            OptionalInt index = scopes.indexOf(zone);
            if (index.isPresent() && index.getAsInt() != 0) {
                return index;
            }
        }
        if (zone.isEmpty() || zone.charAt(0) < '0' || zone.charAt(0) > '9') {
            return OptionalInt.empty();
        }
        long n = WgValues.strtoul(zone, 10);
        if (n < 0 || n > 0xffff_ffffL || !WgValues.isFullyParsed(zone, 10)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) n);
    }

    /**
     * How {@code getnameinfo} writes a scope id: the interface name for link-local addresses when the
     * index exists, the unsigned number otherwise; nothing for scope 0.
     */
    static String scopeText(byte[] address, int scopeId, Scopes scopes) {
        if (scopeId == 0) {
            return "";
        }
        if (isLinkLocal(address) || isMulticastLinkLocal(address)) {
            Optional<String> name = scopes.nameOf(scopeId);
            if (name.isPresent()) {
                return name.get();
            }
        }
        return Integer.toUnsignedString(scopeId);
    }

    /** {@code host:port} or {@code [v6%scope]:port}, as {@code wg} prints a resolved endpoint. */
    static String endpoint(byte[] address, String scope, int port) {
        if (address.length == 4) {
            return IpAddresses.formatInetNtop(address) + ":" + port;
        }
        return "[" + IpAddresses.formatInetNtop(address) + (scope.isEmpty() ? "" : "%" + scope) + "]:" + port;
    }

    /** An endpoint of a set request, written as {@code wg} writes it (its zone already in final form). */
    static String endpoint(UapiEndpoint e) {
        return endpoint(e.address(), e.zone().orElse(""), e.port());
    }

    /**
     * The endpoint a get response reports, as {@code wg show} prints it after parsing it with
     * {@code getaddrinfo}: address re-formatted, scope normalised. Text that is not a numeric endpoint
     * is returned unchanged.
     */
    static String canonicalEndpoint(String uapi, Scopes scopes) {
        String host;
        String port;
        if (uapi.startsWith("[")) {
            int close = uapi.indexOf(']');
            if (close < 0 || close + 2 >= uapi.length() || uapi.charAt(close + 1) != ':') {
                return uapi;
            }
            host = uapi.substring(1, close);
            port = uapi.substring(close + 2);
        } else {
            int colon = uapi.lastIndexOf(':');
            if (colon < 0 || colon + 1 >= uapi.length()) {
                return uapi;
            }
            host = uapi.substring(0, colon);
            port = uapi.substring(colon + 1);
        }
        Optional<NumericHost> h = NumericHost.parse(host, scopes);
        if (h.isEmpty() || port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return uapi;
        }
        long p = WgValues.strtoul(port, 10);
        return endpoint(h.get().address(), scopeText(h.get().address(), h.get().scopeId(), scopes), (int) (p & 0xffff));
    }

    /**
     * A literal host as {@code getaddrinfo} takes it: IPv4, or IPv6 with an optional {@code %scope}.
     *
     * @param address 4 or 16 bytes
     * @param scopeId the IPv6 scope id, 0 for none
     */
    record NumericHost(byte[] address, int scopeId) {
        static Optional<NumericHost> parse(String host, Scopes scopes) {
            int percent = host.indexOf('%');
            String literal = percent < 0 ? host : host.substring(0, percent);
            byte[] a;
            try {
                a = IpAddress.parse(literal).bytes();
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            if (percent < 0) {
                return Optional.of(new NumericHost(a, 0));
            }
            if (a.length == 4) {
                return Optional.empty();
            }
            OptionalInt scope = EndpointText.scopeId(a, host.substring(percent + 1), scopes);
            return scope.isPresent() ? Optional.of(new NumericHost(a, scope.getAsInt())) : Optional.empty();
        }
    }
}
