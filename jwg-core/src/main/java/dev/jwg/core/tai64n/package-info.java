/**
 * TAI64N timestamps as carried in handshake initiations ({@link dev.jwg.core.tai64n.Tai64n}); the
 * responder accepts an initiation only if its timestamp is strictly newer than the last one.
 */
package dev.jwg.core.tai64n;
