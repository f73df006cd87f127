package dev.jwg.core.crypto;

import static dev.jwg.core.crypto.Vectors.seq;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@link TransportAead} contract for the JDK backend ({@link TransportCipher}), and its nonce guard. */
class JdkTransportAeadTest extends TransportAeadContract {
    @Override
    protected AeadBackend backend() {
        return AeadBackend.JDK;
    }

    /** The JDK refuses ENCRYPT re-init with the previous key and nonce; TransportCipher must not care. */
    @Test
    void repeatedCountersInAnyOrderPassTheJdkNonceGuard() {
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
}
