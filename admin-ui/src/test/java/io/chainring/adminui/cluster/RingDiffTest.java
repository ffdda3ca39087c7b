package io.chainring.adminui.cluster;

import static io.chainring.adminui.cluster.Snapshots.node;
import static io.chainring.adminui.cluster.Snapshots.ring;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.RingSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingDiffTest {
    @Test
    void countsChangedChainsAndNamesNodeChanges() {
        RingSnapshot before = ring(3, 2, List.of(node("n1", 1, "ACTIVE"), node("n2", 2, "ACTIVE"), node("n3", 3, "ACTIVE")),
                List.of(List.of("n1", "n2"), List.of("n2", "n3"), List.of("n3", "n1")));
        RingSnapshot after = ring(5, 2, List.of(node("n1", 1, "ACTIVE"), node("n2", 9, "ACTIVE"), node("n3", 3, "DECOMMISSIONING"),
                node("n4", 4, "JOINING")), List.of(List.of("n1", "n2"), List.of("n2", "n4"), List.of("n4", "n1")));

        RingDiff d = RingDiff.between(before, after);

        assertThat(d.chainsChanged()).isEqualTo(2);
        assertThat(d.nodesAdded()).containsExactly("n4");
        assertThat(d.nodesRemoved()).isEmpty();
        assertThat(d.stateChanges()).containsExactly("n3: ACTIVE → DECOMMISSIONING");
        assertThat(d.addressChanges()).containsExactly("n2: 127.0.0.1:2 → 127.0.0.1:9");
        assertThat(d.summary()).isEqualTo("epoch 3 → 5: 2 chains changed; added n4; state n3: ACTIVE → DECOMMISSIONING; "
                + "address n2: 127.0.0.1:2 → 127.0.0.1:9");
        assertThat(d.details()).contains("chains changed: 2", "node added: n4");
    }

    @Test
    void aRemovedNodeAndAnUnchangedRing() {
        RingSnapshot before = ring(1, 1, List.of(node("n1", 1, "ACTIVE"), node("n2", 2, "REMOVED")), List.of(List.of("n1")));
        RingSnapshot after = ring(2, 1, List.of(node("n1", 1, "ACTIVE")), List.of(List.of("n1")));
        RingDiff d = RingDiff.between(before, after);
        assertThat(d.nodesRemoved()).containsExactly("n2");
        assertThat(d.chainsChanged()).isZero();
        assertThat(RingDiff.between(after, after).summary()).isEqualTo("epoch 2 → 2: no visible change");
    }
}
