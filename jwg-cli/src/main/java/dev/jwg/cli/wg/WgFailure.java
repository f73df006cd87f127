package dev.jwg.cli.wg;

/**
 * A {@code wg} command failed: {@link #getMessage()} is what goes to standard error (one or more
 * lines, without the final newline; empty when everything was already printed), {@link #status()}
 * the exit status. Immutable.
 */
final class WgFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    WgFailure(String message) {
        this(message, 1);
    }

    WgFailure(String message, int status) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
