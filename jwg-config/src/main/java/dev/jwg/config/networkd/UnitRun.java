package dev.jwg.config.networkd;

import static dev.jwg.config.model.ConfigValues.quote;

import dev.jwg.config.model.ConfigError;
import dev.jwg.config.model.ConfigException;
import dev.jwg.config.model.InterfaceConfig;
import dev.jwg.config.networkd.UnitFile.Assignment;
import dev.jwg.config.networkd.UnitFile.Header;
import dev.jwg.config.networkd.UnitFile.Item;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * One parse of one unit file, the part the {@code .netdev} and {@code .network} parsers share: sections
 * and keys starting with {@code X-} are skipped, as systemd does; an unknown section, or a key before
 * any section, is an error. A subclass names its sections and says what each key does. Not
 * thread-safe: one object per parse.
 *
 * @param <S> the file's section enum
 */
abstract class UnitRun<S> {
    final String file;
    private final S[] sections;
    private final Function<S, String> header;
    private Optional<S> section = Optional.empty();
    private boolean skipping;

    /**
     * @param file the file name for error messages
     * @param sections this file's sections
     * @param header the name in a section's header (case-sensitive, as in systemd)
     */
    UnitRun(String file, S[] sections, Function<S, String> header) {
        this.file = file;
        this.sections = sections;
        this.header = header;
    }

    /** Reads every header and assignment of {@code text}, in order. */
    final void read(String text) throws ConfigException {
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
            if (h.name().startsWith("X-")) {
                skipping = true;
                return;
            }
            String echo = UnitFile.isEchoable(h.name()) ? quote("[" + h.name() + "]") + " " : "";
            throw error(h.line(), "", ConfigError.UNKNOWN_SECTION, unknownSection(echo));
        }
        beginSection(section.get(), h.line());
    }

    private void assignment(Assignment a) throws ConfigException {
        if (skipping || a.key().startsWith("X-")) {
            return;
        }
        if (section.isEmpty()) {
            throw error(a.line(), a.key(), ConfigError.KEY_OUTSIDE_SECTION, "key before any section");
        }
        assignment(section.get(), a.key(), a.value(), a.line());
    }

    /** Called at every header before it is read, and by the subclass after the last line. */
    void endSection() throws ConfigException {}

    /** A header of one of this file's sections, on {@code line}. */
    abstract void beginSection(S section, int line) throws ConfigException;

    /**
     * The reason given for an unknown section.
     *
     * @param echo the quoted header and a space, or empty when the name could be a pasted key
     */
    abstract String unknownSection(String echo);

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
