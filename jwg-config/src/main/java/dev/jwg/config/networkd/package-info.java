/**
 * systemd-networkd files for a WireGuard link: {@link dev.jwg.config.networkd.NetdevParser} ({@code .netdev},
 * {@code Kind=wireguard}), {@link dev.jwg.config.networkd.NetworkParser} ({@code .network}: match,
 * addresses, DNS, MTU, routes, routing policy rules), {@link dev.jwg.config.networkd.NetworkdLoader}
 * (a netdev plus the network file networkd would apply), and {@link dev.jwg.config.networkd.NetworkdWriter}
 * back to text. Syntax as systemd's conf-parser (wireguard-facts §6); unlike networkd, anything jwg
 * cannot honour is an error rather than a logged warning.
 */
package dev.jwg.config.networkd;
