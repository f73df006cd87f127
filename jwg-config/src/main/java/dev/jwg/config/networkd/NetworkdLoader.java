package dev.jwg.config.networkd;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import dev.jwg.config.model.ConfigNote;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.NetworkParser.Source;
import dev.jwg.config.networkd.UnitFile.Assignment;
import dev.jwg.config.networkd.UnitFile.Header;
import dev.jwg.config.networkd.UnitFile.Item;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Loads a WireGuard tunnel defined for systemd-networkd as networkd finds its files: a {@code .netdev}
 * with its drop-ins, and the {@code .network} file (with its drop-ins) that networkd would apply to its
 * interface.
 *
 * <ul>
 *   <li>The directories: networkd's search path ({@link #SEARCH_PATH}) when the {@code .netdev} is in
 *       one of them, else the {@code .netdev}'s own directory (files tried out elsewhere are read with
 *       their neighbours only).
 *   <li>A file in an earlier directory masks a file of the same name in a later one; an empty file or
 *       a link to {@code /dev/null} masks without being read.
 *   <li>The {@code .network} files are taken in lexical order of their names; the first whose
 *       {@code [Match]} selects the interface ({@link NetworkConfig#matches}) is applied, later ones are
 *       ignored with a note (systemd.network(5)). Files are only scanned leniently for their
 *       {@code [Match]} section; the applied one is parsed strictly.
 *   <li>Drop-ins: {@code NAME.d/*.conf} in every directory, masked by name as above, read in lexical
 *       order after the file itself.
 *   <li>No matching {@code .network}: the tunnel comes up without one, with a warning saying so; a
 *       {@code .network} with {@code Unmanaged=yes} is not applied, with a note.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class NetworkdLoader {
    /** Where systemd-networkd looks for its files, earlier directories first. */
    public static final List<Path> SEARCH_PATH = List.of(Path.of("/etc/systemd/network"),
            Path.of("/run/systemd/network"), Path.of("/usr/local/lib/systemd/network"), Path.of("/usr/lib/systemd/network"));

    private NetworkdLoader() {}

    /** Loads {@code netdev} and its {@code .network}, reading key files from the file system; notes discarded. */
    public static TunnelConfig load(Path netdev) throws ConfigException {
        return load(netdev, KeyFileReader.FILES);
    }

    /** Loads {@code netdev} and its {@code .network}, reading key files through {@code keys}; notes discarded. */
    public static TunnelConfig load(Path netdev, KeyFileReader keys) throws ConfigException {
        return load(netdev, keys, SEARCH_PATH, new ArrayList<>());
    }

    /**
     * Loads {@code netdev}, its drop-ins and its {@code .network}.
     *
     * @param searchPath networkd's directories ({@link #SEARCH_PATH}; tests pass their own)
     * @param notes where warnings and notes are added: the files' own, then the loader's
     */
    public static TunnelConfig load(Path netdev, KeyFileReader keys, List<Path> searchPath, List<ConfigNote> notes)
            throws ConfigException {
        List<Path> dirs = directories(netdev, searchPath);
        String netdevName = ConfigFiles.baseName(netdev);
        List<Path> netdevDropIns = dropIns(dirs, netdevName, netdevName);
        List<Source> netdevFiles = new ArrayList<>();
        netdevFiles.add(Source.read(netdev));
        for (Path p : netdevDropIns) {
            netdevFiles.add(Source.read(p));
        }
        TunnelConfig t = NetdevParser.parse(netdev, netdevFiles, keys, notes);
        TunnelConfig.Builder b = t.toBuilder();
        netdevDropIns.forEach(b::addSource);

        List<Path> matches = matchingNetworkFiles(dirs, t.name(), netdevName);
        if (matches.isEmpty()) {
            notes.add(new ConfigNote(netdevName, 0, "", ConfigNote.Severity.WARNING, "no .network file matches "
                    + t.name() + " (looked in " + dirs.stream().map(Path::toString).collect(Collectors.joining(", "))
                    + "): it comes up without addresses, routes or DNS"));
            return b.build();
        }
        Path chosen = matches.getFirst();
        String chosenName = ConfigFiles.baseName(chosen);
        for (Path other : matches.subList(1, matches.size())) {
            notes.add(new ConfigNote(ConfigFiles.baseName(other), 0, "", ConfigNote.Severity.NOTE, "also matches "
                    + t.name() + ", but networkd applies only the first file that matches, " + chosenName));
        }
        List<Path> networkDropIns = dropIns(dirs, chosenName, netdevName);
        List<Source> networkFiles = new ArrayList<>();
        networkFiles.add(Source.read(chosen));
        for (Path p : networkDropIns) {
            networkFiles.add(Source.read(p));
        }
        NetworkConfig n = NetworkParser.parse(networkFiles, notes);
        if (n.link().unmanaged()) {
            notes.add(new ConfigNote(chosenName, 0, "Unmanaged", ConfigNote.Severity.NOTE, "networkd leaves "
                    + t.name() + " alone, so jwg applies nothing from this file"));
            return b.build();
        }
        List<Path> sources = new ArrayList<>(List.of(netdev, chosen));
        sources.addAll(netdevDropIns);
        sources.addAll(networkDropIns);
        return b.network(n).sources(sources).build();
    }

    /**
     * The {@code .network} files networkd would consider for the WireGuard interface {@code ifname},
     * in the directories of {@code netdev}: those whose {@code [Match]} selects it, in lexical order.
     */
    public static List<Path> matchingNetworkFiles(Path netdev, String ifname) throws ConfigException {
        List<Path> dirs = directories(netdev, SEARCH_PATH);
        return matchingNetworkFiles(dirs, ifname, ConfigFiles.baseName(netdev));
    }

    private static List<Path> matchingNetworkFiles(List<Path> dirs, String ifname, String forMessages) throws ConfigException {
        List<Path> out = new ArrayList<>();
        for (Path p : units(dirs, ".network", forMessages)) {
            List<Source> files = new ArrayList<>();
            files.add(Source.read(p));
            for (Path d : dropIns(dirs, ConfigFiles.baseName(p), forMessages)) {
                files.add(Source.read(d));
            }
            if (NetworkParser.scanMatch(files).matches(ifname)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The {@code .netdev} of networkd's search path that defines the WireGuard interface {@code ifname}
     * ({@code [NetDev] Name=ifname}, {@code Kind=wireguard}, drop-ins included), the first in lexical
     * order, as networkd takes the first of two netdevs of one name.
     */
    public static Optional<Path> findNetdev(String ifname, List<Path> searchPath) throws ConfigException {
        for (Path p : units(searchPath, ".netdev", ifname)) {
            List<Source> files = new ArrayList<>();
            files.add(Source.read(p));
            for (Path d : dropIns(searchPath, ConfigFiles.baseName(p), ifname)) {
                files.add(Source.read(d));
            }
            String name = null;
            String kind = null;
            for (Source s : files) {
                boolean inNetdev = false;
                for (Item item : UnitFile.lex(s.fileName(), s.text(), true)) {
                    switch (item) {
                        case Header h -> inNetdev = h.name().equals("NetDev");
                        case Assignment a -> {
                            if (inNetdev && a.key().equals("Name")) {
                                name = a.value();
                            } else if (inNetdev && a.key().equals("Kind")) {
                                kind = a.value();
                            }
                        }
                    }
                }
            }
            if (ifname.equals(name) && "wireguard".equals(kind)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** networkd's search path when {@code file} is in it, else the file's own directory. */
    static List<Path> directories(Path file, List<Path> searchPath) {
        Path dir = file.getParent() != null ? file.getParent() : Path.of("");
        Path abs = dir.toAbsolutePath().normalize();
        for (Path d : searchPath) {
            if (d.toAbsolutePath().normalize().equals(abs)) {
                // keep the netdev's own spelling of its directory, so sources stay relative or absolute like it
                return searchPath.stream().map(x -> x.toAbsolutePath().normalize().equals(abs) ? dir : x).toList();
            }
        }
        return List.of(dir);
    }

    /**
     * The files {@code *suffix} of {@code dirs}, by name in lexical order; a name in an earlier
     * directory masks the same name later, and masked files (empty, or a link to /dev/null) are left out.
     */
    static List<Path> units(List<Path> dirs, String suffix, String forMessages) throws ConfigException {
        Map<String, Path> byName = new LinkedHashMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + suffix)) {
                for (Path p : ds) {
                    byName.putIfAbsent(p.getFileName().toString(), p);
                }
            } catch (IOException e) {
                throw new ConfigException(forMessages, 0, "", ConfigError.FILE_UNREADABLE,
                        "cannot list " + dir + ": " + ConfigFiles.reason(e), e);
            }
        }
        return byName.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue)
                .filter(p -> !isMasked(p)).toList();
    }

    /** The drop-ins of the unit file {@code unitName}: {@code unitName.d/*.conf} of every directory. */
    static List<Path> dropIns(List<Path> dirs, String unitName, String forMessages) throws ConfigException {
        return units(dirs.stream().map(d -> d.resolve(unitName + ".d")).toList(), ".conf", forMessages);
    }

    /** Whether a file is masked: not a regular file (a link to /dev/null), or empty. */
    static boolean isMasked(Path p) {
        try {
            return !Files.isRegularFile(p) || Files.size(p) == 0;
        } catch (IOException e) {
            return false; // reading it says why
        }
    }
}
