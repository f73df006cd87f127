package dev.jwg.core.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The protocol core is pure (docs/architecture.md §2, rule 1): no sockets, channels, FFM, threads, executors
 * or system clocks anywhere in jwg-core's main sources. This scans every source file.
 */
class CorePurityTest {
    static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("\\bjava\\.net\\b"),
            Pattern.compile("\\bjava\\.nio\\.channels\\b"),
            Pattern.compile("\\bjava\\.lang\\.foreign\\b"),
            Pattern.compile("\\bjava\\.io\\.File\\b|\\bjava\\.nio\\.file\\b"),
            Pattern.compile("\\bThread\\b"),
            Pattern.compile("\\bExecutor(Service|s)?\\b|\\bForkJoinPool\\b|\\bCompletableFuture\\b"),
            Pattern.compile("\\bjava\\.util\\.concurrent\\.(Executor|Scheduled|ForkJoin|Completable)"),
            Pattern.compile("System\\s*\\.\\s*(nanoTime|currentTimeMillis)"),
            Pattern.compile("\\bInstant\\s*\\.\\s*now\\b|\\bLocalDateTime\\b|\\bjava\\.time\\.Clock\\b"),
            Pattern.compile("\\bSecureRandom\\b|\\bnew\\s+Random\\s*\\("),
            Pattern.compile("\\bSocket\\b|\\bDatagram\\w*\\b"));

    @Test
    void coreMainSourcesUseNoIoThreadsOrClocks() throws IOException {
        Path root = Path.of("src/main/java");
        assertThat(root).isDirectory();
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(f -> f.toString().endsWith(".java")).toList()) {
                files++;
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    String code = stripComment(lines.get(i));
                    for (Pattern f : FORBIDDEN) {
                        if (f.matcher(code).find()) {
                            violations.add(root.relativize(p) + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertThat(files).as("source files scanned").isGreaterThan(20);
        assertThat(violations).isEmpty();
    }

    @Test
    void theScannerCatchesAViolation() {
        String sample = "import java.net.InetAddress; long t = System.nanoTime(); new Thread(r).start();";
        long hits = FORBIDDEN.stream().filter(f -> f.matcher(sample).find()).count();
        assertThat(hits).isEqualTo(3);
    }

    private static String stripComment(String line) {
        String t = line.trim();
        if (t.startsWith("*") || t.startsWith("/*") || t.startsWith("//")) {
            return "";
        }
        int c = line.indexOf("//");
        return c >= 0 ? line.substring(0, c) : line;
    }
}
