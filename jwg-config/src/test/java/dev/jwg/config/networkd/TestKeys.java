package dev.jwg.config.networkd;

import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;

/** Key files for the networkd fixtures, served without touching the file system. */
final class TestKeys {
    static final String WG0_PRIVATE = "K5wdfg83xEkhvT9lZOrffxQqcmaMR+Ij0W7djEe0avw=";
    static final String LAPTOP_PSK = "unJJm/oSHoNrKsFXJu59awr2qxPDjpLK4NFQV7FZmH8=";
    static final String NOT_A_KEY = "this is not a key, but it is a secret line";

    private TestKeys() {}

    static final KeyFileReader READER = path -> switch (path.toString()) {
        case "/etc/systemd/network/wg0.key" -> (WG0_PRIVATE + "\n").getBytes(StandardCharsets.US_ASCII);
        case "/etc/systemd/network/wg0-laptop.psk" -> ("  " + LAPTOP_PSK + " \r\n\n").getBytes(StandardCharsets.US_ASCII);
        case "/etc/jwg/garbage.key" -> NOT_A_KEY.getBytes(StandardCharsets.US_ASCII);
        case "/etc/jwg/two-keys.key" -> (WG0_PRIVATE + "\n" + LAPTOP_PSK + "\n").getBytes(StandardCharsets.US_ASCII);
        default -> throw new NoSuchFileException(path.toString());
    };
}
