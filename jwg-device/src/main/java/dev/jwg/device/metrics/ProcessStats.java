package dev.jwg.device.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The process figures a scrape reports, under the names Prometheus' client libraries use
 * ({@code process_resident_memory_bytes}, ...): resident and virtual memory from
 * {@code /proc/self/status}, open file descriptors from {@code /proc/self/fd}, CPU time and start
 * time from {@link ProcessHandle}, and the JVM's heap from {@link Runtime}. A figure the system does
 * not give is left out. Immutable.
 */
record ProcessStats(OptionalLong residentBytes, OptionalLong virtualBytes, OptionalLong openFds,
        OptionalLong cpuNanos, OptionalLong startEpochMillis, long heapUsed, long heapCommitted, long heapMax) {

    /** Reads this process's figures now (a few small reads of /proc; no lock the data path takes). */
    static ProcessStats current() {
        OptionalLong rss = OptionalLong.empty();
        OptionalLong vsz = OptionalLong.empty();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmRSS:")) {
                    rss = kibibytes(line);
                } else if (line.startsWith("VmSize:")) {
                    vsz = kibibytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted: leave them out
        }
        OptionalLong fds = OptionalLong.empty();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            long n = 0;
            for (Path ignored : d) {
                n++;
            }
            fds = OptionalLong.of(n);
        } catch (IOException | RuntimeException e) {
            // left out
        }
        ProcessHandle.Info info = ProcessHandle.current().info();
        OptionalLong cpu = info.totalCpuDuration().map(c -> OptionalLong.of(c.toNanos())).orElse(OptionalLong.empty());
        OptionalLong start = info.startInstant().map(i -> OptionalLong.of(i.toEpochMilli())).orElse(OptionalLong.empty());
        Runtime rt = Runtime.getRuntime();
        long total = rt.totalMemory();
        return new ProcessStats(rss, vsz, fds, cpu, start, total - rt.freeMemory(), total, rt.maxMemory());
    }

    /** {@code "VmRSS:\t  12345 kB"} → bytes. */
    private static OptionalLong kibibytes(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
    }

    /** For tests: fixed figures. */
    static ProcessStats of(long rss, long vsz, long fds, long cpuNanos, Instant start, long heapUsed, long heapCommitted, long heapMax) {
        return new ProcessStats(OptionalLong.of(rss), OptionalLong.of(vsz), OptionalLong.of(fds), OptionalLong.of(cpuNanos),
                OptionalLong.of(start.toEpochMilli()), heapUsed, heapCommitted, heapMax);
    }
}
