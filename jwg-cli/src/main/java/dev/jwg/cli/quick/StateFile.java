package dev.jwg.cli.quick;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The record of what {@code jwg up} did to one interface, kept in {@code /run/jwg/IF.state} so that
 * {@code jwg down} undoes exactly that, and nothing a user or another tool added.
 *
 * <p>One line per item, fields separated by a tab; written as {@code up} goes, one {@code did} line per
 * completed step (and an {@code undo} line after it when the step must be taken back explicitly), so
 * that even an {@code up} killed half-way leaves a state {@code down} can clean up:
 *
 * <pre>
 * # jwg: what 'jwg up' did to wg0; 'jwg down wg0' undoes it. Do not edit.
 * version	1
 * interface	wg0
 * netns	net:[4026531840]
 * mode	wg-quick
 * config	/etc/wireguard/wg0.conf
 * did	/opt/jwg/bin/jwgd wg0
 * undo	link	ip link delete dev wg0
 * did	ip -4 rule add not fwmark 51820 table 51820
 * undo	rule	ip -4 rule delete not fwmark 51820 table 51820
 * complete
 * </pre>
 *
 * Addresses, MTU and routes through the link have no {@code undo}: deleting the link removes them.
 *
 * <p>One command at a time per interface: {@code up}, {@code down} and {@code save} hold
 * {@link #lock} ({@code /run/lock/jwg/IF.lock}, a POSIX record lock that the kernel releases
 * when the process ends, however it ends), so that a second {@code jwg up IF} started while
 * the first is still working waits for it instead of taking its half-written state for a stale one.
 * Not thread-safe.
 */
public final class StateFile {
    static final int VERSION = 1;
    private final Path directory;
    private final Path lockDirectory;

    /** Where the configuration came from, which decides how {@code down} reads it again. */
    public enum Mode {
        WG_QUICK, NETWORKD;

        String keyword() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Mode of(String s) throws IOException {
            for (Mode m : values()) {
                if (m.keyword().equals(s)) {
                    return m;
                }
            }
            throw new IOException("unknown mode " + s);
        }
    }

    /**
     * One completed step.
     *
     * @param did the step's {@code [#]} text
     * @param undo what takes it back, if anything must
     */
    public record Entry(String did, Optional<Undo> undo) {
        public Entry {
            Objects.requireNonNull(did);
            Objects.requireNonNull(undo);
        }
    }

    /**
     * A state file's content.
     *
     * @param ifname the interface
     * @param netns the network namespace it was created in ({@code readlink /proc/self/ns/net})
     * @param mode wg-quick or networkd
     * @param config the configuration file used ({@code .conf} or {@code .netdev}), absolute
     * @param entries the completed steps in order
     * @param complete whether {@code up} finished
     */
    public record State(String ifname, String netns, Mode mode, Path config, List<Entry> entries, boolean complete) {
        public State {
            Objects.requireNonNull(ifname);
            Objects.requireNonNull(netns);
            Objects.requireNonNull(mode);
            Objects.requireNonNull(config);
            entries = List.copyOf(entries);
        }

        /** The undos in the order {@link Entry entries} were recorded. */
        public List<Undo> undos() {
            return entries.stream().flatMap(e -> e.undo().stream()).toList();
        }
    }

    /** States in {@code directory}, locks in its {@code locks/}. */
    public StateFile(Path directory) {
        this(directory, directory.resolve("locks"));
    }

    private StateFile(Path directory, Path lockDirectory) {
        this.directory = Objects.requireNonNull(directory);
        this.lockDirectory = Objects.requireNonNull(lockDirectory);
    }

    /** {@code /run/jwg} with locks in {@code /run/lock/jwg}, or {@code $JWG_STATE_DIR} with its {@code locks/}. */
    public static StateFile system() {
        String dir = System.getenv("JWG_STATE_DIR");
        return dir != null && !dir.isEmpty() ? new StateFile(Path.of(dir))
                : new StateFile(Path.of("/run/jwg"), Path.of("/run/lock/jwg"));
    }

    public Path path(String ifname) {
        return directory.resolve(ifname + ".state");
    }

    /**
     * {@code IF.endpoints} beside the state: the peers whose endpoint was given as a host name, one
     * {@code PUBLIC-KEY HOST:PORT} line each, which jwgd reads to re-resolve them
     * (dev.jwg.device.EndpointReresolver, docs/endpoint-names.md).
     */
    public Path endpointNamesPath(String ifname) {
        return directory.resolve(ifname + ".endpoints");
    }

    /**
     * Writes {@link #endpointNamesPath} at once (a new file moved in place, mode 0600), or deletes it
     * when {@code lines} is empty.
     */
    public void writeEndpointNames(String ifname, List<String> lines) throws IOException {
        Path p = endpointNamesPath(ifname);
        if (lines.isEmpty()) {
            Files.deleteIfExists(p);
            return;
        }
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = directory.resolve("." + ifname + ".endpoints.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder sb = new StringBuilder("# jwg: peers of " + ifname + " whose endpoint is a host name; jwgd looks them up"
                + " again when their handshake is stale. Written by 'jwg up'.\n");
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public void deleteEndpointNames(String ifname) throws IOException {
        Files.deleteIfExists(endpointNamesPath(ifname));
    }

    public boolean exists(String ifname) {
        return Files.exists(path(ifname));
    }

    /** Reads the state of {@code ifname}; empty if there is none. */
    public Optional<State> read(String ifname) throws IOException {
        String text;
        try {
            text = Files.readString(path(ifname), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(parse(text, path(ifname)));
    }

    static State parse(String text, Path where) throws IOException {
        String ifname = null;
        String netns = "";
        Mode mode = null;
        Path config = null;
        boolean complete = false;
        int version = -1;
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                switch (f[0]) {
                    case "version" -> version = Integer.parseInt(f[1]);
                    case "interface" -> ifname = f[1];
                    case "netns" -> netns = f[1];
                    case "mode" -> mode = Mode.of(f[1]);
                    case "config" -> config = Path.of(f[1]);
                    case "did" -> entries.add(new Entry(f[1], Optional.empty()));
                    case "undo" -> {
                        if (entries.isEmpty() || entries.getLast().undo().isPresent()) {
                            throw new IOException("undo without a step");
                        }
                        Undo u = Undo.of(Undo.Kind.of(f[1]), List.of(f[2].split(" ", -1)));
                        entries.set(entries.size() - 1, new Entry(entries.getLast().did(), Optional.of(u)));
                    }
                    case "complete" -> complete = true;
                    default -> throw new IOException("unknown item '" + f[0] + "'");
                }
            } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
                throw new IOException(where + ":" + (n + 1) + ": malformed line", e);
            } catch (IOException e) {
                throw new IOException(where + ":" + (n + 1) + ": " + e.getMessage(), e);
            }
        }
        if (version != VERSION || ifname == null || mode == null || config == null) {
            throw new IOException(where + ": not a jwg state file of version " + VERSION);
        }
        return new State(ifname, netns, mode, config, entries, complete);
    }

    /** The text of a state (what {@link Journal} writes incrementally). */
    static String format(State s) {
        StringBuilder sb = new StringBuilder(header(s.ifname(), s.netns(), s.mode(), s.config()));
        for (Entry e : s.entries()) {
            sb.append(entryLines(e));
        }
        if (s.complete()) {
            sb.append("complete\n");
        }
        return sb.toString();
    }

    private static String header(String ifname, String netns, Mode mode, Path config) {
        return "# jwg: what 'jwg up' did to " + ifname + "; 'jwg down " + ifname + "' undoes it. Do not edit.\n"
                + "version\t" + VERSION + "\n"
                + "interface\t" + ifname + "\n"
                + "netns\t" + oneLine(netns) + "\n"
                + "mode\t" + mode.keyword() + "\n"
                + "config\t" + oneLine(config.toString()) + "\n";
    }

    private static String entryLines(Entry e) {
        String s = "did\t" + oneLine(e.did()) + "\n";
        if (e.undo().isPresent()) {
            Undo u = e.undo().get();
            s += "undo\t" + u.kind().keyword() + "\t" + u.command().display() + "\n";
        }
        return s;
    }

    private static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < ' ' || c == 0x7f ? ' ' : c);
        }
        return sb.toString();
    }

    /**
     * Starts the state of a new {@code up}; fails if one exists.
     *
     * @throws FileAlreadyExistsException if {@code ifname} has a state already
     */
    public Journal create(String ifname, String netns, Mode mode, Path config) throws IOException {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path p = path(ifname);
        FileChannel ch = FileChannel.open(p, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Journal j = new Journal(p, ch);
        j.write(header(ifname, netns, mode, config));
        return j;
    }

    /** The state recorded for the configuration file {@code config} (absolute, links resolved), if any. */
    public Optional<State> findByConfig(Path config) throws IOException {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "*.state")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                Optional<State> s;
                try {
                    s = read(name.substring(0, name.length() - ".state".length()));
                } catch (IOException damaged) {
                    continue;
                }
                if (s.isPresent() && s.get().config().equals(config)) {
                    return s;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Takes the lock of {@code ifname}, waiting while another process holds it; {@code waiting} is
     * told once, with the holder's process id when known, before the wait. The lock is released by
     * {@link InterfaceLock#close} or, however the process ends, by the kernel. The lock file stays
     * (deleting it would let a waiter and a newcomer lock two different files); it lives in
     * {@link #lockDirectory}, not beside the states, so that what {@code up} leaves in the state
     * directory is only its state.
     */
    public InterfaceLock lock(String ifname, Consumer<String> waiting) throws IOException {
        Files.createDirectories(lockDirectory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path p = lockDirectory.resolve(ifname + ".lock");
        FileChannel ch = FileChannel.open(p, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                // Reading by path is safe here only because this process holds no lock on the file
                // yet: closing any descriptor of a file drops the POSIX locks the process holds on it.
                String holder = "";
                try {
                    String pid = Files.readString(p, StandardCharsets.US_ASCII).trim();
                    holder = pid.matches("[0-9]{1,10}") ? " (pid " + pid + ")" : "";
                } catch (IOException e) {
                    // the message goes without the pid
                }
                waiting.accept("another jwg command" + holder + " is changing " + ifname + "; waiting for it to finish");
                l = ch.lock();
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new InterfaceLock(ch, l);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Where {@link #lock} keeps its files: {@code /run/lock/jwg}, or {@code locks/} in a state directory given by hand. */
    public Path lockDirectory() {
        return lockDirectory;
    }

    /** A held {@link #lock}: closing it releases it. Closing twice does nothing more. */
    public static final class InterfaceLock implements AutoCloseable {
        private final FileChannel ch;
        private final FileLock lock;

        private InterfaceLock(FileChannel ch, FileLock lock) {
            this.ch = ch;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            if (!ch.isOpen()) {
                return;
            }
            try {
                ch.truncate(0);
                lock.release();
            } finally {
                ch.close();
            }
        }
    }

    /** Removes the state of {@code ifname}, if any. */
    public void delete(String ifname) throws IOException {
        Files.deleteIfExists(path(ifname));
    }

    /** Appends to one state file as {@code up} proceeds. Not thread-safe. */
    public static final class Journal implements AutoCloseable {
        private final Path path;
        private final FileChannel ch;

        private Journal(Path path, FileChannel ch) {
            this.path = path;
            this.ch = ch;
        }

        public Path path() {
            return path;
        }

        /** Records a completed step. */
        public void record(Entry e) throws IOException {
            write(entryLines(e));
        }

        /** Records that {@code up} finished. */
        public void complete() throws IOException {
            write("complete\n");
        }

        private void write(String s) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
