package io.chainring.datanode.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.Partition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainPositionTest {
    static final NodeId A = NodeId.of("a");
    static final NodeId B = NodeId.of("b");
    static final NodeId C = NodeId.of("c");
    static final NodeId L = NodeId.of("l");
    static final Partition P = new Partition(0, Chain.of(A, B, C), 4, List.of(L));

    @Test
    void rolesAndNeighbours() {
        ChainPosition a = ChainPosition.of(P, A);
        assertThat(a.role()).isEqualTo(Role.HEAD);
        assertThat(a.upstream()).isEmpty();
        assertThat(a.downstream()).containsExactly(B);
        assertThat(a.below()).containsExactly(B, C);

        ChainPosition b = ChainPosition.of(P, B);
        assertThat(b.role()).isEqualTo(Role.MIDDLE);
        assertThat(b.upstream()).contains(A);
        assertThat(b.downstream()).containsExactly(C);

        ChainPosition c = ChainPosition.of(P, C);
        assertThat(c.role()).isEqualTo(Role.TAIL);
        assertThat(c.isTail()).isTrue();
        assertThat(c.downstream()).as("the tail feeds its learners").containsExactly(L);

        ChainPosition l = ChainPosition.of(P, L);
        assertThat(l.role()).isEqualTo(Role.LEARNER);
        assertThat(l.isMember()).isFalse();
        assertThat(l.upstream()).as("a learner receives from the tail").contains(C);
        assertThat(l.downstream()).isEmpty();

        ChainPosition none = ChainPosition.of(P, NodeId.of("x"));
        assertThat(none.role()).isEqualTo(Role.NONE);
        assertThat(none.upstream()).isEmpty();
        assertThat(none.downstream()).isEmpty();
    }

    @Test
    void aChainOfOneIsHeadAndTail() {
        ChainPosition only = ChainPosition.of(new Partition(1, Chain.of(A), 1), A);
        assertThat(only.role()).isEqualTo(Role.HEAD);
        assertThat(only.isHead()).isTrue();
        assertThat(only.isTail()).isTrue();
        assertThat(only.downstream()).isEmpty();
    }

    @Test
    void theTailOfAChainOfThreeAcksToTheHeadDirectlyAndTheMiddleDoesNotRelay() {
        assertThat(ChainPosition.of(P, C).ackTargets()).containsExactly(B, A);
        assertThat(ChainPosition.of(P, B).ackTargets()).containsExactly(A);
        assertThat(ChainPosition.of(P, B).relaysAcks()).as("the head hears the tail itself").isFalse();
        assertThat(ChainPosition.of(P, C).relaysAcks()).as("a learner's acks go on up from the tail").isTrue();
        assertThat(ChainPosition.of(P, L).ackTargets()).containsExactly(C);
        assertThat(ChainPosition.of(P, A).ackTargets()).isEmpty();
        assertThat(ChainPosition.of(P, A).relaysAcks()).isFalse();

        Partition two = new Partition(2, Chain.of(A, B), 4);
        assertThat(ChainPosition.of(two, B).ackTargets()).as("with two, the head is the upstream").containsExactly(A);
        Partition four = new Partition(3, Chain.of(A, B, C, L), 4);
        assertThat(ChainPosition.of(four, L).ackTargets()).containsExactly(C, A);
        assertThat(ChainPosition.of(four, B).relaysAcks()).as("a majority of four needs the relay").isTrue();
        assertThat(ChainPosition.of(four, C).relaysAcks()).isTrue();
    }
}
