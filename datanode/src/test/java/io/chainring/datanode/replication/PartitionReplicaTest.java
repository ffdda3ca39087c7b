package io.chainring.datanode.replication;

import static io.chainring.datanode.replication.ChainPositionTest.A;
import static io.chainring.datanode.replication.ChainPositionTest.B;
import static io.chainring.datanode.replication.ChainPositionTest.C;
import static io.chainring.datanode.replication.ChainPositionTest.L;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.datanode.storage.ChainWrite;
import io.chainring.datanode.storage.StorageConfig;
import io.chainring.datanode.storage.StorageEngine;
import io.chainring.datanode.storage.VersionedRecord;
import io.chainring.ring.NodeId;
import io.chainring.thrift.WriteAck;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain state machine of one partition replica, without the network: real JE storage, the
 * replica driven the way the stream, acks and ring changes drive it.
 */
class PartitionReplicaTest {
    private static final long GAP_TIMEOUT = 2000;

    @TempDir
    Path dir;
    final List<AutoCloseable> engines = new ArrayList<>();
    final Signals signals = new Signals();
    final MutableClock clock = new MutableClock();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable e : engines) {
            e.close();
        }
    }

    @Test
    void aHeadWriteIsDirtyAndInFlightUntilTheTailAcksAndEachAckLevelCompletesInTurn() {
        PartitionReplica a = replica(A, List.of(A, B, C));
        long v = a.store().put(k("x"), v("1"), a);
        assertThat(v).isEqualTo(1);
        CompletableFuture<Long> one = a.awaitAck(v, WriteAck.ONE);
        CompletableFuture<Long> majority = a.awaitAck(v, WriteAck.MAJORITY);
        CompletableFuture<Long> all = a.awaitAck(v, WriteAck.ALL);
        assertThat(one).isCompletedWithValue(1L);
        assertThat(majority).isNotDone();
        assertThat(a.readNeedsTail(k("x"))).isTrue();
        assertThat(a.inFlight()).isEqualTo(1);
        assertThat(signals.senderWakes).contains(B);
        assertThat(a.nextToSend(B, 10, 1 << 20)).extracting(ChainWrite::lsn).containsExactly(1L);

        a.markSent(B, 1);
        assertThat(a.nextToSend(B, 10, 1 << 20)).isEmpty();
        a.onAcks(Map.of(B, 1L));
        assertThat(majority).isCompletedWithValue(1L);
        assertThat(all).isNotDone();
        a.onAcks(Map.of(B, 1L, C, 1L));
        assertThat(all).isCompletedWithValue(1L);
        assertThat(a.readNeedsTail(k("x"))).isFalse();
        assertThat(a.inFlight()).isZero();
        assertThat(a.status().committedLsn()).isEqualTo(1);
    }

    @Test
    void aChainOfOneAcknowledgesEveryLevelAtOnce() {
        PartitionReplica a = replica(A, List.of(A));
        long v = a.store().put(k("x"), v("1"), a);
        assertThat(a.awaitAck(v, WriteAck.ALL)).isCompletedWithValue(1L);
        assertThat(a.inFlight()).isZero();
        assertThat(a.tailReady()).isTrue();
    }

    @Test
    void aReceiverAppliesInOrderSkipsDuplicatesAndAsksForAResendAfterAGap() {
        PartitionReplica b = replica(B, List.of(A, B, C));
        assertThat(b.receive(List.of(w(1, "x", "1"), w(2, "y", "2")), 0)).isEqualTo(-1);
        assertThat(b.receive(List.of(w(2, "y", "2"), w(3, "x", null)), 0)).as("duplicate skipped").isEqualTo(-1);
        assertThat(b.store().appliedLsn()).isEqualTo(3);
        assertThat(b.receive(List.of(w(5, "z", "5")), 0)).as("gap: resend after 3").isEqualTo(3);
        assertThat(b.store().getRecord(k("z"))).isEmpty();
        assertThat(b.nextToSend(C, 10, 1 << 20)).as("applied writes go on downstream").extracting(ChainWrite::lsn)
                .containsExactly(1L, 2L, 3L);
        assertThat(b.readNeedsTail(k("x"))).isTrue();
        assertThat(b.ack().getAppliedLsn()).containsEntry("b", 3L);
        assertThat(b.receive(List.of(w(4, "q", "4"), w(5, "z", "5")), 0)).isEqualTo(-1);
        assertThat(b.store().getRecord(k("z"))).contains(VersionedRecord.live(5, v("5")));
    }

    @Test
    void aGapThePredecessorDoesNotFillStartsACatchUpPassInsteadOfResendingForever() {
        PartitionReplica b = replica(B, List.of(A, B, C));
        b.receive(List.of(w(1, "x", "1")), 0);
        assertThat(b.receive(List.of(w(3, "y", "3")), 0)).isEqualTo(1);
        clock.advance(GAP_TIMEOUT - 1);
        assertThat(b.receive(List.of(w(4, "y", "4")), 0)).isEqualTo(1);
        assertThat(signals.catchUps).isEmpty();
        clock.advance(1);
        assertThat(b.receive(List.of(w(5, "y", "5")), 0)).as("the pass fills it; no resend while it runs").isEqualTo(-1);
        assertThat(signals.catchUps).containsExactly("b:0:gap");
        assertThat(b.receive(List.of(w(6, "y", "6")), 0)).isEqualTo(-1);
        // the pass merged the predecessor's records above 1; everything up to 5 is held
        b.store().merge(List.of(w(4, "m", "4"), w(5, "y", "5")), k -> false);
        b.store().raiseAppliedLsn(5);
        b.passDone(5);
        assertThat(b.readNeedsTail(k("m"))).as("records merged by a pass carry no dirty marks: reads go to the tail").isTrue();
        assertThat(b.receive(List.of(w(6, "y", "6")), 0)).isEqualTo(-1);
        assertThat(b.store().appliedLsn()).isEqualTo(6);
        b.onAcks(Map.of(C, 6L));
        assertThat(b.readNeedsTail(k("m"))).isFalse();
    }

    @Test
    void aReplicaBelowWhatItsPredecessorAppliedHasAGapEvenWithoutAWriteShowingIt() {
        PartitionReplica c = replica(C, List.of(A, B, C));
        c.receive(List.of(w(1, "x", "1")), 0, 1);
        // the predecessor restarted in place: it applied 3 but its in-flight log is gone, so no write arrives
        assertThat(c.receive(List.of(), 0, 3)).isEqualTo(1);
        clock.advance(GAP_TIMEOUT);
        assertThat(c.receive(List.of(), 0, 3)).isEqualTo(-1);
        assertThat(signals.catchUps).containsExactly("c:0:gap");
        // a batch cut by its size limits is not a stuck gap: the applied LSN moves on
        PartitionReplica b = replica(B, List.of(A, B, C));
        for (int i = 1; i <= 5; i++) {
            assertThat(b.receive(List.of(w(i, "k" + i, "v")), 0, 10)).isEqualTo(i);
            clock.advance(GAP_TIMEOUT);
        }
        assertThat(signals.catchUps).hasSize(1);
    }

    @Test
    void middleLostThePredecessorResendsWhatItsNewSuccessorLacks() {
        PartitionReplica a = replica(A, List.of(A, B, C));
        for (int i = 1; i <= 3; i++) {
            a.store().put(k("k" + i), v("v" + i), a);
        }
        a.markSent(B, 3);
        a.onAcks(Map.of(B, 3L, C, 1L));
        CompletableFuture<Long> all3 = a.awaitAck(3, WriteAck.ALL);
        PartitionReplica.Transition t = a.reposition(pos(A, List.of(A, C), 2));
        assertThat(t.wakeSenders()).containsExactly(C);
        assertThat(a.nextToSend(C, 10, 1 << 20)).extracting(ChainWrite::lsn).containsExactly(2L, 3L);
        assertThat(a.nextToSend(B, 10, 1 << 20)).isEmpty();
        a.onAcks(Map.of(C, 3L));
        assertThat(all3).isCompletedWithValue(3L);
    }

    @Test
    void headLostTheSuccessorBecomesHeadContinuesItsLsnsAndKeepsSendingItsInFlightWrites() {
        PartitionReplica b = replica(B, List.of(A, B, C));
        b.receive(List.of(w(1, "x", "1"), w(2, "y", "2"), w(3, "z", "3")), 0);
        b.markSent(C, 1);
        b.onAcks(Map.of(C, 1L));
        PartitionReplica.Transition t = b.reposition(pos(B, List.of(B, C), 2));
        assertThat(t.becameHead()).isTrue();
        b.store().continueFromApplied();
        assertThat(b.nextToSend(C, 10, 1 << 20)).extracting(ChainWrite::lsn).containsExactly(2L, 3L);
        long v = b.store().put(k("n"), v("new"), b);
        assertThat(v).isEqualTo(4);
        assertThat(b.status().role()).isEqualTo(Role.HEAD);
        assertThat(b.status().inFlight()).isEqualTo(3);
    }

    @Test
    void tailLostThePredecessorBecomesTailCommitsWhatItHoldsAndAcksUpstream() {
        PartitionReplica b = replica(B, List.of(A, B, C));
        b.receive(List.of(w(1, "x", "1"), w(2, "y", "2"), w(3, "z", "3")), 0);
        b.onAcks(Map.of(C, 1L));
        assertThat(b.readNeedsTail(k("z"))).isTrue();
        PartitionReplica.Transition t = b.reposition(pos(B, List.of(A, B), 2));
        assertThat(t.wakeAcks()).isEqualTo(A);
        assertThat(b.status().committedLsn()).isEqualTo(3);
        assertThat(b.inFlight()).isZero();
        assertThat(b.tailReady()).isTrue();
        assertThat(b.ack().getAppliedLsn()).containsExactly(Map.entry("b", 3L));

        // the head learns it through the acks and answers its ALL waiters
        PartitionReplica a = replica(A, List.of(A, B, C), 1);
        for (int i = 1; i <= 3; i++) {
            a.store().put(k("k" + i), v("v" + i), a);
        }
        a.onAcks(Map.of(B, 3L, C, 1L));
        CompletableFuture<Long> all = a.awaitAck(3, WriteAck.ALL);
        a.reposition(pos(A, List.of(A, B), 2));
        assertThat(all).as("B applied 3 and is the tail now").isCompletedWithValue(3L);
    }

    @Test
    void theTailStreamsToANewLearnerFromNowAndKeepsWritesUntilTheLearnerHasThem() {
        PartitionReplica c = replica(C, List.of(B, C));
        c.receive(List.of(w(1, "x", "1"), w(2, "y", "2")), 0);
        c.reposition(new ChainPosition(C, 0, 2, List.of(B, C), List.of(L)));
        assertThat(c.feeds(L)).isTrue();
        assertThat(c.nextToSend(L, 10, 1 << 20)).as("what is applied already comes from the catch-up pull").isEmpty();
        c.receive(List.of(w(3, "z", "3")), 0);
        assertThat(c.nextToSend(L, 10, 1 << 20)).extracting(ChainWrite::lsn).containsExactly(3L);
        c.markSent(L, 3);
        assertThat(c.status().inFlight()).as("the tail has nothing in flight").isZero();
        c.rewind(L, 2);
        assertThat(c.nextToSend(L, 10, 1 << 20)).as("kept for the learner until it acks").extracting(ChainWrite::lsn).containsExactly(3L);
        c.onAcks(Map.of(L, 3L));
        c.rewind(L, 2);
        assertThat(c.nextToSend(L, 10, 1 << 20)).isEmpty();
    }

    @Test
    void anOldTailKeepsWhatItsPromotedLearnerLacksThoughItIsCommitted() {
        PartitionReplica c = replica(C, List.of(B, C), List.of(L));
        c.receive(List.of(w(1, "a", "1"), w(2, "b", "2"), w(3, "c", "3"), w(4, "d", "4")), 0);
        c.onAcks(Map.of(L, 2L));
        assertThat(c.status().committedLsn()).isEqualTo(4);
        // the learner is promoted to tail before it had 3 and 4
        c.reposition(pos(C, List.of(B, C, L), 2));
        assertThat(c.status().role()).isEqualTo(Role.MIDDLE);
        c.receive(List.of(w(5, "e", "5")), 4);
        c.rewind(L, 2);
        assertThat(c.nextToSend(L, 10, 1 << 20)).extracting(ChainWrite::lsn).containsExactly(3L, 4L, 5L);
        c.onAcks(Map.of(L, 5L));
        c.rewind(L, 2);
        assertThat(c.nextToSend(L, 10, 1 << 20)).isEmpty();
    }

    @Test
    void theTailStopsHoldingWritesForALearnerThatLagsTooFar() {
        StorageEngine engine = StorageEngine.open(StorageConfig.defaults(dir.resolve("capped")));
        engines.add(engine);
        PartitionReplica c = new PartitionReplica(C, engine.partition(0), clock, signals, GAP_TIMEOUT, 3);
        c.reposition(new ChainPosition(C, 0, 1, List.of(B, C), List.of(L)));
        c.receive(List.of(w(1, "a", "1"), w(2, "b", "2"), w(3, "c", "3")), 0);
        c.rewind(L, 0);
        assertThat(c.nextToSend(L, 10, 1 << 20)).hasSize(3);
        c.receive(List.of(w(4, "d", "4")), 0);
        c.rewind(L, 0);
        assertThat(c.nextToSend(L, 10, 1 << 20)).as("over the cap: the learner must catch up by a pass").isEmpty();
    }

    @Test
    void aPromotedLearnerServesReadsAsTailOnlyOnceItHoldsWhatItsPredecessorCommitted() {
        PartitionReplica l = replica(L, List.of(B, C), List.of(L));
        assertThat(signals.catchUps).isEmpty(); // the Replication facade starts it; here the pass is simulated
        l.prepareLearner();
        l.store().merge(List.of(w(1, "x", "1"), w(2, "y", "2")), l.overrides());
        l.store().raiseAppliedLsn(2);
        l.passDone(2);
        l.receive(List.of(w(3, "z", "3")), 3);
        assertThat(l.status().caughtUp()).isTrue();
        assertThat(l.status().role()).isEqualTo(Role.LEARNER);

        l.reposition(pos(L, List.of(B, C, L), 3));
        assertThat(l.tailReady()).as("has not heard its predecessor at the new epoch yet").isFalse();
        assertThat(l.receive(List.of(), 5)).as("its predecessor committed 5: resend").isEqualTo(3);
        assertThat(l.tailReady()).isFalse();
        assertThat(l.receive(List.of(w(4, "x", "4"), w(5, "y", "5")), 5)).isEqualTo(-1);
        assertThat(l.tailReady()).isTrue();
        assertThat(l.status().role()).isEqualTo(Role.TAIL);
    }

    @Test
    void aPromotedTailLeftAloneByItsPredecessorsDropServesReadsAsTheWholeChain() {
        // R = 1: B moves to L (join, promote, drop) before L heard B at the promoting epoch
        PartitionReplica l = replica(L, List.of(B), List.of(L));
        l.prepareLearner();
        l.store().merge(List.of(w(1, "x", "1")), l.overrides());
        l.store().raiseAppliedLsn(1);
        l.passDone(1);
        l.receive(List.of(), 1);
        l.reposition(pos(L, List.of(B, L), 3));
        assertThat(l.tailReady()).isFalse();
        l.reposition(pos(L, List.of(L), 4));
        assertThat(l.tailReady()).as("head and tail: nobody upstream to wait for").isTrue();
        assertThat(l.status().role()).isEqualTo(Role.HEAD);
    }

    @Test
    void aLearnerIsCaughtUpOnlyAfterItsPassAndABatchWithoutAGap() {
        PartitionReplica l = replica(L, List.of(B, C), List.of(L));
        l.prepareLearner();
        // live writes during the pass are dropped without resend requests: the pass covers them
        assertThat(l.receive(List.of(w(7, "x", "7")), 7)).isEqualTo(-1);
        assertThat(l.status().caughtUp()).isFalse();
        l.store().merge(List.of(w(6, "x", "6")), l.overrides());
        l.store().raiseAppliedLsn(6);
        l.passDone(6);
        assertThat(l.status().caughtUp()).isFalse();
        assertThat(l.receive(List.of(), 7)).as("behind the tail: resend after 6").isEqualTo(6);
        assertThat(l.status().caughtUp()).isFalse();
        assertThat(l.receive(List.of(w(7, "x", "7")), 7)).isEqualTo(-1);
        assertThat(l.status().caughtUp()).isTrue();
        assertThat(l.store().getRecord(k("x"))).contains(VersionedRecord.live(7, v("7")));
    }

    /**
     * The divergent-suffix trap (DESIGN §6.4): a head wrote LSNs 3 and 4 that never reached its
     * successor, was dropped, and the new head reused 3 and 4 for other writes. Rejoining as a
     * learner, the old head must end with exactly the tail's data.
     */
    @Test
    void aRejoiningHeadWithADivergentSuffixEndsWithExactlyTheTailsData() {
        PartitionReplica old = replica(A, List.of(A, B, C));
        old.store().put(k("a"), v("a1"), old);    // 1
        old.store().put(k("b"), v("b2"), old);    // 2
        old.onAcks(Map.of(B, 2L, C, 2L));         // committed 2
        old.store().put(k("b"), v("b3-lost"), old);   // 3: never left the head
        old.store().put(k("gone"), v("g4-lost"), old); // 4: a key the chain never saw
        old.store().flushCommitted();

        // meanwhile the chain [B, C] committed: 3 = put c, 4 = delete a, 5 = put b
        // the old head rejoins as a learner of the tail C
        old.reposition(new ChainPosition(A, 0, 3, List.of(B, C), List.of(A)));
        long trusted = old.prepareLearner();
        assertThat(trusted).isEqualTo(2);
        assertThat(old.status().suspectKeys()).isEqualTo(2);
        assertThat(old.store().appliedLsn()).isEqualTo(2);

        // a live write from the tail arrives during the pass (dropped: gap; the pass covers it)
        old.receive(List.of(w(6, "b", "b6")), 6);
        // the pass: the tail's records above 2
        int merged = old.store().merge(List.of(w(5, "b", "b5"), w(3, "c", "c3"), w(4, "a", null)), old.overrides());
        assertThat(merged).isEqualTo(3);
        assertThat(old.store().getRecord(k("b"))).as("b's divergent version 3 replaced by the tail's b@5")
                .contains(VersionedRecord.live(5, v("b5")));
        // "gone" was not in the pull: the tail has no record of it, so the learner removes it
        assertThat(old.catchUp().suspects().snapshot()).extracting(s -> new String(s, UTF_8)).containsExactly("gone");
        old.store().force(k("gone"), null, () -> old.catchUp().suspects().clear(k("gone")));
        old.store().raiseAppliedLsn(5);
        old.passDone(5);
        assertThat(old.receive(List.of(), 6)).isEqualTo(5);
        assertThat(old.receive(List.of(w(6, "b", "b6")), 6)).isEqualTo(-1);

        assertThat(old.status().caughtUp()).isTrue();
        assertThat(old.store().getRecord(k("a"))).contains(VersionedRecord.tombstone(4));
        assertThat(old.store().getRecord(k("b"))).contains(VersionedRecord.live(6, v("b6")));
        assertThat(old.store().getRecord(k("c"))).contains(VersionedRecord.live(3, v("c3")));
        assertThat(old.store().getRecord(k("gone"))).isEmpty();
        assertThat(old.store().keyCount()).isEqualTo(2);
    }

    @Test
    void aSuspectKeyTakesTheChainsWriteEvenAtALowerLsnThanItsDivergentOne() {
        PartitionReplica old = replica(A, List.of(A, B));
        old.store().put(k("s"), v("committed"), old); // 1
        old.onAcks(Map.of(B, 1L));
        old.store().put(k("x"), v("x2-lost"), old);   // 2
        old.store().put(k("s"), v("s3-lost"), old);   // 3
        old.reposition(new ChainPosition(A, 0, 2, List.of(B), List.of(A)));
        old.prepareLearner();
        // the chain reused 2 for s; it arrives as a merged record below the divergent version 3
        old.store().merge(List.of(w(2, "s", "s2")), old.overrides());
        assertThat(old.store().getRecord(k("s"))).contains(VersionedRecord.live(2, v("s2")));
    }

    @Test
    void leavingTheChainFailsWaitingWritesAsOutcomeUnknown() {
        PartitionReplica a = replica(A, List.of(A, B));
        long v = a.store().put(k("x"), v("1"), a);
        CompletableFuture<Long> all = a.awaitAck(v, WriteAck.ALL);
        a.reposition(ChainPosition.none(A, 0, 2));
        assertThat(all).isCompletedExceptionally();
        assertThat(a.status().role()).isEqualTo(Role.NONE);
    }

    @Test
    void aRestartedMiddleSendsReadsToTheTailUntilItKnowsItsAppliedWritesCommitted() {
        PartitionReplica before = replica(B, List.of(A, B, C));
        before.receive(List.of(w(1, "x", "1"), w(2, "x", "2")), 0);
        // a restart: a new replica over the same store, dirty marks gone
        PartitionReplica after = new PartitionReplica(B, before.store(), clock, signals, GAP_TIMEOUT);
        after.reposition(pos(B, List.of(A, B, C), 1));
        assertThat(after.readNeedsTail(k("y"))).as("any key: the node cannot know which are dirty").isTrue();
        after.onAcks(Map.of(C, 2L));
        assertThat(after.readNeedsTail(k("y"))).isFalse();
    }

    // ---------------------------------------------------------------- helpers

    @Test
    void aHeadDroppedForItsSuccessorHandsItsWaitingWritesToItAndLaterOnesToo() {
        PartitionReplica a = replica(A, List.of(A, B, C));
        long v1 = a.store().put(k("x"), v("1"), a);
        CompletableFuture<Long> all = a.awaitAck(v1, WriteAck.ALL);
        PartitionReplica.Transition t = a.reposition(ChainPosition.none(A, 0, 2), List.of(B, C));
        assertThat(t.handoff()).isNotNull();
        assertThat(t.handoff().newHead()).isEqualTo(B);
        assertThat(t.handoff().waiting()).extracting(AckWaiters.Pending::lsn).containsExactly(v1);
        assertThat(all).as("settled by the new head's answer, not failed").isNotDone();
        // a write that was applied while the ring changed waits too: it goes to the new head's answer as well
        CompletableFuture<Long> late = a.awaitAck(2, WriteAck.ALL);
        assertThat(signals.handoffs).hasSize(1);
        assertThat(signals.handoffs.get(0).waiting()).extracting(AckWaiters.Pending::lsn).containsExactly(2L);
        assertThat(late).isNotDone();
    }

    @Test
    void aHeadWhoseSuccessorDoesNotHeadTheNewChainFailsItsWaitersAsUnknown() {
        PartitionReplica a = replica(A, List.of(A, B, C));
        long v1 = a.store().put(k("x"), v("1"), a);
        CompletableFuture<Long> all = a.awaitAck(v1, WriteAck.ALL);
        PartitionReplica.Transition t = a.reposition(ChainPosition.none(A, 0, 2), List.of(C));
        assertThat(t.handoff()).isNull();
        assertThat(all).isCompletedExceptionally();
    }

    @Test
    void aNewHeadAnswersFromWhereItWrites() {
        PartitionReplica b = replica(B, List.of(A, B, C));
        assertThat(b.handoffPoint()).isEmpty();
        b.reposition(pos(B, List.of(B, C), 2));
        assertThat(b.handoffPoint()).as("not settled until the node continues from its applied LSN").isEmpty();
        b.becameHeadFrom(b.store().continueFromApplied());
        assertThat(b.handoffPoint()).contains(new PartitionReplica.HandoffPoint(0, 0));
    }

    private PartitionReplica replica(NodeId self, List<NodeId> chain) {
        return replica(self, chain, List.of());
    }

    private PartitionReplica replica(NodeId self, List<NodeId> chain, int storeIndex) {
        return replica(self, chain, List.of(), storeIndex);
    }

    private PartitionReplica replica(NodeId self, List<NodeId> chain, List<NodeId> learners) {
        return replica(self, chain, learners, 0);
    }

    private PartitionReplica replica(NodeId self, List<NodeId> chain, List<NodeId> learners, int storeIndex) {
        StorageEngine engine = StorageEngine.open(StorageConfig.defaults(dir.resolve(self + "-" + storeIndex)));
        engines.add(engine);
        PartitionReplica r = new PartitionReplica(self, engine.partition(0), clock, signals, GAP_TIMEOUT);
        r.reposition(new ChainPosition(self, 0, 1, chain, learners));
        return r;
    }

    private static ChainPosition pos(NodeId self, List<NodeId> chain, long epoch) {
        return new ChainPosition(self, 0, epoch, chain, List.of());
    }

    private static ChainWrite w(long lsn, String key, String value) {
        return new ChainWrite(0, lsn, k(key), value == null ? null : v(value), null);
    }

    private static byte[] k(String s) {
        return s.getBytes(UTF_8);
    }

    private static byte[] v(String s) {
        return s.getBytes(UTF_8);
    }

    /** Records what the replica asks of the node around it. */
    static final class Signals implements PartitionReplica.Signals {
        final List<NodeId> senderWakes = new ArrayList<>();
        final List<NodeId> ackWakes = new ArrayList<>();
        final List<String> catchUps = new ArrayList<>();
        final List<PartitionReplica.Handoff> handoffs = new ArrayList<>();

        @Override
        public synchronized void handOff(PartitionReplica.Handoff handoff) {
            handoffs.add(handoff);
        }

        @Override
        public synchronized void wakeSender(NodeId target, int partition) {
            senderWakes.add(target);
        }

        @Override
        public synchronized void wakeAcks(NodeId upstream, int partition) {
            ackWakes.add(upstream);
        }

        @Override
        public synchronized void startCatchUp(PartitionReplica replica, boolean learnerJoin) {
            catchUps.add(replica.position().self() + ":" + replica.id() + ":" + (learnerJoin ? "learner" : "gap"));
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile long millis = 1_000_000;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
