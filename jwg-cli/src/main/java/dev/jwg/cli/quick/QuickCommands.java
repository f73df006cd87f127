package dev.jwg.cli.quick;

import dev.jwg.cli.Version;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.networkd.NetworkdLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The picocli commands {@code jwg up|down|save|strip}: wiring only, the work is in {@link Quick}.
 * Errors are printed as {@code jwg: MESSAGE} (configuration errors as {@code file:line: Key: reason})
 * with exit status 1. Each command object serves one invocation; not thread-safe.
 */
public final class QuickCommands {
    private QuickCommands() {}

    static final String CONFIG_HELP = "CONFIG_FILE ending in .conf (wg-quick; the interface is named after the file), "
            + "a systemd-networkd .netdev (with the .network networkd would apply), or a bare interface name: "
            + "/etc/wireguard/IF.conf, else the .netdev with Name=IF in networkd's directories "
            + "(/etc/systemd/network, /run/systemd/network, /usr/local/lib/systemd/network, /usr/lib/systemd/network).";

    /**
     * Runs {@code jwg up|down|save|strip CONFIG} (no options) without picocli, as the picocli command
     * would (see {@code JwgMain#direct}).
     *
     * @return the exit status, or empty when {@code name} is not one of these commands
     */
    public static OptionalInt runDirect(String name, String config) {
        return switch (name) {
            case "up" -> {
                Up up = new Up();
                up.config = config;
                yield OptionalInt.of(up.call());
            }
            case "down" -> OptionalInt.of(run(Quick::down, config));
            case "save" -> OptionalInt.of(run(Quick::save, config));
            case "strip" -> OptionalInt.of(run(Quick::strip, config));
            default -> OptionalInt.empty();
        };
    }

    /** What a command does with its argument; it may fail the usual ways. */
    @FunctionalInterface
    interface Body {
        int run(Quick q, String config) throws QuickException, ConfigException, IOException;
    }

    /** A command taking one {@code CONFIG_FILE|IF} argument: runs its body on it, prints a failure. */
    abstract static class ConfigCommand implements Callable<Integer> {
        private final Body body;

        @Parameters(paramLabel = "CONFIG_FILE|IF", description = CONFIG_HELP)
        String config;

        ConfigCommand(Body body) {
            this.body = body;
        }

        @Override
        public Integer call() {
            return run(body, config);
        }
    }

    /** Runs {@code body} on {@code arg} on the real system, printing a failure as {@code jwg: MESSAGE}. */
    static int run(Body body, String arg) {
        try {
            return body.run(Quick.system(), arg);
        } catch (ConfigException | QuickException | IOException e) {
            System.err.println("jwg: " + e.getMessage());
        }
        return 1;
    }

    @Command(name = "up", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
            description = {"Bring up a WireGuard interface as wg-quick does, on the userspace daemon jwgd: "
                    + "PreUp, configuration, addresses, MTU, DNS, routes (full tunnel for 0.0.0.0/0 and ::/0), PostUp.",
                    "Every change is printed as [#] and recorded in /run/jwg/IF.state; a failure undoes all of them.",
                    "DNS goes through resolvconf, else systemd-resolved (resolvectl); with neither, up refuses "
                            + "rather than leak DNS, unless --no-dns is given."})
    public static final class Up implements Callable<Integer> {
        @Parameters(paramLabel = "CONFIG_FILE|IF", description = CONFIG_HELP)
        String config;

        @Option(names = "--no-dns", description = "Bring the tunnel up without applying its DNS settings "
                + "(DNS in a wg-quick file, DNS= and Domains= in a .network); a note says what was left out.")
        boolean noDns;

        @Option(names = "--networkd", description = "IF names the systemd-networkd .netdev with Name=IF, even when "
                + "/etc/wireguard/IF.conf exists (as the unit jwg-networkd@IF.service uses it).")
        boolean networkd;

        @Override
        public Integer call() {
            return run((q, c) -> q.up(networkd ? networkdNetdev(c) : c, noDns), config);
        }
    }

    /**
     * For {@code --networkd}: the {@code .netdev} on networkd's search path whose {@code Name=} is
     * {@code ifname}, whether or not {@code /etc/wireguard/IF.conf} exists.
     */
    static String networkdNetdev(String ifname) throws QuickException, ConfigException {
        if (!ConfigSource.isBareName(ifname)) {
            throw new QuickException("--networkd takes an interface name, not '" + ifname + "'");
        }
        return NetworkdLoader.findNetdev(ifname, NetworkdLoader.SEARCH_PATH).map(Path::toString)
                .orElseThrow(() -> new QuickException("no .netdev in " + NetworkdLoader.SEARCH_PATH.stream().map(Path::toString)
                        .collect(Collectors.joining(", ")) + " has Name=" + ifname + " and Kind=wireguard"));
    }

    @Command(name = "down", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
            description = "Take down an interface brought up by 'jwg up': PreDown, SaveConfig, then exactly what "
                    + "'up' recorded is removed (rules, routes, the interface, DNS, firewall), PostDown.")
    public static final class Down extends ConfigCommand {
        public Down() {
            super(Quick::down);
        }
    }

    @Command(name = "save", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
            description = "Rewrite a wg-quick configuration from the live interface, as 'wg-quick save'.")
    public static final class Save extends ConfigCommand {
        public Save() {
            super(Quick::save);
        }
    }

    @Command(name = "strip", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
            description = "Print the configuration without wg-quick's keys, as 'wg-quick strip' "
                    + "(e.g. wg syncconf wg0 <(jwg strip wg0)).")
    public static final class Strip implements Callable<Integer> {
        @Parameters(paramLabel = "CONFIG_FILE|IF", description = CONFIG_HELP)
        String config;

        @Option(names = "--networkd", description = "IF names the systemd-networkd .netdev with Name=IF, even when "
                + "/etc/wireguard/IF.conf exists.")
        boolean networkd;

        @Override
        public Integer call() {
            return run((q, c) -> q.strip(networkd ? networkdNetdev(c) : c), config);
        }
    }
}
