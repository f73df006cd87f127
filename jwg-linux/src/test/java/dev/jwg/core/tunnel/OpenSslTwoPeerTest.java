package dev.jwg.core.tunnel;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.linux.OpenSslAead;

/** The core's two-peer tests (handshakes, data, re-keying, expiry, replays...) with OpenSSL's transport AEAD. */
class OpenSslTwoPeerTest extends TwoPeerTest {
    @Override
    AeadBackend backend() {
        return OpenSslAead.backend();
    }
}
