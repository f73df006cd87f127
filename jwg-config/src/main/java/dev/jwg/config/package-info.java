/**
 * jwg configuration: the one tunnel model ({@link dev.jwg.config.model}), the wg-quick codec
 * ({@link dev.jwg.config.wgquick}), the systemd-networkd codec ({@link dev.jwg.config.networkd}),
 * the UAPI protocol ({@link dev.jwg.config.uapi}), and {@link dev.jwg.config.Convert} between wg-quick
 * and networkd.
 */
package dev.jwg.config;
