package io.chainring.datanode.storage;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DiskLimitException;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.EnvironmentStats;
import com.sleepycat.je.StatsConfig;
import com.sleepycat.je.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's storage: one transactional JE environment in the data directory, one JE database
 * per partition replica ({@code p-00042}) opened on demand, and a {@code meta} database with
 * per-partition counters and the highest ring epoch the node has seen.
 */
public final class StorageEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageEngine.class);
    /** JE shares one environment between handles on the same directory in a JVM; two nodes must not. */
    private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();

    private final StorageConfig config;
    private final Path directory;
    private final Environment env;
    private final MetaStore meta;
    private final LogSyncer syncer;
    private final ConcurrentHashMap<Integer, PartitionStore> partitions = new ConcurrentHashMap<>();
    private final Object openLock = new Object();
    private final Object epochLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final FailStop failStop;
    private final CommitLog commitLog;
    private volatile long seenEpoch;
    /** JE's FREE_DISK in force (it is mutable: {@link #setMinFreeDisk}). */
    private volatile long minFreeDisk;

    private StorageEngine(StorageConfig config, Path directory, Environment env, MetaStore meta) {
        this.config = config;
        this.directory = directory;
        this.env = env;
        this.meta = meta;
        this.seenEpoch = meta.ringEpoch();
        this.minFreeDisk = config.freeDiskBytes();
        this.failStop = new FailStop(directory.toString());
        this.commitLog = new CommitLog(env, config.durability());
        this.syncer = config.durability().needsBackgroundSync()
                ? new LogSyncer(env, config.syncInterval(), directory.getFileName().toString()) : null;
    }

    /** Opens (creating if needed) the environment in {@code config.dataDir()}. */
    public static StorageEngine open(StorageConfig config) {
        Path directory = prepareDirectory(config.dataDir());
        if (!OPEN_DIRECTORIES.add(directory)) {
            throw new IllegalStateException("storage in " + directory + " is already open in this JVM");
        }
        Environment env = null;
        try {
            env = new Environment(directory.toFile(), environmentConfig(config));
            Database metaDb = env.openDatabase(null, MetaStore.DATABASE_NAME, databaseConfig());
            StorageEngine engine = new StorageEngine(config, directory, env, new MetaStore(env, metaDb));
            LOG.info("storage open in {}: durability {}, sync interval {}, {} stored partitions, seen ring epoch {}",
                    directory, config.durability().configName(), config.syncInterval(),
                    engine.storedPartitions().size(), engine.seenEpoch);
            return engine;
        } catch (RuntimeException e) {
            OPEN_DIRECTORIES.remove(directory);
            if (env != null) {
                try {
                    env.close();
                } catch (RuntimeException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw StorageException.translate("opening storage in " + directory, e);
        }
    }

    public StorageConfig config() {
        return config;
    }

    public Durability durability() {
        return config.durability();
    }

    /** The partition's store, opening (and creating) its database on first use. */
    public PartitionStore partition(int id) {
        PartitionStore store = partitions.get(id);
        if (store != null) {
            return store;
        }
        synchronized (openLock) {
            ensureOpen();
            store = partitions.get(id);
            if (store == null) {
                try {
                    Database db = env.openDatabase(null, PartitionNames.databaseName(id), databaseConfig());
                    store = new PartitionStore(id, env, db, meta, failStop, commitLog);
                } catch (RuntimeException e) {
                    throw StorageException.translate("opening partition " + id, e);
                }
                partitions.put(id, store);
                LOG.debug("opened partition {} (last lsn {})", id, store.lastLsn());
            }
            return store;
        }
    }

    /** The partition's store if it is open now. */
    public Optional<PartitionStore> openedPartition(int id) {
        return Optional.ofNullable(partitions.get(id));
    }

    /** Open partition stores by id. */
    public SortedMap<Integer, PartitionStore> openPartitions() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(partitions));
    }

    /** Ids of every partition with a database in this environment, open or not. */
    public SortedSet<Integer> storedPartitions() {
        try {
            SortedSet<Integer> ids = new TreeSet<>();
            for (String name : env.getDatabaseNames()) {
                OptionalInt id = PartitionNames.partitionOf(name);
                if (id.isPresent()) {
                    ids.add(id.getAsInt());
                }
            }
            return ids;
        } catch (RuntimeException e) {
            throw StorageException.translate("listing partitions", e);
        }
    }

    /** Closes the partition's database handle (its data stays on disk). */
    public void closePartition(int id) {
        synchronized (openLock) {
            PartitionStore store = partitions.remove(id);
            if (store != null) {
                store.close();
            }
        }
    }

    /**
     * Deletes the partition's database and meta row. An operation on the partition in progress
     * finishes first; later ones fail (the store is closed), and a later {@link #partition}
     * creates it anew, empty. Returns the counters it had, or empty when it was not stored.
     */
    public Optional<PartitionMeta> dropPartition(int id) {
        synchronized (openLock) {
            ensureOpen();
            PartitionStore store = partitions.remove(id);
            String name = PartitionNames.databaseName(id);
            try {
                PartitionMeta before = store != null ? store.meta() : meta.read(null, id);
                if (store != null) {
                    store.close();
                }
                if (!env.getDatabaseNames().contains(name)) {
                    return Optional.empty();
                }
                Transaction txn = env.beginTransaction(null, null);
                try {
                    env.removeDatabase(txn, name);
                    meta.delete(txn, id);
                    txn.commit();
                } catch (RuntimeException e) {
                    PartitionStore.abort(txn, e);
                    throw e;
                }
                return Optional.of(before);
            } catch (RuntimeException e) {
                throw StorageException.translate("deleting partition " + id, e);
            }
        }
    }

    /** The highest ring epoch recorded with {@link #recordSeenEpoch}, surviving restarts. */
    public long highestSeenEpoch() {
        return seenEpoch;
    }

    /** Persists the epoch if it is higher than any seen before; returns whether it was. */
    public boolean recordSeenEpoch(long epoch) {
        synchronized (epochLock) {
            if (epoch <= seenEpoch) {
                return false;
            }
            try {
                meta.writeRingEpoch(epoch);
            } catch (RuntimeException e) {
                throw StorageException.translate("recording ring epoch " + epoch, e);
            }
            seenEpoch = epoch;
            return true;
        }
    }

    /** Forces everything committed so far to the storage device. */
    /**
     * Writes the partition commits made so far to the OS (write_no_sync; DESIGN "Storage"): call
     * before telling another node or a client that writes were applied here. Cheap when nothing
     * was committed since the last flush.
     */
    public void flushCommits() {
        try {
            commitLog.flush();
        } catch (RuntimeException e) {
            throw StorageException.translate("writing the log", e);
        }
    }

    /** Partition commits counted by the commit log (tests). */
    long countedCommits() {
        return commitLog.commits();
    }

    public void sync() {
        try {
            env.flushLog(true);
        } catch (RuntimeException e) {
            throw StorageException.translate("syncing the log", e);
        }
    }

    /**
     * False once JE has invalidated the environment, or an {@link InvariantViolation} stopped the
     * storage (either way the node must be restarted).
     */
    public boolean isHealthy() {
        return !closed.get() && env.isValid() && !failStop.stopped();
    }

    /** The invariant violation that stopped the storage, if one did (see {@link FailStop}). */
    public Optional<InvariantViolation> stoppedBy() {
        return failStop.cause();
    }

    public StorageStats stats() {
        try {
            // fast: the controller polls these several times a second during a migration
            EnvironmentStats s = env.getStats(new StatsConfig().setFast(true));
            long fetches = s.getNLNsFetch() + s.getNBINsFetch() + s.getNUpperINsFetch();
            long misses = s.getNLNsFetchMiss() + s.getNBINsFetchMiss() + s.getNUpperINsFetchMiss();
            return new StorageStats(config.durability(), s.getTotalLogSize(), s.getCacheTotalBytes(), fetches, misses,
                    syncer == null ? 0 : syncer.syncs(), env.isValid());
        } catch (RuntimeException e) {
            throw StorageException.translate("reading storage stats", e);
        }
    }

    /**
     * The disk as JE sees it: free space on the volume, the free-disk limit in force, and what JE
     * may still write before it refuses writes (issue 12 defect 5).
     */
    public DiskSpace diskSpace() {
        ensureOpen();
        try {
            long available = env.getStats(new StatsConfig().setFast(true)).getAvailableLogSize();
            return new DiskSpace(directory.toFile().getUsableSpace(), minFreeDisk, available);
        } catch (RuntimeException e) {
            throw StorageException.translate("reading the disk space", e);
        }
    }

    /**
     * Changes the free space JE keeps on the volume (JE's {@code FREE_DISK}) at run time; JE
     * re-checks its limits at once. Below it, writes are refused with {@code DISK_LIMIT}.
     */
    public void setMinFreeDisk(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("min free disk must not be negative: " + bytes);
        }
        ensureOpen();
        try {
            var mutable = env.getMutableConfig();
            mutable.setConfigParam(EnvironmentConfig.FREE_DISK, Long.toString(bytes));
            env.setMutableConfig(mutable);
            minFreeDisk = bytes;
        } catch (RuntimeException e) {
            throw StorageException.translate("setting the free-disk limit", e);
        }
        LOG.info("storage in {}: free-disk limit now {}", directory, DiskSpace.size(bytes));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RuntimeException failure = null;
        try {
            if (syncer != null) {
                syncer.close();
            }
            synchronized (openLock) {
                for (PartitionStore store : partitions.values()) {
                    failure = closeCollecting(store::close, failure);
                }
                partitions.clear();
            }
            failure = closeCollecting(meta::close, failure);
            // closing checkpoints and fsyncs the log, whatever the commit durability
            failure = closeCollecting(this::closeEnvironment, failure);
        } finally {
            OPEN_DIRECTORIES.remove(directory);
        }
        if (failure != null) {
            throw StorageException.translate("closing storage in " + directory, failure);
        }
        LOG.info("storage in {} closed", directory);
    }

    private void closeEnvironment() {
        try {
            env.close();
        } catch (DiskLimitException e) {
            // JE still closes the environment; only the final checkpoint is skipped, so the next
            // open replays more log. Committed data is in the log already.
            LOG.warn("storage in {} closed without a final checkpoint: {}", directory, e.getMessage());
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new StorageException(StorageException.Kind.CLOSED, "storage in " + directory + " is closed", null);
        }
    }

    private static RuntimeException closeCollecting(Runnable close, RuntimeException failure) {
        try {
            close.run();
            return failure;
        } catch (RuntimeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }

    private static Path prepareDirectory(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            return dataDir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
    }

    private static EnvironmentConfig environmentConfig(StorageConfig config) {
        EnvironmentConfig c = new EnvironmentConfig();
        c.setAllowCreate(true);
        c.setTransactional(true);
        c.setDurability(config.durability().je());
        c.setSharedCache(true);
        // reads wait for a writer's commit; allow for a slow fsync under the sync mode
        c.setLockTimeout(5, TimeUnit.SECONDS);
        if (config.cacheBytes() > 0) {
            c.setCacheSize(config.cacheBytes());
        }
        c.setMaxDisk(config.maxDiskBytes());
        c.setConfigParam(EnvironmentConfig.FREE_DISK, Long.toString(config.freeDiskBytes()));
        // keep JE's own stat and log files out of the data directory (DEPENDENCIES.md)
        c.setConfigParam(EnvironmentConfig.STATS_COLLECT, "false");
        c.setConfigParam(EnvironmentConfig.FILE_LOGGING_LEVEL, "OFF");
        return c;
    }

    private static DatabaseConfig databaseConfig() {
        DatabaseConfig c = new DatabaseConfig();
        c.setAllowCreate(true);
        c.setTransactional(true);
        return c;
    }
}
