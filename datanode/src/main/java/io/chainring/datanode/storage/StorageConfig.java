package io.chainring.datanode.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one node's storage engine.
 *
 * @param dataDir       directory of the JE environment (created if missing)
 * @param durability    commit mode (DESIGN §6.2)
 * @param syncInterval  period of the background fsync under {@link Durability#WRITE_NO_SYNC}
 * @param cacheBytes    JE cache size; 0 keeps JE's default (a share of the heap). The cache is
 *                      shared by every environment in the JVM (several nodes in one test JVM)
 * @param maxDiskBytes  JE's {@code MAX_DISK}: the most disk the environment may use; 0 = no limit
 * @param freeDiskBytes JE's {@code FREE_DISK}: free space JE keeps on the volume; writes fail
 *                      with a clear error once it would be crossed
 */
public record StorageConfig(Path dataDir, Durability durability, Duration syncInterval, long cacheBytes,
                            long maxDiskBytes, long freeDiskBytes) {
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(100);
    /** JE's own default; large enough for manual recovery when the disk limit is hit. */
    public static final long DEFAULT_FREE_DISK_BYTES = 5L * 1024 * 1024 * 1024;

    public StorageConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(syncInterval, "syncInterval");
        if (syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("sync interval must be positive: " + syncInterval);
        }
        if (cacheBytes < 0 || maxDiskBytes < 0 || freeDiskBytes < 0) {
            throw new IllegalArgumentException("cache, max disk and free disk bytes must not be negative");
        }
    }

    /** Defaults: write_no_sync with a 100 ms group fsync, JE's cache size and disk limits. */
    public static StorageConfig defaults(Path dataDir) {
        return new StorageConfig(dataDir, Durability.WRITE_NO_SYNC, DEFAULT_SYNC_INTERVAL, 0, 0, DEFAULT_FREE_DISK_BYTES);
    }

    public StorageConfig withDurability(Durability newDurability) {
        return new StorageConfig(dataDir, newDurability, syncInterval, cacheBytes, maxDiskBytes, freeDiskBytes);
    }

    public StorageConfig withSyncInterval(Duration newInterval) {
        return new StorageConfig(dataDir, durability, newInterval, cacheBytes, maxDiskBytes, freeDiskBytes);
    }

    public StorageConfig withCacheBytes(long newCacheBytes) {
        return new StorageConfig(dataDir, durability, syncInterval, newCacheBytes, maxDiskBytes, freeDiskBytes);
    }

    public StorageConfig withDiskLimits(long newMaxDiskBytes, long newFreeDiskBytes) {
        return new StorageConfig(dataDir, durability, syncInterval, cacheBytes, newMaxDiskBytes, newFreeDiskBytes);
    }
}
