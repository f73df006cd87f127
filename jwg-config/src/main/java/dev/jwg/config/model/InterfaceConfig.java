package dev.jwg.config.model;

import dev.jwg.core.crypto.PrivateKey;
import dev.jwg.core.routing.IpAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The interface part of a tunnel: wg's {@code [Interface]} keys, wg-quick's additions, and networkd's
 * {@code [NetDev]}/{@code [WireGuard]} equivalents.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows the private key.
 *
 * @param privateKey the private key; from {@code PrivateKey=} or read from {@link #privateKeyFile()}
 * @param privateKeyFile networkd {@code PrivateKeyFile=}: absolute path the key was read from
 * @param listenPort 0..65535 (0 = pick one); absent = pick one
 * @param fwMark 0..4294967295, 0 = off ({@code FwMark = off} is kept as 0, which {@code wg addconf} sends)
 * @param addresses wg-quick {@code Address}: the interface's own addresses, host bits kept
 * @param dnsServers wg-quick {@code DNS} entries that are addresses, in order
 * @param dnsSearch wg-quick {@code DNS} entries that are search domains, in order
 * @param mtu {@value #MIN_MTU}..{@value #MAX_MTU}; absent = automatic (wg-quick) or kernel default
 * @param table wg-quick {@code Table}; absent means {@code auto}
 * @param preUp wg-quick hooks: raw shell text, {@code %i} not expanded
 * @param postUp see preUp
 * @param preDown see preUp
 * @param postDown see preUp
 * @param saveConfig wg-quick {@code SaveConfig}
 */
public record InterfaceConfig(
        Optional<PrivateKey> privateKey,
        Optional<Path> privateKeyFile,
        OptionalInt listenPort,
        OptionalLong fwMark,
        List<InterfaceAddress> addresses,
        List<IpAddress> dnsServers,
        List<String> dnsSearch,
        OptionalInt mtu,
        Optional<RouteTable> table,
        List<String> preUp,
        List<String> postUp,
        List<String> preDown,
        List<String> postDown,
        boolean saveConfig) {

    /** Smallest MTU accepted: 576, the datagram size every IPv4 host must accept (RFC 791). */
    public static final int MIN_MTU = 576;
    /** Largest MTU accepted. */
    public static final int MAX_MTU = 65535;

    /** An interface with nothing set. */
    public static final InterfaceConfig EMPTY = builder().build();

    public InterfaceConfig {
        Objects.requireNonNull(privateKey, "privateKey");
        Checks.absolute(privateKeyFile, "privateKeyFile");
        Checks.range(listenPort, 0, 65535, "listenPort");
        Checks.range(fwMark, 0, Checks.U32_MAX, "fwMark");
        addresses = Checks.copy(addresses, "addresses");
        dnsServers = Checks.copy(dnsServers, "dnsServers");
        dnsSearch = Checks.copy(dnsSearch, "dnsSearch");
        for (String d : dnsSearch) {
            if (!isSearchDomain(d)) {
                throw new IllegalArgumentException("not a search domain");
            }
        }
        Checks.range(mtu, MIN_MTU, MAX_MTU, "mtu");
        Objects.requireNonNull(table, "table");
        preUp = hooks(preUp, "preUp");
        postUp = hooks(postUp, "postUp");
        preDown = hooks(preDown, "preDown");
        postDown = hooks(postDown, "postDown");
    }

    private static List<String> hooks(List<String> hooks, String what) {
        List<String> copy = Checks.copy(hooks, what);
        for (String h : copy) {
            Checks.singleLine(h, what);
        }
        return copy;
    }

    /** A DNS search domain: dot-separated labels of letters, digits, {@code -} and {@code _}, at most 253 characters. */
    public static boolean isSearchDomain(String d) {
        return HostPort.isDnsName(d);
    }

    /** Whether any key only wg-quick understands is set (Address, DNS, MTU, Table, hooks, SaveConfig). */
    public boolean hasWgQuickKeys() {
        return !addresses.isEmpty() || !dnsServers.isEmpty() || !dnsSearch.isEmpty() || mtu.isPresent()
                || table.isPresent() || !preUp.isEmpty() || !postUp.isEmpty() || !preDown.isEmpty()
                || !postDown.isEmpty() || saveConfig;
    }

    /** Only what {@code wg setconf} understands: private key, listen port, fwmark. */
    public InterfaceConfig wgOnly() {
        return builder().privateKey(privateKey.orElse(null)).listenPort(listenPort).fwMark(fwMark).build();
    }

    /** Never shows the private key. */
    @Override
    public String toString() {
        return "InterfaceConfig[privateKey=" + (privateKey.isPresent() ? "(hidden)" : "none")
                + privateKeyFile.map(p -> ", privateKeyFile=" + p).orElse("")
                + ", listenPort=" + listenPort + ", fwMark=" + fwMark + ", addresses=" + addresses
                + ", dnsServers=" + dnsServers + ", dnsSearch=" + dnsSearch + ", mtu=" + mtu + ", table=" + table
                + ", preUp=" + preUp + ", postUp=" + postUp + ", preDown=" + preDown + ", postDown=" + postDown
                + ", saveConfig=" + saveConfig + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.privateKey = privateKey;
        b.privateKeyFile = privateKeyFile;
        b.listenPort = listenPort;
        b.fwMark = fwMark;
        b.addresses.addAll(addresses);
        b.dnsServers.addAll(dnsServers);
        b.dnsSearch.addAll(dnsSearch);
        b.mtu = mtu;
        b.table = table;
        b.preUp.addAll(preUp);
        b.postUp.addAll(postUp);
        b.preDown.addAll(preDown);
        b.postDown.addAll(postDown);
        b.saveConfig = saveConfig;
        return b;
    }

    /** Builds an {@link InterfaceConfig}; a {@code null} argument clears an optional value. Not thread-safe. */
    public static final class Builder {
        private Optional<PrivateKey> privateKey = Optional.empty();
        private Optional<Path> privateKeyFile = Optional.empty();
        private OptionalInt listenPort = OptionalInt.empty();
        private OptionalLong fwMark = OptionalLong.empty();
        private final List<InterfaceAddress> addresses = new ArrayList<>();
        private final List<IpAddress> dnsServers = new ArrayList<>();
        private final List<String> dnsSearch = new ArrayList<>();
        private OptionalInt mtu = OptionalInt.empty();
        private Optional<RouteTable> table = Optional.empty();
        private final List<String> preUp = new ArrayList<>();
        private final List<String> postUp = new ArrayList<>();
        private final List<String> preDown = new ArrayList<>();
        private final List<String> postDown = new ArrayList<>();
        private boolean saveConfig;

        private Builder() {}

        public Builder privateKey(PrivateKey key) {
            privateKey = Optional.ofNullable(key);
            return this;
        }

        public Builder privateKeyFile(Path file) {
            privateKeyFile = Optional.ofNullable(file);
            return this;
        }

        public Builder listenPort(OptionalInt port) {
            listenPort = Objects.requireNonNull(port);
            return this;
        }

        public Builder listenPort(int port) {
            return listenPort(OptionalInt.of(port));
        }

        public Builder fwMark(OptionalLong mark) {
            fwMark = Objects.requireNonNull(mark);
            return this;
        }

        public Builder fwMark(long mark) {
            return fwMark(OptionalLong.of(mark));
        }

        public Builder addAddress(InterfaceAddress a) {
            addresses.add(Objects.requireNonNull(a));
            return this;
        }

        public Builder addresses(List<InterfaceAddress> list) {
            addresses.clear();
            list.forEach(this::addAddress);
            return this;
        }

        public Builder addDnsServer(IpAddress a) {
            dnsServers.add(Objects.requireNonNull(a));
            return this;
        }

        public Builder dnsServers(List<IpAddress> list) {
            dnsServers.clear();
            list.forEach(this::addDnsServer);
            return this;
        }

        public Builder addDnsSearch(String domain) {
            dnsSearch.add(Objects.requireNonNull(domain));
            return this;
        }

        public Builder dnsSearch(List<String> list) {
            dnsSearch.clear();
            list.forEach(this::addDnsSearch);
            return this;
        }

        public Builder mtu(OptionalInt m) {
            mtu = Objects.requireNonNull(m);
            return this;
        }

        public Builder mtu(int m) {
            return mtu(OptionalInt.of(m));
        }

        public Builder table(RouteTable t) {
            table = Optional.ofNullable(t);
            return this;
        }

        public Builder addPreUp(String cmd) {
            preUp.add(Objects.requireNonNull(cmd));
            return this;
        }

        public Builder addPostUp(String cmd) {
            postUp.add(Objects.requireNonNull(cmd));
            return this;
        }

        public Builder addPreDown(String cmd) {
            preDown.add(Objects.requireNonNull(cmd));
            return this;
        }

        public Builder addPostDown(String cmd) {
            postDown.add(Objects.requireNonNull(cmd));
            return this;
        }

        public Builder clearHooks() {
            preUp.clear();
            postUp.clear();
            preDown.clear();
            postDown.clear();
            return this;
        }

        public Builder saveConfig(boolean save) {
            saveConfig = save;
            return this;
        }

        public InterfaceConfig build() {
            return new InterfaceConfig(privateKey, privateKeyFile, listenPort, fwMark, addresses, dnsServers,
                    dnsSearch, mtu, table, preUp, postUp, preDown, postDown, saveConfig);
        }
    }
}
