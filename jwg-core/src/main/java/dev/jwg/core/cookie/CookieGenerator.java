package dev.jwg.core.cookie;

import static dev.jwg.core.wire.Messages.*;

import dev.jwg.core.Protocol;
import dev.jwg.core.crypto.Blake2s;
import dev.jwg.core.crypto.XChaCha20Poly1305;
import dev.jwg.core.noise.NoiseConstants;
import dev.jwg.core.wire.CookieReply;
import java.util.Arrays;

/**
 * The sender side of WireGuard's DoS protection for one peer (docs/protocol.md §1.9–1.10): puts
 * mac1 (and mac2, while we hold a fresh cookie from that peer) on every handshake message we send
 * it, remembers the last mac1, and opens cookie replies.
 *
 * <p>Not thread-safe: the owning peer serialises access.
 */
public final class CookieGenerator {
    private final byte[] mac1Key;
    private final byte[] encryptionKey;
    private final byte[] lastMac1 = new byte[MAC_LEN];
    private boolean haveSentMac1;
    private final byte[] cookie = new byte[COOKIE_LEN];
    private boolean haveCookie;
    private long cookieBirth;

    /** For messages to the peer with this static public key. */
    public CookieGenerator(byte[] peerPublicKey) {
        mac1Key = Blake2s.hash(NoiseConstants.LABEL_MAC1, peerPublicKey);
        encryptionKey = Blake2s.hash(NoiseConstants.LABEL_COOKIE, peerPublicKey);
    }

    /**
     * Writes mac1 and mac2 into an encoded handshake message at {@code msg[off]} whose mac1 field
     * is at {@code mac1Offset}. mac2 is zero unless a cookie younger than 115 s is held (the kernel
     * subtracts COOKIE_SECRET_LATENCY from the 120 s lifetime).
     */
    public void addMacs(byte[] msg, int off, int mac1Offset, long nowNanos) {
        Blake2s.mac(mac1Key, msg, off, mac1Offset, msg, off + mac1Offset);
        System.arraycopy(msg, off + mac1Offset, lastMac1, 0, MAC_LEN);
        haveSentMac1 = true;
        int mac2Offset = mac1Offset + MAC_LEN;
        if (haveCookie && nowNanos - cookieBirth < Protocol.COOKIE_SECRET_MAX_AGE - Protocol.COOKIE_SECRET_LATENCY) {
            Blake2s.mac(cookie, msg, off, mac2Offset, msg, off + mac2Offset);
        } else {
            Arrays.fill(msg, off + mac2Offset, off + mac2Offset + MAC_LEN, (byte) 0);
        }
    }

    /**
     * Opens a cookie reply addressed to one of our handshakes with this peer. Returns true and
     * stores the cookie when it authenticates against the last mac1 we sent.
     */
    public boolean consumeReply(CookieReply reply, long nowNanos) {
        if (!haveSentMac1) {
            return false;
        }
        byte[] opened = XChaCha20Poly1305.open(encryptionKey, reply.nonce(), reply.encryptedCookie(), lastMac1);
        if (opened == null || opened.length != COOKIE_LEN) {
            return false;
        }
        System.arraycopy(opened, 0, cookie, 0, COOKIE_LEN);
        Arrays.fill(opened, (byte) 0);
        haveCookie = true;
        cookieBirth = nowNanos;
        haveSentMac1 = false;
        return true;
    }

    /** True while a received cookie is held (for tests and diagnostics). */
    public boolean hasCookie() { return haveCookie; }

    @Override
    public String toString() { return "CookieGenerator"; }
}
