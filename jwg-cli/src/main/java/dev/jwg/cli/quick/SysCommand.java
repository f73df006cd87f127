package dev.jwg.cli.quick;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One program run on the system, as wg-quick's {@code cmd} runs it: an argument vector, optionally
 * fed text on standard input ({@code resolvconf -a}, {@code nft -f /dev/stdin}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param argv program and arguments, not empty
 * @param stdin text written to the program's standard input; absent: stdin is inherited
 */
public record SysCommand(List<String> argv, Optional<String> stdin) {
    public SysCommand {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        Objects.requireNonNull(stdin);
    }

    /** A command without input. */
    public static SysCommand of(String... argv) {
        return new SysCommand(List.of(argv), Optional.empty());
    }

    /** A command without input. */
    public static SysCommand of(List<String> argv) {
        return new SysCommand(argv, Optional.empty());
    }

    /** The same command fed {@code text} on standard input. */
    public SysCommand withStdin(String text) {
        return new SysCommand(argv, Optional.of(text));
    }

    /** The words joined by spaces, as wg-quick prints {@code $*} after {@code [#]}. */
    public String display() {
        return String.join(" ", argv);
    }

    @Override
    public String toString() {
        return display();
    }
}
