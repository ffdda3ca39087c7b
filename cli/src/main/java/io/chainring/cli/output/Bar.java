package io.chainring.cli.output;

/** A text progress bar such as {@code [#########-----------]  45%}, for tables and terminals. */
public final class Bar {
    private Bar() {
    }

    /**
     * @param fraction how far, 0..1 (clamped)
     * @param width    cells between the brackets
     */
    public static String of(double fraction, int width) {
        double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.floor(f * width);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + String.format("%3d%%", (int) Math.floor(f * 100));
    }
}
