package io.chainring.datanode.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.DatabaseNotFoundException;
import com.sleepycat.je.DiskLimitException;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.EnvironmentFailureException;
import com.sleepycat.je.LockConflictException;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.Transaction;
import com.sleepycat.je.dbi.EnvironmentFailureReason;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage boundary's error table (DESIGN "Errors"): which JE failure becomes which
 * {@link StorageException.Kind}, what passes through untouched, and the fail-stop after an
 * {@link InvariantViolation} raised after a write's commit.
 */
class StorageErrorsTest {
    @TempDir
    Path dir;

    @Test
    void everyKindHasItsJeSourceAndOurOwnExceptionsPassThrough() {
        Map<RuntimeException, StorageException.Kind> table = new LinkedHashMap<>();
        table.put(new DiskLimitException(null, "disk limit violation"), StorageException.Kind.DISK_LIMIT);
        table.put(new EnvironmentFailureException(null, EnvironmentFailureReason.UNEXPECTED_STATE, "log checksum"),
                StorageException.Kind.ENVIRONMENT_FAILED);
        table.put(lockConflict(), StorageException.Kind.LOCK_TIMEOUT);
        table.put(closedHandleFailure(), StorageException.Kind.CLOSED);
        table.put(new DatabaseNotFoundException("no such database"), StorageException.Kind.OTHER);
        Set<StorageException.Kind> covered = EnumSet.noneOf(StorageException.Kind.class);
        table.forEach((je, kind) -> {
            RuntimeException out = StorageException.translate("put in partition 3", je);
            assertThat(out).as("%s", je.getClass().getSimpleName()).isInstanceOf(StorageException.class);
            assertThat(((StorageException) out).kind()).as("%s", je.getClass().getSimpleName()).isEqualTo(kind);
            assertThat(out.getCause()).isSameAs(je);
            assertThat(out.getMessage()).startsWith("put in partition 3");
            covered.add(kind);
        });
        // CORRUPT is raised by our own decoding, never translated from JE
        assertThatThrownBy(() -> RecordCodec.decode(new byte[] {99}))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT));
        covered.add(StorageException.Kind.CORRUPT);
        assertThat(covered).as("every kind has an entry").containsExactlyInAnyOrder(StorageException.Kind.values());

        // not JE's: returned as they are, so a bug is never a retryable "closed"
        RuntimeException ours = new IllegalStateException("write at LSN 4 after LSN 9");
        assertThat(StorageException.translate("put", ours)).isSameAs(ours);
        InvariantViolation violation = new InvariantViolation("out of order");
        assertThat(StorageException.translate("put", violation)).isSameAs(violation);
        StorageException already = new StorageException(StorageException.Kind.CLOSED, "closed", null);
        assertThat(StorageException.translate("put", already)).isSameAs(already);
    }

    @Test
    void anInvariantViolationAfterTheCommitStopsTheStorageAndNothingIsWrittenTwice() {
        try (StorageEngine engine = StorageEngine.open(StorageConfig.defaults(dir))) {
            PartitionStore p = engine.partition(0);
            p.put(b("before"), b("0"));
            WriteObserver broken = new WriteObserver() {
                @Override
                public void committed(ChainWrite write) {
                    throw new InvariantViolation("partition 0: write at LSN " + write.lsn() + " appended after LSN 99");
                }
            };
            assertThatThrownBy(() -> p.put(b("k"), b("v"), broken))
                    .isExactlyInstanceOf(InvariantViolation.class)
                    .hasMessageContaining("after LSN 99");
            // the write is committed: reporting it "not applied" would invite the retry that writes it twice
            assertThat(p.get(b("k")).orElseThrow().version()).isEqualTo(2);
            assertThat(engine.isHealthy()).isFalse();
            assertThat(engine.stoppedBy()).get().extracting(Throwable::getMessage).asString().contains("after LSN 99");

            // fail-stop: a retry, or any other write, is refused before anything is applied
            assertThatThrownBy(() -> p.put(b("k"), b("v")))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(StorageException.Kind.ENVIRONMENT_FAILED);
                        assertThat(e.getMessage()).contains("invariant violation", "restart the node");
                    });
            assertThatThrownBy(() -> engine.partition(1).applyInOrder(
                    java.util.List.of(new ChainWrite(1, 1, b("x"), b("y"), null)), key -> false, WriteObserver.NONE))
                    .isInstanceOf(StorageException.class);
            assertThat(p.lastLsn()).isEqualTo(2);
            assertThat(engine.partition(1).lastLsn()).isZero();
        }
        // a restart rebuilds from what is stored: the committed write is there once
        try (StorageEngine engine = StorageEngine.open(StorageConfig.defaults(dir))) {
            assertThat(engine.isHealthy()).isTrue();
            PartitionStore p = engine.partition(0);
            assertThat(p.lastLsn()).isEqualTo(2);
            assertThat(p.get(b("k")).orElseThrow().value()).isEqualTo(b("v"));
        }
    }

    @Test
    void aBugInAnObserverIsNotReportedAsAClosedStore() {
        try (StorageEngine engine = StorageEngine.open(StorageConfig.defaults(dir))) {
            PartitionStore p = engine.partition(0);
            WriteObserver buggy = new WriteObserver() {
                @Override
                public void committed(ChainWrite write) {
                    throw new IllegalStateException("a bug of our own");
                }
            };
            assertThatThrownBy(() -> p.put(b("k"), b("v"), buggy))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("a bug of our own");
        }
    }

    /** What JE throws when a transaction waits too long for a lock another one holds. */
    private LockConflictException lockConflict() {
        try (Environment env = environment("locks")) {
            Database db = env.openDatabase(null, "d", new DatabaseConfig().setAllowCreate(true).setTransactional(true));
            Transaction holder = env.beginTransaction(null, null);
            db.put(holder, new DatabaseEntry(b("k")), new DatabaseEntry(b("1")));
            Transaction waiter = env.beginTransaction(null, null);
            waiter.setLockTimeout(10, TimeUnit.MILLISECONDS);
            try {
                db.put(waiter, new DatabaseEntry(b("k")), new DatabaseEntry(b("2")));
            } catch (LockConflictException e) {
                return e;
            } finally {
                waiter.abort();
                holder.abort();
                db.close();
            }
        }
        throw new AssertionError("JE did not time out a lock");
    }

    private Environment environment(String name) {
        Path envDir = dir.resolve(name);
        envDir.toFile().mkdirs();
        return new Environment(envDir.toFile(), new EnvironmentConfig().setAllowCreate(true).setTransactional(true));
    }

    /** The IllegalStateException JE throws for a closed database handle. */
    private IllegalStateException closedHandleFailure() {
        try (Environment env = environment("closed")) {
            Database db = env.openDatabase(null, "d", new DatabaseConfig().setAllowCreate(true).setTransactional(true));
            db.close();
            try {
                db.get(null, new DatabaseEntry(b("k")), new DatabaseEntry(), LockMode.DEFAULT);
            } catch (IllegalStateException e) {
                return e;
            }
        }
        throw new AssertionError("JE did not refuse a closed handle");
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }
}
