package dev.jwg.cli.wg;

import dev.jwg.config.model.ConfigValues;
import dev.jwg.core.crypto.KeyBytes;
import dev.jwg.core.crypto.KeyFormatException;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.linux.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code private-key FILE} and {@code preshared-key FILE} of {@code wg set}, as {@code config.c}'s
 * {@code parse_keyfile} reads them: 44 base64 characters, then nothing but whitespace; an empty file
 * (such as {@code /dev/null}) is the all-zero key, which removes the key. Stateless and thread-safe.
 *
 * <p>One deliberate difference: a malformed key is never echoed ({@code wg} prints the 44
 * characters it read); the message names the file instead.
 */
final class KeyFiles {
    private KeyFiles() {}

    /** {@code private-key FILE}, as written (the daemon clamps it); an empty file is {@link PrivateKey#ZERO}. */
    static PrivateKey readPrivate(String path) throws WgFailure {
        return read(path, PrivateKey::fromBase64AsWritten, PrivateKey.ZERO);
    }

    /** {@code preshared-key FILE}; an empty file is {@link PresharedKey#ZERO}. */
    static PresharedKey readPreshared(String path) throws WgFailure {
        return read(path, PresharedKey::fromBase64, PresharedKey.ZERO);
    }

    /**
     * @param decoder the key type's base64 reader
     * @param zero the key type's all-zero key, what an empty file holds
     */
    private static <K extends KeyBytes> K read(String path, ConfigValues.KeyDecoder<K> decoder, K zero)
            throws WgFailure {
        byte[] head = new byte[KeyBytes.BASE64_LEN];
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            int n = in.readNBytes(head, 0, head.length);
            if (n < head.length) {
                if (n == 0) {
                    return zero;
                }
                throw new WgFailure("Invalid length key in key file");
            }
            int c;
            while ((c = in.read()) >= 0) {
                if (!WgValues.isSpace(c)) {
                    throw new WgFailure("Found trailing character in key file: `" + (char) c + "'");
                }
            }
            String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
            try {
                return decoder.decode(text);
            } catch (KeyFormatException e) {
                throw new WgFailure("Key is not the correct length or format: `" + path + "'");
            }
        } catch (java.nio.file.InvalidPathException e) {
            throw new WgFailure("fopen: " + Errno.text(Errno.ENOENT));
        } catch (IOException e) {
            throw new WgFailure("fopen: " + Errno.text(IoErrno.of(e, Path.of(path))));
        } finally {
            Arrays.fill(head, (byte) 0);
        }
    }
}
