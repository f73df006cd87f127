package dev.jwg.cli.quick;

/**
 * A reason {@code jwg up/down/save/strip/convert} stops before or instead of acting, printed as
 * {@code jwg: MESSAGE} with exit status 1 (wg-quick's {@code die}). Configuration errors are
 * {@link dev.jwg.config.model.ConfigException}s instead, which name file, line and key.
 */
public final class QuickException extends Exception {
    private static final long serialVersionUID = 1L;

    public QuickException(String message) {
        super(message);
    }

    public QuickException(String message, Throwable cause) {
        super(message, cause);
    }
}
