package dev.jwg.cli.quick;

import java.util.List;
import java.util.Objects;

/**
 * Everything {@code jwg up} will do to the system, computed from the configuration and a few
 * {@link Facts} before anything is touched, and executed afterwards by {@link Executor}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param ifname the interface
 * @param steps in order
 */
public record Plan(String ifname, List<Step> steps) {
    public Plan {
        Objects.requireNonNull(ifname);
        steps = List.copyOf(steps);
    }

    /** The lines the steps print, in order: what the user sees, and what the tests compare. */
    public List<String> lines() {
        return steps.stream().map(Step::line).toList();
    }
}
