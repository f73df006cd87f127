package dev.jwg.config.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.networkd.NetdevParser;
import dev.jwg.config.networkd.NetworkParser;
import dev.jwg.config.uapi.UapiException;
import dev.jwg.config.uapi.UapiGetParser;
import dev.jwg.config.uapi.UapiRequest;
import dev.jwg.config.uapi.UapiRequestReader;
import dev.jwg.config.wgquick.WgQuickParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Every text parser of jwg-config takes arbitrary bytes and either succeeds or fails with its
 * own checked exception: the UAPI request reader and set parser (the daemon's control socket),
 * the get-response parser (the CLI reading a daemon), and the wg-quick and networkd parsers.
 * Run in regression mode by {@code mvn test}; {@code JAZZER_FUZZ=1} fuzzes for the bounded time.
 */
class ParsersFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void uapiRequestsNeverEscapeTheirErrors(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        UapiRequestReader reader = new UapiRequestReader(new ByteArrayInputStream(bytes), 256, 4096);
        try {
            for (int i = 0; i < 64; i++) {
                UapiRequest r = reader.next();
                if (r instanceof UapiRequest.Set) {
                    try {
                        reader.readSet(new dev.jwg.config.uapi.DeviceUpdateCollector());
                    } catch (UapiException e) {
                        continue;
                    }
                } else if (r instanceof UapiRequest.EndOfStream || r instanceof UapiRequest.InvalidOperation) {
                    return;
                }
            }
        } catch (IOException e) {
            // an I/O error is an allowed outcome
        }
        try {
            UapiGetParser.parse(new ByteArrayInputStream(bytes));
        } catch (IOException | UapiException e) {
            // allowed
        }
    }

    @FuzzTest(maxDuration = "20s")
    void configFilesNeverEscapeConfigException(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            WgQuickParser.parse("wg0.conf", text);
        } catch (ConfigException e) {
            // allowed
        }
        try {
            NetdevParser.parse("80-wg0.netdev", text, path -> {
                throw new IOException("no key files in fuzzing");
            });
        } catch (ConfigException e) {
            // allowed
        }
        try {
            NetworkParser.parse("85-wg0.network", text);
        } catch (ConfigException e) {
            // allowed
        }
    }
}
