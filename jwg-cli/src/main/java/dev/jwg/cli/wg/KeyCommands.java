package dev.jwg.cli.wg;

import dev.jwg.core.crypto.KeyBytes;
import dev.jwg.core.crypto.KeyFormatException;
import dev.jwg.core.crypto.PresharedKey;
import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.crypto.PublicKey;
import dev.jwg.core.crypto.X25519;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code wg genkey}, {@code genpsk} ({@code genkey.c}) and {@code pubkey} ({@code pubkey.c}).
 * Stateless and thread-safe.
 */
final class KeyCommands {
    private KeyCommands() {}

    /**
     * 32 random bytes in base64 on standard output; clamped for {@code genkey}. Warns, as {@code wg},
     * when standard output is a regular file others can access (a umask that is not 077).
     */
    static int generate(WgContext cx, String command, List<String> args) {
        if (!args.isEmpty()) {
            cx.err().println("Usage: " + cx.prog() + " " + command);
            return 1;
        }
        if (cx.stdoutWorldAccessible().getAsBoolean()) {
            cx.err().print("Warning: writing to world accessible file.\nConsider setting the umask to 077 and trying again.\n");
        }
        byte[] key = new byte[KeyBytes.LEN];
        try {
            cx.random().nextBytes(key);
            if (command.equals("genkey")) {
                X25519.clamp(key);
                cx.out().println(PrivateKey.fromBytesAsWritten(key).toBase64());
            } else {
                cx.out().println(PresharedKey.fromBytes(key).toBase64());
            }
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        return 0;
    }

    /**
     * A base64 private key on standard input (44 characters, then only whitespace or NUL bytes) to
     * its public key on standard output. The key is clamped first, as {@code wg} does, so even the
     * all-zero key has a (non-zero) public key.
     */
    static int pubkey(WgContext cx, List<String> args) {
        if (!args.isEmpty()) {
            cx.err().println("Usage: " + cx.prog() + " pubkey");
            return 1;
        }
        byte[] base64 = new byte[KeyBytes.BASE64_LEN];
        byte[] secret = null;
        try {
            InputStream in = cx.in();
            if (in.readNBytes(base64, 0, base64.length) != base64.length) {
                cx.err().println(cx.prog() + ": Key is not the correct length or format");
                return 1;
            }
            int c;
            while ((c = in.read()) >= 0) {
                if (c != 0 && !WgValues.isSpace(c)) {
                    cx.err().println(cx.prog() + ": Trailing characters found after key");
                    return 1;
                }
            }
            PrivateKey key;
            try {
                key = PrivateKey.fromBase64(new String(base64, StandardCharsets.ISO_8859_1));
            } catch (KeyFormatException e) {
                cx.err().println(cx.prog() + ": Key is not the correct length or format");
                return 1;
            }
            // Clamped even when all zero, as wg does: the zero key has a public key here.
            secret = key.secretBytes();
            X25519.clamp(secret);
            cx.out().println(PublicKey.fromBytes(X25519.publicKey(secret)).toBase64());
            return 0;
        } catch (IOException e) {
            cx.err().println(cx.prog() + ": Key is not the correct length or format");
            return 1;
        } finally {
            Arrays.fill(base64, (byte) 0);
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }
}
