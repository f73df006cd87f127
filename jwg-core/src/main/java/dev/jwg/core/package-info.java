/**
 * The pure WireGuard protocol core: wire formats, crypto, the Noise IKpsk2 handshake, cookies,
 * replay window, rate limiter, allowed-IPs trie, timers and per-peer tunnel state.
 *
 * <p>Nothing here opens a socket, starts a thread, reads a file or looks at the wall clock: time
 * ({@link dev.jwg.core.Clock}) and randomness ({@link java.util.random.RandomGenerator}) are
 * injected, so every behaviour is testable in memory and deterministic. {@code CorePurityTest}
 * enforces this by scanning the sources.
 */
package dev.jwg.core;
