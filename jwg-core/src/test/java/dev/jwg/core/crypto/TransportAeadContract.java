package dev.jwg.core.crypto;

import static dev.jwg.core.crypto.Vectors.hex;
import static dev.jwg.core.crypto.Vectors.seq;
import static dev.jwg.core.crypto.Vectors.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link TransportAead} contract, for any {@link AeadBackend}: known answers, a cross-check with the
 * JDK's one-shot AEAD over the sizes and counters the data path meets, forgeries, in place at offsets,
 * destroy. Subclasses name the backend; a runtime module runs it for its native backend.
 */
public abstract class TransportAeadContract {
    private static final int HEADER = 16;
    static final int[] SIZES = {0, 1, 15, 16, 17, 63, 64, 1420, 1500, 65535};
    static final long[] COUNTERS = {0, 1, 255, 0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, -2L};

    private final java.util.List<TransportAead> created = new java.util.ArrayList<>();

    /** The backend under test. */
    protected abstract AeadBackend backend();

    private TransportAead aead(byte[] key) {
        TransportAead a = backend().newTransportAead(key);
        created.add(a);
        return a;
    }

    @AfterEach
    void destroyAll() {
        created.forEach(TransportAead::destroy);
    }

    @Test
    void passesTheStartUpCheckWithSeveralSeeds() {
        for (long seed = 1; seed <= 4; seed++) {
            long s = seed;
            assertThatCode(() -> AeadBackendCheck.run(backend(), s)).doesNotThrowAnyException();
        }
    }

    /** docs/protocol.md §7.7, both variants: keepalives each way and the 96-byte data packet. */
    @ParameterizedTest
    @CsvSource({
        Vectors.T_I_SEND_A + "," + Vectors.T_I_RECV_A + "," + Vectors.KEEPALIVE_I2R_A + "," + Vectors.DATA_I2R_A + ","
                + Vectors.KEEPALIVE_R2I_A,
        Vectors.T_I_SEND_B + "," + Vectors.T_I_RECV_B + "," + Vectors.KEEPALIVE_I2R_B + "," + Vectors.DATA_I2R_B + ","
                + Vectors.KEEPALIVE_R2I_B,
    })
    void wireGuardTransportVectors(String send, String recv, String keepaliveI2r, String dataI2r, String keepaliveR2i) {
        TransportAead initiatorSend = aead(hex(send));
        TransportAead responderRecv = aead(hex(send));
        TransportAead responderSend = aead(hex(recv));

        byte[] packet = new byte[HEADER + 16];
        System.arraycopy(hex(keepaliveI2r), 0, packet, 0, HEADER);
        assertThat(initiatorSend.seal(0, packet, HEADER, 0, packet, HEADER)).isEqualTo(16);
        assertThat(hex(packet)).isEqualTo(keepaliveI2r);
        assertThat(responderRecv.open(0, packet, HEADER, 16, packet, HEADER)).isZero();

        byte[] data = Arrays.copyOf(hex(dataI2r), HEADER + 96 + 16);
        Arrays.fill(data, HEADER, data.length, (byte) 0);
        byte[] inner = hex(Vectors.INNER_PACKET);
        System.arraycopy(inner, 0, data, HEADER, inner.length);
        assertThat(initiatorSend.seal(1, data, HEADER, 96, data, HEADER)).isEqualTo(112);
        assertThat(hex(data)).isEqualTo(dataI2r);
        assertThat(responderRecv.open(1, data, HEADER, 112, data, HEADER)).isEqualTo(96);
        assertThat(slice(data, HEADER, HEADER + 96)).isEqualTo(Arrays.copyOf(inner, 96));

        byte[] back = new byte[16];
        assertThat(responderSend.seal(0, new byte[0], 0, 0, back, 0)).isEqualTo(16);
        assertThat(hex(back)).isEqualTo(keepaliveR2i.substring(32));
    }

    /** Every size against every counter, in place at an offset: equal to the JDK's, and back. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 63, 64, 1420, 1500, 65535})
    void crossChecksWithTheJdkAtEveryCounter(int size) {
        SplittableRandom rng = new SplittableRandom(size);
        byte[] key = new byte[32];
        rng.nextBytes(key);
        TransportAead sender = aead(key);
        TransportAead receiver = aead(key);
        for (long counter : COUNTERS) {
            byte[] plain = new byte[size];
            rng.nextBytes(plain);
            byte[] expected = ChaChaPoly.seal(key, counter, plain, null);
            int off = 1 + rng.nextInt(40);
            byte[] buf = new byte[off + size + 16 + 5];
            Arrays.fill(buf, (byte) 0x77);
            System.arraycopy(plain, 0, buf, off, size);
            assertThat(sender.seal(counter, buf, off, size, buf, off)).isEqualTo(size + 16);
            assertThat(slice(buf, off, off + size + 16)).as("counter %x", counter).isEqualTo(expected);
            assertThat(buf[off - 1]).isEqualTo((byte) 0x77);
            assertThat(slice(buf, off + size + 16, buf.length)).containsOnly(0x77);
            assertThat(receiver.open(counter, buf, off, size + 16, buf, off)).isEqualTo(size);
            assertThat(slice(buf, off, off + size)).as("counter %x", counter).isEqualTo(plain);
            // and the JDK opens what the backend seals, out of place
            byte[] sealed = new byte[size + 16];
            sender.seal(counter, plain, 0, size, sealed, 0);
            assertThat(ChaChaPoly.open(key, counter, sealed, null)).isEqualTo(plain);
        }
    }

    /** Every length of an MTU-sized packet: in-place seal equals ChaChaPoly's, in-place open restores it. */
    @Test
    void inPlaceRoundTripsAtEveryLengthUpTo1500() {
        SplittableRandom rng = new SplittableRandom(11);
        byte[] key = new byte[32];
        rng.nextBytes(key);
        TransportAead sender = aead(key);
        TransportAead receiver = aead(key);
        byte[] buf = new byte[HEADER + 1500 + 16 + 8];
        for (int len = 0; len <= 1500; len++) {
            byte[] pt = new byte[len];
            rng.nextBytes(pt);
            long counter = len * 3L;
            Arrays.fill(buf, (byte) 0x77);
            System.arraycopy(pt, 0, buf, HEADER, len);
            assertThat(sender.seal(counter, buf, HEADER, len, buf, HEADER)).isEqualTo(len + 16);
            assertThat(slice(buf, HEADER, HEADER + len + 16))
                    .as("length %d", len)
                    .isEqualTo(ChaChaPoly.seal(key, counter, pt, null));
            assertThat(buf[HEADER - 1]).isEqualTo((byte) 0x77);
            assertThat(buf[HEADER + len + 16]).isEqualTo((byte) 0x77);
            assertThat(receiver.open(counter, buf, HEADER, len + 16, buf, HEADER)).isEqualTo(len);
            assertThat(slice(buf, HEADER, HEADER + len)).as("length %d", len).isEqualTo(pt);
        }
    }

    /** Random sizes up to 2 KiB and random counters, alternating directions on one instance. */
    @Test
    void randomSizesRoundTripBothWays() {
        SplittableRandom rng = new SplittableRandom(99);
        byte[] key = new byte[32];
        rng.nextBytes(key);
        TransportAead one = aead(key);
        TransportAead other = aead(key);
        for (int i = 0; i < 300; i++) {
            int size = rng.nextInt(2049);
            long counter = rng.nextLong();
            byte[] plain = new byte[size];
            rng.nextBytes(plain);
            TransportAead s = i % 2 == 0 ? one : other;
            TransportAead o = i % 3 == 0 ? one : other;
            byte[] out = new byte[size + 16];
            s.seal(counter, plain, 0, size, out, 0);
            assertThat(out).isEqualTo(ChaChaPoly.seal(key, counter, plain, null));
            byte[] back = new byte[size];
            assertThat(o.open(counter, out, 0, out.length, back, 0)).isEqualTo(size);
            assertThat(back).isEqualTo(plain);
        }
    }

    @Test
    void everyFlippedBitIsRefusedAndReleasesNoPlaintext() {
        byte[] key = seq(4, 32);
        TransportAead sender = aead(key);
        TransportAead receiver = aead(key);
        byte[] sealed = new byte[64 + 16];
        sender.seal(5, seq(0, 64), 0, 64, sealed, 0);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] t = sealed.clone();
            t[bit / 8] ^= (byte) (1 << (bit % 8));
            byte[] out = new byte[64];
            Arrays.fill(out, (byte) 0x33);
            assertThat(receiver.open(5, t, 0, t.length, out, 0)).as("bit %d", bit).isEqualTo(-1);
            assertNoPlaintext(out, 0, 64, (byte) 0x33, null);
            byte[] copy = t.clone();
            assertThat(receiver.open(5, t, 0, t.length, t, 0)).isEqualTo(-1);
            assertNoPlaintext(t, 0, 64, (byte) 0, copy);
        }
        assertThat(receiver.open(6, sealed.clone(), 0, sealed.length, new byte[64], 0)).as("wrong counter").isEqualTo(-1);
        assertThat(receiver.open(5, sealed.clone(), 0, sealed.length - 1, new byte[64], 0)).as("truncated").isEqualTo(-1);
        assertThat(receiver.open(5, sealed.clone(), 1, sealed.length - 1, new byte[64], 0)).as("shifted").isEqualTo(-1);
        assertThat(receiver.open(5, sealed, 0, sealed.length, new byte[64], 0)).as("still opens").isEqualTo(64);
    }

    /** After a refusal the output holds the old bytes (all {@code fill}, or {@code before}) or zeros. */
    private static void assertNoPlaintext(byte[] out, int from, int to, byte fill, byte[] before) {
        byte[] range = slice(out, from, to);
        boolean zeroed = true;
        for (byte b : range) {
            zeroed &= b == 0;
        }
        boolean unchanged = before == null ? allEqual(range, fill) : Arrays.equals(range, slice(before, from, to));
        assertThat(zeroed || unchanged).as("no plaintext left behind").isTrue();
    }

    private static boolean allEqual(byte[] b, byte v) {
        for (byte x : b) {
            if (x != v) {
                return false;
            }
        }
        return true;
    }

    @Test
    void shorterThanATagIsRefused() {
        TransportAead c = aead(seq(0, 32));
        for (int len = 0; len < 16; len++) {
            assertThat(c.open(0, new byte[16], 0, len, new byte[0], 0)).isEqualTo(-1);
        }
    }

    @Test
    void repeatedCountersInAnyOrderWork() {
        byte[] key = seq(2, 32);
        TransportAead c = aead(key);
        byte[] expected = ChaChaPoly.seal(key, 3, seq(0, 20), null);
        byte[] buf = new byte[36];
        for (int round = 0; round < 3; round++) {
            System.arraycopy(seq(0, 20), 0, buf, 0, 20);
            assertThat(c.seal(3, buf, 0, 20, buf, 0)).isEqualTo(36);
            assertThat(buf).isEqualTo(expected);
            assertThat(c.open(3, buf.clone(), 0, 36, new byte[20], 0)).isEqualTo(20);
            assertThat(c.open(3, new byte[36], 0, 36, new byte[20], 0)).isEqualTo(-1);
        }
    }

    @Test
    void outOfPlaceAndDisjointRangesOfOneArray() {
        byte[] key = seq(9, 32);
        TransportAead c = aead(key);
        byte[] pt = seq(0, 100);
        byte[] out = new byte[5 + 116];
        assertThat(c.seal(77, pt, 0, 100, out, 5)).isEqualTo(116);
        assertThat(slice(out, 5, 121)).isEqualTo(ChaChaPoly.seal(key, 77, pt, null));
        assertThat(pt).isEqualTo(seq(0, 100));
        byte[] back = new byte[100];
        assertThat(c.open(77, out, 5, 116, back, 0)).isEqualTo(100);
        assertThat(back).isEqualTo(pt);

        byte[] shared = new byte[200];
        System.arraycopy(seq(0, 20), 0, shared, 0, 20);
        assertThat(c.seal(8, shared, 0, 20, shared, 40)).isEqualTo(36);
        assertThat(slice(shared, 40, 76)).isEqualTo(ChaChaPoly.seal(key, 8, seq(0, 20), null));
        assertThat(c.open(8, shared, 40, 36, shared, 100)).isEqualTo(20);
        assertThat(slice(shared, 100, 120)).isEqualTo(seq(0, 20));
    }

    @Test
    void keyIsCopied() {
        byte[] key = seq(1, 32);
        TransportAead c = aead(key);
        byte[] expected = ChaChaPoly.seal(seq(1, 32), 0, new byte[0], null);
        Arrays.fill(key, (byte) 0);
        byte[] out = new byte[16];
        c.seal(0, new byte[0], 0, 0, out, 0);
        assertThat(out).isEqualTo(expected);
    }

    @Test
    void destroyForbidsFurtherUseAndIsIdempotent() {
        TransportAead c = aead(seq(1, 32));
        byte[] buf = new byte[32];
        c.seal(0, buf, 0, 0, buf, 0);
        c.destroy();
        c.destroy();
        assertThatThrownBy(() -> c.seal(1, buf, 0, 0, buf, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.open(0, buf, 0, 16, buf, 0)).isInstanceOf(IllegalStateException.class);
        assertThat(c.toString()).doesNotContain(hex(seq(1, 32)));
    }

    @Test
    void manyInstancesCanBeCreatedAndDestroyed() {
        byte[] key = seq(3, 32);
        byte[] buf = new byte[16 + 16];
        for (int i = 0; i < 2000; i++) {
            TransportAead c = backend().newTransportAead(key);
            assertThat(c.seal(i, buf, 0, 16, buf, 0)).isEqualTo(32);
            c.destroy();
        }
    }

    @Test
    void programmingErrorsThrow() {
        TransportAead c = aead(seq(1, 32));
        assertThatThrownBy(() -> c.seal(0, new byte[10], 0, 10, new byte[25], 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> c.seal(0, new byte[10], 5, 6, new byte[32], 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> c.open(0, new byte[40], 0, 40, new byte[23], 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> c.open(0, new byte[40], -1, 20, new byte[40], 0)).isInstanceOf(IndexOutOfBoundsException.class);
        byte[] shared = new byte[64];
        assertThatThrownBy(() -> c.seal(0, shared, 0, 20, shared, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.open(0, shared, 4, 36, shared, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend().newTransportAead(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
