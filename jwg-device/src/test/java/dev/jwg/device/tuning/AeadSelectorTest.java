package dev.jwg.device.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.TransportAead;
import dev.jwg.device.tuning.AeadSelector.Candidate;
import dev.jwg.device.tuning.AeadSelector.Selection;
import dev.jwg.device.tuning.AeadSelector.Status;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Selection: known-answer checks first, then the override, then the measurement. */
class AeadSelectorTest {

    /** A correct backend (the JDK's under another name), as a native one would be. */
    static AeadBackend good(String name) {
        return new AeadBackend() {
            @Override
            public String name() { return name; }

            @Override
            public TransportAead newTransportAead(byte[] key32) { return AeadBackend.JDK.newTransportAead(key32); }
        };
    }

    /** A backend whose seal corrupts the last tag byte: it must fail its check and never be used. */
    static AeadBackend faulty(String name) {
        return new AeadBackend() {
            @Override
            public String name() { return name; }

            @Override
            public TransportAead newTransportAead(byte[] key32) {
                TransportAead real = AeadBackend.JDK.newTransportAead(key32);
                return new TransportAead() {
                    @Override
                    public int seal(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
                        int n = real.seal(counter, in, inOff, len, out, outOff);
                        out[outOff + n - 1] ^= 1;
                        return n;
                    }

                    @Override
                    public int open(long counter, byte[] in, int inOff, int len, byte[] out, int outOff) {
                        return real.open(counter, in, inOff, len, out, outOff);
                    }

                    @Override
                    public int seal(long counter, java.nio.ByteBuffer buf, int off, int len) {
                        int n = real.seal(counter, buf, off, len);
                        buf.put(off + n - 1, (byte) (buf.get(off + n - 1) ^ 1));
                        return n;
                    }

                    @Override
                    public int open(long counter, java.nio.ByteBuffer buf, int off, int len) {
                        return real.open(counter, buf, off, len);
                    }

                    @Override
                    public void destroy() { real.destroy(); }
                };
            }
        };
    }

    /** A timer giving each backend {seal, open} from a table, and counting calls. */
    static final class FakeTimer implements AeadSelector.Timer {
        final AtomicInteger calls = new AtomicInteger();
        final double jdk;
        final double other;

        FakeTimer(double jdk, double other) {
            this.jdk = jdk;
            this.other = other;
        }

        @Override
        public double[] time(List<AeadBackend> backends) {
            calls.incrementAndGet();
            double[] t = new double[2 * backends.size()];
            for (int i = 0; i < backends.size(); i++) {
                double v = backends.get(i) == AeadBackend.JDK ? jdk : other;
                t[2 * i] = v;
                t[2 * i + 1] = v;
            }
            return t;
        }
    }

    @Test
    void withoutNativesTheJdkIsChosenWithoutMeasuring() {
        FakeTimer timer = new FakeTimer(1000, 500);
        Selection s = AeadSelector.select(List.of(), null, null, timer);
        assertThat(s.backend()).isSameAs(AeadBackend.JDK);
        assertThat(s.errors()).isEmpty();
        assertThat(timer.calls).hasValue(0);
        assertThat(s.summary()).startsWith("transport AEAD: jdk (the only backend that passed its check); jdk: chosen");
    }

    @Test
    void aFasterNativeIsChosenAndTheTimesAreReported() {
        Selection s = AeadSelector.select(List.of(Candidate.of(good("fast"))), null, "measure", new FakeTimer(1300, 700));
        assertThat(s.backend().name()).isEqualTo("fast");
        assertThat(s.reason()).isEqualTo("measured: the fastest of jdk, fast");
        assertThat(s.reports()).extracting(AeadSelector.Report::status).containsExactly(Status.PASSED, Status.CHOSEN);
        assertThat(s.summary()).contains("jdk: passed, seal 1300 ns, open 1300 ns per 1420-byte packet")
                .contains("fast: chosen, seal 700 ns, open 700 ns per 1420-byte packet");
    }

    @Test
    void theJdkStaysUnlessAnotherIsClearlyFaster() {
        Selection s = AeadSelector.select(List.of(Candidate.of(good("close"))), null, "measure", new FakeTimer(1000, 970));
        assertThat(s.backend()).isSameAs(AeadBackend.JDK);
        assertThat(s.reason()).isEqualTo("measured: close is not 5% faster than jdk");
        s = AeadSelector.select(List.of(Candidate.of(good("slow"))), "measure", null, new FakeTimer(1000, 2000));
        assertThat(s.backend()).isSameAs(AeadBackend.JDK);
    }

    @Test
    void automaticallyANativeThatPassedIsChosenWithoutMeasuring() {
        FakeTimer timer = new FakeTimer(100, 1000);
        Selection s = AeadSelector.select(List.of(Candidate.of(good("openssl"))), null, null, timer);
        assertThat(s.backend().name()).isEqualTo("openssl");
        assertThat(s.reason()).isEqualTo("a native backend that passed its check");
        assertThat(timer.calls).hasValue(0);
        assertThat(s.errors()).isEmpty();
    }

    @Test
    void aBackendFailingItsCheckIsNeverUsedEvenWhenFastest() {
        FakeTimer timer = new FakeTimer(1000, 1);
        Selection s = AeadSelector.select(List.of(Candidate.of(faulty("broken"))), null, null, timer);
        assertThat(s.backend()).isSameAs(AeadBackend.JDK);
        assertThat(timer.calls).hasValue(0);
        assertThat(s.errors()).isEmpty();
        AeadSelector.Report r = s.reports().get(1);
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.detail()).startsWith("crypto self-check failed: transport AEAD (broken), WireGuard transport vectors");
    }

    @Test
    void aFailedForcedBackendFallsBackToTheJdkLoudly() {
        Selection s = AeadSelector.select(List.of(Candidate.of(faulty("openssl"))), null, "openssl", new FakeTimer(1, 1));
        assertThat(s.backend()).isSameAs(AeadBackend.JDK);
        assertThat(s.errors()).singleElement().asString()
                .startsWith("JWG_AEAD=openssl asks for openssl, which is failed: crypto self-check failed")
                .endsWith("; using jdk");
    }

    @Test
    void anUnavailableLibraryIsReportedQuietlyUnlessForced() {
        Candidate missing = Candidate.unavailable("openssl", new IllegalArgumentException("Cannot open library: libcrypto.so.3"));
        Selection auto = AeadSelector.select(List.of(missing), null, null, new FakeTimer(1, 1));
        assertThat(auto.backend()).isSameAs(AeadBackend.JDK);
        assertThat(auto.errors()).isEmpty();
        assertThat(auto.summary()).contains("openssl: unavailable (Cannot open library: libcrypto.so.3)");
        Selection forced = AeadSelector.select(List.of(missing), "OpenSSL", null, new FakeTimer(1, 1));
        assertThat(forced.backend()).isSameAs(AeadBackend.JDK);
        assertThat(forced.errors()).containsExactly(
                "jwg.aead=OpenSSL asks for openssl, which is unavailable: Cannot open library: libcrypto.so.3; using jdk");
    }

    @Test
    void overridesForceWithoutMeasuringAndThePropertyWins() {
        FakeTimer timer = new FakeTimer(1000, 100);
        Selection s = AeadSelector.select(List.of(Candidate.of(good("openssl"))), "jdk", "openssl", timer);
        assertThat(s.backend()).isSameAs(AeadBackend.JDK);
        assertThat(s.reason()).isEqualTo("forced by jwg.aead=jdk");
        s = AeadSelector.select(List.of(Candidate.of(good("openssl"))), null, " openssl ", timer);
        assertThat(s.backend().name()).isEqualTo("openssl");
        assertThat(s.reason()).isEqualTo("forced by JWG_AEAD= openssl ");
        assertThat(timer.calls).hasValue(0);
        s = AeadSelector.select(List.of(Candidate.of(good("openssl"))), null, "auto", timer);
        assertThat(s.backend().name()).isEqualTo("openssl");
        assertThat(timer.calls).hasValue(0);
        s = AeadSelector.select(List.of(Candidate.of(good("openssl"))), null, "measure", timer);
        assertThat(s.backend().name()).isEqualTo("openssl");
        assertThat(timer.calls).hasValue(1);
    }

    @Test
    void anUnknownOverrideIsAnErrorAndSelectionIsAutomatic() {
        Selection s = AeadSelector.select(List.of(Candidate.of(good("openssl"))), null, "boringssl", new FakeTimer(1000, 500));
        assertThat(s.backend().name()).isEqualTo("openssl");
        assertThat(s.errors()).containsExactly("JWG_AEAD=boringssl is not one of auto, measure, jdk, openssl; choosing automatically");
    }

    @Test
    void aFailingMeasurementFallsBackToTheJdk() {
        Selection s = AeadSelector.select(List.of(Candidate.of(good("openssl"))), null, "measure", backends -> {
            throw new IllegalStateException("boom");
        });
        assertThat(s.backend()).isSameAs(AeadBackend.JDK);
        assertThat(s.errors()).containsExactly("measuring the transport AEADs failed: boom; using jdk");
    }

    /** The JDK's own backend is always the first candidate; a native calling itself "jdk" is ignored. */
    @Test
    void aNativeCallingItselfJdkIsIgnored() {
        Selection s = AeadSelector.select(List.of(Candidate.of(faulty("jdk"))), null, null, new FakeTimer(1, 1));
        assertThat(s.backend()).isSameAs(AeadBackend.JDK);
        assertThat(s.reports()).hasSize(1);
    }

    @Test
    void theRealMeasurementGivesPlausibleTimes() {
        double[] t = AeadSelector.measure(List.of(AeadBackend.JDK, good("copy")), 10_000_000L, 50_000_000L);
        assertThat(t).hasSize(4);
        for (double v : t) {
            assertThat(v).isPositive().isFinite();
        }
    }
}
