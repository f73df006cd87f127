package dev.jwg.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's levels, its two line formats and how the format is chosen. */
class LogTest {
    @TempDir
    Path dir;

    private static String lines(Log.Level level, Log.Format format, java.util.function.Consumer<Log> use) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Log log = new Log(level, "wg0", new PrintStream(bytes, true, StandardCharsets.UTF_8), format);
        use.accept(log);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void journalLinesCarryThePriorityAndNoTime() {
        String out = lines(Log.Level.VERBOSE, Log.Format.JOURNAL, log -> {
            log.error("Failed to %s", "send");
            log.warn("peer(AbCd…WxYz) - endpoint changed");
            log.verbose("Device started");
        });
        assertThat(out).isEqualTo("<3>ERROR: (wg0) Failed to send\n"
                + "<4>WARNING: (wg0) peer(AbCd…WxYz) - endpoint changed\n"
                + "<7>DEBUG: (wg0) Device started\n");
    }

    @Test
    void plainLinesAreWireguardGos() {
        String out = lines(Log.Level.ERROR, Log.Format.PLAIN, log -> {
            log.error("boom");
            log.verbose("hidden");
        });
        assertThat(out).matches("ERROR: \\(wg0\\) \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d boom\n");
    }

    @Test
    void levelsFilter() {
        assertThat(lines(Log.Level.ERROR, Log.Format.JOURNAL, log -> {
            log.verbose("v");
            log.warn("w");
            log.error("e");
        })).isEqualTo("<4>WARNING: (wg0) w\n<3>ERROR: (wg0) e\n");
        assertThat(lines(Log.Level.SILENT, Log.Format.JOURNAL, log -> {
            log.warn("w");
            log.error("e");
        })).isEmpty();
        assertThat(Log.levelFromEnv(null)).isEqualTo(Log.Level.ERROR);
        assertThat(Log.levelFromEnv("DEBUG")).isEqualTo(Log.Level.VERBOSE);
        assertThat(Log.levelFromEnv("silent")).isEqualTo(Log.Level.SILENT);
    }

    @Test
    void oneLinePerEventWhateverTheMessageHolds() {
        String out = lines(Log.Level.ERROR, Log.Format.JOURNAL, log -> log.error("bad line %s", "x\n<0>EMERG: forged\r\u0001"));
        assertThat(out).isEqualTo("<3>ERROR: (wg0) bad line x\\n<0>EMERG: forged\\r\\x01\n");
        assertThat(out.lines()).hasSize(1);
    }

    @Test
    void theJournalFormatOnlyWhenJournalStreamNamesOurStream() throws Exception {
        Path stream = Files.createFile(dir.resolve("stream"));
        long dev = (Long) Files.getAttribute(stream, "unix:dev");
        long ino = (Long) Files.getAttribute(stream, "unix:ino");
        assertThat(Log.formatFromEnv(null, dev + ":" + ino, stream)).isEqualTo(Log.Format.JOURNAL);
        assertThat(Log.formatFromEnv(null, dev + ":" + (ino + 1), stream)).as("another stream").isEqualTo(Log.Format.PLAIN);
        assertThat(Log.formatFromEnv(null, null, stream)).isEqualTo(Log.Format.PLAIN);
        assertThat(Log.formatFromEnv(null, "nonsense", stream)).isEqualTo(Log.Format.PLAIN);
        assertThat(Log.formatFromEnv(null, dev + ":" + ino, dir.resolve("absent"))).isEqualTo(Log.Format.PLAIN);
        assertThat(Log.formatFromEnv("journal", null, stream)).isEqualTo(Log.Format.JOURNAL);
        assertThat(Log.formatFromEnv("plain", dev + ":" + ino, stream)).isEqualTo(Log.Format.PLAIN);
    }
}
