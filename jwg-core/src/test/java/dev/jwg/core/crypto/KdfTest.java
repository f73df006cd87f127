package dev.jwg.core.crypto;

import static dev.jwg.core.crypto.Vectors.ascii;
import static dev.jwg.core.crypto.Vectors.hex;
import static dev.jwg.core.crypto.Vectors.seq;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KdfTest {

    /** docs/protocol.md §7.2 (wireguard-go device/kdf_test.go). */
    @ParameterizedTest
    @CsvSource({
        "746573742d6b6579, 746573742d696e707574,"
                + " 6f0e5ad38daba1bea8a0d213688736f19763239305e0f58aba697f9ffc41c633,"
                + " df1194df20802a4fe594cde27e92991c8cae66c366e8106aaa937a55fa371e8a,"
                + " fac6e2745a325f5dc5d11a5b165aad08b0ada28e7b4e666b7c077934a4d76c24",
        "776972656775617264, 776972656775617264,"
                + " 491d43bbfdaa8750aaf535e334ecbfe5129967cd64635101c566d4caefda96e8,"
                + " 1e71a379baefd8a79aa4662212fcafe19a23e2b609a3db7d6bcba8f560e3d25f,"
                + " 31e1ae48bddfbe5de38f295e5452b1909a1b4e38e183926af3780b0c1e1f0160",
        "'', '',"
                + " 8387b46bf43eccfcf349552a095d8315c4055beb90208fb1be23b894bc2ed5d0,"
                + " 58a0e5f6faefccf4807bff1f05fa8a9217945762040bcec2f4b4a62bdfe0e86e,"
                + " 0ce6ea98ec548f8e281e93e32db65621c45eb18dc6f0a7ad94178610a2f7338e",
    })
    void kdfRows(String key, String input, String t1, String t2, String t3) {
        byte[] k = hex(key);
        byte[] in = hex(input);
        assertThat(hex(Kdf.kdf1(k, in))).isEqualTo(t1);
        byte[][] two = Kdf.kdf2(k, in);
        assertThat(two).hasNumberOfRows(2);
        assertThat(hex(two[0])).isEqualTo(t1);
        assertThat(hex(two[1])).isEqualTo(t2);
        byte[][] three = Kdf.kdf3(k, in);
        assertThat(three).hasNumberOfRows(3);
        assertThat(hex(three[0])).isEqualTo(t1);
        assertThat(hex(three[1])).isEqualTo(t2);
        assertThat(hex(three[2])).isEqualTo(t3);
    }

    /** docs/protocol.md §7.2, plain HMAC-BLAKE2s-256. */
    @ParameterizedTest
    @CsvSource({
        "test-key, test-input, ed378e02e152b574e0d9e01fb029a7066c3cc687917c28bf9dfe5b042769fa46",
        "key, The quick brown fox jumps over the lazy dog,"
                + " f93215bb90d4af4c3061cd932fb169fb8bb8a91d0b4022baea1271e1323cd9a0",
    })
    void hmacVectors(String key, String msg, String expected) {
        assertThat(hex(Kdf.hmac(ascii(key), ascii(msg)))).isEqualTo(expected);
    }

    @Test
    void hmacConcatenatesItsDataParts() {
        byte[] msg = ascii("The quick brown fox jumps over the lazy dog");
        assertThat(hex(Kdf.hmac(ascii("key"), Arrays.copyOf(msg, 10), new byte[0], Arrays.copyOfRange(msg, 10, msg.length))))
                .isEqualTo("f93215bb90d4af4c3061cd932fb169fb8bb8a91d0b4022baea1271e1323cd9a0");
    }

    /** RFC 2104: a key longer than the 64-byte block is replaced by its hash; one of exactly 64 bytes is not. */
    @Test
    void hmacKeyLongerThanABlockIsHashed() {
        byte[] longKey = seq(3, 65);
        assertThat(Kdf.hmac(longKey, ascii("m"))).isEqualTo(Kdf.hmac(Blake2s.hash(longKey), ascii("m")));
        byte[] blockKey = seq(3, 64);
        assertThat(Kdf.hmac(blockKey, ascii("m"))).isNotEqualTo(Kdf.hmac(Blake2s.hash(blockKey), ascii("m")));
        // a shorter key is zero-extended, so appending zero bytes (up to the block) changes nothing
        assertThat(Kdf.hmac(seq(3, 20), ascii("m"))).isEqualTo(Kdf.hmac(Arrays.copyOf(seq(3, 20), 64), ascii("m")));
    }

    /** docs/protocol.md §1.6 and §7.7: (T1, T2) = KDF2(C, ε) gives the transport keys of both variants. */
    @ParameterizedTest
    @CsvSource({
        Vectors.RESP_C_AFTER_A + "," + Vectors.T_I_SEND_A + "," + Vectors.T_I_RECV_A,
        Vectors.RESP_C_AFTER_B + "," + Vectors.T_I_SEND_B + "," + Vectors.T_I_RECV_B,
    })
    void transportKeySplit(String chainingKey, String send, String recv) {
        byte[][] t = Kdf.kdf2(hex(chainingKey), new byte[0]);
        assertThat(hex(t[0])).isEqualTo(send);
        assertThat(hex(t[1])).isEqualTo(recv);
    }

    @Test
    void inputsAreNotModified() {
        byte[] key = seq(1, 32);
        byte[] input = seq(100, 32);
        Kdf.kdf3(key, input);
        Kdf.hmac(key, input);
        assertThat(key).isEqualTo(seq(1, 32));
        assertThat(input).isEqualTo(seq(100, 32));
    }
}
