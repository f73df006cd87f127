package dev.jwg.cli.quick;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigFiles;
import dev.jwg.config.model.NetworkConfig;
import dev.jwg.config.model.PeerConfig;
import dev.jwg.config.model.RouteConfig;
import dev.jwg.config.model.RouteTable;
import dev.jwg.config.model.RuleConfig;
import dev.jwg.config.model.TunnelConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks before {@code up} that every routing table named in a configuration is known to ip(8), which
 * reads names from {@code rt_tables} files: otherwise the first {@code ip route add … table NAME}
 * would fail half-way. Stateless.
 */
final class TableNames {
    /** Names iproute2 always knows. */
    private static final Set<String> BUILT_IN = Set.of("main", "local", "default", "unspec");
    private static final List<Path> FILES = List.of(Path.of("/etc/iproute2/rt_tables"),
            Path.of("/usr/share/iproute2/rt_tables"), Path.of("/usr/lib/iproute2/rt_tables"));
    private static final List<Path> DIRS = List.of(Path.of("/etc/iproute2/rt_tables.d"),
            Path.of("/usr/share/iproute2/rt_tables.d"), Path.of("/usr/lib/iproute2/rt_tables.d"));

    private TableNames() {}

    /** The table names ip(8) knows on this system. */
    static Set<String> known() {
        Set<String> names = new HashSet<>(BUILT_IN);
        for (Path f : FILES) {
            read(f, names);
        }
        for (Path d : DIRS) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, "*.conf")) {
                ds.forEach(f -> read(f, names));
            } catch (IOException ignored) {
                // unreadable: its names stay unknown and are reported
            }
        }
        return names;
    }

    private static void read(Path f, Set<String> names) {
        try {
            for (String line : Files.readAllLines(f)) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] w = t.split("\\s+");
                if (w.length >= 2) {
                    names.add(w[1]);
                }
            }
        } catch (IOException ignored) {
            // absent or unreadable
        }
    }

    /** Fails on the first table name not in {@code known}, naming the file and key that use it. */
    static void check(TunnelConfig c, Set<String> known) throws ConfigException {
        String first = c.sources().isEmpty() ? c.name() : ConfigFiles.baseName(c.sources().getFirst());
        String second = c.sources().size() > 1 ? ConfigFiles.baseName(c.sources().get(1)) : first;
        check(first, "Table", c.iface().table(), known);
        check(first, "RouteTable", c.routeTable(), known);
        for (PeerConfig p : c.peers()) {
            check(first, "RouteTable", p.routeTable(), known);
        }
        NetworkConfig n = c.network().orElse(null);
        if (n != null) {
            for (RouteConfig r : n.routes()) {
                check(second, "Table", r.table(), known);
            }
            for (RuleConfig r : n.rules()) {
                check(second, "Table", r.table(), known);
            }
        }
    }

    private static void check(String file, String key, Optional<RouteTable> t, Set<String> known) throws ConfigException {
        if (t.isPresent() && t.get() instanceof RouteTable.Named(String name) && !known.contains(name)) {
            throw new ConfigException(file, 0, key, ConfigError.BAD_TABLE,
                    "routing table '" + name + "' is not defined in /etc/iproute2/rt_tables, so ip(8) cannot use it");
        }
    }
}
