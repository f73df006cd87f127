/**
 * Per-source rate limiting of handshake messages while the device is under load
 * ({@link dev.jwg.core.ratelimit.RateLimiter}; kernel {@code ratelimiter.c}, docs/protocol.md §3.8).
 */
package dev.jwg.core.ratelimit;
