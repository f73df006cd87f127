package dev.jwg.cli.wg;

import dev.jwg.linux.Errno;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The errno {@code wg} reports for a failed file or socket operation. The JDK's exceptions carry no
 * errno, so it is decided on the exception's type and, when the type says nothing, on what the file
 * system says about {@code path} now; never on message text. Stateless.
 */
final class IoErrno {
    private IoErrno() {}

    /** The errno {@code e}, raised while opening or connecting to {@code path}, stands for ({@link Errno#EIO} when unknown). */
    static int of(IOException e, Path path) {
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES;
        }
        if (e instanceof NotDirectoryException) {
            return Errno.ENOTDIR;
        }
        if (e instanceof ConnectException) {
            return Errno.ECONNREFUSED;
        }
        if (!Files.exists(path)) {
            return Errno.ENOENT;
        }
        if (!Files.isReadable(path) || !Files.isWritable(path)) {
            return Errno.EACCES;
        }
        return Errno.EIO;
    }
}
