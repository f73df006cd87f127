package dev.jwg.device.metrics;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): for each metric family a
 * {@code # HELP} and a {@code # TYPE} line, then its samples, one per line, label values escaped
 * ({@code \\}, {@code \"}, {@code \n}). The caller writes every sample of a family right after its
 * header. Not thread-safe: one per scrape.
 */
final class ExpositionWriter {
    private final StringBuilder out;

    ExpositionWriter(StringBuilder out) {
        this.out = out;
    }

    /** Starts a family: {@code type} is {@code counter} or {@code gauge}. */
    ExpositionWriter family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} alternate names and values. */
    ExpositionWriter sample(String name, long value, String... labels) {
        name(name, labels);
        out.append(value).append('\n');
        return this;
    }

    /** One sample with a fractional value (printed as Java prints a double: 1.5, 2.0E-4). */
    ExpositionWriter sample(String name, double value, String... labels) {
        name(name, labels);
        out.append(Double.isFinite(value) ? Double.toString(value) : Double.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf")
                .append('\n');
        return this;
    }

    private void name(String name, String... labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escapeLabel(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ');
    }

    private void escapeLabel(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
