package dev.jwg.config.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UapiRequestReaderTest {
    static UapiRequestReader reader(String s) {
        return new UapiRequestReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void get() throws Exception {
        UapiRequestReader r = reader("get=1\n\n");
        assertThat(r.next()).isInstanceOf(UapiRequest.Get.class);
        assertThat(r.next()).isInstanceOf(UapiRequest.EndOfStream.class);
    }

    @Test
    void severalOperationsOnOneConnection() throws Exception {
        UapiRequestReader r = reader("get=1\n\nset=1\nlisten_port=1\n\nget=1\n\n");
        assertThat(r.next()).isInstanceOf(UapiRequest.Get.class);
        assertThat(r.next()).isInstanceOf(UapiRequest.Set.class);
        assertThat(r.readSet().listenPort()).hasValue(1);
        assertThat(r.next()).isInstanceOf(UapiRequest.Get.class);
        assertThat(r.next()).isInstanceOf(UapiRequest.EndOfStream.class);
    }

    @Test
    void getFollowedByAnythingButABlankLineIsEinvalAndOnlyOneByteIsConsumed() throws Exception {
        UapiRequestReader r = reader("get=1\nget=1\n\n");
        assertThat(r.next()).isEqualTo(new UapiRequest.Rejected(UapiErrno.EINVAL, "get=1 not followed by an empty line"));
        // wireguard-go consumed the 'g' and now reads "et=1" as an operation.
        assertThat(r.next()).isEqualTo(new UapiRequest.InvalidOperation("et=1"));

        UapiRequestReader crlf = reader("get=1\n\r\n");
        assertThat(crlf.next()).isInstanceOf(UapiRequest.Rejected.class);
        assertThat(crlf.next()).isEqualTo(new UapiRequest.InvalidOperation("")); // the '\r' went, "\n" is left
    }

    @Test
    void getAtEndOfStreamClosesSilently() throws Exception {
        assertThat(reader("get=1\n").next()).isInstanceOf(UapiRequest.EndOfStream.class);
        assertThat(reader("get=1").next()).isInstanceOf(UapiRequest.EndOfStream.class);
        assertThat(reader("").next()).isInstanceOf(UapiRequest.EndOfStream.class);
    }

    @Test
    void unknownFirstLineMeansCloseTheConnection() throws Exception {
        assertThat(reader("bogus\n").next()).isEqualTo(new UapiRequest.InvalidOperation("bogus"));
        assertThat(reader("get=2\n\n").next()).isInstanceOf(UapiRequest.InvalidOperation.class);
        assertThat(reader("set=1\r\n\n").next()).isEqualTo(new UapiRequest.InvalidOperation("set=1\\x0d"));
        assertThat(reader("GET=1\n\n").next()).isInstanceOf(UapiRequest.InvalidOperation.class);
        assertThat(reader(" get=1\n\n").next()).isInstanceOf(UapiRequest.InvalidOperation.class);
        assertThat(reader("\n").next()).isEqualTo(new UapiRequest.InvalidOperation(""));
    }

    @Test
    void overlongOperationLineIsInvalidAndBounded() throws Exception {
        UapiRequestReader r = reader("x".repeat(1_000_000) + "\n");
        UapiRequest req = r.next();
        assertThat(req).isInstanceOf(UapiRequest.InvalidOperation.class);
        assertThat(((UapiRequest.InvalidOperation) req).excerpt()).hasSize(64 + 3);
    }
}
