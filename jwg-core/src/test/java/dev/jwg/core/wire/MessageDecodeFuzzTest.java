package dev.jwg.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Every decoder of untrusted bytes accepts anything without throwing, and whatever it accepts
 * re-encodes to exactly the bytes it came from. Run in regression mode by {@code mvn test}; with
 * {@code JAZZER_FUZZ=1} Jazzer explores for the bounded duration.
 */
class MessageDecodeFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodersNeverThrowAndRoundTrip(FuzzedDataProvider data) {
        int offset = data.consumeInt(0, 8);
        byte[] body = data.consumeRemainingAsBytes();
        byte[] buf = new byte[offset + body.length];
        System.arraycopy(body, 0, buf, offset, body.length);
        int len = body.length;

        int type = Messages.typeOf(buf, offset, len);
        HandshakeInitiation.decode(buf, offset, len).ifPresent(m -> {
            assertThat(type).isEqualTo(Messages.TYPE_INITIATION);
            assertThat(m.toBytes()).isEqualTo(body);
        });
        HandshakeResponse.decode(buf, offset, len).ifPresent(m -> {
            assertThat(type).isEqualTo(Messages.TYPE_RESPONSE);
            assertThat(m.toBytes()).isEqualTo(body);
        });
        CookieReply.decode(buf, offset, len).ifPresent(m -> {
            assertThat(type).isEqualTo(Messages.TYPE_COOKIE_REPLY);
            assertThat(m.toBytes()).isEqualTo(body);
        });
        TransportData.decode(buf, offset, len).ifPresent(m -> {
            assertThat(type).isEqualTo(Messages.TYPE_TRANSPORT);
            assertThat(m.toBytes()).isEqualTo(body);
        });
    }
}
