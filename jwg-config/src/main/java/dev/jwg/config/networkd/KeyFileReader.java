package dev.jwg.config.networkd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the content of a {@code PrivateKeyFile=} / {@code PresharedKeyFile=} for the netdev parser,
 * injectable so tests need no real files. The parser decodes and zeroes the returned array.
 * Implementations must be thread-safe if shared.
 */
@FunctionalInterface
public interface KeyFileReader {
    /** Largest key file read by {@link #FILES}; a base64 key and a newline need 45 bytes. */
    int MAX_KEY_FILE_BYTES = 4096;

    /** The bytes of the file at {@code path} (absolute). */
    byte[] read(Path path) throws IOException;

    /** Reads regular files from the file system, at most {@link #MAX_KEY_FILE_BYTES} (more is an error). */
    KeyFileReader FILES = path -> {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
            if (b.length > MAX_KEY_FILE_BYTES) {
                Arrays.fill(b, (byte) 0);
                throw new IOException("larger than " + MAX_KEY_FILE_BYTES + " bytes");
            }
            return b;
        }
    };
}
