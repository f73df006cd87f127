package dev.jwg.linux.gso;

import dev.jwg.device.io.PacketBatch;
import java.util.Arrays;

/**
 * Which datagrams of a batch may leave in one UDP GSO send ({@code UDP_SEGMENT}, udp(7)): a run of
 * consecutive datagrams to the same remote address and port, from the same local source, all of
 * one size except possibly a shorter, non-empty last one, at most {@link #MAX_SEGMENTS} of them and
 * {@link #MAX_BYTES} in total. The kernel cuts such a send back into exactly these datagrams.
 *
 * <p>Stateless and thread-safe.
 */
public final class UdpSegments {
    private UdpSegments() {}

    /** Segments per send; the kernel allows 64 ({@code UDP_MAX_SEGMENTS}) on every version with GSO, 128 on newer ones. */
    public static final int MAX_SEGMENTS = 64;
    /** Largest UDP payload of one send over IPv4 (65535 - 20 - 8); used for IPv6 too. */
    public static final int MAX_BYTES = 65507;

    /**
     * The end (exclusive) of the run starting at slot {@code start}, looking no further than slot
     * {@code end - 1}. A run of one ({@code start + 1}) means: send it alone.
     */
    public static int runEnd(PacketBatch batch, int start, int end) {
        int size = batch.length(start);
        if (size == 0) {
            return start + 1;
        }
        int total = size;
        int j = start + 1;
        while (j < end && j - start < MAX_SEGMENTS) {
            int l = batch.length(j);
            if (l == 0 || l > size || total + l > MAX_BYTES || !sameRoute(batch, start, j)) {
                break;
            }
            total += l;
            j++;
            if (l < size) {
                break;
            }
        }
        return j;
    }

    /** True when slots a and b have the same remote address and port and the same local source. */
    public static boolean sameRoute(PacketBatch batch, int a, int b) {
        int family = batch.family(a);
        if (family != batch.family(b) || batch.remotePort(a) != batch.remotePort(b)) {
            return false;
        }
        int n = family == 4 ? 4 : 16;
        if (!Arrays.equals(batch.remoteAddress(a), 0, n, batch.remoteAddress(b), 0, n)) {
            return false;
        }
        int localFamily = batch.localFamily(a);
        if (localFamily != batch.localFamily(b) || batch.localIfIndex(a) != batch.localIfIndex(b)) {
            return false;
        }
        int m = localFamily == 4 ? 4 : 16;
        return localFamily == 0 || Arrays.equals(batch.localAddress(a), 0, m, batch.localAddress(b), 0, m);
    }
}
