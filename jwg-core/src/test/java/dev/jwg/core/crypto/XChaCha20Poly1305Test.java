package dev.jwg.core.crypto;

import static dev.jwg.core.crypto.Vectors.ascii;
import static dev.jwg.core.crypto.Vectors.hex;
import static dev.jwg.core.crypto.Vectors.seq;
import static dev.jwg.core.crypto.Vectors.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class XChaCha20Poly1305Test {

    private static final String NONCE = "404142434445464748494a4b4c4d4e4f5051525354555657";
    private static final String CT = "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf"
            + "3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3f"
            + "ff921f9664c97637da9768812f615c68b13b52e";
    private static final String TAG = "c0875924c1c7987947deafd8780acf49";

    /** draft-irtf-cfrg-xchacha-03 §2.2.1 (docs/protocol.md §7.5). */
    @Test
    void hChaCha20Vector() {
        byte[] out = XChaCha20Poly1305.hChaCha20(seq(0, 32), hex("000000090000004a0000000031415927"));
        assertThat(hex(out)).isEqualTo("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc");
    }

    /** draft-irtf-cfrg-xchacha-03 §A.3.1 (docs/protocol.md §7.5). */
    @Test
    void xChaCha20Poly1305Vector() {
        byte[] key = hex(Vectors.AEAD_KEY);
        byte[] aad = hex(Vectors.AEAD_AAD);
        byte[] sealed = XChaCha20Poly1305.seal(key, hex(NONCE), ascii(Vectors.SUNSCREEN), aad);
        assertThat(hex(sealed)).isEqualTo(CT + TAG);
        assertThat(XChaCha20Poly1305.open(key, hex(NONCE), sealed, aad)).isEqualTo(ascii(Vectors.SUNSCREEN));
    }

    /** docs/protocol.md §7.7: the cookie reply's encrypted cookie, AAD = mac1 of the triggering initiation. */
    @Test
    void cookieReplyVector() {
        byte[] key = Blake2s.hash(ascii("cookie--"), hex(Vectors.SR_PUB));
        assertThat(hex(key)).isEqualTo(Vectors.COOKIE_ENCRYPTION_KEY);
        byte[] mac1 = slice(hex(Vectors.MSG_INITIATION), 116, 132);
        byte[] reply = hex(Vectors.MSG_COOKIE_REPLY);
        assertThat(hex(slice(reply, 8, 32))).isEqualTo(Vectors.COOKIE_NONCE);
        byte[] sealed = XChaCha20Poly1305.seal(key, hex(Vectors.COOKIE_NONCE), hex(Vectors.COOKIE), mac1);
        assertThat(sealed).isEqualTo(slice(reply, 32, 64));
        assertThat(hex(XChaCha20Poly1305.open(key, hex(Vectors.COOKIE_NONCE), sealed, mac1))).isEqualTo(Vectors.COOKIE);
    }

    @Test
    void tamperingIsDetected() {
        byte[] key = hex(Vectors.AEAD_KEY);
        byte[] aad = hex(Vectors.AEAD_AAD);
        byte[] nonce = hex(NONCE);
        byte[] sealed = hex(CT + TAG);
        for (int bit = 0; bit < sealed.length * 8; bit += 5) {
            byte[] t = sealed.clone();
            t[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(XChaCha20Poly1305.open(key, nonce, t, aad)).as("bit %d", bit).isNull();
        }
        for (int i = 0; i < 24; i++) {
            byte[] n = nonce.clone();
            n[i] ^= 1; // both the HChaCha20 part and the inner-nonce part matter
            assertThat(XChaCha20Poly1305.open(key, n, sealed, aad)).as("nonce byte %d", i).isNull();
        }
        byte[] a = aad.clone();
        a[0] ^= (byte) 0x80;
        assertThat(XChaCha20Poly1305.open(key, nonce, sealed, a)).isNull();
        assertThat(XChaCha20Poly1305.open(key, nonce, new byte[15], aad)).isNull();
    }

    @Test
    void rejectsWrongLengths() {
        assertThatThrownBy(() -> XChaCha20Poly1305.hChaCha20(new byte[32], new byte[24]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XChaCha20Poly1305.hChaCha20(new byte[16], new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XChaCha20Poly1305.seal(new byte[32], new byte[12], new byte[1], null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XChaCha20Poly1305.open(new byte[32], new byte[23], new byte[16], null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
