package dev.jwg.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The version string of jwg, from the build. Stateless. */
public final class Version {
    private Version() {}

    public static String number() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/jwg-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    /** "jwg 0.1.0 (Java 25.0.3, linux-amd64)". */
    public static String line(String program) {
        return program + " " + number() + " (Java " + Runtime.version() + ", " + System.getProperty("os.name").toLowerCase()
                + "-" + arch() + ")";
    }

    private static String arch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }

    /**
     * The version for picocli's {@code --version}. A class of its own: a class implementing one of
     * picocli's interfaces cannot be stored in an AOT cache (picocli's class files are Java 5's), and
     * {@code jwg --version} loads {@link Version} on every start.
     */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line("jwg")};
        }
    }
}
