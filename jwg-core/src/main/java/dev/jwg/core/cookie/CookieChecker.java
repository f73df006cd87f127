package dev.jwg.core.cookie;

import static dev.jwg.core.wire.Messages.*;

import dev.jwg.core.Protocol;
import dev.jwg.core.crypto.Blake2s;
import dev.jwg.core.crypto.XChaCha20Poly1305;
import dev.jwg.core.noise.NoiseConstants;
import dev.jwg.core.wire.CookieReply;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The responder side of WireGuard's DoS protection (docs/protocol.md §1.9–1.10, §3.8): checks
 * mac1 on every handshake message addressed to us, checks mac2 when under load, and builds cookie
 * replies. The cookie secret is random and replaced when older than two minutes.
 *
 * <p>The cookie binds the source as the kernel does: IP bytes (4 or 16) followed by the UDP port
 * in network order. That encoding is local to us and not an interop requirement.
 *
 * <p>Thread-safe.
 */
public final class CookieChecker {
    private final RandomGenerator rng;
    private byte[] mac1Key;
    private byte[] encryptionKey;
    private final byte[] secret = new byte[32];
    private long secretBirth;
    private boolean secretValid;

    public CookieChecker(RandomGenerator rng) {
        this.rng = rng;
    }

    /** Sets our static public key (32 bytes), or null when the device has no key. */
    public synchronized void setPublicKey(byte[] ourPublicKey) {
        if (ourPublicKey == null) {
            mac1Key = null;
            encryptionKey = null;
        } else {
            mac1Key = Blake2s.hash(NoiseConstants.LABEL_MAC1, ourPublicKey);
            encryptionKey = Blake2s.hash(NoiseConstants.LABEL_COOKIE, ourPublicKey);
        }
    }

    /**
     * Verifies mac1 of a handshake message at {@code msg[off]} whose mac1 field starts at
     * {@code mac1Offset} (116 for initiations, 60 for responses). Constant-time compare.
     */
    public boolean checkMac1(byte[] msg, int off, int mac1Offset) {
        byte[] key;
        synchronized (this) {
            key = mac1Key;
        }
        if (key == null) {
            return false;
        }
        byte[] expected = new byte[MAC_LEN];
        Blake2s.mac(key, msg, off, mac1Offset, expected, 0);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(msg, off + mac1Offset, off + mac1Offset + MAC_LEN));
    }

    /**
     * Verifies mac2 (at {@code mac1Offset + 16}) against the cookie we would give this source now.
     */
    public boolean checkMac2(byte[] msg, int off, int mac1Offset, byte[] srcAddress, int srcPort, long nowNanos) {
        byte[] cookie = cookieFor(srcAddress, srcPort, nowNanos);
        int mac2Offset = mac1Offset + MAC_LEN;
        byte[] expected = new byte[MAC_LEN];
        Blake2s.mac(cookie, msg, off, mac2Offset, expected, 0);
        Arrays.fill(cookie, (byte) 0);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(msg, off + mac2Offset, off + mac2Offset + MAC_LEN));
    }

    /**
     * Builds the cookie reply to a handshake message at {@code msg[off]} from the given source:
     * receiver = the message's sender index, the cookie sealed with XChaCha20-Poly1305 under
     * {@code HASH("cookie--" ‖ our public key)} with the message's mac1 as associated data.
     */
    public CookieReply createReply(byte[] msg, int off, int mac1Offset, int senderIndex,
                                   byte[] srcAddress, int srcPort, long nowNanos) {
        byte[] key;
        synchronized (this) {
            key = encryptionKey;
        }
        if (key == null) {
            return null;
        }
        byte[] cookie = cookieFor(srcAddress, srcPort, nowNanos);
        byte[] nonce = new byte[COOKIE_NONCE_LEN];
        synchronized (this) {
            rng.nextBytes(nonce);
        }
        byte[] mac1 = Arrays.copyOfRange(msg, off + mac1Offset, off + mac1Offset + MAC_LEN);
        byte[] sealed = XChaCha20Poly1305.seal(key, nonce, cookie, mac1);
        Arrays.fill(cookie, (byte) 0);
        return new CookieReply(senderIndex, nonce, sealed);
    }

    private synchronized byte[] cookieFor(byte[] srcAddress, int srcPort, long nowNanos) {
        if (!secretValid || nowNanos - secretBirth > Protocol.COOKIE_SECRET_MAX_AGE) {
            rng.nextBytes(secret);
            secretBirth = nowNanos;
            secretValid = true;
        }
        byte[] input = new byte[srcAddress.length + 2];
        System.arraycopy(srcAddress, 0, input, 0, srcAddress.length);
        input[srcAddress.length] = (byte) (srcPort >>> 8);
        input[srcAddress.length + 1] = (byte) srcPort;
        return Blake2s.mac(secret, input);
    }

    /** Test hook: installs a known secret (for the cookie known-answer vector). */
    synchronized void setSecretForTest(byte[] value, long nowNanos) {
        System.arraycopy(value, 0, secret, 0, 32);
        secretBirth = nowNanos;
        secretValid = true;
    }

    @Override
    public String toString() { return "CookieChecker"; }
}
