package io.chainring.adminui.cluster;

import java.util.Locale;

/** Numbers for people in event-log lines and messages (the pages format their own). */
public final class Format {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Format() {
    }

    /** 1536 → "1.5 KiB"; below 1 KiB exact ("512 B"). */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int i = 0;
        while (v >= 1024 && i < UNITS.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[i]);
    }

    /** 75 → "1 min 15 s"; 3725 → "1 h 2 min"; negative → "unknown". */
    public static String seconds(long s) {
        if (s < 0) {
            return "unknown";
        }
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
    }
}
