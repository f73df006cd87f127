package dev.jwg.cli.quick;

import dev.jwg.cli.Version;
import dev.jwg.config.Convert;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.TunnelConfig;
import dev.jwg.config.networkd.NetworkdLoader;
import dev.jwg.config.networkd.NetworkdWriter;
import dev.jwg.config.wgquick.WgQuickParser;
import dev.jwg.config.wgquick.WgQuickWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jwg convert FILE [--to networkd|wg-quick] [--output-dir DIR]}: a wg-quick file as a
 * {@code .netdev} and {@code .network}, or a {@code .netdev} (with its {@code .network}) as a wg-quick
 * file, through {@link Convert}. What cannot be expressed is listed as warnings on standard error.
 * Without {@code --output-dir} the result is printed; the netdev and network are then separated by
 * {@code # FILE} comment lines, valid in both formats. A picocli command: one use, not thread-safe.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "Convert between wg-quick (.conf) and systemd-networkd (.netdev + .network) configurations.")
public final class ConvertCommand implements Callable<Integer> {
    /** Output format. */
    enum Format { NETWORKD, WG_QUICK }

    @Parameters(paramLabel = "FILE", description = "a wg-quick .conf or a systemd-networkd .netdev")
    String file;

    @Option(names = "--to", paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "networkd or wg-quick; default: the other format")
    Format to;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR",
            description = "write the files into DIR (80-IF.netdev + 85-IF.network, or IF.conf) instead of printing")
    Path outputDir;

    @Option(names = "--force", description = "overwrite existing files in the output directory")
    boolean force;

    /** Accepts {@code wg-quick} and {@code networkd}. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String s) {
            return switch (s) {
                case "networkd" -> Format.NETWORKD;
                case "wg-quick", "wgquick", "wg_quick" -> Format.WG_QUICK;
                default -> throw new picocli.CommandLine.TypeConversionException("expected networkd or wg-quick, got '" + s + "'");
            };
        }
    }

    @Override
    public Integer call() {
        try {
            return convert(System.out, System.err);
        } catch (ConfigException | QuickException | IOException e) {
            System.err.println("jwg: " + e.getMessage());
            return 1;
        }
    }

    int convert(PrintStream out, PrintStream err) throws ConfigException, QuickException, IOException {
        boolean fromNetworkd = file.endsWith(".netdev");
        if (!fromNetworkd && !file.endsWith(".conf")) {
            throw new QuickException("'" + file + "' is neither a .conf nor a .netdev file");
        }
        TunnelConfig c = fromNetworkd ? NetworkdLoader.load(Path.of(file)) : WgQuickParser.parse(Path.of(file));
        Format target = to != null ? to : fromNetworkd ? Format.WG_QUICK : Format.NETWORKD;
        List<String> warnings = new ArrayList<>();
        List<Output> files = new ArrayList<>();
        if (target == Format.NETWORKD) {
            String netdev;
            String network;
            if (fromNetworkd) {
                netdev = NetworkdWriter.toNetdevString(c);
                network = c.network().map(NetworkdWriter::toNetworkString).orElse(null);
            } else {
                Convert.NetworkdFiles n = Convert.wgQuickToNetworkd(c);
                warnings.addAll(n.warnings());
                netdev = n.netdev();
                network = n.network();
            }
            files.add(new Output("80-" + c.name() + ".netdev", netdev, true));
            if (network != null) {
                files.add(new Output("85-" + c.name() + ".network", network, false));
            }
        } else {
            String text;
            if (fromNetworkd) {
                Convert.WgQuickFile w = Convert.networkdToWgQuick(c);
                warnings.addAll(w.warnings());
                text = w.text();
            } else {
                text = WgQuickWriter.toWgQuickString(c);
            }
            files.add(new Output(c.name() + ".conf", text, true));
        }
        for (String w : warnings) {
            err.println("jwg: warning: " + w);
        }
        if (outputDir == null) {
            for (Output o : files) {
                if (files.size() > 1) {
                    out.println("# " + o.name);
                }
                out.print(o.text);
                if (files.size() > 1 && o != files.getLast()) {
                    out.println();
                }
            }
            out.flush();
            return 0;
        }
        Files.createDirectories(outputDir);
        for (Output o : files) {
            Path p = outputDir.resolve(o.name);
            write(p, o.text, o.secret);
            err.println("jwg: wrote " + p);
        }
        return 0;
    }

    /** A file to write; {@code secret} files hold keys. */
    private record Output(String name, String text, boolean secret) {}

    /**
     * Writes a file: 0600 if it holds keys — 0640 with group systemd-network for a .netdev when that
     * group exists, so networkd can read it — else 0644.
     */
    private void write(Path p, String text, boolean secret) throws IOException, QuickException {
        if (Files.exists(p) && !force) {
            throw new QuickException(p + " exists (use --force to overwrite)");
        }
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (OutputStream o = Files.newOutputStream(Files.createFile(tmp,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), StandardOpenOption.WRITE)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        if (!secret) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } else if (p.getFileName().toString().endsWith(".netdev")) {
            try {
                GroupPrincipal g = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("systemd-network");
                Files.getFileAttributeView(tmp, PosixFileAttributeView.class).setGroup(g);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r-----"));
            } catch (IOException noSuchGroup) {
                // stays 0600
            }
        }
        try {
            Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new QuickException(p + " exists", e);
        }
    }
}
