package dev.jwg.cli;

import dev.jwg.device.Log;
import dev.jwg.device.tuning.AeadSelector.Candidate;
import dev.jwg.device.tuning.AeadSelector.Selection;
import dev.jwg.device.tuning.AeadSelector;
import dev.jwg.linux.OpenSslAead;
import java.util.List;

/**
 * The transport AEAD of this process: the natives jwg-linux offers (OpenSSL's libcrypto when it loads)
 * handed to {@link AeadSelector}, which checks them, applies {@code JWG_AEAD} / {@code -Djwg.aead} and
 * measures. Wiring only.
 */
final class AeadChoice {
    private AeadChoice() {}

    /** The native candidates: OpenSSL, or why it is unavailable. */
    static List<Candidate> natives() {
        return List.of(OpenSslAead.isAvailable()
                ? Candidate.of(OpenSslAead.backend())
                : Candidate.unavailable(OpenSslAead.backend().name(), OpenSslAead.unavailabilityCause()));
    }

    /** Selects, and logs the outcome: the choice and each candidate at verbose level, problems as errors. */
    static Selection select(Log log) {
        Selection s = AeadSelector.select(natives());
        for (String e : s.errors()) {
            log.error("Transport AEAD: %s", e);
        }
        if (log.verboseEnabled()) {
            log.verbose("Transport AEAD: %s (%s)%s", s.backend().name(), s.reason(),
                    OpenSslAead.isAvailable() ? ", libcrypto " + OpenSslAead.version() : "");
            for (AeadSelector.Report r : s.reports()) {
                log.verbose("Transport AEAD candidate %s", r);
            }
        }
        return s;
    }
}
