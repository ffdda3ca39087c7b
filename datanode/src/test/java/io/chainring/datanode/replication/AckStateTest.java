package io.chainring.datanode.replication;

import static io.chainring.datanode.replication.ChainPositionTest.A;
import static io.chainring.datanode.replication.ChainPositionTest.B;
import static io.chainring.datanode.replication.ChainPositionTest.C;
import static io.chainring.datanode.replication.ChainPositionTest.L;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.ring.NodeId;
import io.chainring.thrift.WriteAck;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AckStateTest {
    @Test
    void ackLevelsOfAChainOfThree() {
        AckState s = new AckState(pos(A, List.of(A, B, C)));
        s.report(A, 10);
        assertThat(s.acked(WriteAck.ONE)).isEqualTo(10);
        assertThat(s.acked(WriteAck.MAJORITY)).as("needs the first two of three").isZero();
        s.report(B, 7);
        assertThat(s.acked(WriteAck.MAJORITY)).isEqualTo(7);
        assertThat(s.acked(WriteAck.ALL)).isZero();
        s.report(C, 5);
        assertThat(s.acked(WriteAck.ALL)).isEqualTo(5);
        assertThat(s.committed()).isEqualTo(5);
        assertThat(s.report(C, 4)).as("applied LSNs only grow").isFalse();
        assertThat(s.committed()).isEqualTo(5);
    }

    @Test
    void majorityIsTheFirstHalfRoundedUpOfTheChain() {
        assertThat(AckState.majority(1)).isEqualTo(1);
        assertThat(AckState.majority(2)).isEqualTo(2);
        assertThat(AckState.majority(3)).isEqualTo(2);
        assertThat(AckState.majority(4)).isEqualTo(3);
        assertThat(AckState.majority(5)).isEqualTo(3);
    }

    @Test
    void committedNeverGoesBackWhenTheTailIsDroppedOrReplaced() {
        AckState s = new AckState(pos(A, List.of(A, B, C)));
        s.report(A, 9);
        s.report(B, 8);
        s.report(C, 6);
        // tail lost: B is the tail now, and everything it applied is committed
        s.reposition(pos(A, List.of(A, B)));
        assertThat(s.committed()).isEqualTo(8);
        assertThat(s.knows(C)).as("a node that left is forgotten").isFalse();
        // a learner promoted to tail with less than what was committed does not lower it
        s.reposition(pos(A, List.of(A, B, L)));
        s.report(L, 3);
        assertThat(s.committed()).isEqualTo(8);
        assertThat(s.report(C, 20)).as("reports about nodes outside the chain are ignored").isFalse();
    }

    @Test
    void theTailKeepsWritesUntilItsLearnersHaveThem() {
        AckState s = new AckState(new ChainPosition(C, 0, 1, List.of(A, C), List.of(L)));
        s.report(C, 12);
        s.raiseCommitted(12);
        s.report(L, 4);
        assertThat(s.retainFloor()).isEqualTo(4);
        assertThat(s.selfAndBelow()).containsEntry(C, 12L).containsEntry(L, 4L);
        s.report(L, 12);
        assertThat(s.retainFloor()).isEqualTo(12);
        AckState middle = new AckState(pos(B, List.of(A, B, C)));
        middle.report(C, 3);
        middle.report(B, 5);
        assertThat(middle.retainFloor()).isEqualTo(3);
        assertThat(middle.selfAndBelow()).containsExactly(java.util.Map.entry(B, 5L), java.util.Map.entry(C, 3L));
    }

    @Test
    void waitersCompleteInOrderAsTheirLevelIsMetAndFailWhenTheHeadLeaves() {
        AckState s = new AckState(pos(A, List.of(A, B, C)));
        AckWaiters w = new AckWaiters();
        CompletableFuture<Long> all1 = w.add(1, WriteAck.ALL);
        CompletableFuture<Long> all2 = w.add(2, WriteAck.ALL);
        CompletableFuture<Long> maj2 = w.add(2, WriteAck.MAJORITY);
        CompletableFuture<Long> one2 = w.add(2, WriteAck.ONE);
        s.report(A, 2);
        w.completeMet(s);
        assertThat(one2).isCompletedWithValue(2L);
        assertThat(maj2).isNotDone();
        s.report(B, 2);
        s.report(C, 1);
        w.completeMet(s);
        assertThat(maj2).isCompletedWithValue(2L);
        assertThat(all1).isCompletedWithValue(1L);
        assertThat(all2).isNotDone();
        w.failAll(new WriteOutcomeUnknown("left the chain"));
        assertThat(all2).isCompletedExceptionally();
        assertThat(w.size()).isZero();
    }

    private static ChainPosition pos(NodeId self, List<NodeId> chain) {
        return new ChainPosition(self, 0, 1, chain, List.of());
    }
}
