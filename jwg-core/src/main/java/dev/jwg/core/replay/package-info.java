/**
 * Anti-replay for transport data: {@link dev.jwg.core.replay.ReplayWindow}, the RFC 6479 sliding
 * bitmap used by the kernel ({@code receive.c: counter_validate}) and wireguard-go ({@code replay/}).
 */
package dev.jwg.core.replay;
