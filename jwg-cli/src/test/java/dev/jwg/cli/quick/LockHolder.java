package dev.jwg.cli.quick;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A second process for {@link StateFileTest}: takes {@code StateFile.lock(IF)} in the state
 * directory {@code args[0]}, prints {@code locked}, and holds the lock until its standard input closes.
 */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws IOException {
        try (StateFile.InterfaceLock held = new StateFile(Path.of(args[0])).lock(args[1], m -> {})) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the test closes our input
            }
        }
    }
}
