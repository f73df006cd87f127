package dev.jwg.device.io;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A peer's UDP endpoint: remote address and port, plus the sticky local source address that the
 * peer last reached us on (family 0 when unknown). Immutable and thread-safe.
 *
 * @param family 4 or 6
 * @param address 4 or 16 bytes (defensively copied)
 * @param port 0-65535
 * @param localFamily 0 (kernel chooses), 4 or 6
 * @param localAddress 0, 4 or 16 bytes
 * @param localIfIndex interface index for IPv6 link-local sources, else 0
 */
public record Endpoint(int family, byte[] address, int port, int localFamily, byte[] localAddress, int localIfIndex) {

    public Endpoint {
        if (family != 4 && family != 6) {
            throw new IllegalArgumentException("family " + family);
        }
        if (address.length != (family == 4 ? 4 : 16)) {
            throw new IllegalArgumentException("address length " + address.length);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        address = address.clone();
        localAddress = localAddress == null ? new byte[0] : localAddress.clone();
    }

    /** An endpoint with no sticky source. */
    public static Endpoint of(InetSocketAddress socketAddress) {
        byte[] raw = socketAddress.getAddress().getAddress();
        raw = normalise(raw);
        return new Endpoint(raw.length == 4 ? 4 : 6, raw, socketAddress.getPort(), 0, null, 0);
    }

    /** Strips an IPv4-mapped IPv6 prefix (::ffff:a.b.c.d) to plain IPv4. */
    public static byte[] normalise(byte[] raw) {
        if (raw.length == 16) {
            boolean mapped = raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = raw[i] == 0;
            }
            if (mapped) {
                return Arrays.copyOfRange(raw, 12, 16);
            }
        }
        return raw;
    }

    @Override
    public byte[] address() { return address.clone(); }

    @Override
    public byte[] localAddress() { return localAddress.clone(); }

    /** True when this endpoint has the same remote and local addresses as slot {@code i} of the batch. */
    public boolean matches(PacketBatch batch, int i) {
        if (batch.family(i) != family || batch.remotePort(i) != port) {
            return false;
        }
        if (!Arrays.equals(batch.remoteAddress(i), 0, address.length, address, 0, address.length)) {
            return false;
        }
        int lf = batch.localFamily(i);
        if (lf != localFamily || batch.localIfIndex(i) != localIfIndex) {
            return false;
        }
        return lf == 0 || Arrays.equals(batch.localAddress(i), 0, localAddress.length, localAddress, 0, localAddress.length);
    }

    /** The endpoint of slot {@code i} of a received batch. */
    public static Endpoint from(PacketBatch batch, int i) {
        int f = batch.family(i);
        byte[] a = Arrays.copyOf(batch.remoteAddress(i), f == 4 ? 4 : 16);
        int lf = batch.localFamily(i);
        byte[] la = lf == 0 ? null : Arrays.copyOf(batch.localAddress(i), lf == 4 ? 4 : 16);
        return new Endpoint(f, a, batch.remotePort(i), lf, la, batch.localIfIndex(i));
    }

    /** Copies this endpoint into slot {@code i} of a batch about to be sent. */
    public void writeTo(PacketBatch batch, int i) {
        System.arraycopy(address, 0, batch.remoteAddress(i), 0, address.length);
        batch.setRemote(i, family, port);
        System.arraycopy(localAddress, 0, batch.localAddress(i), 0, localAddress.length);
        batch.setLocal(i, localFamily, localIfIndex);
    }

    /** The same remote address without a sticky source (used when the cached source is cleared). */
    public Endpoint withoutSource() {
        return localFamily == 0 ? this : new Endpoint(family, address, port, 0, null, 0);
    }

    public InetSocketAddress toSocketAddress() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code 192.0.2.1:51820} or {@code [2001:db8::1]:51820}, as the UAPI {@code endpoint} key. */
    @Override
    public String toString() {
        String host = toSocketAddress().getAddress().getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return family == 4 ? host + ":" + port : "[" + host + "]:" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && e.family == family && e.port == port && Arrays.equals(e.address, address)
                && e.localFamily == localFamily && e.localIfIndex == localIfIndex && Arrays.equals(e.localAddress, localAddress);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + port;
    }
}
