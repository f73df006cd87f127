package dev.jwg.config.uapi;

import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;

/**
 * Receives the lines of one {@code set} request, parsed and validated, in wire order, as
 * wireguard-go applies them: each call happens before the next line is read, so a device applying
 * every call at once reproduces wireguard-go's partial application exactly. When a line is rejected
 * the parser throws {@link UapiException} at that line and calls nothing more (no {@link #endPeer()},
 * no {@link #end()}): earlier calls stand, the peer section in progress is not finished. A method
 * may itself throw {@code UapiException} (e.g. {@link UapiErrno#EADDRINUSE} when the port cannot be
 * bound); the parser stops and rethrows it unchanged.
 *
 * <p>Call sequence: {@code (setPrivateKey | setListenPort | setFwmark | replacePeers)*}, then for
 * each peer {@code beginPeer (peer-call)* endPeer}, then {@link #end()}. A peer section is closed
 * ({@link #endPeer()}) by the next {@code public_key} line — before that line's key is validated, as
 * in wireguard-go — by the end of the request, or by a read failure ({@link UapiErrno#EIO}, thrown
 * right after {@code endPeer}); wireguard-go starts the peer at exactly these points.
 *
 * <p>What to do with each call, per wireguard-go (docs/protocol.md §3.10, §4.3) — the handler owns
 * this state, the codec does not know the device:
 * <ul>
 *   <li>A peer whose key equals the device's own public key is ignored with its whole section.
 *   <li>After {@link #removePeer()}, or {@link #updateOnly()} on a peer this section created, the
 *       rest of the section is validated but has no effect.
 *   <li>Values are applied one by one: {@code replace_allowed_ips} after {@code allowed_ip} lines
 *       deletes them; a repeated key wins last.
 * </ul>
 *
 * <p>Implementations are used from one thread for one request.
 */
public interface UapiSetHandler {
    /**
     * {@code private_key}, as written: set the device key, to be clamped by the device;
     * {@link PrivateKey#isZero() all zeros} removes it.
     */
    void setPrivateKey(PrivateKey key) throws UapiException;

    /** {@code listen_port}: 0..65535, 0 = pick a random port; rebind now (throw {@link UapiErrno#EADDRINUSE} on failure). */
    void setListenPort(int port) throws UapiException;

    /** {@code fwmark}: unsigned 32-bit (use {@link Integer#toUnsignedLong}); 0 removes the mark. */
    void setFwmark(int mark) throws UapiException;

    /** {@code replace_peers=true}: remove every peer. */
    void replacePeers() throws UapiException;

    /** {@code public_key}: start a section for this peer, creating it unless it exists. */
    void beginPeer(PublicKey publicKey) throws UapiException;

    /** {@code remove=true}: remove the current peer (nothing if it does not exist). */
    void removePeer() throws UapiException;

    /** {@code update_only=true}: only touch the peer if it already existed before this section. */
    void updateOnly() throws UapiException;

    /** {@code preshared_key}: {@link PresharedKey#isZero() all zeros} means no preshared key. */
    void setPresharedKey(PresharedKey presharedKey) throws UapiException;

    /** {@code endpoint}: replace the current peer's endpoint. */
    void setEndpoint(UapiEndpoint endpoint) throws UapiException;

    /** {@code persistent_keepalive_interval}: seconds 0..65535, 0 = off. */
    void setPersistentKeepalive(int seconds) throws UapiException;

    /** {@code replace_allowed_ips=true}: remove every allowed IP of the current peer. */
    void replaceAllowedIps() throws UapiException;

    /** {@code allowed_ip=PREFIX}: add, taking the prefix over from any other peer. */
    void addAllowedIp(IpPrefix prefix) throws UapiException;

    /** {@code allowed_ip=-PREFIX}: remove exactly this prefix, only if it belongs to the current peer. */
    void removeAllowedIp(IpPrefix prefix) throws UapiException;

    /** The current peer section is complete: start the peer, send a keepalive if one was just enabled. */
    void endPeer() throws UapiException;

    /** The request ended (blank line or end of stream) and every line was accepted. */
    void end() throws UapiException;
}
