package dev.jwg.core.testkit;

import java.util.HexFormat;

public final class Hex {
    private Hex() {}

    public static byte[] b(String hex) { return HexFormat.of().parseHex(hex.replace(" ", "")); }

    public static String s(byte[] bytes) { return HexFormat.of().formatHex(bytes); }

    /** bytes start, start+1, ... (mod 256), n of them. */
    public static byte[] seq(int start, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (start + i);
        }
        return out;
    }
}
