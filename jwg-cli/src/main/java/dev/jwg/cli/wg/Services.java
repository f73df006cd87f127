package dev.jwg.cli.wg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The services database ({@code /etc/services}) for UDP: {@code wg} accepts a service name wherever
 * it takes a port, because it resolves ports with {@code getaddrinfo}. Immutable and thread-safe.
 */
final class Services {
    /** The system database. */
    static final Services SYSTEM = new Services(Path.of("/etc/services"));

    private final Path file;

    Services(Path file) {
        this.file = file;
    }

    /** The port of UDP service {@code name} (or alias), if listed. */
    OptionalInt udpPort(String name) {
        if (name.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                int hash = line.indexOf('#');
                String[] f = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                int slash = f[1].indexOf('/');
                if (slash < 0 || !f[1].substring(slash + 1).equals("udp")) {
                    continue;
                }
                for (int i = 0; i < f.length; i++) {
                    if (i != 1 && f[i].equals(name)) {
                        try {
                            int port = Integer.parseInt(f[1].substring(0, slash));
                            return port >= 0 && port <= 0xffff ? OptionalInt.of(port) : OptionalInt.empty();
                        } catch (NumberFormatException e) {
                            break;
                        }
                    }
                }
            }
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        return OptionalInt.empty();
    }
}
