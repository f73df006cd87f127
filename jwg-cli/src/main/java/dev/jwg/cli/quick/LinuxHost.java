package dev.jwg.cli.quick;

import dev.jwg.cli.uapi.UapiClient;
import dev.jwg.config.uapi.DeviceSnapshot;
import dev.jwg.config.uapi.UapiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The real system: programs through {@link ProcessBuilder}, daemons through {@link UapiClient}. Thread-safe. */
public final class LinuxHost implements Host {
    private final UapiClient uapi;

    public LinuxHost(UapiClient uapi) {
        this.uapi = uapi;
    }

    public LinuxHost() {
        this(new UapiClient());
    }

    @Override
    public int run(SysCommand command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command.argv());
        pb.environment().put("LC_ALL", "C"); // wg-quick exports LC_ALL=C for everything it runs
        pb.environment().putAll(env);
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.redirectInput(command.stdin().isPresent() ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.INHERIT);
        System.out.flush();
        System.err.flush();
        Process p = start(pb, command.argv());
        if (command.stdin().isPresent()) {
            try (OutputStream in = p.getOutputStream()) {
                in.write(command.stdin().get().getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the program did not read all of it; its exit status tells
            }
        }
        return waitFor(p);
    }

    @Override
    public Output query(List<String> argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("LC_ALL", "C");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = start(pb, argv);
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Output(waitFor(p), out);
    }

    private static Process start(ProcessBuilder pb, List<String> argv) throws IOException {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + argv.getFirst() + ": " + e.getMessage(), e);
        }
    }

    private static int waitFor(Process p) throws IOException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a command", e);
        }
    }

    @Override
    public void uapiSet(String ifname, String body) throws IOException, UapiException {
        uapi.set(ifname, body);
    }

    @Override
    public DeviceSnapshot uapiGet(String ifname) throws IOException, UapiException {
        return uapi.get(ifname);
    }

    @Override
    public Path uapiSocket(String ifname) {
        return uapi.socketPath(ifname);
    }

    @Override
    public boolean stopDaemon(String ifname, Duration timeout) throws IOException {
        return uapi.stop(ifname, timeout);
    }

    @Override
    public Optional<Path> which(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
