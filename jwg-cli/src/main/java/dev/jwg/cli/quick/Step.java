package dev.jwg.cli.quick;

import java.util.Objects;
import java.util.Optional;

/**
 * One step of a {@link Plan}. Every step prints one line before it runs: {@code [#] …} for what is done
 * to the system (as wg-quick's {@code cmd} and {@code execute_hooks} print it), {@code [!] …} for a
 * note. Immutable and thread-safe.
 */
public sealed interface Step {

    /** The line printed when the step runs, {@code [#] ip link set mtu 1420 up dev wg0}. */
    String line();

    /** What takes this step back, recorded in the state file once the step succeeded. */
    default Optional<Undo> undo() {
        return Optional.empty();
    }

    /**
     * A program run on the system.
     *
     * @param command what to run
     * @param undo what takes it back; absent when deleting the link does (addresses, device routes,
     *     MTU) or nothing does ({@code sysctl})
     */
    record Run(SysCommand command, Optional<Undo> undo) implements Step {
        public Run {
            Objects.requireNonNull(command);
            Objects.requireNonNull(undo);
        }

        public Run(SysCommand command) {
            this(command, Optional.empty());
        }

        public Run(SysCommand command, Undo undo) {
            this(command, Optional.of(undo));
        }

        @Override
        public String line() {
            return "[#] " + command.display();
        }
    }

    /**
     * A set request to the daemon over its UAPI socket; gone with the link.
     *
     * @param shown the equivalent {@code wg} command, for the {@code [#]} line
     * @param body the request lines after {@code set=1}, each ending in a newline, without the blank line
     */
    record UapiSet(String shown, String body) implements Step {
        public UapiSet {
            Objects.requireNonNull(shown);
            Objects.requireNonNull(body);
        }

        @Override
        public String line() {
            return "[#] " + shown;
        }

        /** Never shows the request, which may hold keys. */
        @Override
        public String toString() {
            return "UapiSet[" + shown + "]";
        }
    }

    /**
     * A PreUp/PostUp/PreDown/PostDown hook, {@code %i} already replaced, run by bash as wg-quick's
     * {@code execute_hooks} runs it (errexit and pipefail on).
     *
     * @param text the shell text
     */
    record Hook(String text) implements Step {
        public Hook {
            Objects.requireNonNull(text);
        }

        @Override
        public String line() {
            return "[#] " + text;
        }
    }

    /**
     * Something the user should know at this point, printed as {@code [!] …}; nothing runs.
     *
     * @param text one line
     */
    record Note(String text) implements Step {
        public Note {
            Objects.requireNonNull(text);
        }

        @Override
        public String line() {
            return "[!] " + text;
        }
    }
}
