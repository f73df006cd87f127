package dev.jwg.bench;

import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.X25519;
import dev.jwg.core.noise.Handshake;
import dev.jwg.core.noise.LocalIdentity;
import dev.jwg.core.tai64n.Tai64n;
import dev.jwg.core.wire.HandshakeInitiation;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Responder-side handshake cost: consuming an initiation (DH with the ephemeral, static key
 * decryption, the precomputed static-static step, timestamp decryption and checks) and then
 * building the response and deriving the session (two more DHs and the KDF chain).
 *
 * <p>Each consumed initiation must carry a newer timestamp than the last, so every measured
 * iteration runs a batch of {@link #BATCH} fresh initiations prepared outside the timing (JMH's
 * single-shot mode with a batch size; report is time per batch — divide by {@link #BATCH}).
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main HandshakeBench -f 1}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, batchSize = HandshakeBench.BATCH)
@Measurement(iterations = 10, batchSize = HandshakeBench.BATCH)
public class HandshakeBench {
    static final int BATCH = 500;

    private LocalIdentity responderId;
    private byte[] initiatorPub;
    private Handshake responder;
    private HandshakeInitiation[] initiations;
    private int next;
    private long now;
    private final SplittableRandom rng = new SplittableRandom(7);
    private final byte[] responderEphemeral = X25519.generatePrivateKey(rng::nextLong);

    @Setup(Level.Trial)
    public void keys() {
        responderId = new LocalIdentity(PrivateKey.fromBytes(bytes(32)));
        LocalIdentity initiatorId = new LocalIdentity(PrivateKey.fromBytes(bytes(32)));
        initiatorPub = initiatorId.publicKey().bytes();
        Handshake initiator = new Handshake(responderId.publicKey().bytes());
        initiator.setLocalIdentity(initiatorId);
        initiations = new HandshakeInitiation[BATCH];
        long t = 1_700_000_000L * 1_000_000_000L;
        for (int i = 0; i < BATCH; i++) {
            byte[] e = X25519.generatePrivateKey(rng::nextLong);
            initiations[i] = initiator.createInitiation(e, Tai64n.fromEpochNanos(t + i * 100_000_000L), i);
        }
    }

    @Setup(Level.Iteration)
    public void freshResponder() {
        responder = new Handshake(initiatorPub);
        responder.setLocalIdentity(responderId);
        next = 0;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    /** Initiation consumed, nothing answered (the cost an initiation flood imposes before cookies). */
    @Benchmark
    public Object consumeInitiation() {
        HandshakeInitiation m = initiations[next++];
        now += 1_000_000_000L;
        Handshake.InitiationPrelude prelude = Handshake.beginConsumeInitiation(responderId, m);
        return responder.consumeInitiation(prelude, m, now);
    }

    /** The whole responder side: consume, build the response, derive the session keys. */
    @Benchmark
    public Object consumeAndRespond() {
        HandshakeInitiation m = initiations[next++];
        now += 1_000_000_000L;
        Handshake.InitiationPrelude prelude = Handshake.beginConsumeInitiation(responderId, m);
        if (responder.consumeInitiation(prelude, m, now) != Handshake.InitiationVerdict.ACCEPTED) {
            throw new IllegalStateException("initiation refused");
        }
        responder.createResponse(responderEphemeral, next);
        return responder.deriveSessionKeys();
    }
}
