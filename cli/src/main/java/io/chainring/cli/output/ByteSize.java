package io.chainring.cli.output;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte counts and rates as people write and read them: {@code 20MB} (decimal, 10^6),
 * {@code 20MiB} (binary, 2^20), {@code 512KB}, {@code 1.5GB}, {@code 4096} or {@code 4096B}.
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]*)(?:/s)?");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", 1_000L), Map.entry("kb", 1_000L), Map.entry("m", 1_000_000L), Map.entry("mb", 1_000_000L),
            Map.entry("g", 1_000_000_000L), Map.entry("gb", 1_000_000_000L),
            Map.entry("kib", 1L << 10), Map.entry("mib", 1L << 20), Map.entry("gib", 1L << 30));

    private ByteSize() {
    }

    /**
     * Parses a size; {@code unlimited} (or {@code none}, {@code off}) is 0.
     *
     * @throws IllegalArgumentException for anything else, with the accepted forms in the message
     */
    public static long parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("unlimited") || s.equals("none") || s.equals("off")) {
            return 0;
        }
        Matcher m = SIZE.matcher(s);
        Long unit = m.matches() ? UNITS.get(m.group(2)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("not a size: '" + text + "' (use e.g. 20MB, 512KiB, 1.5GB, 4096, or unlimited)");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
        return bytes.longValue();
    }

    /**
     * {@code 0 B}, {@code 1023 B}, {@code 1.2 KiB}, {@code 19.1 MiB}, ...: binary units, as the admin UI
     * shows them (docs/CLI.md, "Units"); input accepts both ({@link #parse}).
     */
    public static String format(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = Math.max(0, bytes);
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? String.format(Locale.ROOT, "%d B", Math.round(v)) : String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    /** A throttle for people: {@code unlimited} for 0, else {@code 19.1 MiB/s}. */
    public static String rate(long bytesPerSecond) {
        return bytesPerSecond <= 0 ? "unlimited" : format(bytesPerSecond) + "/s";
    }
}
