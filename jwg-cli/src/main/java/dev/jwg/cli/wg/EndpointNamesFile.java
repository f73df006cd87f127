package dev.jwg.cli.wg;

import dev.jwg.cli.quick.StateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps {@code IF.endpoints} (the endpoint names jwgd looks up again, docs/endpoint-names.md) true
 * when {@code jwg setconf}/{@code addconf}/{@code syncconf} change the peers of an interface that
 * {@code jwg up} brought up: {@code systemctl reload jwg-quick@wg0} runs {@code jwg syncconf}, and
 * without this jwgd would keep looking up the names of the old file. Interfaces {@code jwg up} did
 * not bring up (no state and no names file) are left alone, so {@code jwg} stays {@code wg} for
 * them. Stateless.
 */
final class EndpointNamesFile {
    private EndpointNamesFile() {}

    /**
     * After a successful {@code setconf}/{@code syncconf} (the file's names replace the list) or
     * {@code addconf} (the file's peers are updated in it, the others kept).
     */
    static void afterConf(WgContext cx, String ifname, boolean add, ConfFile.Loaded loaded) {
        String dir = cx.env().apply("JWG_STATE_DIR");
        StateFile states = new StateFile(Path.of(dir != null && !dir.isEmpty() ? dir : "/run/jwg"));
        Path file = states.endpointNamesPath(ifname);
        if (!states.exists(ifname) && !Files.exists(file)) {
            return;
        }
        Map<String, String> names = new LinkedHashMap<>();
        try {
            if (add && Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] f = line.strip().split("\\s+");
                    if (f.length == 2 && !f[0].startsWith("#")) {
                        names.put(f[0], f[1]);
                    }
                }
                for (String peer : loaded.peers()) {
                    names.remove(peer);
                }
            }
            names.putAll(loaded.names());
            List<String> lines = new ArrayList<>();
            names.forEach((k, v) -> lines.add(k + " " + v));
            states.writeEndpointNames(ifname, lines);
        } catch (IOException e) {
            cx.err().println("Warning: cannot update " + file + ": " + e.getMessage()
                    + "; jwgd keeps looking up the endpoint names it had");
        }
    }
}
