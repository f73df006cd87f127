package dev.jwg.cli.wg;

/**
 * ANSI colours and wireguard-tools' {@code terminal.c}: the pretty {@code show} output is built with
 * escape sequences, and each {@code terminal_printf} call strips them again unless colour is on.
 * Stateless and thread-safe.
 */
final class Terminal {
    static final String RESET = "\u001b[0m";
    static final String BOLD = "\u001b[1m";
    static final String FG_RED = "\u001b[31m";
    static final String FG_GREEN = "\u001b[32m";
    static final String FG_YELLOW = "\u001b[33m";
    static final String FG_CYAN = "\u001b[36m";

    private Terminal() {}

    /**
     * {@code WG_COLOR_MODE}: {@code always} and {@code never} force the choice; anything else (unset,
     * {@code auto}, a typo) means colour only when standard output is a terminal.
     */
    static boolean colorMode(String wgColorMode, boolean stdoutIsTerminal) {
        if ("always".equals(wgColorMode)) {
            return true;
        }
        if ("never".equals(wgColorMode)) {
            return false;
        }
        return stdoutIsTerminal;
    }

    /**
     * What {@code terminal_printf} prints for the already formatted text of one call when colour is
     * off: every {@code ESC [} starting before the last two characters is removed together with the
     * characters up to and including the next ASCII letter (or up to the end when there is none).
     */
    static String strip(String s) {
        int len = s.length();
        if (len < 2) {
            return s;
        }
        boolean[] removed = new boolean[len];
        for (int i = 0; i < len - 2; i++) {
            if (!removed[i] && s.charAt(i) == '\u001b' && s.charAt(i + 1) == '[') {
                removed[i] = true;
                removed[i + 1] = true;
                int j = i + 2;
                while (j < len && !isAsciiLetter(s.charAt(j))) {
                    removed[j++] = true;
                }
                if (j < len) {
                    removed[j] = true;
                }
            }
        }
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            if (!removed[i]) {
                sb.append(s.charAt(i));
            }
        }
        return sb.toString();
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
