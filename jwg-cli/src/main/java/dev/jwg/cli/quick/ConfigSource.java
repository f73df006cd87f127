package dev.jwg.cli.quick;

import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigNote;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.KeyFileReader;
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
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The configuration a command names, located as wg-quick's {@code parse_options} does, extended to
 * systemd-networkd: a path ending in {@code .netdev} is a networkd tunnel (with the {@code .network}
 * networkd would apply, see {@link NetworkdLoader}); a path ending in {@code .conf} (or any path with a
 * {@code /}) is a wg-quick file named after its interface; a bare interface name means
 * {@code /etc/wireguard/NAME.conf} and, when there is none, the {@code .netdev} of networkd's search
 * path whose {@code Name=} is that interface. When both exist the wg-quick file wins, with a note: it is
 * what wg-quick, whose command line jwg follows, would bring up.
 *
 * <p>Immutable and thread-safe.
 *
 * @param mode wg-quick or networkd
 * @param path the file as named (relative paths stay relative)
 * @param shown how the user named it, for messages and the {@code wg addconf} line
 * @param networkdPath networkd's search path ({@link NetworkdLoader#SEARCH_PATH}; tests use their own)
 */
public record ConfigSource(StateFile.Mode mode, Path path, String shown, List<Path> networkdPath) {
    /** Where wg-quick looks for {@code NAME.conf}. */
    public static final Path WG_QUICK_DIR = Path.of("/etc/wireguard");

    public ConfigSource {
        Objects.requireNonNull(mode);
        Objects.requireNonNull(path);
        Objects.requireNonNull(shown);
        networkdPath = List.copyOf(networkdPath);
    }

    /** A source on the real search path. */
    public ConfigSource(StateFile.Mode mode, Path path, String shown) {
        this(mode, path, shown, NetworkdLoader.SEARCH_PATH);
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

    /** Locates the configuration {@code arg} names, on the real system. */
    public static ConfigSource locate(String arg) throws QuickException, ConfigException {
        return locate(arg, WG_QUICK_DIR, NetworkdLoader.SEARCH_PATH);
    }

    /**
     * Locates the configuration {@code arg} names.
     *
     * @param wgQuickDir where {@code NAME.conf} files are ({@link #WG_QUICK_DIR})
     * @param networkdPath networkd's search path ({@link NetworkdLoader#SEARCH_PATH})
     */
    public static ConfigSource locate(String arg, Path wgQuickDir, List<Path> networkdPath)
            throws QuickException, ConfigException {
        if (arg.endsWith(".netdev")) {
            return new ConfigSource(StateFile.Mode.NETWORKD, Path.of(arg), arg, networkdPath);
        }
        if (isBareName(arg)) {
            Path conf = wgQuickDir.resolve(arg + ".conf");
            if (!Files.exists(conf)) {
                Optional<Path> netdev = NetworkdLoader.findNetdev(arg, networkdPath);
                if (netdev.isPresent()) {
                    return new ConfigSource(StateFile.Mode.NETWORKD, netdev.get(), netdev.get().toString(), networkdPath);
                }
                throw new QuickException("`" + conf + "' does not exist, and no .netdev in "
                        + networkdPath.stream().map(Path::toString).collect(Collectors.joining(", "))
                        + " has Name=" + arg + " and Kind=wireguard");
            }
            return new ConfigSource(StateFile.Mode.WG_QUICK, conf, arg, networkdPath);
        }
        if (arg.endsWith(".conf") || arg.contains("/")) {
            return new ConfigSource(StateFile.Mode.WG_QUICK, Path.of(arg), arg, networkdPath);
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
        List<ConfigNote> notes = new ArrayList<>();
        TunnelConfig c = switch (mode) {
            case WG_QUICK -> WgQuickParser.parse(path);
            case NETWORKD -> NetworkdLoader.load(path, KeyFileReader.FILES, networkdPath, notes);
        };
        if (mode == StateFile.Mode.WG_QUICK && isBareName(shown)) {
            try {
                NetworkdLoader.findNetdev(shown, networkdPath).ifPresent(netdev -> warn.println("[!] note: " + netdev
                        + " also defines " + shown + "; " + path + " is used, as wg-quick would (name the .netdev to use it)"));
            } catch (ConfigException e) {
                // a search path that cannot be read has nothing to say here
            }
        }
        notes.forEach(n -> warn.println("[!] " + n));
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
