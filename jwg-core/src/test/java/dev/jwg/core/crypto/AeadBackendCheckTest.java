package dev.jwg.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The start-up check passes the JDK backend and names the step at which a faulty backend fails. */
class AeadBackendCheckTest {

    @Test
    void jdkBackendPasses() {
        assertThatCode(() -> AeadBackendCheck.run(AeadBackend.JDK)).doesNotThrowAnyException();
    }

    @Test
    void aWrongCiphertextFailsOnTheVectors() {
        assertThatThrownBy(() -> AeadBackendCheck.run(faulty("bitflip", a -> new Wrapper(a) {
                    @Override
                    public int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
                        int n = super.seal(counter, in, inOff, len, out, outOff);
                        out[outOff] ^= 1;
                        return n;
                    }
                })))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("crypto self-check failed: transport AEAD (bitflip), WireGuard transport vectors: ");
    }

    @Test
    void aWrongNonceForLargeCountersFailsTheCrossCheck() {
        // Only the low 32 bits of the counter reach the nonce: the vectors (counters 0 and 1) pass.
        AeadBackend truncating = new AeadBackend() {
            @Override
            public String name() { return "low32"; }

            @Override
            public TransportAead newTransportAead(byte[] key32) {
                TransportAead real = AeadBackend.JDK.newTransportAead(key32);
                return new Wrapper(real) {
                    @Override
                    public int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
                        return super.seal(counter & 0xFFFF_FFFFL, in, inOff, len, out, outOff);
                    }

                    @Override
                    public int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
                        return super.open(counter & 0xFFFF_FFFFL, in, inOff, len, out, outOff);
                    }
                };
            }
        };
        assertThatThrownBy(() -> AeadBackendCheck.run(truncating))
                .hasMessageStartingWith("crypto self-check failed: transport AEAD (low32), cross-check with the JDK: ")
                .hasMessageContaining("counter 4294967296");
    }

    @Test
    void plaintextLeftAfterAFailedOpenIsCaught() {
        // Decrypts into the output before checking the tag and leaves it there on failure.
        assertThatThrownBy(() -> AeadBackendCheck.run(faulty("leaky", a -> new Wrapper(a) {
                    @Override
                    public int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
                        int n = super.open(counter, in, inOff, len, out, outOff);
                        if (n < 0 && len >= 16) {
                            Arrays.fill(out, outOff, outOff + len - 16, (byte) 0x3c);
                        }
                        return n;
                    }
                })))
                .hasMessageContaining("no plaintext left behind");
    }

    @Test
    void aBufferSealThatIgnoresItsOffsetFailsTheBufferCheck() {
        assertThatThrownBy(() -> AeadBackendCheck.run(faulty("offset0", a -> new Wrapper(a) {
                    @Override
                    public int seal(long counter, ByteBuffer buf, int off, int len) {
                        return super.seal(counter, buf, 0, len);
                    }
                })))
                .hasMessageStartingWith("crypto self-check failed: transport AEAD (offset0), in byte buffers: ");
    }

    @Test
    void plaintextLeftAfterAFailedBufferOpenIsCaught() {
        assertThatThrownBy(() -> AeadBackendCheck.run(faulty("leaky-buffer", a -> new Wrapper(a) {
                    @Override
                    public int open(long counter, ByteBuffer buf, int off, int len) {
                        int n = super.open(counter, buf, off, len);
                        if (n < 0 && len >= 16) {
                            for (int i = off; i < off + len - 16; i++) {
                                buf.put(i, (byte) 0x3c);
                            }
                        }
                        return n;
                    }
                })))
                .hasMessageContaining("no plaintext left behind");
    }

    @Test
    void useAfterDestroyMustThrow() {
        assertThatThrownBy(() -> AeadBackendCheck.run(faulty("undying", a -> new Wrapper(a) {
                    private boolean gone;

                    @Override
                    public int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
                        return gone ? len + 16 : super.seal(counter, in, inOff, len, out, outOff);
                    }

                    @Override
                    public void destroy() {
                        gone = true;
                    }
                })))
                .hasMessage("crypto self-check failed: transport AEAD (undying), destroy: "
                        + "seal after destroy throws IllegalStateException does not match the known answer");
    }

    @Test
    void anExceptionFromTheBackendIsKeptAsTheCause() {
        UnsatisfiedLinkError missing = new UnsatisfiedLinkError("libcrypto.so.3: cannot open shared object file");
        AeadBackend broken = new AeadBackend() {
            @Override
            public String name() { return "broken"; }

            @Override
            public TransportAead newTransportAead(byte[] key32) { throw missing; }
        };
        assertThatThrownBy(() -> AeadBackendCheck.run(broken))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transport AEAD (broken)")
                .hasCause(missing);
    }

    private static AeadBackend faulty(String name, UnaryOperator<TransportAead> wrap) {
        return new AeadBackend() {
            @Override
            public String name() { return name; }

            @Override
            public TransportAead newTransportAead(byte[] key32) { return wrap.apply(AeadBackend.JDK.newTransportAead(key32)); }
        };
    }

    /** Delegates everything; tests override one method to break it. */
    static class Wrapper implements TransportAead {
        private final TransportAead inner;

        Wrapper(TransportAead inner) { this.inner = inner; }

        @Override
        public int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
            return inner.seal(counter, in, inOff, len, out, outOff);
        }

        @Override
        public int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
            return inner.open(counter, in, inOff, len, out, outOff);
        }

        @Override
        public int seal(long counter, ByteBuffer buf, int off, int len) {
            return inner.seal(counter, buf, off, len);
        }

        @Override
        public int open(long counter, ByteBuffer buf, int off, int len) {
            return inner.open(counter, buf, off, len);
        }

        @Override
        public void destroy() { inner.destroy(); }
    }
}
