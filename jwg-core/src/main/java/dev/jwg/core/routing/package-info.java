/**
 * Cryptokey routing: IP addresses and prefixes ({@link dev.jwg.core.routing.IpAddresses},
 * {@link dev.jwg.core.routing.IpPrefix}), the allowed-IPs longest-prefix-match table
 * ({@link dev.jwg.core.routing.AllowedIps}, kernel {@code allowedips.c}) and the receiver-index
 * table ({@link dev.jwg.core.routing.IndexTable}, kernel {@code peerlookup.c}).
 *
 * <p>Addresses are parsed and formatted here, without {@code java.net}, so the core stays pure and
 * no text ever triggers a name lookup.
 */
package dev.jwg.core.routing;
