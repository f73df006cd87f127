package dev.jwg.config.wgquick;

import dev.jwg.core.routing.IpAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns an endpoint host name into an address when a configuration is applied (the UAPI takes
 * numeric endpoints only; {@code wg} resolves names itself). Literal addresses never reach a
 * resolver. Implementations must be thread-safe if shared.
 */
@FunctionalInterface
public interface EndpointResolver {
    /** The address for {@code hostName}. */
    IpAddress resolve(String hostName) throws UnknownHostException;

    /** Refuses every name: for configurations that must be numeric, and for tests. */
    static EndpointResolver numericOnly() {
        return host -> {
            throw new UnknownHostException("host names are not resolved here");
        };
    }

    /** The system resolver, first address returned (as {@code wg}'s {@code getaddrinfo} with AF_UNSPEC). */
    static EndpointResolver system() {
        return host -> new IpAddress(InetAddress.getByName(host).getAddress());
    }
}
