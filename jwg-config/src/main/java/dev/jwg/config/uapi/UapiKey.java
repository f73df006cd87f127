package dev.jwg.config.uapi;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every key of the cross-platform configuration protocol (docs/protocol.md §4.3), with the section it
 * belongs to and the operations it appears in. Immutable.
 */
public enum UapiKey {
    PRIVATE_KEY("private_key", Scope.DEVICE, true, true),
    LISTEN_PORT("listen_port", Scope.DEVICE, true, true),
    FWMARK("fwmark", Scope.DEVICE, true, true),
    REPLACE_PEERS("replace_peers", Scope.DEVICE, false, true),
    /** Starts a peer section, in {@code get} and {@code set} alike. */
    PUBLIC_KEY("public_key", Scope.PEER, true, true),
    REMOVE("remove", Scope.PEER, false, true),
    UPDATE_ONLY("update_only", Scope.PEER, false, true),
    PRESHARED_KEY("preshared_key", Scope.PEER, true, true),
    ENDPOINT("endpoint", Scope.PEER, true, true),
    PERSISTENT_KEEPALIVE_INTERVAL("persistent_keepalive_interval", Scope.PEER, true, true),
    REPLACE_ALLOWED_IPS("replace_allowed_ips", Scope.PEER, false, true),
    ALLOWED_IP("allowed_ip", Scope.PEER, true, true),
    PROTOCOL_VERSION("protocol_version", Scope.PEER, true, true),
    LAST_HANDSHAKE_TIME_SEC("last_handshake_time_sec", Scope.PEER, true, false),
    LAST_HANDSHAKE_TIME_NSEC("last_handshake_time_nsec", Scope.PEER, true, false),
    RX_BYTES("rx_bytes", Scope.PEER, true, false),
    TX_BYTES("tx_bytes", Scope.PEER, true, false),
    /**
     * Ends every response: {@code errno=0} closes a get response, and it is the whole set response.
     * Never part of a request, hence {@code inSet() == false}.
     */
    ERRNO("errno", Scope.RESPONSE, true, false);

    /** Where a key may appear. */
    public enum Scope {
        /** Before the first {@code public_key} line. */
        DEVICE,
        /** After a {@code public_key} line; applies to that peer. */
        PEER,
        /** The status line closing a response. */
        RESPONSE
    }

    private static final Map<String, UapiKey> BY_WIRE_NAME = new HashMap<>();

    static {
        for (UapiKey k : values()) {
            BY_WIRE_NAME.put(k.wireName, k);
        }
    }

    private final String wireName;
    private final Scope scope;
    private final boolean inGet;
    private final boolean inSet;

    UapiKey(String wireName, Scope scope, boolean inGet, boolean inSet) {
        this.wireName = wireName;
        this.scope = scope;
        this.inGet = inGet;
        this.inSet = inSet;
    }

    /** The key as written on the wire, e.g. {@code "persistent_keepalive_interval"}. */
    public String wireName() {
        return wireName;
    }

    public Scope scope() {
        return scope;
    }

    /** Whether a {@code get} response may carry this key. */
    public boolean inGet() {
        return inGet;
    }

    /** Whether a {@code set} request may carry this key. */
    public boolean inSet() {
        return inSet;
    }

    /** The key with this exact (case-sensitive) wire name. */
    public static Optional<UapiKey> fromWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }

    /** Same as {@link #fromWireName} without the {@code Optional}, for the parser's hot loop; {@code null} if unknown. */
    static UapiKey lookup(String name) {
        return BY_WIRE_NAME.get(name);
    }
}
