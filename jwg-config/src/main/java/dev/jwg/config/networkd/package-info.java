/**
 * systemd-networkd files for a WireGuard link, read as networkd reads them:
 * {@link dev.jwg.config.networkd.NetdevParser} ({@code .netdev}, {@code Kind=wireguard}),
 * {@link dev.jwg.config.networkd.NetworkParser} ({@code .network}: match, link, addresses, DNS, routes,
 * routing policy rules), {@link dev.jwg.config.networkd.NetworkdLoader} (a netdev plus the network file
 * networkd would apply, from networkd's search path, with drop-ins and masking),
 * {@link dev.jwg.config.networkd.IpWords} (the ip(8) words for what is applied) and
 * {@link dev.jwg.config.networkd.NetworkdWriter} back to text. Syntax as systemd's conf-parser
 * (docs/networkd.md §1). Every key networkd defines in the sections a WireGuard link uses is recognised:
 * the keys jwg applies are checked (a bad value is an error naming file, line and key), the keys that do
 * nothing for a WireGuard link are noted, and unknown keys or sections are skipped with a warning, as
 * networkd skips them.
 */
package dev.jwg.config.networkd;
