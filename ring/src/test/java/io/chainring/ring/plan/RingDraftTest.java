package io.chainring.ring.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.Partition;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RingDraftTest {
    private static final NodeId A = new NodeId("a");
    private static final NodeId B = new NodeId("b");
    private static final NodeId C = new NodeId("c");
    private static final NodeId D = new NodeId("d");

    private static RingDraft draft() {
        return RingDraft.of(List.of(new Partition(0, new Chain(List.of(A, B, C)), 3),
                new Partition(1, new Chain(List.of(B, C, A)), 5)));
    }

    @Test
    void unchangedPartitionsAreTheSameObjectsAndNothingIsChanged() {
        RingDraft d = draft();
        assertThat(d.changed()).isEmpty();
        assertThat(d.partitions().get(1)).isSameAs(d.base(1));
    }

    @Test
    void aLearnerJoinsBehindTheTailAndPromotionAppendsIt() {
        RingDraft d = draft();
        d.addLearner(0, D);
        assertThat(d.learners(0)).containsExactly(D);
        d.promote(0, D);
        assertThat(d.chain(0)).containsExactly(A, B, C, D);
        assertThat(d.learners(0)).isEmpty();
        assertThat(d.touched(0)).isTrue();
        assertThat(d.touched(1)).isFalse();
        Partition changed = d.changed().get(0);
        assertThat(changed.chain().members()).containsExactly(A, B, C, D);
        assertThat(changed.changedAt()).isEqualTo(3); // the ring's next() sets the new epoch
    }

    @Test
    void droppingAMemberKeepsTheOthersInOrder() {
        RingDraft d = draft();
        d.dropMember(1, C);
        assertThat(d.chain(1)).containsExactly(B, A);
        d.retain(0, Set.of(A, C), Set.of());
        assertThat(d.chain(0)).containsExactly(A, C);
        assertThat(d.changed()).hasSize(2);
    }

    @Test
    void impossibleChangesAreRefused() {
        RingDraft d = draft();
        assertThatThrownBy(() -> d.addLearner(0, A)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.dropMember(0, D)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.promote(0, D)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.chain(0).add(D)).isInstanceOf(UnsupportedOperationException.class);
    }
}
