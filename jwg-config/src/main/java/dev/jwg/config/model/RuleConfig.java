package dev.jwg.config.model;

import dev.jwg.config.uapi.Prefix;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One networkd {@code [RoutingPolicyRule]} section.
 *
 * <p>Immutable and thread-safe.
 *
 * @param from {@code From=} source prefix
 * @param to {@code To=} destination prefix, same family as {@code from}
 * @param table {@code Table=}; absent means {@code main}
 * @param priority {@code Priority=}, 0..4294967295; absent: the kernel picks
 * @param incomingInterface {@code IncomingInterface=}
 * @param outgoingInterface {@code OutgoingInterface=}
 * @param firewallMark {@code FirewallMark=value[/mask]}
 * @param invert {@code InvertRule=}
 * @param suppressPrefixLength {@code SuppressPrefixLength=}, 0..128
 * @param family {@code Family=}; absent: from From=/To=, else IPv4
 * @param type {@code Type=}; absent: look up {@link #table()}
 */
public record RuleConfig(
        Optional<Prefix> from,
        Optional<Prefix> to,
        Optional<RouteTable> table,
        OptionalLong priority,
        Optional<String> incomingInterface,
        Optional<String> outgoingInterface,
        Optional<Mark> firewallMark,
        Optional<Boolean> invert,
        OptionalInt suppressPrefixLength,
        Optional<Family> family,
        Optional<Type> type) {

    /** {@code Family=}. */
    public enum Family {
        IPV4, IPV6, BOTH;

        /** {@code ipv4}, {@code ipv6}, {@code both}. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean includesIPv4() {
            return this != IPV6;
        }

        public boolean includesIPv6() {
            return this != IPV4;
        }

        public static Optional<Family> of(String keyword) {
            for (Family f : values()) {
                if (f.keyword().equals(keyword)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /** {@code Type=}: what to do instead of a table lookup. */
    public enum Type {
        BLACKHOLE, UNREACHABLE, PROHIBIT;

        /** networkd's {@code Type=} value and iproute2's rule action keyword. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Type> of(String keyword) {
            for (Type t : values()) {
                if (t.keyword().equals(keyword)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A firewall mark match, {@code value[/mask]}.
     *
     * @param value 0..4294967295
     * @param mask 0..4294967295; absent: exact match
     */
    public record Mark(long value, OptionalLong mask) {
        public Mark {
            if (value < 0 || value > Checks.U32_MAX) {
                throw new IllegalArgumentException("mark must be 0..4294967295");
            }
            Checks.range(mask, 0, Checks.U32_MAX, "mask");
        }

        /** {@code 51820} or {@code 51820/0xffff} (mask in hex, as iproute2 prints it). */
        @Override
        public String toString() {
            return value + (mask.isPresent() ? "/0x" + Long.toHexString(mask.getAsLong()) : "");
        }
    }

    public RuleConfig {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(table, "table");
        if (table.isPresent() && !table.get().isTable()) {
            throw new IllegalArgumentException("a rule table must be a number or a name");
        }
        Checks.range(priority, 0, Checks.U32_MAX, "priority");
        incomingInterface.ifPresent(n -> requireName(n, "incomingInterface"));
        outgoingInterface.ifPresent(n -> requireName(n, "outgoingInterface"));
        Objects.requireNonNull(firewallMark, "firewallMark");
        Objects.requireNonNull(invert, "invert");
        Checks.range(suppressPrefixLength, 0, 128, "suppressPrefixLength");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        if (from.isPresent() && to.isPresent() && from.get().isIPv4() != to.get().isIPv4()) {
            throw new IllegalArgumentException("From= and To= are of different families");
        }
        Optional<Boolean> v4 = from.or(() -> to).map(Prefix::isIPv4);
        if (v4.isPresent() && family.isPresent() && family.get() != (v4.get() ? Family.IPV4 : Family.IPV6)) {
            throw new IllegalArgumentException("Family= conflicts with From=/To=");
        }
    }

    private static void requireName(String n, String what) {
        if (!Checks.isInterfaceName(n)) {
            throw new IllegalArgumentException(what + " is not an interface name");
        }
    }

    /** The families the rule applies to: {@link #family()}, else that of From=/To=, else IPv4. */
    public Family effectiveFamily() {
        return family.orElseGet(() -> from.or(() -> to).map(p -> p.isIPv4() ? Family.IPV4 : Family.IPV6)
                .orElse(Family.IPV4));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.from = from;
        b.to = to;
        b.table = table;
        b.priority = priority;
        b.incomingInterface = incomingInterface;
        b.outgoingInterface = outgoingInterface;
        b.firewallMark = firewallMark;
        b.invert = invert;
        b.suppressPrefixLength = suppressPrefixLength;
        b.family = family;
        b.type = type;
        return b;
    }

    /** Builds a {@link RuleConfig}; a {@code null} argument clears a value. Not thread-safe. */
    public static final class Builder {
        private Optional<Prefix> from = Optional.empty();
        private Optional<Prefix> to = Optional.empty();
        private Optional<RouteTable> table = Optional.empty();
        private OptionalLong priority = OptionalLong.empty();
        private Optional<String> incomingInterface = Optional.empty();
        private Optional<String> outgoingInterface = Optional.empty();
        private Optional<Mark> firewallMark = Optional.empty();
        private Optional<Boolean> invert = Optional.empty();
        private OptionalInt suppressPrefixLength = OptionalInt.empty();
        private Optional<Family> family = Optional.empty();
        private Optional<Type> type = Optional.empty();

        private Builder() {}

        public Builder from(Prefix p) {
            from = Optional.ofNullable(p);
            return this;
        }

        public Builder to(Prefix p) {
            to = Optional.ofNullable(p);
            return this;
        }

        public Builder table(RouteTable t) {
            table = Optional.ofNullable(t);
            return this;
        }

        public Builder priority(OptionalLong p) {
            priority = Objects.requireNonNull(p);
            return this;
        }

        public Builder priority(long p) {
            return priority(OptionalLong.of(p));
        }

        public Builder incomingInterface(String name) {
            incomingInterface = Optional.ofNullable(name);
            return this;
        }

        public Builder outgoingInterface(String name) {
            outgoingInterface = Optional.ofNullable(name);
            return this;
        }

        public Builder firewallMark(Mark m) {
            firewallMark = Optional.ofNullable(m);
            return this;
        }

        public Builder invert(Boolean b) {
            invert = Optional.ofNullable(b);
            return this;
        }

        public Builder suppressPrefixLength(OptionalInt n) {
            suppressPrefixLength = Objects.requireNonNull(n);
            return this;
        }

        public Builder suppressPrefixLength(int n) {
            return suppressPrefixLength(OptionalInt.of(n));
        }

        public Builder family(Family f) {
            family = Optional.ofNullable(f);
            return this;
        }

        public Builder type(Type t) {
            type = Optional.ofNullable(t);
            return this;
        }

        public RuleConfig build() {
            return new RuleConfig(from, to, table, priority, incomingInterface, outgoingInterface, firewallMark,
                    invert, suppressPrefixLength, family, type);
        }
    }
}
