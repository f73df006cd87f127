package dev.jwg.cli.quick;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the program that creates an interface, as wg-quick runs {@code wireguard-go}: {@code $JWG_DAEMON}
 * if set (any wireguard-go-compatible daemon), else {@code bin/jwgd} of this installation — under
 * {@code -Djwg.home} (set by {@code bin/jwg}), else found from the jar's location
 * ({@code ROOT/jwg-cli/target/jwg-cli-*.jar}). Stateless.
 */
final class Daemon {
    private Daemon() {}

    /** The daemon command; the interface name is appended when it runs. */
    static List<String> command() throws QuickException {
        String env = System.getenv("JWG_DAEMON");
        if (env != null && !env.isBlank()) {
            return List.of(env);
        }
        Path jwgd = home().resolve("bin").resolve("jwgd");
        if (!Files.isExecutable(jwgd)) {
            throw new QuickException("cannot find the daemon at " + jwgd + " (set JWG_DAEMON to a jwgd or wireguard-go)");
        }
        return List.of(jwgd.toString());
    }

    static Path home() {
        String home = System.getProperty("jwg.home");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        try {
            Path jar = Path.of(Daemon.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // ROOT/jwg-cli/target/jwg-cli-x.jar or ROOT/jwg-cli/target/classes
            Path p = jar.getParent() != null ? jar.getParent().getParent() : null;
            if (p != null && p.getParent() != null) {
                return p.getParent();
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through
        }
        return Path.of(".");
    }
}
