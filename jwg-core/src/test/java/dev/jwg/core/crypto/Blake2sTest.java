package dev.jwg.core.crypto;

import static dev.jwg.core.crypto.Vectors.ascii;
import static dev.jwg.core.crypto.Vectors.hex;
import static dev.jwg.core.crypto.Vectors.seq;
import static dev.jwg.core.crypto.Vectors.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Blake2sTest {

    /** docs/protocol.md §7.1: input, key (null = unkeyed), output length, expected. */
    static Stream<Arguments> vectors() {
        byte[] key = seq(0, 32);
        return Stream.of(
                Arguments.of("empty", new byte[0], null, 32,
                        "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9"),
                Arguments.of("abc (RFC 7693 B)", ascii("abc"), null, 32,
                        "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"),
                Arguments.of("keyed empty (kat line 1)", new byte[0], key, 32,
                        "48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49"),
                Arguments.of("keyed 00", new byte[] {0}, key, 32,
                        "40d15fee7c328830166ac3f918650f807e7e01e177258cdc0a39b11f598066f1"),
                Arguments.of("keyed 00..ff", seq(0, 256), key, 32,
                        "5211d1aefc0025be7f85c06b3e14e0fc645ae12bd41746485ea6d8a364a2eaee"),
                Arguments.of("keyed abc, 16-byte MAC", ascii("abc"), key, 16, "61ba5f165c194692e09d12520cc4c74a"),
                Arguments.of("unkeyed abc, 16 bytes", ascii("abc"), null, 16, "aa4938119b1dc7b87cbad0ffd200d0ae"),
                Arguments.of("one full block", new byte[64], null, 32,
                        "ae09db7cd54f42b490ef09b6bc541af688e4959bb8c53f359a6f56e38ab454a3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void digestMatchesKnownAnswer(String name, byte[] input, byte[] key, int outLen, String expected) {
        assertThat(hex(Blake2s.digest(key, outLen, input))).isEqualTo(expected);
    }

    static Stream<Arguments> hashVectors() {
        return vectors().filter(a -> a.get()[2] == null && (int) a.get()[3] == 32);
    }

    static Stream<Arguments> macVectors() {
        return vectors().filter(a -> a.get()[2] != null && (int) a.get()[3] == 16);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hashVectors")
    void hashMatchesKnownAnswer(String name, byte[] input, byte[] key, int outLen, String expected) {
        assertThat(hex(Blake2s.hash(input))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("macVectors")
    void macMatchesKnownAnswer(String name, byte[] input, byte[] key, int outLen, String expected) {
        assertThat(hex(Blake2s.mac(key, input))).isEqualTo(expected);
        byte[] out = new byte[20];
        Blake2s.mac(key, input, 0, input.length, out, 3);
        assertThat(hex(slice(out, 3, 19))).isEqualTo(expected);
        assertThat(out[2]).isZero();
        assertThat(out[19]).isZero();
    }

    @Test
    void hashConcatenatesItsParts() {
        byte[] whole = seq(7, 200);
        String expected = hex(Blake2s.hash(whole));
        assertThat(hex(Blake2s.hash(slice(whole, 0, 64), slice(whole, 64, 65), new byte[0], slice(whole, 65, 200))))
                .isEqualTo(expected);
        assertThat(hex(Blake2s.mac(seq(1, 16), slice(whole, 0, 3), slice(whole, 3, 200))))
                .isEqualTo(hex(Blake2s.mac(seq(1, 16), whole)));
    }

    @Test
    void emptyKeyMeansUnkeyed() {
        assertThat(Blake2s.digest(new byte[0], 32, ascii("abc"))).isEqualTo(Blake2s.hash(ascii("abc")));
    }

    /** docs/protocol.md §1.3: Ci = HASH(CONSTRUCTION), Hi = HASH(Ci ‖ IDENTIFIER). */
    @Test
    void initialChainingKeyAndHash() {
        byte[] ci = Blake2s.hash(ascii("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s"));
        byte[] hi = Blake2s.hash(ci, ascii("WireGuard v1 zx2c4 Jason@zx2c4.com"));
        assertThat(hex(ci)).isEqualTo("60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36");
        assertThat(hex(hi)).isEqualTo("2211b361081ac566691243db458ad5322d9c6c662293e8b70ee19c65ba079ef3");
    }

    /** docs/protocol.md §7.7: mac1 keys and the mac1 fields of the handshake messages (§1.9). */
    @Test
    void mac1OfTheHandshakeVector() {
        byte[] keyForResponder = Blake2s.hash(ascii("mac1----"), hex(Vectors.SR_PUB));
        byte[] keyForInitiator = Blake2s.hash(ascii("mac1----"), hex(Vectors.SI_PUB));
        assertThat(hex(keyForResponder)).isEqualTo(Vectors.MAC1_KEY_FOR_RESPONDER);
        assertThat(hex(keyForInitiator)).isEqualTo(Vectors.MAC1_KEY_FOR_INITIATOR);

        byte[] initiation = hex(Vectors.MSG_INITIATION);
        byte[] rebuilt = initiation.clone();
        java.util.Arrays.fill(rebuilt, 116, 132, (byte) 0);
        Blake2s.mac(keyForResponder, rebuilt, 0, 116, rebuilt, 116);
        assertThat(hex(rebuilt)).isEqualTo(Vectors.MSG_INITIATION);

        byte[] response = hex(Vectors.MSG_RESPONSE);
        assertThat(hex(Blake2s.mac(keyForInitiator, slice(response, 0, 60)))).isEqualTo(hex(slice(response, 60, 76)));
    }

    /** docs/protocol.md §7.7 cookie vector: cookie = MAC(secret, src) and mac2 = MAC(cookie, msg[0..132)). */
    @Test
    void cookieAndMac2OfTheCookieVector() {
        assertThat(hex(Blake2s.mac(hex(Vectors.COOKIE_SECRET), hex(Vectors.COOKIE_SRC)))).isEqualTo(Vectors.COOKIE);
        byte[] initiation = hex(Vectors.MSG_INITIATION);
        Blake2s.mac(hex(Vectors.COOKIE), initiation, 0, 132, initiation, 132);
        assertThat(hex(slice(initiation, 132, 148))).isEqualTo(Vectors.MAC2_WITH_COOKIE);
    }

    @Test
    void macOverItsOwnOutputRangeStillSeesTheInput() {
        byte[] data = seq(0, 48);
        String expected = hex(Blake2s.mac(seq(9, 32), slice(data, 0, 48)));
        Blake2s.mac(seq(9, 32), data, 0, 48, data, 8); // output overwrites part of the input
        assertThat(hex(slice(data, 8, 24))).isEqualTo(expected);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Blake2s.mac(new byte[0], ascii("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Blake2s.mac(new byte[33], ascii("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Blake2s.digest(null, 0, ascii("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Blake2s.digest(null, 33, ascii("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Blake2s.mac(new byte[32], new byte[10], 5, 6, new byte[16], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Blake2s.mac(new byte[32], new byte[10], 0, 10, new byte[16], 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
