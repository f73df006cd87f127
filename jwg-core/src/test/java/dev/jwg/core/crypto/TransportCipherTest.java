package dev.jwg.core.crypto;

import static dev.jwg.core.crypto.Vectors.hex;
import static dev.jwg.core.crypto.Vectors.seq;
import static dev.jwg.core.crypto.Vectors.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransportCipherTest {

    private static final int HEADER = 16; // transport header room, as the data path will use

    /** wireguard-facts §7.7, both variants: keepalives (counter 0) each way and a 96-byte data packet (counter 1). */
    @ParameterizedTest
    @CsvSource({
        Vectors.T_I_SEND_A + "," + Vectors.T_I_RECV_A + "," + Vectors.KEEPALIVE_I2R_A + "," + Vectors.DATA_I2R_A + ","
                + Vectors.KEEPALIVE_R2I_A,
        Vectors.T_I_SEND_B + "," + Vectors.T_I_RECV_B + "," + Vectors.KEEPALIVE_I2R_B + "," + Vectors.DATA_I2R_B + ","
                + Vectors.KEEPALIVE_R2I_B,
    })
    void handshakeVectorTransportPackets(String send, String recv, String keepaliveI2r, String dataI2r,
            String keepaliveR2i) {
        TransportCipher initiatorSend = new TransportCipher(hex(send));
        TransportCipher responderRecv = new TransportCipher(hex(send));
        TransportCipher responderSend = new TransportCipher(hex(recv));

        byte[] packet = new byte[HEADER + 16];
        System.arraycopy(hex(keepaliveI2r), 0, packet, 0, HEADER); // header from the vector
        assertThat(initiatorSend.seal(0, packet, HEADER, 0, packet, HEADER)).isEqualTo(16);
        assertThat(hex(packet)).isEqualTo(keepaliveI2r);
        assertThat(responderRecv.open(0, packet, HEADER, 16, packet, HEADER)).isZero();

        byte[] data = Arrays.copyOf(hex(dataI2r), HEADER + 96 + 16);
        byte[] inner = hex(Vectors.INNER_PACKET);
        Arrays.fill(data, HEADER, data.length, (byte) 0);
        System.arraycopy(inner, 0, data, HEADER, inner.length); // zero padding to 96 already there
        assertThat(initiatorSend.seal(1, data, HEADER, 96, data, HEADER)).isEqualTo(112);
        assertThat(hex(data)).isEqualTo(dataI2r);
        assertThat(responderRecv.open(1, data, HEADER, 112, data, HEADER)).isEqualTo(96);
        assertThat(slice(data, HEADER, HEADER + 96)).isEqualTo(Arrays.copyOf(inner, 96));

        byte[] back = new byte[16];
        assertThat(responderSend.seal(0, new byte[0], 0, 0, back, 0)).isEqualTo(16);
        assertThat(hex(back)).isEqualTo(keepaliveR2i.substring(32));
    }

    /** Every length of an MTU-sized packet: in-place seal equals ChaChaPoly's, in-place open restores it. */
    @Test
    void inPlaceRoundTripsAtEveryLengthUpTo1500() {
        SplittableRandom rng = new SplittableRandom(11);
        byte[] key = new byte[32];
        rng.nextBytes(key);
        TransportCipher sender = new TransportCipher(key);
        TransportCipher receiver = new TransportCipher(key);
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

    @Test
    void outOfPlaceBetweenArrays() {
        byte[] key = seq(9, 32);
        TransportCipher c = new TransportCipher(key);
        byte[] pt = seq(0, 100);
        byte[] out = new byte[5 + 116];
        assertThat(c.seal(77, pt, 0, 100, out, 5)).isEqualTo(116);
        assertThat(slice(out, 5, 121)).isEqualTo(ChaChaPoly.seal(key, 77, pt, null));
        assertThat(pt).isEqualTo(seq(0, 100));
        byte[] back = new byte[100];
        assertThat(c.open(77, out, 5, 116, back, 0)).isEqualTo(100);
        assertThat(back).isEqualTo(pt);
    }

    @Test
    void tamperingGivesMinusOneAndLeavesOutputUntouched() {
        byte[] key = seq(4, 32);
        TransportCipher sender = new TransportCipher(key);
        TransportCipher receiver = new TransportCipher(key);
        byte[] sealed = new byte[64 + 16];
        sender.seal(5, seq(0, 64), 0, 64, sealed, 0);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] t = sealed.clone();
            t[bit / 8] ^= (byte) (1 << (bit % 8));
            byte[] out = new byte[64];
            Arrays.fill(out, (byte) 0x33);
            assertThat(receiver.open(5, t, 0, t.length, out, 0)).as("bit %d", bit).isEqualTo(-1);
            assertThat(out).as("nothing released for bit %d", bit).containsOnly(0x33);
            // in place: the ciphertext must stay as it was (nothing decrypted into it)
            byte[] copy = t.clone();
            assertThat(receiver.open(5, t, 0, t.length, t, 0)).isEqualTo(-1);
            assertThat(t).isEqualTo(copy);
        }
        assertThat(receiver.open(6, sealed, 0, sealed.length, new byte[64], 0)).as("wrong counter").isEqualTo(-1);
        assertThat(receiver.open(5, sealed, 0, sealed.length - 1, new byte[64], 0)).as("truncated").isEqualTo(-1);
        assertThat(receiver.open(5, sealed, 0, sealed.length, new byte[64], 0)).as("still opens").isEqualTo(64);
    }

    @Test
    void shorterThanATagIsMinusOne() {
        TransportCipher c = new TransportCipher(seq(0, 32));
        for (int len = 0; len < 16; len++) {
            assertThat(c.open(0, new byte[16], 0, len, new byte[0], 0)).isEqualTo(-1);
        }
    }

    /** The JDK refuses ENCRYPT re-init with the previous key and nonce; TransportCipher must not care. */
    @Test
    void repeatedCountersInAnyOrderWork() {
        byte[] key = seq(2, 32);
        TransportCipher c = new TransportCipher(key);
        byte[] expected = ChaChaPoly.seal(key, 3, seq(0, 20), null);
        byte[] buf = new byte[36];

        System.arraycopy(seq(0, 20), 0, buf, 0, 20);
        c.seal(3, buf, 0, 20, buf, 0);
        assertThat(buf).isEqualTo(expected);
        // seal, seal again with the same counter
        System.arraycopy(seq(0, 20), 0, buf, 0, 20);
        assertThat(c.seal(3, buf, 0, 20, buf, 0)).isEqualTo(36);
        assertThat(buf).isEqualTo(expected);
        // open with the same counter after a seal
        assertThat(c.open(3, buf, 0, 36, buf, 0)).isEqualTo(20);
        // seal after an open with the same counter
        System.arraycopy(seq(0, 20), 0, buf, 0, 20);
        assertThat(c.seal(3, buf, 0, 20, buf, 0)).isEqualTo(36);
        assertThat(buf).isEqualTo(expected);
        // open twice, then a failed open, then seal with the same counter
        assertThat(c.open(3, buf.clone(), 0, 36, new byte[20], 0)).isEqualTo(20);
        assertThat(c.open(3, buf.clone(), 0, 36, new byte[20], 0)).isEqualTo(20);
        assertThat(c.open(3, new byte[36], 0, 36, new byte[20], 0)).isEqualTo(-1);
        System.arraycopy(seq(0, 20), 0, buf, 0, 20);
        assertThat(c.seal(3, buf, 0, 20, buf, 0)).isEqualTo(36);
        assertThat(buf).isEqualTo(expected);
    }

    @Test
    void extremeCountersMatchTheWireGuardNonce() {
        byte[] key = seq(6, 32);
        TransportCipher c = new TransportCipher(key);
        for (long counter : new long[] {0, 1, 255, 256, 0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, -2, -1}) {
            byte[] out = new byte[16 + 3];
            c.seal(counter, new byte[] {1, 2, 3}, 0, 3, out, 0);
            assertThat(out).as("counter %x", counter).isEqualTo(ChaChaPoly.seal(key, counter, new byte[] {1, 2, 3}, null));
        }
    }

    @Test
    void keyIsCopied() {
        byte[] key = seq(1, 32);
        TransportCipher c = new TransportCipher(key);
        byte[] expected = ChaChaPoly.seal(seq(1, 32), 0, new byte[0], null);
        Arrays.fill(key, (byte) 0);
        byte[] out = new byte[16];
        c.seal(0, new byte[0], 0, 0, out, 0);
        assertThat(out).isEqualTo(expected);
    }

    @Test
    void destroyForbidsFurtherUse() {
        TransportCipher c = new TransportCipher(seq(1, 32));
        byte[] buf = new byte[32];
        c.seal(0, buf, 0, 0, buf, 0);
        c.destroy();
        c.destroy(); // idempotent
        assertThatThrownBy(() -> c.seal(1, buf, 0, 0, buf, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.open(0, buf, 0, 16, buf, 0)).isInstanceOf(IllegalStateException.class);
        assertThat(c.toString()).doesNotContain(hex(seq(1, 32)));
    }

    @Test
    void programmingErrorsThrow() {
        TransportCipher c = new TransportCipher(seq(1, 32));
        assertThatThrownBy(() -> c.seal(0, new byte[10], 0, 10, new byte[25], 0))
                .as("no room for the tag").isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> c.seal(0, new byte[10], 5, 6, new byte[32], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> c.open(0, new byte[40], 0, 40, new byte[23], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        byte[] shared = new byte[64];
        assertThatThrownBy(() -> c.seal(0, shared, 0, 20, shared, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransportCipher(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void disjointRangesOfOneArrayAreFine() {
        byte[] key = seq(1, 32);
        TransportCipher c = new TransportCipher(key);
        byte[] shared = new byte[100];
        System.arraycopy(seq(0, 20), 0, shared, 0, 20);
        assertThat(c.seal(8, shared, 0, 20, shared, 40)).isEqualTo(36);
        assertThat(slice(shared, 40, 76)).isEqualTo(ChaChaPoly.seal(key, 8, seq(0, 20), null));
    }
}
