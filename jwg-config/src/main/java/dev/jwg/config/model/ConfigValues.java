package dev.jwg.config.model;

import dev.jwg.core.crypto.KeyFormatException;

/**
 * Value syntaxes the wg-quick and networkd parsers share: unsigned numbers in decimal and hex, and a
 * value quoted for an error message. The two file formats differ only where a parameter says so.
 * Stateless.
 */
public final class ConfigValues {
    private ConfigValues() {}

    /**
     * Reads a key's base64 form: {@code PrivateKey::fromBase64AsWritten} (files keep a private key as
     * written, the device clamps it), {@code PublicKey::fromBase64} or {@code PresharedKey::fromBase64}.
     *
     * @param <K> the key type
     */
    @FunctionalInterface
    public interface KeyDecoder<K> {
        K decode(CharSequence base64) throws KeyFormatException;
    }

    /**
     * An unsigned decimal 0..{@code max}: ASCII digits only (no sign, no spaces), at least one, at most
     * 19; -1 otherwise.
     *
     * @param leadingZeros whether {@code 0} may lead a longer number: {@code wg} accepts that as
     *     {@code strtoul} does, systemd refuses it (so nothing is ever read as octal)
     */
    public static long decimal(String s, long max, boolean leadingZeros) {
        if (s.isEmpty() || s.length() > 19 || (!leadingZeros && s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
            if (v > max) {
                return -1;
            }
        }
        return v;
    }

    /**
     * Hex digits, either case, without prefix, as an unsigned 32-bit value; -1 if empty, longer than
     * {@code maxDigits}, not hex or above {@code 0xffffffff}.
     *
     * @param maxDigits the longest text accepted: {@code wg} reads up to 16 digits (leading zeros),
     *     systemd up to 8
     */
    public static long hex(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
            if (v > 0xffff_ffffL) {
                return -1;
            }
        }
        return v;
    }

    /** A value fit for an error message: quoted, control characters escaped, at most 64 characters. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > 64) {
            sb.append('…');
        }
        return sb.append('\'').toString();
    }
}
