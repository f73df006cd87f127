package dev.jwg.device.tuning;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.AeadBackendCheck;
import dev.jwg.core.crypto.TransportAead;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Chooses the transport AEAD a device runs with, once at start-up: the JDK's (always a candidate, the
 * portable fallback) or a native one the caller offers (OpenSSL's libcrypto from jwg-linux).
 *
 * <ol>
 * <li>Every available candidate runs {@link AeadBackendCheck} (docs/protocol.md §7.7 vectors, a
 *     cross-check with the JDK over sizes 0–65535 and counters up to 2<sup>64</sup>−2, forgeries,
 *     destroy). A candidate that fails, or is unavailable (library missing), is never used; why is
 *     reported.
 * <li>The override, if any, decides: the system property {@code jwg.aead} or else the environment
 *     variable {@code JWG_AEAD}, {@code jdk}, {@code openssl}, {@code measure} or {@code auto} (the
 *     default). A forced backend that is unavailable or failed its check is replaced by the JDK's,
 *     and that is reported as an error.
 * <li>{@code auto}: a native backend that passed its check is chosen, else the JDK's: in steady
 *     state OpenSSL is the faster and allocates nothing ({@code dev.jwg.bench.AeadBench}). No
 *     measurement is made at start-up, where the JDK's cipher is not compiled yet and would always
 *     lose, at the price of start-up time and compiling a cipher the daemon then never uses (figures
 *     in docs/performance.md ("Measurements behind design choices")).
 * <li>{@code measure}: the candidates that passed are measured, interleaved, on 1420-byte packets
 *     sealed and opened in place, the best of many short rounds, until the JIT has compiled them and
 *     the figures settle (0.1 to 1 s, see {@link #measure}); the fastest by seal + open is chosen, but
 *     the JDK's keeps the job unless another is at least {@link #MARGIN} faster, since a native
 *     library on the data path should pay for itself. For machines where the JDK might win.
 * </ol>
 *
 * <p>Stateless; {@link #select} may be called from any thread.
 */
public final class AeadSelector {
    /** System property of the override; wins over {@link #ENVIRONMENT}. */
    public static final String PROPERTY = "jwg.aead";
    /** Environment variable of the override. */
    public static final String ENVIRONMENT = "JWG_AEAD";
    /** How much faster (seal + open) a backend must be than the JDK's to be chosen instead of it. */
    public static final double MARGIN = 0.05;
    /** The packet size measured: a full packet at the default MTU. */
    public static final int PACKET = 1420;
    private static final long MIN_NANOS = 100_000_000L;
    private static final long MAX_NANOS = 1_000_000_000L;
    private static final long EPOCH_NANOS = 50_000_000L;
    private static final double SETTLED = 0.03;
    private static final int PACKETS_PER_ROUND = 32;

    private AeadSelector() {}

    /**
     * A backend offered for selection, or one that could not even be offered.
     *
     * @param name the name the override uses ({@code "openssl"})
     * @param backend the backend, or null when unavailable
     * @param unavailable why it is unavailable, or null
     */
    public record Candidate(String name, AeadBackend backend, Throwable unavailable) {
        public Candidate {
            Objects.requireNonNull(name, "name");
            if ((backend == null) == (unavailable == null)) {
                throw new IllegalArgumentException("a candidate has either a backend or a reason it is unavailable");
            }
        }

        public static Candidate of(AeadBackend backend) {
            return new Candidate(backend.name(), backend, null);
        }

        public static Candidate unavailable(String name, Throwable cause) {
            return new Candidate(name, null, cause);
        }
    }

    /** What happened to one candidate. */
    public enum Status { CHOSEN, PASSED, FAILED, UNAVAILABLE }

    /**
     * One candidate's outcome.
     *
     * @param sealNanos best measured seal of a {@link #PACKET}-byte packet, NaN when not measured
     * @param openNanos best measured open, NaN when not measured
     * @param detail why it failed or is unavailable, or empty
     */
    public record Report(String name, Status status, double sealNanos, double openNanos, String detail) {
        boolean measured() { return !Double.isNaN(sealNanos); }

        /** {@code "openssl: chosen, seal 650 ns, open 670 ns per 1420-byte packet"}. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(name).append(": ").append(status.name().toLowerCase(Locale.ROOT));
            if (measured()) {
                b.append(String.format(Locale.ROOT, ", seal %.0f ns, open %.0f ns per %d-byte packet", sealNanos, openNanos, PACKET));
            }
            if (!detail.isEmpty()) {
                b.append(" (").append(detail).append(')');
            }
            return b.toString();
        }
    }

    /**
     * The outcome: the backend to run with, how it was decided, and each candidate's report.
     *
     * @param reason one line, e.g. {@code "fastest of jdk, openssl"} or {@code "forced by JWG_AEAD=jdk"}
     * @param errors problems worth an error-level log line (a forced backend that cannot be used, a bad
     *     override value); empty normally
     */
    public record Selection(AeadBackend backend, String reason, List<Report> reports, List<String> errors) {
        public Selection {
            reports = List.copyOf(reports);
            errors = List.copyOf(errors);
        }

        /** One line for logs: {@code "transport AEAD: openssl (fastest...); jdk: passed, seal ..."}. */
        public String summary() {
            StringBuilder b = new StringBuilder("transport AEAD: ").append(backend.name()).append(" (").append(reason).append(')');
            for (Report r : reports) {
                b.append("; ").append(r);
            }
            return b.toString();
        }
    }

    /** Times a backend: best seal and open of one packet, in ns. For tests; {@link #measure} in production. */
    @FunctionalInterface
    interface Timer {
        double[] time(List<AeadBackend> backends);
    }

    /** {@link #select(List, String, String)} with the override from the system property and the environment. */
    public static Selection select(List<Candidate> natives) {
        return select(natives, System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
    }

    /**
     * Selects among the JDK's backend and {@code natives} (see the class comment).
     *
     * @param property the value of {@code jwg.aead}, or null
     * @param environment the value of {@code JWG_AEAD}, or null
     * @throws IllegalStateException if even the JDK's backend fails its check
     */
    public static Selection select(List<Candidate> natives, String property, String environment) {
        return select(natives, property, environment, backends -> measure(backends, MIN_NANOS, MAX_NANOS));
    }

    static Selection select(List<Candidate> natives, String property, String environment, Timer timer) {
        List<String> errors = new ArrayList<>();
        String source = property != null ? PROPERTY : ENVIRONMENT;
        String raw = property != null ? property : environment;
        String trimmed = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        boolean measure = trimmed.equals("measure");
        String wanted = trimmed.isEmpty() || measure ? "auto" : trimmed;

        List<Candidate> all = new ArrayList<>();
        all.add(Candidate.of(AeadBackend.JDK));
        for (Candidate c : natives) {
            if (!c.name().equals(AeadBackend.JDK.name())) {
                all.add(c);
            }
        }
        if (!wanted.equals("auto") && all.stream().noneMatch(c -> c.name().equals(wanted))) {
            errors.add(source + "=" + raw + " is not one of auto, measure, " + String.join(", ", all.stream().map(Candidate::name).toList())
                    + "; choosing automatically");
        }

        // 1. Known-answer checks.
        List<Report> reports = new ArrayList<>();
        List<AeadBackend> passed = new ArrayList<>();
        for (Candidate c : all) {
            if (c.backend() == null) {
                reports.add(new Report(c.name(), Status.UNAVAILABLE, Double.NaN, Double.NaN, describe(c.unavailable())));
                continue;
            }
            try {
                AeadBackendCheck.run(c.backend());
                passed.add(c.backend());
                reports.add(new Report(c.name(), Status.PASSED, Double.NaN, Double.NaN, ""));
            } catch (IllegalStateException e) {
                reports.add(new Report(c.name(), Status.FAILED, Double.NaN, Double.NaN, e.getMessage()));
            }
        }
        AeadBackend jdk = passed.stream().filter(b -> b == AeadBackend.JDK).findFirst()
                .orElseThrow(() -> new IllegalStateException("the JDK's ChaCha20-Poly1305 failed its check: " + reports.get(0).detail()));

        // 2. The override.
        String forced = wanted;
        Candidate forcedCandidate = all.stream().filter(c -> c.name().equals(forced)).findFirst().orElse(null);
        if (forcedCandidate != null) {
            AeadBackend b = passed.stream().filter(p -> p.name().equals(forced)).findFirst().orElse(null);
            if (b != null) {
                return chosen(b, "forced by " + source + "=" + raw, reports, errors);
            }
            Report why = reports.stream().filter(r -> r.name().equals(forced)).findFirst().orElseThrow();
            errors.add(source + "=" + raw + " asks for " + forced + ", which is " + why.status().name().toLowerCase(Locale.ROOT)
                    + (why.detail().isEmpty() ? "" : ": " + why.detail()) + "; using jdk");
            return chosen(jdk, "fallback: " + forced + " cannot be used", reports, errors);
        }

        if (passed.size() == 1) {
            return chosen(jdk, "the only backend that passed its check", reports, errors);
        }
        // 3. Automatic: a native backend that passed.
        if (!measure) {
            AeadBackend nativeBackend = passed.stream().filter(b -> b != jdk).findFirst().orElseThrow();
            return chosen(nativeBackend, "a native backend that passed its check", reports, errors);
        }

        // 4. Measure.
        double[] t;
        try {
            t = timer.time(passed);
        } catch (RuntimeException e) {
            errors.add("measuring the transport AEADs failed: " + describe(e) + "; using jdk");
            return chosen(jdk, "fallback: the measurement failed", reports, errors);
        }
        int best = 0;
        for (int i = 0; i < passed.size(); i++) {
            double total = t[2 * i] + t[2 * i + 1];
            int r = indexOf(reports, passed.get(i).name());
            reports.set(r, new Report(passed.get(i).name(), Status.PASSED, t[2 * i], t[2 * i + 1], ""));
            if (total < t[2 * best] + t[2 * best + 1]) {
                best = i;
            }
        }
        AeadBackend winner = passed.get(best);
        int j = passed.indexOf(jdk);
        double jdkTotal = t[2 * j] + t[2 * j + 1];
        double bestTotal = t[2 * best] + t[2 * best + 1];
        String names = String.join(", ", passed.stream().map(AeadBackend::name).toList());
        if (winner != jdk && bestTotal > jdkTotal * (1 - MARGIN)) {
            return chosen(jdk, "measured: " + winner.name() + " is not " + Math.round(MARGIN * 100) + "% faster than jdk",
                    reports, errors);
        }
        return chosen(winner, "measured: the fastest of " + names, reports, errors);
    }

    private static Selection chosen(AeadBackend b, String reason, List<Report> reports, List<String> errors) {
        int i = indexOf(reports, b.name());
        Report r = reports.get(i);
        reports.set(i, new Report(r.name(), Status.CHOSEN, r.sealNanos(), r.openNanos(), r.detail()));
        return new Selection(b, reason, reports, errors);
    }

    private static int indexOf(List<Report> reports, String name) {
        for (int i = 0; i < reports.size(); i++) {
            if (reports.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no report for " + name);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /**
     * Measures each backend on {@link #PACKET}-byte packets sealed and then opened in place in a direct
     * byte buffer (as the data path's packet memory is used), in rounds
     * that alternate between the backends (so that a busy machine slows them alike), and returns for
     * backend {@code i} the best seal time at {@code [2i]} and the best open time at {@code [2i+1]}, in ns
     * per packet.
     *
     * <p>The JDK's backend is interpreted at first and reaches its speed only once C2 has compiled it
     * with its ChaCha20 and Poly1305 intrinsics (several thousand packets), so the rounds go on, in
     * epochs of {@link #EPOCH_NANOS}, until no backend's best improved by more than
     * {@link #SETTLED} for two epochs running, at least {@code minNanos} and at most {@code maxNanos}.
     * Typically 0.2–0.4 s on an idle machine.
     */
    static double[] measure(List<AeadBackend> backends, long minNanos, long maxNanos) {
        int n = backends.size();
        SplittableRandom rng = new SplittableRandom(0x5eed);
        byte[] key = new byte[32];
        rng.nextBytes(key);
        TransportAead[] sealers = new TransportAead[n];
        TransportAead[] openers = new TransportAead[n];
        int stride = 16 + PACKET + 16 + 16;
        java.nio.ByteBuffer packets = java.nio.ByteBuffer.allocateDirect(PACKETS_PER_ROUND * stride);
        byte[] noise = new byte[packets.capacity()];
        rng.nextBytes(noise);
        packets.put(0, noise);
        double[] best = new double[2 * n];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        try {
            for (int i = 0; i < n; i++) {
                sealers[i] = backends.get(i).newTransportAead(key);
                openers[i] = backends.get(i).newTransportAead(key);
            }
            long counter = 0;
            long start = System.nanoTime();
            int settledEpochs = 0;
            double[] epochStart = best.clone();
            long epochEnd = start + EPOCH_NANOS;
            for (;;) {
                for (int i = 0; i < n; i++) {
                    long base = counter;
                    long t0 = System.nanoTime();
                    for (int p = 0; p < PACKETS_PER_ROUND; p++) {
                        sealers[i].seal(counter++, packets, p * stride + 16, PACKET);
                    }
                    long t1 = System.nanoTime();
                    long c = base;
                    for (int p = 0; p < PACKETS_PER_ROUND; p++) {
                        if (openers[i].open(c++, packets, p * stride + 16, PACKET + 16) != PACKET) {
                            throw new IllegalStateException(backends.get(i).name() + " failed to open its own packet");
                        }
                    }
                    long t2 = System.nanoTime();
                    best[2 * i] = Math.min(best[2 * i], (t1 - t0) / (double) PACKETS_PER_ROUND);
                    best[2 * i + 1] = Math.min(best[2 * i + 1], (t2 - t1) / (double) PACKETS_PER_ROUND);
                }
                long now = System.nanoTime();
                if (now - start >= maxNanos) {
                    break;
                }
                if (now >= epochEnd) {
                    boolean improved = false;
                    for (int k = 0; k < best.length; k++) {
                        improved |= best[k] < epochStart[k] * (1 - SETTLED);
                    }
                    settledEpochs = improved ? 0 : settledEpochs + 1;
                    if (settledEpochs >= 2 && now - start >= minNanos) {
                        break;
                    }
                    epochStart = best.clone();
                    epochEnd = now + EPOCH_NANOS;
                }
            }
        } finally {
            for (int i = 0; i < n; i++) {
                if (sealers[i] != null) {
                    sealers[i].destroy();
                }
                if (openers[i] != null) {
                    openers[i].destroy();
                }
            }
        }
        return best;
    }
}
