package dev.jwg.cli.wg;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The Linux errno values {@code wg} reports and glibc's {@code strerror} text for them, so that
 * {@code perror}-style messages read exactly as {@code wg}'s. Constants only.
 */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int ENOTDIR = 20;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENOANO = 55;
    static final int EPROTO = 71;
    static final int ENOTSOCK = 88;
    static final int EPROTONOSUPPORT = 93;
    static final int EOPNOTSUPP = 95;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETUNREACH = 101;
    static final int ECONNREFUSED = 111;

    private Errno() {}

    /** glibc's {@code strerror(errno)} for the values above; {@code Unknown error N} otherwise. */
    static String strerror(int errno) {
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

    /** The errno an I/O exception most likely stands for ({@link #EIO} when it cannot tell). */
    static int of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return EACCES;
        }
        if (e instanceof NotDirectoryException) {
            return ENOTDIR;
        }
        if (e instanceof ConnectException) {
            return ECONNREFUSED;
        }
        String m = e.getMessage();
        if (m != null) {
            for (int errno : new int[] {ENOENT, EACCES, EPERM, ECONNREFUSED, ENOTSOCK, ENOTDIR, EINVAL}) {
                if (m.contains(strerror(errno))) {
                    return errno;
                }
            }
        }
        return EIO;
    }
}
