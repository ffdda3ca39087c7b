package io.chainring.datanode.storage;

import java.util.Locale;

/**
 * The disk as the storage engine sees it (issue 12 defect 5).
 *
 * @param usableBytes       free space on the data directory's volume that this process may use
 * @param minFreeBytes      the free space JE keeps ({@code --min-free-disk}, JE's {@code FREE_DISK})
 * @param availableLogBytes what JE may still write before its disk limits refuse writes (JE's
 *                          {@code availableLogSize}: free space plus reclaimable log, minus the
 *                          limit); zero or less means JE refuses writes now
 */
public record DiskSpace(long usableBytes, long minFreeBytes, long availableLogBytes) {

    /** Whether JE refuses writes now. */
    public boolean atLimit() {
        return availableLogBytes <= 0;
    }

    /** "1.2 GiB free, --min-free-disk 5.0 GiB": for logs, readiness and refusals. */
    public String describe() {
        return size(usableBytes) + " free, --min-free-disk " + size(minFreeBytes);
    }

    /** Bytes with a binary unit and one decimal: 512 B, 3.4 MiB, 5.0 GiB. */
    public static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
