package dev.jwg.cli.quick;

import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.NetworkdLoader;
import dev.jwg.config.wgquick.WgQuickParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The configuration a command names, located as wg-quick's {@code parse_options} does: a path ending in
 * {@code .netdev} is a systemd-networkd tunnel (with the matching {@code .network} beside it); a path
 * ending in {@code .conf} (or any path with a {@code /}) is a wg-quick file named after its interface;
 * a bare interface name means {@code /etc/wireguard/NAME.conf}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param mode wg-quick or networkd
 * @param path the file as named (relative paths stay relative)
 * @param shown how the user named it, for messages and the {@code wg addconf} line
 */
public record ConfigSource(StateFile.Mode mode, Path path, String shown) {
    /** Where wg-quick looks for {@code NAME.conf}. */
    public static final Path WG_QUICK_DIR = Path.of("/etc/wireguard");

    public ConfigSource {
        Objects.requireNonNull(mode);
        Objects.requireNonNull(path);
        Objects.requireNonNull(shown);
    }

    /**
     * A loaded configuration.
     *
     * @param source where it came from
     * @param config the tunnel
     * @param canonical the file with links resolved ({@code readlink -f}), as recorded in the state
     */
    public record Loaded(ConfigSource source, TunnelConfig config, Path canonical) {}

    /** Whether {@code arg} is a bare interface name (not a path): {@code [a-zA-Z0-9_=+.-]{1,15}} without a known suffix. */
    public static boolean isBareName(String arg) {
        return !arg.contains("/") && !arg.endsWith(".conf") && !arg.endsWith(".netdev")
                && WgQuickParser.isValidInterfaceName(arg);
    }

    /** Locates the configuration {@code arg} names. */
    public static ConfigSource locate(String arg) throws QuickException {
        if (arg.endsWith(".netdev")) {
            return new ConfigSource(StateFile.Mode.NETWORKD, Path.of(arg), arg);
        }
        if (isBareName(arg)) {
            return new ConfigSource(StateFile.Mode.WG_QUICK, WG_QUICK_DIR.resolve(arg + ".conf"), arg);
        }
        if (arg.endsWith(".conf") || arg.contains("/")) {
            return new ConfigSource(StateFile.Mode.WG_QUICK, Path.of(arg), arg);
        }
        throw new QuickException("'" + arg + "' is neither an interface name nor a .conf or .netdev file");
    }

    /**
     * Reads and validates the whole configuration (and, for networkd, the key files), warning on
     * {@code warn} if a file is world accessible, as wg-quick does.
     */
    public Loaded load(PrintStream warn) throws QuickException, ConfigException {
        if (!Files.exists(path)) {
            throw new QuickException("`" + path + "' does not exist");
        }
        Path canonical;
        try {
            canonical = path.toRealPath();
        } catch (IOException e) {
            throw new QuickException("cannot resolve " + path + ": " + e.getMessage(), e);
        }
        if (worldAccessible(canonical)) {
            warn.println("Warning: `" + canonical + "' is world accessible");
        }
        TunnelConfig c = switch (mode) {
            case WG_QUICK -> WgQuickParser.parse(path);
            case NETWORKD -> NetworkdLoader.load(path);
        };
        if (mode == StateFile.Mode.NETWORKD) {
            List<Path> others = new ArrayList<>(c.sources().subList(1, c.sources().size()));
            c.iface().privateKeyFile().ifPresent(others::add);
            c.peers().forEach(p -> p.presharedKeyFile().ifPresent(others::add));
            for (Path p : others) {
                try {
                    if (worldAccessible(p.toRealPath())) {
                        warn.println("Warning: `" + p.toRealPath() + "' is world accessible");
                    }
                } catch (IOException ignored) {
                    // it was just read; a race is not worth a message
                }
            }
        }
        return new Loaded(this, c, canonical);
    }

    /**
     * wg-quick's test: some permission bit for others is set on both the file and its directory
     * ({@code (file & dir & 0007) != 0}).
     */
    static boolean worldAccessible(Path file) {
        try {
            Set<PosixFilePermission> f = Files.getPosixFilePermissions(file);
            Path parent = file.getParent() != null ? file.getParent() : Path.of(".");
            Set<PosixFilePermission> d = Files.getPosixFilePermissions(parent);
            return (f.contains(PosixFilePermission.OTHERS_READ) && d.contains(PosixFilePermission.OTHERS_READ))
                    || (f.contains(PosixFilePermission.OTHERS_WRITE) && d.contains(PosixFilePermission.OTHERS_WRITE))
                    || (f.contains(PosixFilePermission.OTHERS_EXECUTE) && d.contains(PosixFilePermission.OTHERS_EXECUTE));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
