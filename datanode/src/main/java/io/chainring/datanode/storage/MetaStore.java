package io.chainring.datanode.storage;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Environment;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;
import com.sleepycat.je.Transaction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The "meta" database: per partition its {@link PartitionMeta}, and the highest ring epoch the
 * node has seen (DESIGN §6.4: nodes persist it so a restarted node cannot accept older routing).
 */
final class MetaStore {
    static final String DATABASE_NAME = "meta";
    private static final DatabaseEntry RING_EPOCH_KEY = new DatabaseEntry("ring-epoch".getBytes(StandardCharsets.US_ASCII));

    private final Environment env;
    private final Database db;

    MetaStore(Environment env, Database db) {
        this.env = env;
        this.db = db;
    }

    PartitionMeta read(Transaction txn, int partition) {
        DatabaseEntry value = new DatabaseEntry();
        OperationStatus status = db.get(txn, partitionKey(partition), value, txn == null ? LockMode.READ_COMMITTED : LockMode.RMW);
        return status == OperationStatus.SUCCESS ? PartitionMeta.decode(value.getData()) : PartitionMeta.EMPTY;
    }

    void write(Transaction txn, int partition, PartitionMeta meta) {
        db.put(txn, partitionKey(partition), new DatabaseEntry(meta.encode()));
    }

    void delete(Transaction txn, int partition) {
        db.delete(txn, partitionKey(partition));
    }

    long ringEpoch() {
        DatabaseEntry value = new DatabaseEntry();
        if (db.get(null, RING_EPOCH_KEY, value, LockMode.READ_COMMITTED) != OperationStatus.SUCCESS) {
            return 0;
        }
        return ByteBuffer.wrap(value.getData()).getLong();
    }

    void writeRingEpoch(long epoch) {
        Transaction txn = env.beginTransaction(null, null);
        try {
            db.put(txn, RING_EPOCH_KEY, new DatabaseEntry(ByteBuffer.allocate(Long.BYTES).putLong(epoch).array()));
            txn.commit();
        } catch (RuntimeException e) {
            txn.abort();
            throw e;
        }
    }

    void close() {
        db.close();
    }

    private static DatabaseEntry partitionKey(int partition) {
        return new DatabaseEntry(PartitionNames.databaseName(partition).getBytes(StandardCharsets.US_ASCII));
    }
}
