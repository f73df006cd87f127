package dev.jwg.config.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.config.uapi.Key32;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64KeyTest {
    @Test
    void agreesWithTheJdkCodecOnRandomKeys() {
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[32];
            r.nextBytes(b);
            String jdk = Base64.getEncoder().encodeToString(b);
            assertThat(Base64Key.encode(Key32.of(b))).isEqualTo(jdk);
            assertThat(Base64Key.decode(jdk).orElseThrow().rawBytes()).isEqualTo(b);
        }
    }

    @Test
    void everyAlphabetCharacterDecodes() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; i++) {
            String k = String.valueOf(alphabet.charAt(i)).repeat(40) + "AAA=";
            assertThat(Base64Key.decode(k)).as(k).isPresent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaE",    // no padding
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaE==",  // 45 chars
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaF=",   // non-canonical: low bits of the last data char set
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA_TkB_yOaE=",   // URL-safe alphabet
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOa==",   // '=' inside the data
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOa\u00e9=", // non-ASCII
        "UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/y aE=",   // space
    })
    void rejectsAnythingButACanonicalKey(String s) {
        assertThat(Base64Key.decode(s)).isEmpty();
    }
}
