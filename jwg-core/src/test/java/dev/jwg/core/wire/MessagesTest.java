package dev.jwg.core.wire;

import static dev.jwg.core.wire.Messages.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MessagesTest {
    final SplittableRandom random = new SplittableRandom(42);

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void initiationRoundTripsAtExactLength() {
        var m = new HandshakeInitiation(0x11223344, bytes(32), bytes(48), bytes(28), bytes(16), bytes(16));
        byte[] wire = m.toBytes();
        assertThat(wire).hasSize(148);
        assertThat(wire[0]).isEqualTo((byte) 1);
        assertThat(wire[4]).isEqualTo((byte) 0x44);
        assertThat(HandshakeInitiation.decode(wire, 0, wire.length)).contains(m);
        assertThat(HandshakeInitiation.decode(wire, 0, 147)).isEmpty();
        byte[] longer = java.util.Arrays.copyOf(wire, 149);
        assertThat(HandshakeInitiation.decode(longer, 0, 149)).isEmpty();
    }

    @Test
    void responseRoundTripsAtExactLength() {
        var m = new HandshakeResponse(7, -9, bytes(32), bytes(16), bytes(16), bytes(16));
        byte[] wire = m.toBytes();
        assertThat(wire).hasSize(92);
        assertThat(HandshakeResponse.decode(wire, 0, 92)).contains(m);
        assertThat(HandshakeResponse.decode(wire, 0, 91)).isEmpty();
    }

    @Test
    void cookieReplyRoundTripsAtExactLength() {
        var m = new CookieReply(-1, bytes(24), bytes(32));
        byte[] wire = m.toBytes();
        assertThat(wire).hasSize(64);
        assertThat(CookieReply.decode(wire, 0, 64)).contains(m);
        assertThat(CookieReply.decode(wire, 0, 63)).isEmpty();
    }

    @Test
    void transportRoundTripsAndNeedsAtLeast32Bytes() {
        var m = new TransportData(123, -2L, bytes(16 + 96));
        byte[] wire = m.toBytes();
        assertThat(TransportData.decode(wire, 0, wire.length)).contains(m);
        assertThat(TransportData.counter(wire, 0)).isEqualTo(-2L);
        assertThat(TransportData.receiver(wire, 0)).isEqualTo(123);
        var keepalive = new TransportData(1, 0, bytes(16));
        assertThat(keepalive.toBytes()).hasSize(32);
        assertThat(TransportData.decode(keepalive.toBytes(), 0, 31)).isEmpty();
    }

    @Test
    void typeOfRejectsReservedBytesUnknownTypesAndWrongSizes() {
        byte[] b = new byte[148];
        b[0] = 1;
        assertThat(typeOf(b, 0, 148)).isEqualTo(TYPE_INITIATION);
        b[1] = 1;
        assertThat(typeOf(b, 0, 148)).isZero();
        b[1] = 0;
        b[0] = 5;
        assertThat(typeOf(b, 0, 148)).isZero();
        b[0] = 2;
        assertThat(typeOf(b, 0, 148)).isZero();
        assertThat(typeOf(b, 0, 3)).isZero();
        b[0] = 4;
        assertThat(typeOf(b, 0, 32)).isEqualTo(TYPE_TRANSPORT);
        assertThat(typeOf(b, 0, 31)).isZero();
    }

    @Test
    void recordsCopyTheirArrays() {
        byte[] e = bytes(32);
        var m = new HandshakeInitiation(1, e, bytes(48), bytes(28), bytes(16), bytes(16));
        e[0] ^= 1;
        assertThat(m.ephemeral()[0]).isNotEqualTo(e[0]);
        m.ephemeral()[1] ^= 1;
        assertThat(m.ephemeral()[1]).isEqualTo((byte) (e[1]));
        assertThatThrownBy(() -> new HandshakeInitiation(1, bytes(31), bytes(48), bytes(28), bytes(16), bytes(16)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
