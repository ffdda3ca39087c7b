package io.chainring.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.ring.Chain;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId C = NodeId.of("c");

    /** Partition 0: a → b → c; partition 1: empty. */
    private static Ring ring() {
        List<NodeInfo> nodes = new ArrayList<>();
        int port = 7101;
        for (NodeId id : List.of(A, B, C)) {
            nodes.add(new NodeInfo(id, new HostPort("127.0.0.1", port++), "z", NodeState.ACTIVE));
        }
        return new Ring("c", 3, 2, 3, Ring.index(nodes),
                List.of(new Partition(0, Chain.of(A, B, C), 2), new Partition(1, Chain.empty(), 0)));
    }

    @Test
    void writesGoToTheHead() {
        Router r = new Router();
        for (int i = 0; i < 10; i++) {
            assertThat(r.head(ring(), 0).orElseThrow().id()).isEqualTo(A);
        }
        r.suspect(A); // the head is the only place a write may go, suspect or not
        assertThat(r.head(ring(), 0).orElseThrow().id()).isEqualTo(A);
        assertThat(r.head(ring(), 1)).isEmpty();
    }

    @Test
    void readsRotateOverTheChain() {
        Router r = new Router();
        Map<NodeId, Integer> counts = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            counts.merge(r.reader(ring(), 0, Set.of()).orElseThrow().id(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(A, B, C);
        assertThat(counts.values()).allMatch(n -> n == 100);
        assertThat(r.reader(ring(), 1, Set.of())).isEmpty();
    }

    @Test
    void readsSkipTriedAndSuspectMembersWhileOthersAreLeft() {
        Router r = new Router();
        for (int i = 0; i < 20; i++) {
            assertThat(r.reader(ring(), 0, Set.of(A, B)).orElseThrow().id()).isEqualTo(C);
        }
        r.suspect(B);
        for (int i = 0; i < 20; i++) {
            assertThat(r.reader(ring(), 0, Set.of(A)).orElseThrow().id()).isEqualTo(C);
            assertThat(r.reader(ring(), 0, Set.of()).orElseThrow().id()).isIn(A, C);
        }
        // only a suspect is untried: use it rather than repeat a member that already failed
        assertThat(r.reader(ring(), 0, Set.of(A, C)).orElseThrow().id()).isEqualTo(B);
        // every member tried: any member
        assertThat(r.reader(ring(), 0, Set.of(A, B, C))).isPresent();
        r.healthy(B);
        assertThat(r.isSuspect(B)).isFalse();
    }

    @Test
    void majorityReadersAreDistinctHealthyFirst() {
        Router r = new Router();
        r.suspect(A);
        for (int i = 0; i < 10; i++) {
            List<NodeInfo> two = r.readers(ring(), 0, 2);
            Set<NodeId> ids = new HashSet<>();
            two.forEach(n -> ids.add(n.id()));
            assertThat(ids).containsExactlyInAnyOrder(B, C);
        }
        assertThat(r.readers(ring(), 0, 3)).hasSize(3);
        assertThat(r.readers(ring(), 1, 2)).isEmpty();
        assertThat(Router.majority(1)).isEqualTo(1);
        assertThat(Router.majority(2)).isEqualTo(2);
        assertThat(Router.majority(3)).isEqualTo(2);
        assertThat(Router.majority(4)).isEqualTo(3);
        assertThat(Router.majority(5)).isEqualTo(3);
    }
}
