package dev.jwg.config.networkd;

import static dev.jwg.config.model.ConfigValues.quote;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.ConfigNote;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.networkd.UnitFile.Assignment;
import dev.jwg.config.networkd.UnitFile.Header;
import dev.jwg.config.networkd.UnitFile.Item;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * One parse of one unit file and its drop-ins, the part the {@code .netdev} and {@code .network} parsers
 * share, behaving as systemd's conf-parser: sections and keys starting with {@code X-} are skipped
 * silently; a section this kind of file does not have, or a key before any section, is skipped with a
 * warning; a section networkd knows but jwg does not apply is skipped with a note. A subclass names its
 * sections and says what each key does. Not thread-safe: one object per parse.
 *
 * @param <S> the file's section enum
 */
abstract class UnitRun<S> {
    /** The file being read, for messages: the main file, then each drop-in in turn. */
    String file;
    private final S[] sections;
    private final Function<S, String> header;
    private final KnownKeys.File kind;
    private final List<ConfigNote> notes;
    private Optional<S> section = Optional.empty();
    private boolean skipping;

    /**
     * @param file the file name for error messages
     * @param sections this file's sections
     * @param header the name in a section's header (case-sensitive, as in systemd)
     * @param kind which table of {@link KnownKeys} applies
     * @param notes where warnings and notes go
     */
    UnitRun(String file, S[] sections, Function<S, String> header, KnownKeys.File kind, List<ConfigNote> notes) {
        this.file = file;
        this.sections = sections;
        this.header = header;
        this.kind = kind;
        this.notes = notes;
    }

    /** Reads every header and assignment of {@code text}, in order, as the file {@code fileName}. */
    final void read(String fileName, String text) throws ConfigException {
        endSection();
        file = fileName;
        section = Optional.empty();
        skipping = false;
        for (Item item : UnitFile.lex(file, text, false)) {
            switch (item) {
                case Header h -> header(h);
                case Assignment a -> assignment(a);
            }
        }
    }

    private void header(Header h) throws ConfigException {
        endSection();
        skipping = false;
        section = Arrays.stream(sections).filter(s -> header.apply(s).equals(h.name())).findFirst();
        if (section.isEmpty()) {
            skipping = true;
            if (!h.name().startsWith("X-")) {
                String echo = "[" + h.name() + "]";
                Set<String> others = kind == KnownKeys.File.NETWORK ? KnownKeys.OTHER_NETWORK_SECTIONS
                        : KnownKeys.OTHER_NETDEV_SECTIONS;
                if (others.contains(h.name())) {
                    note(h.line(), "", echo + (kind == KnownKeys.File.NETWORK
                            ? " configures what a WireGuard link does not have; its keys are ignored"
                            : " belongs to another kind of netdev; ignored, as networkd ignores it"));
                } else {
                    // the name is repeated only if it cannot be a pasted key
                    warn(h.line(), "", "unknown section" + (UnitFile.isEchoable(h.name()) ? " " + echo : "")
                            + ", ignored (" + knownSections() + ")");
                }
            }
            return;
        }
        beginSection(section.get(), h.line());
    }

    private String knownSections() {
        return "this file's sections are " + Arrays.stream(sections).map(s -> "[" + header.apply(s) + "]")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private void assignment(Assignment a) throws ConfigException {
        if (skipping || a.key().startsWith("X-")) {
            return;
        }
        if (section.isEmpty()) {
            warn(a.line(), a.key(), "key before any section, ignored");
            return;
        }
        assignment(section.get(), a.key(), a.value(), a.line());
    }

    /**
     * A key this file's tables do not apply in {@code sectionName}: noted if networkd knows it
     * ({@link KnownKeys}), else warned about as unknown; ignored either way, as networkd ignores it.
     */
    final void notApplied(String sectionName, String key, String value, int line) {
        Optional<KnownKeys> known = KnownKeys.of(kind, sectionName, key);
        if (known.isPresent()) {
            if (known.get().worthSaying(value)) {
                note(line, key, "not applied: " + known.get().reason);
            }
            return;
        }
        warn(line, key, "unknown key in [" + sectionName + "], ignored");
    }

    final void warn(int line, String key, String text) {
        notes.add(new ConfigNote(file, line, key, ConfigNote.Severity.WARNING, text));
    }

    final void note(int line, String key, String text) {
        notes.add(new ConfigNote(file, line, key, ConfigNote.Severity.NOTE, text));
    }

    /** Called at every header before it is read, and by the subclass after the last line. */
    void endSection() throws ConfigException {}

    /** A header of one of this file's sections, on {@code line}. */
    abstract void beginSection(S section, int line) throws ConfigException;

    /** {@code key=value} on {@code line} in {@code section}; the key does not start with {@code X-}. */
    abstract void assignment(S section, String key, String value, int line) throws ConfigException;

    /** {@code MTUBytes=}: empty when {@code v} is. */
    final OptionalInt mtu(String key, String v, int line) throws ConfigException {
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        long m = NetworkdValues.size(v);
        if (m < InterfaceConfig.MIN_MTU || m > InterfaceConfig.MAX_MTU) {
            throw error(line, key, ConfigError.BAD_MTU, quote(v) + " is not an MTU "
                    + InterfaceConfig.MIN_MTU + ".." + InterfaceConfig.MAX_MTU);
        }
        return OptionalInt.of((int) m);
    }

    /** A decimal 0..4294967295, refused with {@code reason} as not being {@code what} ("a metric"). */
    final long u32(String key, String v, int line, ConfigError reason, String what) throws ConfigException {
        long n = NetworkdValues.decimal(v, NetworkdValues.U32_MAX);
        if (n < 0) {
            throw error(line, key, reason, quote(v) + " is not " + what + " 0..4294967295");
        }
        return n;
    }

    final ConfigException error(int line, String key, ConfigError reason, String detail) {
        return new ConfigException(file, line, key, reason, detail);
    }
}
