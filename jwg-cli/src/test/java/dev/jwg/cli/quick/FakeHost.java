package dev.jwg.cli.quick;

import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.UapiErrno;
import dev.jwg.config.uapi.UapiException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** A host that records what it is asked to do and fails where told to. Not thread-safe. */
final class FakeHost implements Host {
    /** What was done, in order: command lines, {@code uapi set IF: BODY}. */
    final List<String> log = new ArrayList<>();
    /** Answers to queries, by their words joined with spaces. */
    final Map<String, Output> queries = new HashMap<>();
    Predicate<String> fails = s -> false;
    DeviceSnapshot device;

    @Override
    public int run(SysCommand command, Map<String, String> env) {
        String line = command.argv().getFirst().equals("bash") ? "hook: " + command.argv().getLast() : command.display();
        log.add(line);
        return fails.test(line) ? 1 : 0;
    }

    @Override
    public Output query(List<String> argv) {
        return queries.getOrDefault(String.join(" ", argv), new Output(1, ""));
    }

    @Override
    public void uapiSet(String ifname, String body) throws UapiException {
        String line = "uapi set " + ifname + ": " + body.replace("\n", "\\n");
        log.add(line);
        if (fails.test(line)) {
            throw new UapiException(UapiErrno.EINVAL, 0, "invalid argument", null);
        }
    }

    @Override
    public DeviceSnapshot uapiGet(String ifname) throws IOException {
        if (device == null) {
            throw new IOException("no daemon");
        }
        return device;
    }

    @Override
    public Path uapiSocket(String ifname) {
        return Path.of("/var/run/wireguard", ifname + ".sock");
    }

    @Override
    public boolean stopDaemon(String ifname, Duration timeout) {
        String line = "stop daemon " + ifname;
        log.add(line);
        device = null; // its socket is gone
        return !fails.test(line);
    }

    @Override
    public Optional<Path> which(String name) {
        return Optional.empty();
    }
}
