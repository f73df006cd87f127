package dev.jwg.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jwg}: the command-line front end. */
@Command(name = "jwg", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "A userspace WireGuard in Java: wg, wg-quick and systemd-networkd in one tool.",
        subcommands = {JwgMain.SelfCheckCommand.class, JwgMain.DemoCommand.class})
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

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new JwgMain()).execute(args);
        System.exit(code);
    }
}
