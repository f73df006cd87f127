package dev.jwg.linux;

/**
 * The errno values jwg reacts to or reports (asm-generic numbering, shared by x86_64 and aarch64),
 * and glibc's text for the ones the {@code wg} command prints ({@link #text}), so that its
 * {@code perror}-style messages read exactly as wireguard-tools' without a native call. Decide on
 * these numbers, never on an exception's message. Constants only.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final int ENOANO = 55;
    public static final int EPROTO = 71;
    public static final int EBADFD = 77;
    public static final int ENOTSOCK = 88;
    public static final int EDESTADDRREQ = 89;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTDOWN = 112;
    public static final int EHOSTUNREACH = 113;

    /** glibc's {@code strerror(errno)} for the values {@code wg} reports; {@code Unknown error N} otherwise. */
    public static String text(int errno) {
        return switch (errno) {
            case EPERM -> "Operation not permitted";
            case ENOENT -> "No such file or directory";
            case EIO -> "Input/output error";
            case EBADF -> "Bad file descriptor";
            case ENOMEM -> "Cannot allocate memory";
            case EACCES -> "Permission denied";
            case ENOTDIR -> "Not a directory";
            case ENODEV -> "No such device";
            case EINVAL -> "Invalid argument";
            case ENOANO -> "No anode";
            case EPROTO -> "Protocol error";
            case ENOTSOCK -> "Socket operation on non-socket";
            case EPROTONOSUPPORT -> "Protocol not supported";
            case EOPNOTSUPP -> "Operation not supported";
            case EADDRINUSE -> "Address already in use";
            case EADDRNOTAVAIL -> "Cannot assign requested address";
            case ENETUNREACH -> "Network is unreachable";
            case ECONNREFUSED -> "Connection refused";
            default -> "Unknown error " + errno;
        };
    }
}
