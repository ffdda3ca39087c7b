package io.chainring.datanode.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.datanode.storage.ChainWrite;
import io.chainring.datanode.storage.InvariantViolation;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InFlightLogTest {
    @Test
    void aKeyIsDirtyFromBeforeItsCommitUntilTheTailHasIt() {
        InFlightLog log = new InFlightLog();
        log.markDirty(k("a"), 1);
        assertThat(log.isDirty(k("a"))).isTrue();
        log.append(w(1, "a"), 100);
        log.markDirty(k("a"), 2);
        log.append(w(2, "a"), 150);
        log.markDirty(k("b"), 3);
        log.append(w(3, "b"), 200);
        assertThat(log.uncommitted()).isEqualTo(3);
        assertThat(log.oldestUncommittedMillis(1100)).isEqualTo(1000);

        log.commitUpTo(1);
        assertThat(log.isDirty(k("a"))).as("a newer write to a is still in flight").isTrue();
        assertThat(log.oldestUncommittedMillis(1100)).isEqualTo(950);
        log.commitUpTo(2);
        assertThat(log.isDirty(k("a"))).isFalse();
        assertThat(log.isDirty(k("b"))).isTrue();
        log.commitUpTo(3);
        assertThat(log.isDirty(k("b"))).isFalse();
        assertThat(log.uncommitted()).isZero();
        assertThat(log.oldestUncommittedMillis(1100)).isZero();
        assertThat(log.size()).as("kept until trimmed (a learner may still need them)").isEqualTo(3);
        log.trimUpTo(2);
        assertThat(log.firstLsn()).isEqualTo(3);
    }

    @Test
    void aWriteMarkedAfterItsLsnIsCommittedIsNotDirty() {
        InFlightLog log = new InFlightLog();
        log.commitUpTo(10);
        log.markDirty(k("a"), 7);
        assertThat(log.isDirty(k("a"))).isFalse();
    }

    @Test
    void entriesAfterALsnAreBoundedByCountAndBytesButNeverEmpty() {
        InFlightLog log = new InFlightLog();
        for (int i = 1; i <= 10; i++) {
            log.append(new ChainWrite(0, i, k("k" + i), new byte[100], null), 0);
        }
        assertThat(log.after(3, 4, 1_000_000)).extracting(ChainWrite::lsn).containsExactly(4L, 5L, 6L, 7L);
        assertThat(log.after(3, 100, 300)).extracting(ChainWrite::lsn).containsExactly(4L, 5L);
        assertThat(log.after(3, 100, 1)).as("one write even over the byte budget").hasSize(1);
        assertThat(log.after(10, 100, 1000)).isEmpty();
        assertThatThrownBy(() -> log.append(w(10, "x"), 0)).isInstanceOf(InvariantViolation.class);
    }

    /** Dirty marks match a model: a key is dirty iff some appended write to it is above the committed LSN. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 17, 2024, 77777})
    void dirtyMarksMatchAModel(long seed) {
        Random random = new Random(seed);
        InFlightLog log = new InFlightLog();
        TreeMap<Long, String> written = new TreeMap<>();
        long lsn = 0;
        long committed = 0;
        for (int step = 0; step < 2000; step++) {
            if (random.nextInt(3) > 0) {
                String key = "k" + random.nextInt(20);
                lsn++;
                log.markDirty(k(key), lsn);
                log.append(w(lsn, key), step);
                written.put(lsn, key);
            } else if (lsn > committed) {
                committed += 1 + random.nextInt((int) (lsn - committed));
                log.commitUpTo(committed);
                if (random.nextBoolean()) {
                    log.trimUpTo(committed);
                }
            }
            for (int i = 0; i < 20; i++) {
                String key = "k" + i;
                boolean expected = written.tailMap(committed, false).containsValue(key);
                assertThat(log.isDirty(k(key))).as("seed %d step %d key %s", seed, step, key).isEqualTo(expected);
            }
        }
    }

    private static ChainWrite w(long lsn, String key) {
        return new ChainWrite(0, lsn, k(key), new byte[] {1}, null);
    }

    private static byte[] k(String s) {
        return s.getBytes(UTF_8);
    }
}
