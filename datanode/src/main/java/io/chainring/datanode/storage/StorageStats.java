package io.chainring.datanode.storage;

/**
 * A snapshot of the storage engine's health and JE statistics.
 *
 * @param durability     the commit mode in effect
 * @param diskBytes      bytes of JE log files on disk (active and reserved)
 * @param cacheBytes     bytes held in the JE cache
 * @param cacheFetches   B-tree node and record fetches served from cache or disk
 * @param cacheMisses    fetches that had to read from disk
 * @param backgroundSyncs fsyncs run by the background group sync since the engine opened
 * @param healthy        whether the JE environment is still valid
 */
public record StorageStats(Durability durability, long diskBytes, long cacheBytes, long cacheFetches,
                           long cacheMisses, long backgroundSyncs, boolean healthy) {

    /** Share of fetches served from cache; 1 when nothing was fetched yet. */
    public double cacheHitRatio() {
        return cacheFetches == 0 ? 1.0 : 1.0 - (double) cacheMisses / cacheFetches;
    }
}
