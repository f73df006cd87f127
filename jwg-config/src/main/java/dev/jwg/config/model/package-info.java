/**
 * The one configuration model of a WireGuard tunnel, shared by the wg-quick and networkd codecs:
 * {@link dev.jwg.config.model.TunnelConfig} with its {@link dev.jwg.config.model.InterfaceConfig},
 * {@link dev.jwg.config.model.PeerConfig}s and optional {@link dev.jwg.config.model.NetworkConfig}
 * ({@link dev.jwg.config.model.RouteConfig}, {@link dev.jwg.config.model.RuleConfig}).
 *
 * <ul>
 *   <li>All types are immutable records with builders; absent values are {@code Optional}s; lists
 *       and arrays are copied in and out.
 *   <li>No {@code toString} shows a private or preshared key; keys are jwg-core's
 *       ({@link dev.jwg.core.crypto.PrivateKey}, kept as written, {@link dev.jwg.core.crypto.PublicKey},
 *       {@link dev.jwg.core.crypto.PresharedKey}) with their one base64 codec.
 *   <li>A refused file raises {@link dev.jwg.config.model.ConfigException} naming file, line and key,
 *       with a {@link dev.jwg.config.model.ConfigError} reason.
 *   <li>Value types ({@link IpAddress}, {@link dev.jwg.config.model.InterfaceAddress},
 *       {@link dev.jwg.config.model.HostPort}, {@link dev.jwg.config.model.RouteTable}) own their
 *       textual syntax; their {@code parse} methods throw {@code IllegalArgumentException} with a
 *       human reason, which the file parsers turn into a {@code ConfigException}.
 * </ul>
 */
package dev.jwg.config.model;

import dev.jwg.core.routing.IpAddress;
