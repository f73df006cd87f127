package dev.jwg.device;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.linux.OpenSslAead;

/** The device tests (two devices over an in-memory network, UAPI, flood, logs) with OpenSSL's transport AEAD. */
class OpenSslDeviceTest extends DeviceTest {
    @Override
    AeadBackend backend() {
        return OpenSslAead.backend();
    }
}
