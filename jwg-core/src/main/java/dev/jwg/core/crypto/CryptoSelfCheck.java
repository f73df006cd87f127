package dev.jwg.core.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Start-up known-answer tests: every primitive and provider jwg uses must reproduce published vectors
 * before any key is handled (docs/architecture.md §2, rule 7). A missing or misbehaving JCA provider, a
 * broken BouncyCastle or a miscompiled hand-written primitive shows up here, named, instead of as
 * handshakes that silently never complete.
 *
 * <p>Stateless and thread-safe. Costs a few milliseconds once classes are loaded (the first call in a
 * JVM also pays for loading BouncyCastle and the JCA provider); run it once at start-up.
 */
public final class CryptoSelfCheck {
    private CryptoSelfCheck() {}

    private static final HexFormat HEX = HexFormat.of();

    /**
     * Runs a known-answer test of BLAKE2s (hash and MAC), HMAC-BLAKE2s and KDF3, X25519 (including a
     * low-order point), the JDK's ChaCha20-Poly1305 (RFC 8439 vector, tamper rejection, and
     * {@link TransportCipher} on a WireGuard transport packet), HChaCha20 and XChaCha20-Poly1305.
     *
     * @throws IllegalStateException naming the primitive that failed and why, with the underlying
     *     exception (e.g. a missing provider) as cause
     */
    public static void run() {
        check("BLAKE2s", CryptoSelfCheck::blake2s);
        check("HMAC-BLAKE2s/KDF", CryptoSelfCheck::kdf);
        check("X25519", CryptoSelfCheck::x25519);
        check("ChaCha20-Poly1305 (JDK provider)", CryptoSelfCheck::chaChaPoly);
        check("ChaCha20-Poly1305 TransportCipher (JDK provider)", CryptoSelfCheck::transport);
        check("HChaCha20/XChaCha20-Poly1305", CryptoSelfCheck::xChaCha);
    }

    /** One primitive's known-answer test. */
    interface Check {
        void run();
    }

    /** Runs {@code c}, turning any failure into IllegalStateException naming {@code primitive}. */
    static void check(String primitive, Check c) {
        try {
            c.run();
        } catch (KnownAnswerMismatch e) {
            throw new IllegalStateException("crypto self-check failed: " + primitive + ": " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("crypto self-check failed: " + primitive + ": " + e, e);
        }
    }

    /** A primitive ran but produced the wrong bytes. */
    private static final class KnownAnswerMismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KnownAnswerMismatch(String what) {
            super(what + " does not match the known answer", null, false, false);
        }
    }

    /** Fails the current check unless {@code actual} is the bytes of {@code expectedHex}. */
    static void expect(String what, String expectedHex, byte[] actual) {
        if (actual == null || !Arrays.equals(HEX.parseHex(expectedHex), actual)) {
            throw new KnownAnswerMismatch(what);
        }
    }

    static void expectTrue(String what, boolean ok) {
        if (!ok) {
            throw new KnownAnswerMismatch(what);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] seq(int start, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    // docs/protocol.md §7.1 and §1.3
    private static void blake2s() {
        expect("HASH(\"abc\") (RFC 7693 appendix B)",
                "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982", Blake2s.hash(ascii("abc")));
        expect("MAC(000102…1f, \"abc\")", "61ba5f165c194692e09d12520cc4c74a", Blake2s.mac(seq(0, 32), ascii("abc")));
        expect("HASH(64 zero bytes)", "ae09db7cd54f42b490ef09b6bc541af688e4959bb8c53f359a6f56e38ab454a3",
                Blake2s.hash(new byte[64]));
        expect("initial chaining key Ci", "60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36",
                Blake2s.hash(ascii("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s")));
    }

    // docs/protocol.md §7.2 (wireguard-go kdf_test.go, first row)
    private static void kdf() {
        expect("HMAC(\"test-key\", \"test-input\")",
                "ed378e02e152b574e0d9e01fb029a7066c3cc687917c28bf9dfe5b042769fa46",
                Kdf.hmac(ascii("test-key"), ascii("test-input")));
        byte[][] t = Kdf.kdf3(ascii("test-key"), ascii("test-input"));
        expect("KDF3 T1", "6f0e5ad38daba1bea8a0d213688736f19763239305e0f58aba697f9ffc41c633", t[0]);
        expect("KDF3 T2", "df1194df20802a4fe594cde27e92991c8cae66c366e8106aaa937a55fa371e8a", t[1]);
        expect("KDF3 T3", "fac6e2745a325f5dc5d11a5b165aad08b0ada28e7b4e666b7c077934a4d76c24", t[2]);
    }

    // docs/protocol.md §7.3 (RFC 7748 §6.1 and a low-order point)
    private static void x25519() {
        byte[] alice = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPub = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        expect("public key of RFC 7748 Alice",
                "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", X25519.publicKey(alice));
        byte[] shared = new byte[32];
        expectTrue("DH(Alice, Bob) success", X25519.sharedSecret(alice, bobPub, shared));
        expect("DH(Alice, Bob)", "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", shared);
        byte[] lowOrder = HEX.parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
        expectTrue("low-order point rejected", !X25519.sharedSecret(alice, lowOrder, shared));
        expectTrue("low-order result zeroed", KeyCodec.isZero(shared));
    }

    private static final String RFC8439_KEY = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
    private static final String RFC8439_AAD = "50515253c0c1c2c3c4c5c6c7";
    private static final String SUNSCREEN =
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
                    + " sunscreen would be it.";

    // docs/protocol.md §7.4 (RFC 8439 §2.8.2)
    private static void chaChaPoly() {
        byte[] key = HEX.parseHex(RFC8439_KEY);
        byte[] nonce = HEX.parseHex("070000004041424344454647");
        byte[] aad = HEX.parseHex(RFC8439_AAD);
        byte[] sealed = ChaChaPoly.seal(key, nonce, ascii(SUNSCREEN), aad);
        expect("RFC 8439 §2.8.2 ciphertext and tag",
                "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
                        + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b"
                        + "4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
                        + "1ae10b594f09e26a7e902ecbd0600691",
                sealed);
        expect("RFC 8439 §2.8.2 open", HEX.formatHex(ascii(SUNSCREEN)), ChaChaPoly.open(key, nonce, sealed, aad));
        sealed[sealed.length - 1] ^= 1;
        expectTrue("tampered tag rejected", ChaChaPoly.open(key, nonce, sealed, aad) == null);
    }

    // docs/protocol.md §7.7 variant A: the initiator's key-confirmation keepalive and first data packet.
    private static void transport() {
        byte[] key = HEX.parseHex("5fe2f81f7ce2ce8bc9e3aad973312d721c7c36d77fd0c26342a45319c8069f89");
        TransportCipher send = new TransportCipher(key);
        TransportCipher recv = new TransportCipher(key);
        try {
            byte[] buf = new byte[16];
            expectTrue("keepalive length", send.seal(0, buf, 0, 0, buf, 0) == 16);
            expect("keepalive, counter 0", "e7efaeb1326c6f4c85ae4b89410363f6", buf);
            expectTrue("keepalive opens", recv.open(0, buf, 0, 16, buf, 0) == 0);
            byte[] inner = HEX.parseHex("4500005400004000400100000a0000010a0000020800000000010203"
                    + "0405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
                    + "303132333435363738393a3b");
            byte[] packet = Arrays.copyOf(inner, 96 + 16); // padded to 96, room for the tag
            expectTrue("data length", send.seal(1, packet, 0, 96, packet, 0) == 112);
            expect("data, counter 1, in place",
                    "95e48cbc5387f903adc0beabaf0fd45ccab8bbe72b00029e1015d76daf9a7e19245493daebae330383b7fd3fd19c8b11"
                            + "d02b8df1de747c09da609435f603aeb16e661a5089a8433c3f625f07d18d080c1937ff1135b0bf64bcf9f096dedd"
                            + "fe4903d44bc551af1c03c042ec7836092258",
                    packet);
            expectTrue("wrong counter rejected", recv.open(2, packet, 0, 112, packet, 0) == -1);
            expectTrue("data opens in place", recv.open(1, packet, 0, 112, packet, 0) == 96);
            expect("data plaintext", HEX.formatHex(Arrays.copyOf(inner, 96)), Arrays.copyOf(packet, 96));
        } finally {
            send.destroy();
            recv.destroy();
        }
    }

    // docs/protocol.md §7.5 (draft-irtf-cfrg-xchacha-03 §2.2.1 and §A.3.1)
    private static void xChaCha() {
        expect("HChaCha20 §2.2.1", "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc",
                XChaCha20Poly1305.hChaCha20(seq(0, 32), HEX.parseHex("000000090000004a0000000031415927")));
        byte[] key = HEX.parseHex(RFC8439_KEY);
        byte[] nonce = HEX.parseHex("404142434445464748494a4b4c4d4e4f5051525354555657");
        byte[] aad = HEX.parseHex(RFC8439_AAD);
        byte[] sealed = XChaCha20Poly1305.seal(key, nonce, ascii(SUNSCREEN), aad);
        expect("XChaCha20-Poly1305 §A.3.1",
                "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39"
                        + "ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565"
                        + "d3fff921f9664c97637da9768812f615c68b13b52e"
                        + "c0875924c1c7987947deafd8780acf49",
                sealed);
        expect("XChaCha20-Poly1305 open", HEX.formatHex(ascii(SUNSCREEN)),
                XChaCha20Poly1305.open(key, nonce, sealed, aad));
    }
}
