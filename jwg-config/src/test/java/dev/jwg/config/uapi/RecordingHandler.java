package dev.jwg.config.uapi;

import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.routing.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/** Records every handler call as text, e.g. {@code "setListenPort 51820"}; can fail on a chosen call. */
final class RecordingHandler implements UapiSetHandler {
    final List<String> calls = new ArrayList<>();
    private String failOn;
    private int failErrno;

    /** Make the first call whose text starts with {@code prefix} throw {@code UapiException(errno)} after being recorded. */
    RecordingHandler failOn(String prefix, int errno) {
        this.failOn = prefix;
        this.failErrno = errno;
        return this;
    }

    private void record(String call) throws UapiException {
        calls.add(call);
        if (failOn != null && call.startsWith(failOn)) {
            failOn = null;
            throw new UapiException(failErrno, "handler refused " + call);
        }
    }

    @Override public void setPrivateKey(PrivateKey key) throws UapiException { record("setPrivateKey " + key.toHex()); }
    @Override public void setListenPort(int port) throws UapiException { record("setListenPort " + port); }
    @Override public void setFwmark(int mark) throws UapiException { record("setFwmark " + Integer.toUnsignedString(mark)); }
    @Override public void replacePeers() throws UapiException { record("replacePeers"); }
    @Override public void beginPeer(PublicKey publicKey) throws UapiException { record("beginPeer " + publicKey.toHex()); }
    @Override public void removePeer() throws UapiException { record("removePeer"); }
    @Override public void updateOnly() throws UapiException { record("updateOnly"); }
    @Override public void setPresharedKey(PresharedKey psk) throws UapiException { record("setPresharedKey " + psk.toHex()); }
    @Override public void setEndpoint(UapiEndpoint e) throws UapiException { record("setEndpoint " + e); }
    @Override public void setPersistentKeepalive(int s) throws UapiException { record("setPersistentKeepalive " + s); }
    @Override public void replaceAllowedIps() throws UapiException { record("replaceAllowedIps"); }
    @Override public void addAllowedIp(IpPrefix p) throws UapiException { record("addAllowedIp " + p); }
    @Override public void removeAllowedIp(IpPrefix p) throws UapiException { record("removeAllowedIp " + p); }
    @Override public void endPeer() throws UapiException { record("endPeer"); }
    @Override public void end() throws UapiException { record("end"); }
}
