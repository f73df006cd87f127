package dev.jwg.cli.quick;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwg.config.networkd.NetworkdKeyTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The README's table of networkd keys says what the parsers do, for every key and no other. */
class ReadmeKeyTableTest {
    @Test
    void everyKeyIsInItsColumn() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("..", "README.md")).stream()
                .filter(l -> l.startsWith("| `.network` `[") || l.startsWith("| `.netdev` `[")).toList();
        List<String> wrong = new ArrayList<>();
        int listed = 0;
        for (String row : rows) {
            String[] cells = row.split("\\|", -1);
            listed += Arrays.stream(cells, 2, 5).mapToInt(c -> words(c).size()).sum();
        }
        for (NetworkdKeyTable.Entry e : NetworkdKeyTable.entries()) {
            String head = "| `" + e.file() + "` `[" + e.section() + "]` |";
            String row = rows.stream().filter(r -> r.startsWith(head)).findFirst().orElse("");
            String[] cells = row.split("\\|", -1);
            int column = switch (e.treatment()) {
                case APPLIED -> 2;
                case NOTED -> 3;
                case SILENT -> 4;
            };
            if (cells.length < 6 || !words(cells[column]).contains(e.key())) {
                wrong.add(e.file() + " [" + e.section() + "] " + e.key() + " " + e.treatment().name().toLowerCase(Locale.ROOT));
            }
        }
        assertThat(wrong).as("keys missing from their README column").isEmpty();
        assertThat(listed).as("keys in the README table").isEqualTo(NetworkdKeyTable.entries().size());
    }

    private static List<String> words(String cell) {
        return Arrays.stream(cell.split("[,\\s]+")).filter(w -> !w.isEmpty()).toList();
    }
}
