/**
 * The wg and wg-quick configuration file ({@code wg0.conf}): {@link dev.jwg.config.wgquick.WgQuickParser}
 * reads it into the {@link dev.jwg.config.model.TunnelConfig} model, {@link dev.jwg.config.wgquick.WgQuickWriter}
 * writes it back (full file, the {@code wg-quick strip} form, and the UAPI set request
 * {@code wg setconf}/{@code wg addconf} would send). Syntax and semantics follow wireguard-tools'
 * {@code config.c} and wg-quick's {@code linux.bash} (docs/protocol.md §5).
 */
package dev.jwg.config.wgquick;
