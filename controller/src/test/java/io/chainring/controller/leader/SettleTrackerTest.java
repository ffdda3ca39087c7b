package io.chainring.controller.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettleTrackerTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static ClusterSnapshot state(int port, String... live) {
        return state(NodeState.NEW, port, live);
    }

    private static ClusterSnapshot state(NodeState n1State, int port, String... live) {
        NodeInfo n1 = new NodeInfo(NodeId.of("n1"), new HostPort("127.0.0.1", port), null, n1State);
        NodeInfo n2 = new NodeInfo(NodeId.of("n2"), new HostPort("127.0.0.1", 2), null, NodeState.NEW);
        return new ClusterSnapshot(Optional.empty(), List.of(n1, n2),
                Set.of(live).stream().map(NodeId::of).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void reportsTheTimeOfTheLastChange() {
        SettleTracker t = new SettleTracker();
        assertThat(t.observe(state(1, "n1"), T0)).isEqualTo(T0);
        assertThat(t.observe(state(1, "n1"), T0.plusSeconds(5))).isEqualTo(T0);
        // a node going live is a change
        assertThat(t.observe(state(1, "n1", "n2"), T0.plusSeconds(6))).isEqualTo(T0.plusSeconds(6));
        // so is a re-registration on another port
        assertThat(t.observe(state(9, "n1", "n2"), T0.plusSeconds(7))).isEqualTo(T0.plusSeconds(7));
        // state changes alone (NEW -> ACTIVE, written by the controller itself) are not
        assertThat(t.observe(state(NodeState.ACTIVE, 9, "n1", "n2"), T0.plusSeconds(8))).isEqualTo(T0.plusSeconds(7));
    }

    @Test
    void aNewTermStartsCountingAfresh() {
        SettleTracker t = new SettleTracker();
        t.observe(state(1, "n1"), T0);
        t.reset();
        assertThat(t.observe(state(1, "n1"), T0.plusSeconds(30))).isEqualTo(T0.plusSeconds(30));
    }
}
