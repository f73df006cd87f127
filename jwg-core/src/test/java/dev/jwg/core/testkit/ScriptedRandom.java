package dev.jwg.core.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A seeded generator whose {@link #nextBytes} can be scripted: queued arrays are returned first
 * (for known-answer tests that fix ephemeral keys or nonces), then seeded random bytes.
 */
public final class ScriptedRandom implements RandomGenerator {
    private final SplittableRandom random;
    private final Deque<byte[]> script = new ArrayDeque<>();

    public ScriptedRandom(long seed) {
        random = new SplittableRandom(seed);
    }

    public ScriptedRandom enqueue(byte[] bytes) {
        script.add(bytes.clone());
        return this;
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        byte[] next = script.poll();
        if (next != null) {
            if (next.length != bytes.length) {
                throw new IllegalStateException("scripted " + next.length + " bytes, asked for " + bytes.length);
            }
            System.arraycopy(next, 0, bytes, 0, bytes.length);
        } else {
            random.nextBytes(bytes);
        }
    }

    @Override
    public synchronized long nextLong() { return random.nextLong(); }
}
