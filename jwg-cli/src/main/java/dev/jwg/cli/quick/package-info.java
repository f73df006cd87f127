/**
 * {@code jwg up|down|save|strip} and {@code jwg convert}: wg-quick's behaviour on Linux, for wg-quick
 * files and for systemd-networkd {@code .netdev}/{@code .network} files, on the userspace daemon.
 *
 * <p>How it fits together:
 *
 * <pre>
 *   ConfigSource ──load/validate──▶ TunnelConfig ─┐
 *   SystemProbe  ──read only──────▶ Facts ────────┼─▶ WgQuickPlanner / NetworkdPlanner ─▶ Plan (Steps)
 *                                                 │        (pure: the exact [#] commands)
 *   Executor ─runs each Step on a Host, journals it in the StateFile ─▶ on failure/SIGTERM: undo in reverse
 *   jwg down ─reads the StateFile ─▶ PreDown, SaveConfig, undo (rules, routes, link, DNS, firewall), PostDown
 * </pre>
 *
 * Nothing touches the system before the whole configuration is validated, endpoint names are
 * resolved and the plan is computed. {@link dev.jwg.cli.quick.Host} is the only way out to the
 * system, so tests run plans, rollbacks and teardowns on a recording fake.
 */
package dev.jwg.cli.quick;
