package dev.jwg.cli.quick;

import dev.jwg.device.metrics.MetricsServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics address written in a configuration file for {@code jwg up}: a comment line
 * {@code # jwg: MetricsAddress = 127.0.0.1:9586} (in a wg-quick file or a {@code .netdev}; the last
 * one counts). wg-quick, {@code wg} and networkd have no key for it and must keep accepting the file,
 * so it lives in a comment they skip; {@code jwg up} passes it to the daemon it starts as
 * {@code JWG_METRICS_ADDRESS} (docs/metrics.md). It concerns how the daemon runs, not the tunnel, so
 * it is not part of the configuration model and {@code jwg convert} does not carry it. Stateless.
 */
final class MetricsDirective {
    static final String KEY = "MetricsAddress";
    private static final Pattern LINE = Pattern.compile("^\\s*#\\s*jwg\\s*:\\s*(\\S+?)\\s*=\\s*(.*?)\\s*$");

    private MetricsDirective() {}

    /**
     * The address in {@code file}, checked as jwgd checks {@code --metrics}.
     *
     * @throws QuickException naming file, line and key when the value is not an address, or when a
     *     {@code # jwg:} line names another key
     */
    static Optional<String> read(Path file) throws QuickException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty(); // the configuration was read a moment ago; its reader reported any problem
        }
        Optional<String> found = Optional.empty();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LINE.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            String where = file.getFileName() + ":" + (i + 1) + ": ";
            if (!m.group(1).equalsIgnoreCase(KEY)) {
                throw new QuickException(where + m.group(1) + ": unknown jwg setting (the one there is: " + KEY + ")");
            }
            try {
                MetricsServer.parseAddress(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new QuickException(where + KEY + ": " + e.getMessage());
            }
            found = Optional.of(m.group(2));
        }
        return found;
    }

    /**
     * The daemon command with the address from {@code file} in its environment ({@code env
     * JWG_METRICS_ADDRESS=... daemon}), unless {@code fromEnvironment} (an address jwg up was given
     * in its own environment, which the daemon inherits and which wins) is set.
     */
    static List<String> apply(List<String> daemon, Path file, String fromEnvironment) throws QuickException {
        Optional<String> a = read(file);
        if (a.isEmpty() || (fromEnvironment != null && !fromEnvironment.isBlank())) {
            return daemon;
        }
        List<String> argv = new java.util.ArrayList<>(List.of("env", "JWG_METRICS_ADDRESS=" + a.get()));
        argv.addAll(daemon);
        return argv;
    }
}
