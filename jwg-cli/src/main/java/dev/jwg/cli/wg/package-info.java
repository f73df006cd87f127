/**
 * {@code jwg} as a drop-in replacement for wireguard-tools' {@code wg}: {@code show}, {@code showconf},
 * {@code set}, {@code setconf}, {@code addconf}, {@code syncconf}, {@code genkey}, {@code genpsk},
 * {@code pubkey}, with {@code wg}'s grammar, output (byte for byte), error messages and exit statuses.
 * Everything goes through the UAPI socket of a userspace daemon (jwgd, wireguard-go); there is no
 * kernel netlink path.
 *
 * <p>Layout, after wireguard-tools' files: {@link dev.jwg.cli.wg.WgShow} ({@code show.c}),
 * {@link dev.jwg.cli.wg.PrettyPrinter} and {@link dev.jwg.cli.wg.FieldPrinter} (its two output forms),
 * {@link dev.jwg.cli.wg.ShowConf} ({@code showconf.c}), {@link dev.jwg.cli.wg.SetArguments}
 * ({@code config_read_cmd}), {@link dev.jwg.cli.wg.WgValues} (the value parsers of {@code config.c}),
 * {@link dev.jwg.cli.wg.ConfFile} and {@link dev.jwg.cli.wg.SyncConf} ({@code setconf.c}),
 * {@link dev.jwg.cli.wg.SetRequestText} (ipc-uapi.h's {@code userspace_set_device}),
 * {@link dev.jwg.cli.wg.KeyCommands} ({@code genkey.c}, {@code pubkey.c}), {@link dev.jwg.cli.wg.Terminal}
 * ({@code terminal.c}), {@link dev.jwg.cli.wg.EndpointText} (glibc's {@code inet_ntop}/{@code getnameinfo}).
 */
package dev.jwg.cli.wg;
