package dev.jwg.config.uapi;

/**
 * The errno values a UAPI server answers with ({@code errno=N}), exactly those of wireguard-go's
 * {@code ipc} package (docs/protocol.md §4.2). They are <em>negative</em>: {@code wg} negates the number
 * before calling {@code perror}, so {@code errno=-22} prints "Invalid argument".
 *
 * <p>Constants only; not instantiable.
 */
public final class UapiErrno {
    private UapiErrno() {}

    /** Success. */
    public static final int OK = 0;
    /** {@code -EIO}: the request could not be read (I/O failure, or a reader limit was exceeded) or the reply not written. */
    public static final int EIO = -5;
    /** {@code -EINVAL}: bad key or value, unknown key, device key in a peer section, {@code get=1} not followed by a blank line. */
    public static final int EINVAL = -22;
    /** {@code -ENOPROTOOPT}: wireguard-go's {@code IpcErrorUnknown}, answered for any other failure. */
    public static final int UNKNOWN = -55;
    /** {@code -EPROTO}: a line without {@code '='}. */
    public static final int EPROTO = -71;
    /** {@code -EADDRINUSE}: {@code listen_port} or {@code fwmark} could not be applied to the socket. */
    public static final int EADDRINUSE = -98;

    /** A short symbolic name for logs, e.g. {@code "EINVAL"}; {@code "errno N"} for values not listed here. */
    public static String name(int errno) {
        return switch (errno) {
            case OK -> "OK";
            case EIO -> "EIO";
            case EINVAL -> "EINVAL";
            case UNKNOWN -> "ENOPROTOOPT";
            case EPROTO -> "EPROTO";
            case EADDRINUSE -> "EADDRINUSE";
            default -> "errno " + errno;
        };
    }
}
