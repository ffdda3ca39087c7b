package io.chainring.cli.bench;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Durability;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.Transaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Baseline: Berkeley DB JE on a temporary directory, configured as a datanode configures it
 * (transactional, {@code write_no_sync} durability by default, 5 s lock timeout, no stats or log files), one
 * database, one auto-commit transaction per update. The directory is deleted on close.
 */
public final class JeTarget implements BenchTarget {
    private final Path dir;
    private final Environment env;
    private final Database db;
    private final String durability;

    /** @param durability {@code write_no_sync} (the datanode's default), {@code sync} or {@code no_sync} */
    public JeTarget(Path parent, String durability) throws IOException {
        this.durability = durability;
        this.dir = Files.createTempDirectory(parent, "chainring-bench-je-");
        EnvironmentConfig ec = new EnvironmentConfig();
        ec.setAllowCreate(true);
        ec.setTransactional(true);
        ec.setDurability(switch (durability) {
            case "sync" -> Durability.COMMIT_SYNC;
            case "no_sync" -> Durability.COMMIT_NO_SYNC;
            case "write_no_sync" -> Durability.COMMIT_WRITE_NO_SYNC;
            default -> throw new IllegalArgumentException("durability must be write_no_sync, sync or no_sync: " + durability);
        });
        // as the datanode: reads wait for a writer's commit up to 5 s (JE's 500 ms default times out on a busy machine)
        ec.setLockTimeout(5, TimeUnit.SECONDS);
        ec.setConfigParam(EnvironmentConfig.STATS_COLLECT, "false");
        ec.setConfigParam(EnvironmentConfig.FILE_LOGGING_LEVEL, "OFF");
        this.env = new Environment(dir.toFile(), ec);
        DatabaseConfig dc = new DatabaseConfig();
        dc.setAllowCreate(true);
        dc.setTransactional(true);
        this.db = env.openDatabase(null, "bench", dc);
    }

    @Override
    public String describe() {
        return "baseline je: Berkeley DB JE in " + dir + " (transactional, " + durability + ", one transaction per update)";
    }

    @Override
    public Session session() {
        return new Session() {
            private final DatabaseEntry found = new DatabaseEntry();

            @Override
            public void read(byte[] key) {
                db.get(null, new DatabaseEntry(key), found, LockMode.DEFAULT);
            }

            @Override
            public void update(byte[] key, byte[] value) {
                db.put(null, new DatabaseEntry(key), new DatabaseEntry(value));
            }

            @Override
            public void load(List<byte[]> keys, byte[] value) {
                Transaction txn = env.beginTransaction(null, null);
                try {
                    DatabaseEntry v = new DatabaseEntry(value);
                    for (byte[] k : keys) {
                        db.put(txn, new DatabaseEntry(k), v);
                    }
                    txn.commit();
                } catch (RuntimeException e) {
                    txn.abort();
                    throw e;
                }
            }
        };
    }

    @Override
    public void close() throws IOException {
        try {
            db.close();
        } finally {
            env.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
