package dev.jwg.bench;

import dev.jwg.core.crypto.X25519;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * X25519 shared secret: BouncyCastle ({@link X25519#sharedSecret}, what jwg uses) against the JDK's
 * {@code KeyAgreement "XDH"}. The handshake has raw 32-byte keys, so {@code jdkFromBytes} (key objects
 * built per DH) is the fair comparison; {@code jdkPreparedKeys} is the JDK's lower bound with key
 * objects built once. {@code bcPublicKey} is DH_PUBKEY (fixed-base), for reference.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main X25519Bench -f 1 -wi 3 -i 3 -w 2 -r 2}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class X25519Bench {
    private byte[] priv;
    private byte[] pub;
    private final byte[] out = new byte[32];
    private KeyFactory keyFactory;
    private KeyAgreement agreement;
    private PrivateKey jdkPriv;
    private PublicKey jdkPub;

    @Setup
    public void setup() throws Exception {
        SplittableRandom rng = new SplittableRandom(2);
        priv = X25519.generatePrivateKey(rng);
        pub = X25519.publicKey(X25519.generatePrivateKey(rng));
        keyFactory = KeyFactory.getInstance("XDH");
        agreement = KeyAgreement.getInstance("XDH");
        jdkPriv = jdkPrivate(priv);
        jdkPub = jdkPublic(pub);
        byte[] check = jdkAgree(jdkPriv, jdkPub);
        X25519.sharedSecret(priv, pub, out);
        if (!java.util.Arrays.equals(check, out)) {
            throw new IllegalStateException("BouncyCastle and JDK XDH disagree");
        }
    }

    @Benchmark
    public byte[] bouncyCastle() {
        X25519.sharedSecret(priv, pub, out);
        return out;
    }

    @Benchmark
    public byte[] jdkFromBytes() throws Exception {
        return jdkAgree(jdkPrivate(priv), jdkPublic(pub));
    }

    @Benchmark
    public byte[] jdkPreparedKeys() throws Exception {
        return jdkAgree(jdkPriv, jdkPub);
    }

    @Benchmark
    public byte[] bcPublicKey() {
        return X25519.publicKey(priv);
    }

    private byte[] jdkAgree(PrivateKey p, PublicKey q) throws Exception {
        agreement.init(p);
        agreement.doPhase(q, true);
        return agreement.generateSecret();
    }

    private PrivateKey jdkPrivate(byte[] k) throws Exception {
        return keyFactory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, k));
    }

    /** The JDK wants u as a BigInteger: little-endian bytes, bit 255 cleared (RFC 7748 §5). */
    private PublicKey jdkPublic(byte[] u) throws Exception {
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = u[31 - i];
        }
        be[0] &= 0x7f;
        return keyFactory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
    }
}
