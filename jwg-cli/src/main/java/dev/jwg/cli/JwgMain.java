package dev.jwg.cli;

import dev.jwg.cli.quick.ConvertCommand;
import dev.jwg.cli.quick.QuickCommands;
import dev.jwg.cli.wg.WgCommands;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jwg}: the command-line front end. */
@Command(name = "jwg", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "A userspace WireGuard in Java: wg, wg-quick and systemd-networkd in one tool.",
        subcommands = {JwgMain.SelfCheckCommand.class,
            WgCommands.Show.class, WgCommands.ShowConfCommand.class, WgCommands.Set.class, WgCommands.SetConf.class,
            WgCommands.AddConf.class, WgCommands.SyncConfCommand.class, WgCommands.GenKey.class,
            WgCommands.GenPsk.class, WgCommands.PubKey.class,
            QuickCommands.Up.class, QuickCommands.Down.class, QuickCommands.Save.class, QuickCommands.Strip.class,
            ConvertCommand.class, JwgMain.DemoCommand.class})
public final class JwgMain implements Callable<Integer> {

    @Command(name = "selfcheck", description = "Run a handshake and data exchange between two peers in memory and explain each step.")
    static final class SelfCheckCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            return new SelfCheck(System.out).run();
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
            description = {"Build WireGuard tunnels between network namespaces here, step by step, explained (root).",
                "jwgd<->jwgd with jwg's own wg commands, then jwgd<->wireguard-go and a 3 s iperf3 when those are"
                    + " installed; every command is shown as it runs. Removes everything it created at the end, also on"
                    + " failure or Ctrl-C. Run it as: sudo jwg demo (from a checkout: sudo bin/jwg demo)"})
    static final class DemoCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            return new Demo(System.out, java.util.Optional.empty()).run();
        }
    }

    /** Without a subcommand, as {@code wg}: {@code show}. */
    @Override
    public Integer call() {
        return WgCommands.showAll();
    }

    public static void main(String[] args) {
        OptionalInt direct = direct(args);
        System.exit(direct.isPresent() ? direct.getAsInt() : new CommandLine(new JwgMain()).execute(args));
    }

    /**
     * The commands people and scripts run most, run without building picocli's model: the {@code wg}
     * subcommands (their arguments go verbatim to {@code wg}'s grammar anyway), {@code up}, {@code down},
     * {@code save}, {@code strip} with one plain argument, and {@code --version}. Everything else,
     * help included, goes through picocli, which costs ~0.2 s of CPU per start on the development VM
     * ({@code jwg help} against {@code jwg --version}, both with the AOT cache): it reflects over every
     * command class, and its own classes (Java 5 class files) cannot be stored in an AOT cache.
     *
     * @return the exit status, or empty when picocli should handle these arguments
     */
    static OptionalInt direct(String[] args) {
        if (args.length == 0) {
            return OptionalInt.of(WgCommands.showAll());
        }
        if (args.length == 1 && args[0].equals("--aot-training")) {
            return OptionalInt.of(JwgTraining.run());
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println(Version.line("jwg"));
            return OptionalInt.of(0);
        }
        OptionalInt wg = WgCommands.runDirect(args[0], List.of(args).subList(1, args.length));
        if (wg.isPresent()) {
            return wg;
        }
        if (args.length == 2 && !args[1].startsWith("-")) {
            return QuickCommands.runDirect(args[0], args[1]);
        }
        return OptionalInt.empty();
    }
}
