package io.chainring.datanode.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replica-side writes of a partition store on real JE: in-order apply, catch-up merge, forced fixes, change scans. */
class ReplicaWritesTest {
    private static final Predicate<byte[]> NO_OVERRIDE = k -> false;

    @TempDir
    Path dir;
    StorageEngine engine;
    PartitionStore store;

    @BeforeEach
    void open() {
        engine = StorageEngine.open(StorageConfig.defaults(dir));
        store = engine.partition(3);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void appliesInOrderSkipsDuplicatesAndStopsAtAGap() {
        ApplyResult first = store.applyInOrder(List.of(w(1, "a", "1"), w(2, "b", "2")), NO_OVERRIDE, WriteObserver.NONE);
        assertThat(first).isEqualTo(new ApplyResult(2, 0, false, 2));

        ApplyResult second = store.applyInOrder(List.of(w(2, "b", "2"), w(3, "a", null), w(5, "c", "5"), w(6, "c", "6")),
                NO_OVERRIDE, WriteObserver.NONE);
        assertThat(second).isEqualTo(new ApplyResult(1, 1, true, 3));
        assertThat(store.getRecord(key("a"))).contains(VersionedRecord.tombstone(3));
        assertThat(store.getRecord(key("c"))).as("nothing after the gap is applied").isEmpty();
        assertThat(store.keyCount()).isEqualTo(1);
        assertThat(store.lastLsn()).isEqualTo(3);

        ApplyResult gapOnly = store.applyInOrder(List.of(w(9, "z", "9")), NO_OVERRIDE, WriteObserver.NONE);
        assertThat(gapOnly).isEqualTo(new ApplyResult(0, 0, true, 3));
    }

    @Test
    void observerSeesEachWritePreparedBeforeItIsReadableAndCommittedAfter() {
        List<String> events = new ArrayList<>();
        WriteObserver observer = new WriteObserver() {
            @Override
            public void prepared(ChainWrite write) {
                events.add("prepared " + write.lsn() + " visible=" + store.getRecord(write.key()).isPresent());
            }

            @Override
            public void committed(ChainWrite write) {
                events.add("committed " + write.lsn() + " visible=" + store.getRecord(write.key()).isPresent());
            }
        };
        store.applyInOrder(List.of(w(1, "a", "1"), w(2, "b", "2")), NO_OVERRIDE, observer);
        assertThat(events).containsExactly("prepared 1 visible=false", "prepared 2 visible=false",
                "committed 1 visible=true", "committed 2 visible=true");
        events.clear();
        long v = store.put(key("c"), "3".getBytes(UTF_8), observer);
        assertThat(v).isEqualTo(3);
        assertThat(events).containsExactly("prepared 3 visible=false", "committed 3 visible=true");
    }

    @Test
    void requestIdsTravellingWithTheStreamMakeACasRetryAtThisReplicaAnswerTheFirstVersion() {
        store.applyInOrder(List.of(new ChainWrite(3, 1, key("k"), "v".getBytes(UTF_8), "req-1")), NO_OVERRIDE, WriteObserver.NONE);
        // this replica became head; the client retries the CAS it sent to the old head
        CasOutcome retry = store.compareAndSet(key("k"), "v".getBytes(UTF_8), 0, "req-1");
        assertThat(retry).isEqualTo(new CasOutcome(true, 1));
        assertThat(store.lastLsn()).isEqualTo(1);
        store.forgetRecentRequests();
        assertThat(store.compareAndSet(key("k"), "v".getBytes(UTF_8), 0, "req-1").applied()).isFalse();
    }

    @Test
    void mergeKeepsTheHigherVersionPerKeyTombstonesIncludedAndLeavesAppliedAlone() {
        store.applyInOrder(List.of(w(1, "a", "old"), w(2, "b", "b2"), w(3, "c", "c3")), NO_OVERRIDE, WriteObserver.NONE);
        int written = store.merge(List.of(w(7, "a", "new"), w(1, "b", "stale"), w(5, "c", null), w(4, "d", "d4")), NO_OVERRIDE);
        assertThat(written).isEqualTo(3);
        assertThat(store.getRecord(key("a"))).contains(VersionedRecord.live(7, "new".getBytes(UTF_8)));
        assertThat(store.getRecord(key("b"))).contains(VersionedRecord.live(2, "b2".getBytes(UTF_8)));
        assertThat(store.getRecord(key("c"))).contains(VersionedRecord.tombstone(5));
        assertThat(store.getRecord(key("d"))).contains(VersionedRecord.live(4, "d4".getBytes(UTF_8)));
        assertThat(store.appliedLsn()).isEqualTo(3);
        assertThat(store.lastLsn()).isEqualTo(7);
        assertThat(store.keyCount()).isEqualTo(3);
        store.raiseAppliedLsn(7);
        store.raiseAppliedLsn(5);
        assertThat(store.appliedLsn()).isEqualTo(7);
    }

    @Test
    void anOverrideReplacesASuspectRecordEvenWithALowerVersionOnce() {
        store.applyInOrder(List.of(w(1, "a", "1"), w(2, "s", "divergent")), NO_OVERRIDE, WriteObserver.NONE);
        store.setAppliedLsn(1);
        Set<ByteBuffer> suspects = new HashSet<>(Set.of(ByteBuffer.wrap(key("s"))));
        Predicate<byte[]> clear = k -> suspects.remove(ByteBuffer.wrap(k));
        // the chain reused LSN 2 for another write to the same key
        store.applyInOrder(List.of(w(2, "s", "committed")), clear, WriteObserver.NONE);
        assertThat(store.getRecord(key("s"))).contains(VersionedRecord.live(2, "committed".getBytes(UTF_8)));
        assertThat(suspects).isEmpty();
        // no longer suspect: an older record does not replace it
        store.merge(List.of(w(1, "s", "older")), clear);
        assertThat(store.getRecord(key("s"))).contains(VersionedRecord.live(2, "committed".getBytes(UTF_8)));
    }

    @Test
    void forceReplacesOrRemovesOnlyWhileStillWanted() {
        store.applyInOrder(List.of(w(1, "a", "1"), w(2, "b", "2")), NO_OVERRIDE, WriteObserver.NONE);
        assertThat(store.force(key("a"), null, () -> true)).isTrue();
        assertThat(store.getRecord(key("a"))).isEmpty();
        assertThat(store.force(key("b"), VersionedRecord.tombstone(1), () -> false)).isFalse();
        assertThat(store.getRecord(key("b"))).contains(VersionedRecord.live(2, "2".getBytes(UTF_8)));
        assertThat(store.force(key("b"), VersionedRecord.tombstone(1), () -> true)).isTrue();
        assertThat(store.getRecord(key("b"))).contains(VersionedRecord.tombstone(1));
        assertThat(store.keyCount()).isZero();
    }

    @Test
    void changesAfterPagesThroughRecordsAboveAVersionWithTombstones() {
        List<ChainWrite> ws = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            ws.add(w(i, String.format("k%03d", i), i % 5 == 0 ? null : "v" + i));
        }
        store.applyInOrder(ws, NO_OVERRIDE, WriteObserver.NONE);
        List<KeyedRecord> seen = new ArrayList<>();
        byte[] cursor = new byte[0];
        int pages = 0;
        while (true) {
            ChangePage page = store.changesAfter(cursor, 30, 1_000_000, 4);
            pages++;
            assertThat(page.appliedLsn()).isEqualTo(40);
            seen.addAll(page.records());
            if (page.done()) {
                break;
            }
            cursor = page.resumeAfter();
        }
        assertThat(pages).as("examined-keys budget cuts pages").isEqualTo(10);
        assertThat(seen).extracting(r -> r.record().version()).containsExactly(31L, 32L, 33L, 34L, 35L, 36L, 37L, 38L, 39L, 40L);
        assertThat(seen.get(4).record().isLive()).as("tombstones included").isFalse();
        assertThat(store.keysAbove(37)).extracting(k -> new String(k, UTF_8)).containsExactly("k038", "k039", "k040");
    }

    @Test
    void committedLsnIsPersistedWithTheNextWriteOrAFlushAndSurvivesAReopen() {
        store.put(key("a"), new byte[] {1});
        store.noteCommitted(1);
        assertThat(store.meta().committedLsn()).as("in memory until written").isZero();
        assertThat(store.committedLsn()).isEqualTo(1);
        store.put(key("b"), new byte[] {2});
        assertThat(store.meta().committedLsn()).isEqualTo(1);
        store.noteCommitted(2);
        store.flushCommitted();
        engine.close();
        engine = StorageEngine.open(StorageConfig.defaults(dir));
        store = engine.partition(3);
        assertThat(store.committedLsn()).isEqualTo(2);
        assertThat(store.meta()).isEqualTo(new PartitionMeta(2, 2, 2, 2, 4));
    }

    @Test
    void dataBytesFollowEveryKindOfWriteAndSurviveAReopen() {
        store.put(key("ab"), new byte[10]); // 12
        store.put(key("ab"), new byte[4]); // 6
        store.put(key("cd"), new byte[3]); // 11
        assertThat(store.dataBytes()).isEqualTo(11);
        store.delete(key("cd")); // tombstone keeps its key: 6 + 2
        assertThat(store.dataBytes()).isEqualTo(8);
        store.applyInOrder(List.of(w(5, "e", "12345")), NO_OVERRIDE, WriteObserver.NONE); // + 6
        store.merge(List.of(w(9, "ab", "x")), NO_OVERRIDE); // ab: 6 -> 3
        assertThat(store.dataBytes()).isEqualTo(11);
        store.force(key("cd"), null, () -> true); // the tombstone goes: - 2
        assertThat(store.dataBytes()).isEqualTo(9);
        engine.close();
        engine = StorageEngine.open(StorageConfig.defaults(dir));
        store = engine.partition(3);
        assertThat(store.dataBytes()).isEqualTo(9);
    }

    @Test
    void continueFromAppliedRewindsTheNextHeadLsn() {
        store.applyInOrder(List.of(w(1, "a", "1")), NO_OVERRIDE, WriteObserver.NONE);
        store.merge(List.of(w(9, "z", "9")), NO_OVERRIDE);
        assertThat(store.lastLsn()).isEqualTo(9);
        store.continueFromApplied();
        assertThat(store.put(key("b"), new byte[0])).isEqualTo(2);
    }

    @Test
    void legacyMetaRowsDecodeWithAppliedAsCommitted() {
        byte[] legacy = ByteBuffer.allocate(24).putLong(5).putLong(5).putLong(3).array();
        assertThat(PartitionMeta.decode(legacy)).isEqualTo(new PartitionMeta(5, 5, 3, 5, PartitionMeta.UNKNOWN_BYTES));
        byte[] noSize = ByteBuffer.allocate(32).putLong(5).putLong(5).putLong(3).putLong(4).array();
        assertThat(PartitionMeta.decode(noSize)).isEqualTo(new PartitionMeta(5, 5, 3, 4, PartitionMeta.UNKNOWN_BYTES));
        assertThatThrownBy(() -> PartitionMeta.decode(new byte[16])).isInstanceOf(RecordCodec.CorruptRecordException.class);
    }

    @Test
    void writesForAnotherPartitionAreRefused() {
        assertThatThrownBy(() -> store.applyInOrder(List.of(new ChainWrite(4, 1, key("a"), null, null)), NO_OVERRIDE, WriteObserver.NONE))
                .hasMessageContaining("partition 4");
    }

    @Test
    void aBatchOfSeveralPartitionsCommitsOnceAndEachPartitionKeepsItsOrderAndGaps() {
        PartitionStore p5 = engine.partition(5);
        PartitionStore p1 = engine.partition(1);
        List<String> committed = new ArrayList<>();
        WriteObserver recorder = new WriteObserver() {
            @Override
            public void committed(ChainWrite write) {
                committed.add(write.partition() + "@" + write.lsn());
            }
        };
        long commitsBefore = engine.countedCommits();
        // given out of partition order: locks are taken in ascending order, results come back in the order given
        List<ApplyResult> results = PartitionStore.applyInOrder(List.of(
                new ChainApply(p5, List.of(wIn(5, 1, "x", "1"), wIn(5, 2, "y", "2")), NO_OVERRIDE, recorder),
                new ChainApply(store, List.of(w(1, "a", "1"), w(3, "b", "3")), NO_OVERRIDE, recorder),
                new ChainApply(p1, List.of(), NO_OVERRIDE, recorder)));
        assertThat(results).containsExactly(new ApplyResult(2, 0, false, 2), new ApplyResult(1, 0, true, 1),
                new ApplyResult(0, 0, false, 0));
        assertThat(engine.countedCommits() - commitsBefore).as("one transaction for the batch").isEqualTo(1);
        assertThat(committed).containsExactly("3@1", "5@1", "5@2");
        assertThat(p5.get(key("y")).orElseThrow().version()).isEqualTo(2);
        assertThat(store.appliedLsn()).isEqualTo(1);
        assertThat(p5.appliedLsn()).isEqualTo(2);
    }

    @Test
    void aBatchThatFailsInOnePartitionAppliesNothingOfAnyAndTellsTheObserversSo() {
        PartitionStore p5 = engine.partition(5);
        List<String> events = new ArrayList<>();
        WriteObserver recorder = new WriteObserver() {
            @Override
            public void prepared(ChainWrite write) {
                events.add("prepared " + write.partition() + "@" + write.lsn());
            }

            @Override
            public void committed(ChainWrite write) {
                events.add("committed " + write.partition() + "@" + write.lsn());
            }

            @Override
            public void aborted(ChainWrite write) {
                events.add("aborted " + write.partition() + "@" + write.lsn());
            }
        };
        // partition 5's part carries a write of partition 3: refused after partition 3's part was staged
        assertThatThrownBy(() -> PartitionStore.applyInOrder(List.of(
                new ChainApply(store, List.of(w(1, "a", "1")), NO_OVERRIDE, recorder),
                new ChainApply(p5, List.of(w(1, "x", "1")), NO_OVERRIDE, recorder))))
                .hasMessageContaining("sent to partition 5");
        assertThat(events).containsExactly("prepared 3@1", "aborted 3@1");
        assertThat(store.get(key("a"))).isEmpty();
        assertThat(store.appliedLsn()).isZero();
        assertThat(p5.appliedLsn()).isZero();
        // both partitions take the next batch as if nothing had happened
        assertThat(PartitionStore.applyInOrder(List.of(new ChainApply(store, List.of(w(1, "a", "1")), NO_OVERRIDE, recorder))))
                .containsExactly(new ApplyResult(1, 0, false, 1));
    }

    private static ChainWrite wIn(int partition, long lsn, String key, String value) {
        return new ChainWrite(partition, lsn, key(key), value == null ? null : value.getBytes(UTF_8), null);
    }

    private static ChainWrite w(long lsn, String key, String value) {
        return new ChainWrite(3, lsn, key(key), value == null ? null : value.getBytes(UTF_8), null);
    }

    private static byte[] key(String k) {
        return k.getBytes(UTF_8);
    }
}
