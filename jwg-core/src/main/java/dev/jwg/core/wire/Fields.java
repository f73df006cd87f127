package dev.jwg.core.wire;

/** Length-checked defensive copies for the message records. */
final class Fields {
    private Fields() {}

    static byte[] copy(byte[] value, int length, String name) {
        if (value == null || value.length != length) {
            throw new IllegalArgumentException(name + " must be " + length + " bytes");
        }
        return value.clone();
    }
}
