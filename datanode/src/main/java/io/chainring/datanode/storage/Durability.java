package io.chainring.datanode.storage;

import java.util.Locale;

/**
 * How far a JE commit goes before the write is acknowledged (DESIGN §6.2). Replication is the
 * main durability; this knob trades latency for what a single node survives on its own.
 */
public enum Durability {
    /**
     * Commit writes the log to the OS (survives a process crash, not a machine crash) and a
     * background task fsyncs the log at a fixed interval, so an OS crash loses at most that window.
     */
    WRITE_NO_SYNC(com.sleepycat.je.Durability.COMMIT_WRITE_NO_SYNC),
    /** Every commit fsyncs: survives a machine crash, slowest. */
    SYNC(com.sleepycat.je.Durability.COMMIT_SYNC),
    /** Commit stays in JE's log buffer: a process crash may lose recent writes. Fastest. */
    NO_SYNC(com.sleepycat.je.Durability.COMMIT_NO_SYNC);

    private final com.sleepycat.je.Durability je;

    Durability(com.sleepycat.je.Durability je) {
        this.je = je;
    }

    com.sleepycat.je.Durability je() {
        return je;
    }

    /** The name used in configuration and reported in stats, e.g. {@code write_no_sync}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a background fsync is needed to bound the window of writes an OS crash can lose. */
    public boolean needsBackgroundSync() {
        return this == WRITE_NO_SYNC;
    }

    /** Parses {@code write_no_sync}, {@code sync} or {@code no_sync} (case and '-' vs '_' ignored). */
    public static Durability parse(String text) {
        String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Durability d : values()) {
            if (d.name().equals(normalized)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown durability '" + text + "': expected write_no_sync, sync or no_sync");
    }
}
