package dev.jwg.cli.wg;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Stack;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * The picocli entry points of the {@code wg} subcommands. Picocli only dispatches: every argument
 * reaches the command verbatim and in order (values such as {@code -10.0.0.0/8} included), and the
 * command parses it with {@code wg}'s grammar. Not thread-safe (picocli fills the fields).
 */
public final class WgCommands {
    private WgCommands() {}

    /** {@code jwg} without a subcommand: {@code show}, as {@code wg} alone. */
    public static int showAll() {
        return run(cx -> WgShow.show(cx, List.of()));
    }

    /**
     * Runs the {@code wg} subcommand {@code name} with its arguments exactly as given, without
     * picocli: the hot path of {@code jwg show} and its kind (see {@code JwgMain#main}). The same code
     * the picocli commands below run.
     *
     * @return the exit status, or empty when {@code name} is not one of these subcommands
     */
    public static OptionalInt runDirect(String name, List<String> argv) {
        return command(name) == null ? OptionalInt.empty() : runDirect(name, argv, WgContext.system());
    }

    /** {@link #runDirect(String, List)} in the given context (the AOT training run's). */
    static OptionalInt runDirect(String name, List<String> argv, WgContext cx) {
        Raw command = command(name);
        if (command == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(command.run(cx, argv));
        } finally {
            cx.out().flush();
        }
    }

    private static Raw command(String name) {
        return switch (name) {
            case "show" -> new Show();
            case "showconf" -> new ShowConfCommand();
            case "set" -> new Set();
            case "setconf" -> new SetConf();
            case "addconf" -> new AddConf();
            case "syncconf" -> new SyncConfCommand();
            case "genkey" -> new GenKey();
            case "genpsk" -> new GenPsk();
            case "pubkey" -> new PubKey();
            default -> null;
        };
    }

    private static int run(ToIntFunction<WgContext> command) {
        WgContext cx = WgContext.system();
        try {
            return command.applyAsInt(cx);
        } finally {
            cx.out().flush();
        }
    }

    /** Hands every remaining argument to the command, in order. */
    static final class AllArguments implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            List<String> into = argSpec.getValue();
            if (into == null) {
                into = new ArrayList<>();
                argSpec.setValue(into);
            }
            while (!args.isEmpty()) {
                into.add(args.pop());
            }
        }
    }

    /** The raw arguments of a subcommand. */
    abstract static class Raw implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "ARG", parameterConsumer = AllArguments.class)
        List<String> positional = new ArrayList<>();

        /** Arguments picocli took for options; they can only come before the first positional one. */
        @Unmatched
        List<String> unmatched = new ArrayList<>();

        List<String> argv() {
            List<String> all = new ArrayList<>(unmatched);
            all.addAll(positional);
            return all;
        }

        abstract int run(WgContext cx, List<String> argv);

        @Override
        public Integer call() {
            List<String> argv = argv();
            return WgCommands.run(cx -> run(cx, argv));
        }
    }

    @Command(name = "show", description = "Shows the current configuration and device information (as wg show; --json for JSON)")
    public static final class Show extends Raw {
        @Override
        int run(WgContext cx, List<String> argv) {
            return WgShow.show(cx, argv);
        }
    }

    @Command(name = "showconf", description = "Shows the current configuration of a given WireGuard interface, for use with `setconf'")
    public static final class ShowConfCommand extends Raw {
        @Override
        int run(WgContext cx, List<String> argv) {
            return WgShow.showConf(cx, argv);
        }
    }

    @Command(name = "set", description = "Change the current configuration, add peers, remove peers, or change peers")
    public static final class Set extends Raw {
        @Override
        int run(WgContext cx, List<String> argv) {
            return WgSet.set(cx, argv);
        }
    }

    @Command(name = "setconf", description = "Applies a configuration file to a WireGuard interface")
    public static final class SetConf extends Raw {
        @Override
        int run(WgContext cx, List<String> argv) {
            return WgSet.conf(cx, "setconf", argv);
        }
    }

    @Command(name = "addconf", description = "Appends a configuration file to a WireGuard interface")
    public static final class AddConf extends Raw {
        @Override
        int run(WgContext cx, List<String> argv) {
            return WgSet.conf(cx, "addconf", argv);
        }
    }

    @Command(name = "syncconf", description = "Synchronizes a configuration file to a WireGuard interface")
    public static final class SyncConfCommand extends Raw {
        @Override
        int run(WgContext cx, List<String> argv) {
            return WgSet.conf(cx, "syncconf", argv);
        }
    }

    @Command(name = "genkey", description = "Generates a new private key and writes it to stdout")
    public static final class GenKey extends Raw {
        @Override
        int run(WgContext cx, List<String> argv) {
            return KeyCommands.generate(cx, "genkey", argv);
        }
    }

    @Command(name = "genpsk", description = "Generates a new preshared key and writes it to stdout")
    public static final class GenPsk extends Raw {
        @Override
        int run(WgContext cx, List<String> argv) {
            return KeyCommands.generate(cx, "genpsk", argv);
        }
    }

    @Command(name = "pubkey", description = "Reads a private key from stdin and writes a public key to stdout")
    public static final class PubKey extends Raw {
        @Override
        int run(WgContext cx, List<String> argv) {
            return KeyCommands.pubkey(cx, argv);
        }
    }

}
