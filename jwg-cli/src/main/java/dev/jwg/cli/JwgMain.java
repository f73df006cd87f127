package dev.jwg.cli;

import dev.jwg.cli.quick.ConvertCommand;
import dev.jwg.cli.quick.QuickCommands;
import dev.jwg.cli.wg.WgCommands;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jwg}: the command-line front end. */
@Command(name = "jwg", mixinStandardHelpOptions = true, versionProvider = Version.class,
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

    @Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Build WireGuard tunnels between network namespaces here, step by step, explained (root).",
                "jwgd<->jwgd, then jwgd<->wireguard-go and a 3 s iperf3 when those are installed; every command is"
                    + " shown as it runs. Removes everything it created at the end, also on failure or Ctrl-C."
                    + " Run it as: sudo bin/jwg demo"})
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
        int code = new CommandLine(new JwgMain()).execute(args);
        System.exit(code);
    }
}
