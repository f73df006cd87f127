package dev.jwg.config.model;

/**
 * Why a configuration file was refused. Every reason has a fixture under
 * {@code src/test/resources/fixtures/errors/} that triggers it (a few that need a missing file or a
 * resolver are tested directly). The description is the human part of the message when the parser
 * has nothing more precise to say.
 */
public enum ConfigError {
    /** The configuration file itself could not be read. */
    FILE_UNREADABLE("cannot read the file"),
    /** Larger than {@link ConfigFiles#MAX_FILE_BYTES}. */
    FILE_TOO_LARGE("file too large"),
    /** Not valid UTF-8. */
    BAD_ENCODING("not valid UTF-8 text"),
    /** A line that is neither a comment, a {@code [Section]} header nor {@code Key = Value}. */
    SYNTAX("expected [Section] or Key = Value"),
    UNKNOWN_SECTION("unknown section"),
    UNKNOWN_KEY("unknown key"),
    /** A {@code Key = Value} line before the first section header. */
    KEY_OUTSIDE_SECTION("key outside of any section"),
    /** A second {@code [Interface]} section in a wg-quick file. */
    DUPLICATE_INTERFACE("more than one [Interface] section"),
    /** Two peer sections with the same public key. */
    DUPLICATE_PEER("the same public key appears in two peer sections"),
    /** The interface name (wg-quick: from the file name; networkd: {@code Name=}) is not a valid Linux name. */
    BAD_INTERFACE_NAME("not a valid interface name"),
    BAD_KEY_BASE64("not a valid base64 key"),
    BAD_PORT("not a valid port"),
    BAD_FWMARK("not a valid firewall mark"),
    BAD_KEEPALIVE("not a valid persistent keepalive interval"),
    BAD_MTU("not a valid MTU"),
    BAD_TABLE("not a valid routing table"),
    BAD_METRIC("not a valid route metric"),
    BAD_BOOLEAN("not a valid boolean"),
    BAD_PREFIX("not a valid IP prefix"),
    BAD_ADDRESS("not a valid IP address"),
    BAD_ENDPOINT("not a valid endpoint"),
    BAD_DNS("not a valid DNS server or search domain"),
    MISSING_PUBLIC_KEY("peer section without a public key"),
    /** A {@code .netdev} without {@code [NetDev] Name=}. */
    MISSING_NAME("missing Name="),
    /** A {@code .netdev} without {@code [NetDev] Kind=}. */
    MISSING_KIND("missing Kind="),
    WRONG_KIND("not a wireguard device"),
    KEY_FILE_NOT_ABSOLUTE("key file path is not absolute"),
    KEY_FILE_UNREADABLE("cannot read the key file"),
    /** The key file was read but does not hold one base64 key. */
    BAD_KEY_FILE("key file does not hold a base64 key"),
    /** {@code PrivateKey=@name}: systemd credentials are not supported. */
    CREDENTIALS_UNSUPPORTED("systemd credentials (@name) are not supported"),
    /** {@code [Match] Name=} pattern that cannot match an interface name. */
    BAD_MATCH_NAME("not a valid interface name pattern"),
    BAD_ROUTE_TYPE("not a supported route type"),
    BAD_RULE_TYPE("not a supported routing policy rule type"),
    BAD_PRIORITY("not a valid rule priority"),
    BAD_FAMILY("not a valid address family"),
    BAD_SUPPRESS_PREFIX_LENGTH("not a valid prefix length to suppress"),
    BAD_SCOPE("not a valid scope"),
    BAD_PROTOCOL("not a valid protocol"),
    BAD_USER("not a valid user or UID range"),
    BAD_LABEL("not a valid address label"),
    /** A number out of its range where no more specific reason applies (TypeOfService=, Group=). */
    BAD_NUMBER("not a number in the allowed range"),
    /** A value outside the words a key takes (PreferredLifetime=, DuplicateAddressDetection=). */
    BAD_CHOICE("not one of the values the key takes"),
    /** {@code GoTo=} without a {@code Priority=} before it, or {@code Type=goto} without {@code GoTo=}. */
    BAD_GOTO("not a valid goto rule"),
    /** IPv4 and IPv6 mixed where one family is required (gateway vs destination, rule From/To/Family). */
    FAMILY_MISMATCH("IPv4 and IPv6 mixed"),
    /** An endpoint host name could not be resolved while building a UAPI request. */
    ENDPOINT_UNRESOLVED("cannot resolve the endpoint host");

    private final String description;

    ConfigError(String description) {
        this.description = description;
    }

    /** A short human description, used when no more precise detail is available. */
    public String description() {
        return description;
    }
}
