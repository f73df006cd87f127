package dev.jwg.config.model;

import dev.jwg.core.routing.IpPrefix;
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
 * @param type {@code Type=}; absent: look up {@link #table()} ({@link Type#GOTO} when {@code GoTo=} is set)
 * @param typeOfService {@code TypeOfService=}, 0..255
 * @param ipProtocol {@code IPProtocol=}, the protocol number 0..255
 * @param sourcePort {@code SourcePort=}
 * @param destinationPort {@code DestinationPort=}
 * @param user {@code User=}: a UID, a range {@code A-B} or a user name
 * @param suppressInterfaceGroup {@code SuppressInterfaceGroup=}, 0..2147483647
 * @param l3MasterDevice {@code L3MasterDevice=}
 * @param goTo {@code GoTo=}: the priority of the rule to continue at
 */
public record RuleConfig(
        Optional<IpPrefix> from,
        Optional<IpPrefix> to,
        Optional<RouteTable> table,
        OptionalLong priority,
        Optional<String> incomingInterface,
        Optional<String> outgoingInterface,
        Optional<Mark> firewallMark,
        Optional<Boolean> invert,
        OptionalInt suppressPrefixLength,
        Optional<Family> family,
        Optional<Type> type,
        OptionalInt typeOfService,
        OptionalInt ipProtocol,
        Optional<PortRange> sourcePort,
        Optional<PortRange> destinationPort,
        Optional<String> user,
        OptionalLong suppressInterfaceGroup,
        Optional<Boolean> l3MasterDevice,
        OptionalLong goTo) {

    /** A user name as {@code User=} may name one: letters, digits, {@code _ . -}, not only digits. */
    private static final java.util.regex.Pattern USER_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}\\$?");

    /**
     * {@code SourcePort=}/{@code DestinationPort=}: one port or a range.
     *
     * @param first 1..65535
     * @param last first..65535
     */
    public record PortRange(int first, int last) {
        public PortRange {
            if (first < 1 || last < first || last > 65535) {
                throw new IllegalArgumentException("a port range is 1..65535, first <= last");
            }
        }

        /** {@code 53} or {@code 1000-2000}, as networkd and ip(8) write it. */
        @Override
        public String toString() {
            return first == last ? Integer.toString(first) : first + "-" + last;
        }
    }

    /** Whether {@code u} is a {@code User=} value: a UID, {@code A-B} with A <= B, or a user name. */
    public static boolean isUser(String u) {
        return uidRange(u).isPresent() || USER_NAME.matcher(u).matches();
    }

    /** The UIDs of a numeric {@code User=} value ({@code N} or {@code A-B}); empty for a user name. */
    public static Optional<long[]> uidRange(String u) {
        int dash = u.indexOf('-');
        long a = ConfigValues.decimal(dash < 0 ? u : u.substring(0, dash), 0xffff_fffeL, false);
        long b = dash < 0 ? a : ConfigValues.decimal(u.substring(dash + 1), 0xffff_fffeL, false);
        return a < 0 || b < a ? Optional.empty() : Optional.of(new long[] {a, b});
    }

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

    /** {@code Type=}: what to do instead of a table lookup ({@code table}, the default, is absence). */
    public enum Type {
        BLACKHOLE, UNREACHABLE, PROHIBIT, GOTO, NOP;

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
        if (from.isPresent() && to.isPresent() && from.get().isIpv4() != to.get().isIpv4()) {
            throw new IllegalArgumentException("From= and To= are of different families");
        }
        Checks.range(typeOfService, 0, 255, "typeOfService");
        Checks.range(ipProtocol, 0, 255, "ipProtocol");
        Objects.requireNonNull(sourcePort, "sourcePort");
        Objects.requireNonNull(destinationPort, "destinationPort");
        Objects.requireNonNull(user, "user");
        if (user.isPresent() && !isUser(user.get())) {
            throw new IllegalArgumentException("not a User= value");
        }
        Checks.range(suppressInterfaceGroup, 0, Integer.MAX_VALUE, "suppressInterfaceGroup");
        Objects.requireNonNull(l3MasterDevice, "l3MasterDevice");
        Checks.range(goTo, 1, Checks.U32_MAX, "goTo");
        if (goTo.isPresent() != (type.isPresent() && type.get() == Type.GOTO)) {
            throw new IllegalArgumentException("GoTo= and Type=goto go together");
        }
        Optional<Boolean> v4 = from.or(() -> to).map(IpPrefix::isIpv4);
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
        return family.orElseGet(() -> from.or(() -> to).map(p -> p.isIpv4() ? Family.IPV4 : Family.IPV6)
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
        b.typeOfService = typeOfService;
        b.ipProtocol = ipProtocol;
        b.sourcePort = sourcePort;
        b.destinationPort = destinationPort;
        b.user = user;
        b.suppressInterfaceGroup = suppressInterfaceGroup;
        b.l3MasterDevice = l3MasterDevice;
        b.goTo = goTo;
        return b;
    }

    /** Builds a {@link RuleConfig}; a {@code null} argument clears a value. Not thread-safe. */
    public static final class Builder {
        private Optional<IpPrefix> from = Optional.empty();
        private Optional<IpPrefix> to = Optional.empty();
        private Optional<RouteTable> table = Optional.empty();
        private OptionalLong priority = OptionalLong.empty();
        private Optional<String> incomingInterface = Optional.empty();
        private Optional<String> outgoingInterface = Optional.empty();
        private Optional<Mark> firewallMark = Optional.empty();
        private Optional<Boolean> invert = Optional.empty();
        private OptionalInt suppressPrefixLength = OptionalInt.empty();
        private Optional<Family> family = Optional.empty();
        private Optional<Type> type = Optional.empty();
        private OptionalInt typeOfService = OptionalInt.empty();
        private OptionalInt ipProtocol = OptionalInt.empty();
        private Optional<PortRange> sourcePort = Optional.empty();
        private Optional<PortRange> destinationPort = Optional.empty();
        private Optional<String> user = Optional.empty();
        private OptionalLong suppressInterfaceGroup = OptionalLong.empty();
        private Optional<Boolean> l3MasterDevice = Optional.empty();
        private OptionalLong goTo = OptionalLong.empty();

        private Builder() {}

        public Builder typeOfService(OptionalInt t) {
            typeOfService = Objects.requireNonNull(t);
            return this;
        }

        public Builder ipProtocol(OptionalInt p) {
            ipProtocol = Objects.requireNonNull(p);
            return this;
        }

        public Builder sourcePort(PortRange r) {
            sourcePort = Optional.ofNullable(r);
            return this;
        }

        public Builder destinationPort(PortRange r) {
            destinationPort = Optional.ofNullable(r);
            return this;
        }

        public Builder user(String u) {
            user = Optional.ofNullable(u);
            return this;
        }

        public Builder suppressInterfaceGroup(OptionalLong g) {
            suppressInterfaceGroup = Objects.requireNonNull(g);
            return this;
        }

        public Builder l3MasterDevice(Boolean b) {
            l3MasterDevice = Optional.ofNullable(b);
            return this;
        }

        /** {@code GoTo=}; sets or clears {@link Type#GOTO} with it. */
        public Builder goTo(OptionalLong priority) {
            goTo = Objects.requireNonNull(priority);
            if (priority.isPresent()) {
                type = Optional.of(Type.GOTO);
            } else if (type.isPresent() && type.get() == Type.GOTO) {
                type = Optional.empty();
            }
            return this;
        }

        public Builder from(IpPrefix p) {
            from = Optional.ofNullable(p);
            return this;
        }

        public Builder to(IpPrefix p) {
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
                    invert, suppressPrefixLength, family, type, typeOfService, ipProtocol, sourcePort, destinationPort,
                    user, suppressInterfaceGroup, l3MasterDevice, goTo);
        }
    }
}
