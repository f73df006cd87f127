package dev.jwg.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.core.crypto.AeadBackend;
import dev.jwg.core.crypto.TransportAeadContract;
import org.junit.jupiter.api.Test;

/**
 * The {@link dev.jwg.core.crypto.TransportAead} contract for OpenSSL through its EVP calls, the way
 * {@link OpenSslAead} goes where the provider's dispatch table cannot be found; the default way, the
 * provider's functions called directly, is found on this machine.
 */
class OpenSslEvpAeadTest extends TransportAeadContract {
    @Override
    protected AeadBackend backend() {
        return OpenSslAead.evpBackend();
    }

    @Test
    void theProvidersFunctionsAreCalledDirectlyHere() {
        assertThat(OpenSslAead.providerUnavailabilityCause()).isNull();
    }
}
