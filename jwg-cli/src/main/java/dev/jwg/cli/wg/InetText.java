package dev.jwg.cli.wg;

import dev.jwg.config.model.IpAddress;
import dev.jwg.config.uapi.UapiEndpoint;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Addresses and endpoints in the text {@code wg} prints and sends: glibc's {@code inet_ntop} for
 * addresses, and for endpoints the round trip {@code wg} makes through {@code getaddrinfo} and
 * {@code getnameinfo(NI_NUMERICHOST | NI_NUMERICSERV)}, which decides how an IPv6 scope is written.
 * Stateless and thread-safe.
 */
final class InetText {
    private InetText() {}

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

    /** glibc's {@code inet_ntop} for a 4- or 16-byte address. */
    static String ntop(byte[] a) {
        return a.length == 4 ? ntop4(a, 0) : ntop6(a);
    }

    private static String ntop4(byte[] a, int off) {
        return (a[off] & 0xff) + "." + (a[off + 1] & 0xff) + "." + (a[off + 2] & 0xff) + "." + (a[off + 3] & 0xff);
    }

    /**
     * The longest run of at least two zero groups becomes {@code ::} (the first one on a tie); groups in
     * lowercase hex without leading zeros; when the run starts the address and is 6 groups long, or 5
     * followed by {@code ffff}, the last 32 bits are written as a dotted quad ({@code ::1.2.3.4},
     * {@code ::ffff:1.2.3.4}).
     */
    private static String ntop6(byte[] a) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestBase = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder(46);
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                sb.append(ntop4(a, 12));
                return sb.toString();
            }
            sb.append(Integer.toHexString(w[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
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
            return ntop(address) + ":" + port;
        }
        return "[" + ntop(address) + (scope.isEmpty() ? "" : "%" + scope) + "]:" + port;
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
            OptionalInt scope = InetText.scopeId(a, host.substring(percent + 1), scopes);
            return scope.isPresent() ? Optional.of(new NumericHost(a, scope.getAsInt())) : Optional.empty();
        }
    }
}
