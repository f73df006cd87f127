package dev.jwg.config.networkd;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import dev.jwg.config.model.NameGlob;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.TunnelConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a WireGuard tunnel defined for systemd-networkd: a {@code .netdev} and the {@code .network}
 * file of the same directory that networkd would apply to its interface.
 *
 * <p>Like networkd, the {@code .network} files are taken in lexical order of their names and the first
 * one whose {@code [Match] Name=} patterns select the interface is applied; later matches are ignored
 * (systemd.network(5): "the first … that matches a given interface is applied, all later files are
 * ignored"). {@link #matchingNetworkFiles} lists all of them so a caller can warn. Files without any
 * {@code Name=} pattern are not considered: they match on other properties jwg does not model. Other
 * {@code .network} files are only scanned leniently for their {@code Name=} and may contain anything;
 * the applied one is parsed strictly. Drop-in directories ({@code *.network.d/}) are not read.
 *
 * <p>Stateless and thread-safe.
 */
public final class NetworkdLoader {
    private NetworkdLoader() {}

    /** Loads {@code netdev} and its {@code .network}, reading key files from the file system. */
    public static TunnelConfig load(Path netdev) throws ConfigException {
        return load(netdev, KeyFileReader.FILES);
    }

    /** Loads {@code netdev} and its {@code .network}, reading key files through {@code keys}. */
    public static TunnelConfig load(Path netdev, KeyFileReader keys) throws ConfigException {
        TunnelConfig t = NetdevParser.parse(netdev, keys);
        List<Path> matches = matchingNetworkFiles(netdev, t.name());
        if (matches.isEmpty()) {
            return t;
        }
        Path chosen = matches.getFirst();
        NetworkConfig n = NetworkParser.parse(chosen);
        return t.toBuilder().network(n).addSource(chosen).build();
    }

    /**
     * The {@code *.network} files in the directory of {@code netdev} whose {@code [Match] Name=} selects
     * {@code ifname}, in lexical order; networkd applies the first.
     */
    public static List<Path> matchingNetworkFiles(Path netdev, String ifname) throws ConfigException {
        // Siblings of the path as given, so sources stay relative or absolute like the netdev's.
        Path dir = netdev.getParent() != null ? netdev.getParent() : Path.of("");
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.network")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new ConfigException(ConfigFiles.baseName(netdev), 0, "", ConfigError.FILE_UNREADABLE,
                    "cannot list the .network files next to it: " + ConfigFiles.reason(e), e);
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        List<Path> out = new ArrayList<>();
        for (Path p : files) {
            List<String> names = NetworkParser.scanMatchNames(ConfigFiles.baseName(p), ConfigFiles.read(p));
            if (!names.isEmpty() && NameGlob.matchesAll(names, ifname)) {
                out.add(p);
            }
        }
        return out;
    }
}
