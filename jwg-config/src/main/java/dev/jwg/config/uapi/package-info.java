/**
 * The cross-platform userspace API (UAPI) text protocol, byte-compatible with wireguard-go
 * ({@code device/uapi.go}) and understood by the stock {@code wg} tool (docs/protocol.md §4).
 *
 * <ul>
 *   <li>{@link dev.jwg.config.uapi.UapiRequestReader} reads operations from a connection;
 *       a set request's lines go to a {@link dev.jwg.config.uapi.UapiSetHandler} one by one, so the
 *       device applies them exactly as wireguard-go (partially, up to a bad line), or into a
 *       {@link dev.jwg.config.uapi.DeviceUpdate} via {@link dev.jwg.config.uapi.DeviceUpdateCollector}.
 *   <li>{@link dev.jwg.config.uapi.UapiGetWriter} writes a get response from a
 *       {@link dev.jwg.config.uapi.DeviceSnapshot}; {@link dev.jwg.config.uapi.UapiWriter} the
 *       {@code errno=N} status of a set.
 *   <li>Untrusted input never throws anything but {@link dev.jwg.config.uapi.UapiException} (carrying
 *       the negative errno to answer, {@link dev.jwg.config.uapi.UapiErrno}) or {@link java.io.IOException}.
 *   <li>Keys and prefixes are jwg-core's ({@link dev.jwg.core.crypto.PrivateKey},
 *       {@link dev.jwg.core.crypto.PublicKey}, {@link dev.jwg.core.crypto.PresharedKey},
 *       {@link dev.jwg.core.routing.IpPrefix}), kept as written: the device clamps keys and masks prefixes.
 * </ul>
 */
package dev.jwg.config.uapi;
