package dev.jwg.core.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The start-up check an {@link AeadBackend} must pass before it carries a single packet
 * (docs/architecture.md §2, rule 7): every property of the {@link TransportAead} contract, through the backend's own
 * objects, in place and at offsets, as the data path uses them.
 * <ol>
 * <li>the WireGuard transport packets of docs/protocol.md §7.7 (variants A and B: both keepalives and
 *     the 96-byte data packet), byte for byte;
 * <li>a cross-check against the JDK's one-shot ChaCha20-Poly1305 ({@link ChaChaPoly}, itself checked
 *     against RFC 8439 by {@link CryptoSelfCheck}): seal and open of random plaintexts of the sizes the
 *     data path meets (0, 1, 15, 16, 17, 63, 64, 1420, 1500 and 65535 bytes, and random ones) under
 *     counters from 0 to 2<sup>64</sup>−2, in place at random offsets and between arrays, with the
 *     bytes around the output left alone;
 * <li>forgeries refused: a flipped ciphertext or tag bit, the wrong counter, a truncated message and
 *     every length below a tag; the output holds no plaintext afterwards and the AEAD still works;
 * <li>the same in place in byte buffers, heap and direct, at absolute indices, as the data path's
 *     packet memory is used: the §7.7 data packet, the cross-check sizes, the forgeries;
 * <li>{@link TransportAead#destroy()} makes further use of the array methods throw, the buffer methods
 *     return -1, and is idempotent.
 * </ol>
 *
 * <p>Stateless and thread-safe. Costs a few milliseconds once compiled (most of it the 64 KiB packets).
 */
public final class AeadBackendCheck {
    private AeadBackendCheck() {}

    private static final HexFormat HEX = HexFormat.of();
    private static final int[] SIZES = {0, 1, 15, 16, 17, 63, 64, 1420, 1500, 65535};
    private static final long[] COUNTERS = {0, 1, 0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, -2L};
    private static final int RANDOM_SIZES = 8;

    /**
     * Runs the whole check on {@code backend}.
     *
     * @throws IllegalStateException naming the backend and the step that failed (a wrong answer, or
     *     the exception the backend threw, kept as the cause)
     */
    public static void run(AeadBackend backend) {
        run(backend, 0x6a77_6761_6561_64L);
    }

    /** {@link #run(AeadBackend)} with the random sizes, offsets and plaintexts drawn from {@code seed}. */
    public static void run(AeadBackend backend, long seed) {
        String name = "transport AEAD (" + backend.name() + ")";
        CryptoSelfCheck.check(name + ", WireGuard transport vectors", () -> vectors(backend));
        CryptoSelfCheck.check(name + ", cross-check with the JDK", () -> crossCheck(backend, new SplittableRandom(seed)));
        CryptoSelfCheck.check(name + ", forgeries", () -> forgeries(backend));
        CryptoSelfCheck.check(name + ", in byte buffers", () -> buffers(backend, new SplittableRandom(seed + 1)));
        CryptoSelfCheck.check(name + ", destroy", () -> destroy(backend));
    }

    // docs/protocol.md §7.7: {T_initiator_send, T_initiator_recv, keepalive i->r, data i->r, keepalive r->i}
    private static final String[][] VECTORS = {
        {"5fe2f81f7ce2ce8bc9e3aad973312d721c7c36d77fd0c26342a45319c8069f89",
            "e429173227a0a4509b3489e27f4a61d6d8e1ebc91761bb9cf48c647ba9fbde5a",
            "04000000887766550000000000000000e7efaeb1326c6f4c85ae4b89410363f6",
            "0400000088776655010000000000000095e48cbc5387f903adc0beabaf0fd45ccab8bbe72b00029e1015d76daf9a7e19"
                    + "245493daebae330383b7fd3fd19c8b11d02b8df1de747c09da609435f603aeb16e661a5089a8433c3f625f07d18d080c"
                    + "1937ff1135b0bf64bcf9f096deddfe4903d44bc551af1c03c042ec7836092258",
            "04000000443322110000000000000000a12e990e248fd3c8d84cdc28d456b584"},
        {"dfd3ba82daa1bd9f5e32a599c6660ac9fee90aac15943b60a75ed19172825132",
            "4ba74ec3bc238b3cb478b6c53f15457711dfe5a808fbc4a2843b0cc2b1a26fdb",
            "04000000887766550000000000000000783498c10edc3f464e6efe661b698aa9",
            "040000008877665501000000000000000d85dde95730ada023674b7c3b7f10d17959ab2296ecf47224e195bc44077dae"
                    + "09e3b6ed37bd3122009731063959b782dddfab44ad0abe463439189ba901e7b1d989eed428207f743de182657e892af6"
                    + "bf9a79da34797d0f1eee77cd9b34d9404b68abfc55330b1c9c7c259d724bab10",
            "04000000443322110000000000000000b81d7954e5fb7248c2825154e33a111e"},
    };
    private static final String INNER = "4500005400004000400100000a0000010a0000020800000000010203"
            + "0405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
            + "303132333435363738393a3b";
    private static final int HEADER = 16;

    private static void vectors(AeadBackend backend) {
        for (String[] v : VECTORS) {
            String variant = v == VECTORS[0] ? "A" : "B";
            byte[] t1 = HEX.parseHex(v[0]);
            byte[] t2 = HEX.parseHex(v[1]);
            TransportAead iSend = backend.newTransportAead(t1);
            TransportAead rRecv = backend.newTransportAead(t1);
            TransportAead rSend = backend.newTransportAead(t2);
            try {
                byte[] keepalive = HEX.parseHex(v[2]);
                byte[] buf = Arrays.copyOf(keepalive, HEADER + 16);
                Arrays.fill(buf, HEADER, buf.length, (byte) 0);
                expectTrue("variant " + variant + " keepalive length", iSend.seal(0, buf, HEADER, 0, buf, HEADER) == 16);
                CryptoSelfCheck.expect("variant " + variant + " keepalive i->r, counter 0", v[2], buf);
                expectTrue("variant " + variant + " keepalive opens", rRecv.open(0, buf, HEADER, 16, buf, HEADER) == 0);

                byte[] data = HEX.parseHex(v[3]);
                byte[] packet = new byte[HEADER + 96 + 16];
                System.arraycopy(data, 0, packet, 0, HEADER);
                byte[] inner = HEX.parseHex(INNER);
                System.arraycopy(inner, 0, packet, HEADER, inner.length); // zero padding to 96 is there
                expectTrue("variant " + variant + " data length", iSend.seal(1, packet, HEADER, 96, packet, HEADER) == 112);
                CryptoSelfCheck.expect("variant " + variant + " data i->r, counter 1, in place", v[3], packet);
                byte[] copy = packet.clone();
                expectTrue("variant " + variant + " data refused under counter 2",
                        rRecv.open(2, copy, HEADER, 112, copy, HEADER) == -1);
                expectTrue("variant " + variant + " data opens", rRecv.open(1, packet, HEADER, 112, packet, HEADER) == 96);
                CryptoSelfCheck.expect("variant " + variant + " data plaintext", HEX.formatHex(Arrays.copyOf(inner, 96)),
                        Arrays.copyOfRange(packet, HEADER, HEADER + 96));

                byte[] back = new byte[16];
                expectTrue("variant " + variant + " keepalive r->i length", rSend.seal(0, new byte[0], 0, 0, back, 0) == 16);
                CryptoSelfCheck.expect("variant " + variant + " keepalive r->i, counter 0", v[4].substring(2 * HEADER), back);
            } finally {
                iSend.destroy();
                rRecv.destroy();
                rSend.destroy();
            }
        }
    }

    private static void crossCheck(AeadBackend backend, SplittableRandom rng) {
        byte[] key = new byte[32];
        rng.nextBytes(key);
        TransportAead sender = backend.newTransportAead(key);
        TransportAead receiver = backend.newTransportAead(key);
        try {
            int cases = SIZES.length + RANDOM_SIZES;
            for (int i = 0; i < cases; i++) {
                int size = i < SIZES.length ? SIZES[i] : rng.nextInt(2048);
                long counter = i < COUNTERS.length ? COUNTERS[i] : rng.nextLong();
                crossCheckOne(sender, receiver, key, size, counter, rng);
            }
        } finally {
            sender.destroy();
            receiver.destroy();
        }
    }

    private static final byte GUARD = (byte) 0xa5;

    private static void crossCheckOne(TransportAead sender, TransportAead receiver, byte[] key, int size, long counter,
                                      SplittableRandom rng) {
        String what = size + " bytes, counter " + Long.toUnsignedString(counter);
        byte[] plain = new byte[size];
        rng.nextBytes(plain);
        byte[] expected = ChaChaPoly.seal(key, counter, plain, null);

        // Sealed in place at an offset, with guard bytes on both sides.
        int off = rng.nextInt(48);
        byte[] buf = new byte[off + size + 16 + 8];
        Arrays.fill(buf, GUARD);
        System.arraycopy(plain, 0, buf, off, size);
        expectTrue("seal length, " + what, sender.seal(counter, buf, off, size, buf, off) == size + 16);
        expectTrue("sealed in place, " + what, Arrays.equals(buf, off, off + size + 16, expected, 0, expected.length));
        expectTrue("bytes around a seal untouched, " + what, guarded(buf, 0, off) && guarded(buf, off + size + 16, buf.length));

        // The JDK's message opened in place by the backend's other direction.
        expectTrue("open length, " + what, receiver.open(counter, buf, off, size + 16, buf, off) == size);
        expectTrue("opened in place, " + what, Arrays.equals(buf, off, off + size, plain, 0, size));
        expectTrue("bytes around an open untouched, " + what,
                guarded(buf, 0, off) && Arrays.equals(buf, off + size, off + size + 16, expected, size, size + 16)
                        && guarded(buf, off + size + 16, buf.length));

        // Between arrays, at other offsets, the sender opening (one instance, both operations).
        int outOff = rng.nextInt(48);
        byte[] out = new byte[outOff + size + 3];
        Arrays.fill(out, GUARD);
        expectTrue("open between arrays, " + what, sender.open(counter, expected, 0, expected.length, out, outOff) == size);
        expectTrue("opened between arrays, " + what, Arrays.equals(out, outOff, outOff + size, plain, 0, size));
        expectTrue("bytes around an open between arrays untouched, " + what,
                guarded(out, 0, outOff) && guarded(out, outOff + size, out.length));
        byte[] sealed = new byte[outOff + size + 16];
        expectTrue("seal between arrays, " + what, receiver.seal(counter, plain, 0, size, sealed, outOff) == size + 16);
        expectTrue("sealed between arrays, " + what, Arrays.equals(sealed, outOff, sealed.length, expected, 0, expected.length));
    }

    private static void forgeries(AeadBackend backend) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0x42);
        TransportAead sender = backend.newTransportAead(key);
        TransportAead receiver = backend.newTransportAead(key);
        try {
            byte[] plain = new byte[64];
            Arrays.fill(plain, (byte) 0x3c);
            byte[] sealed = new byte[64 + 16];
            sender.seal(7, plain, 0, 64, sealed, 0);
            int[] flips = {0, 31, 63, 64, 79};
            for (int at : flips) {
                byte[] forged = sealed.clone();
                forged[at] ^= 1;
                refused("flipped byte " + at + ", in place", receiver, 7, forged, forged.length, true);
                forged = sealed.clone();
                forged[at] ^= (byte) 0x80;
                refused("flipped byte " + at + ", between arrays", receiver, 7, forged, forged.length, false);
            }
            refused("wrong counter", receiver, 8, sealed.clone(), sealed.length, true);
            refused("counter off by 2^63", receiver, 7 ^ Long.MIN_VALUE, sealed.clone(), sealed.length, false);
            refused("truncated by one byte", receiver, 7, sealed.clone(), sealed.length - 1, true);
            for (int len = 0; len < 16; len++) {
                expectTrue("shorter than a tag (" + len + ") refused", receiver.open(7, new byte[16], 0, len, new byte[16], 0) == -1);
            }
            byte[] good = sealed.clone();
            expectTrue("still opens after the forgeries", receiver.open(7, good, 0, good.length, good, 0) == 64);
            expectTrue("plaintext after the forgeries", Arrays.equals(good, 0, 64, plain, 0, 64));
        } finally {
            sender.destroy();
            receiver.destroy();
        }
    }

    /** Expects {@code open} to refuse and to leave either the old bytes or zeros where the plaintext would go. */
    private static void refused(String what, TransportAead receiver, long counter, byte[] msg, int len, boolean inPlace) {
        byte[] out = inPlace ? msg : new byte[len];
        if (!inPlace) {
            Arrays.fill(out, GUARD);
        }
        byte[] before = out.clone();
        expectTrue(what + " refused", receiver.open(counter, msg, 0, len, out, 0) == -1);
        int plainLen = Math.max(0, len - 16);
        boolean unchanged = Arrays.equals(out, 0, plainLen, before, 0, plainLen);
        boolean zeroed = true;
        for (int i = 0; i < plainLen; i++) {
            zeroed &= out[i] == 0;
        }
        expectTrue(what + ": no plaintext left behind", unchanged || zeroed);
    }

    private static void destroy(AeadBackend backend) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0x17);
        TransportAead aead = backend.newTransportAead(key);
        byte[] buf = new byte[32];
        aead.seal(0, buf, 0, 16, buf, 0);
        aead.destroy();
        aead.destroy();
        expectTrue("seal after destroy throws IllegalStateException", throwsIllegalState(() -> aead.seal(1, buf, 0, 0, buf, 0)));
        expectTrue("open after destroy throws IllegalStateException", throwsIllegalState(() -> aead.open(0, buf, 0, 32, buf, 0)));
        expectTrue("toString shows no key", !String.valueOf(aead).contains(HEX.formatHex(key)));
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        expectTrue("buffer seal after destroy returns -1", aead.seal(1, direct, 0, 16) == -1);
        expectTrue("buffer open after destroy returns -1", aead.open(1, direct, 0, 32) == -1);
    }

    /** The buffer methods: vectors, cross-check sizes and forgeries, in heap and direct buffers. */
    private static void buffers(AeadBackend backend, SplittableRandom rng) {
        for (boolean direct : new boolean[] {false, true}) {
            String kind = direct ? "direct buffer" : "heap buffer";
            // docs/protocol.md §7.7 variant A, the data packet, at an odd offset
            String[] v = VECTORS[0];
            TransportAead iSend = backend.newTransportAead(HEX.parseHex(v[0]));
            TransportAead rRecv = backend.newTransportAead(HEX.parseHex(v[0]));
            try {
                byte[] data = HEX.parseHex(v[3]);
                byte[] inner = HEX.parseHex(INNER);
                int off = 37;
                ByteBuffer b = buffer(direct, off + 96 + 16 + 5);
                b.put(off, inner, 0, inner.length);
                expectTrue(kind + ": data length", iSend.seal(1, b, off, 96) == 112);
                byte[] got = new byte[112];
                b.get(off, got);
                expectTrue(kind + ": data i->r, counter 1",
                        Arrays.equals(got, 0, 112, data, HEADER, data.length));
                expectTrue(kind + ": data refused under counter 2", rRecv.open(2, copyOf(b, direct), off, 112) == -1);
                expectTrue(kind + ": data opens", rRecv.open(1, b, off, 112) == 96);
                b.get(off, got, 0, 96);
                expectTrue(kind + ": data plaintext", Arrays.equals(got, 0, 96, Arrays.copyOf(inner, 96), 0, 96));
            } finally {
                iSend.destroy();
                rRecv.destroy();
            }
            byte[] key = new byte[32];
            rng.nextBytes(key);
            TransportAead sender = backend.newTransportAead(key);
            TransportAead receiver = backend.newTransportAead(key);
            try {
                // The array check covers the 64 KiB message; here the sizes packets have.
                int cases = SIZES.length - 1 + RANDOM_SIZES;
                for (int i = 0; i < cases; i++) {
                    int size = i < SIZES.length - 1 ? SIZES[i] : rng.nextInt(2048);
                    long counter = i < COUNTERS.length ? COUNTERS[i] : rng.nextLong();
                    String what = kind + ", " + size + " bytes, counter " + Long.toUnsignedString(counter);
                    byte[] plain = new byte[size];
                    rng.nextBytes(plain);
                    byte[] expected = ChaChaPoly.seal(key, counter, plain, null);
                    int off = rng.nextInt(48);
                    ByteBuffer b = buffer(direct, off + size + 16 + 8);
                    for (int k = 0; k < b.capacity(); k++) {
                        b.put(k, GUARD);
                    }
                    b.put(off, plain);
                    expectTrue("seal length, " + what, sender.seal(counter, b, off, size) == size + 16);
                    byte[] all = new byte[b.capacity()];
                    b.get(0, all);
                    expectTrue("sealed in place, " + what, Arrays.equals(all, off, off + size + 16, expected, 0, expected.length));
                    expectTrue("bytes around a seal untouched, " + what,
                            guarded(all, 0, off) && guarded(all, off + size + 16, all.length));
                    expectTrue("open length, " + what, receiver.open(counter, b, off, size + 16) == size);
                    b.get(0, all);
                    expectTrue("opened in place, " + what, Arrays.equals(all, off, off + size, plain, 0, size));
                    expectTrue("bytes around an open untouched, " + what,
                            guarded(all, 0, off) && guarded(all, off + size + 16, all.length));
                }
                // forgeries: refused, no plaintext left behind, and the AEAD still works
                byte[] plain = new byte[64];
                Arrays.fill(plain, (byte) 0x3c);
                ByteBuffer sealed = buffer(direct, 80);
                sealed.put(0, plain);
                sender.seal(7, sealed, 0, 64);
                for (int at : new int[] {0, 31, 63, 64, 79}) {
                    ByteBuffer forged = copyOf(sealed, direct);
                    forged.put(at, (byte) (forged.get(at) ^ 1));
                    byte[] before = new byte[64];
                    forged.get(0, before);
                    expectTrue(kind + ": flipped byte " + at + " refused", receiver.open(7, forged, 0, 80) == -1);
                    byte[] after = new byte[64];
                    forged.get(0, after);
                    boolean zeroed = true;
                    for (byte x : after) {
                        zeroed &= x == 0;
                    }
                    expectTrue(kind + ": flipped byte " + at + ": no plaintext left behind",
                            zeroed || Arrays.equals(before, after));
                }
                for (int len = 0; len < 16; len++) {
                    expectTrue(kind + ": shorter than a tag (" + len + ") refused", receiver.open(7, buffer(direct, 16), 0, len) == -1);
                }
                expectTrue(kind + ": still opens after the forgeries", receiver.open(7, sealed, 0, 80) == 64);
            } finally {
                sender.destroy();
                receiver.destroy();
            }
        }
    }

    private static ByteBuffer buffer(boolean direct, int size) {
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    private static ByteBuffer copyOf(ByteBuffer b, boolean direct) {
        ByteBuffer c = buffer(direct, b.capacity());
        byte[] all = new byte[b.capacity()];
        b.get(0, all);
        c.put(0, all);
        return c;
    }

    private static boolean throwsIllegalState(Runnable r) {
        try {
            r.run();
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private static boolean guarded(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != GUARD) {
                return false;
            }
        }
        return true;
    }

    private static void expectTrue(String what, boolean ok) {
        CryptoSelfCheck.expectTrue(what, ok);
    }
}
