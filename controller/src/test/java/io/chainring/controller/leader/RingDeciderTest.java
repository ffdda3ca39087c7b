package io.chainring.controller.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.metadata.ClusterConfig;
import io.chainring.metadata.VersionedRing;
import io.chainring.ring.Chain;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.BalancedPlanner;
import io.chainring.ring.plan.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RingDeciderTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final ClusterConfig Q16_R1 = new ClusterConfig(16, 1);

    private static RingDecider decider(boolean autoJoin, int minNodes) {
        return new RingDecider("c1", Q16_R1, autoJoin, minNodes, SETTLE, new BalancedPlanner());
    }

    private static NodeInfo node(String id, int port, NodeState state) {
        return new NodeInfo(NodeId.of(id), new HostPort("127.0.0.1", port), "z1", state);
    }

    private static ClusterSnapshot noRing(List<NodeInfo> registered, String... live) {
        return new ClusterSnapshot(Optional.empty(), registered, ids(live));
    }

    private static Set<NodeId> ids(String... ids) {
        return Arrays.stream(ids).map(NodeId::of).collect(Collectors.toSet());
    }

    private static List<NodeInfo> three(NodeState state) {
        return List.of(node("n1", 7101, state), node("n2", 7102, state), node("n3", 7103, state));
    }

    /** A ring at epoch 3 over n1..n3, as if read at znode version 2. */
    private static VersionedRing servingRing() {
        List<NodeInfo> active = three(NodeState.ACTIVE);
        Ring ring = Ring.empty("c1", 16, 1);
        Plan plan = new BalancedPlanner().plan(ring, active).orElseThrow();
        ring = ring.next(active, plan.targetChains()).withNodes(active).withNodes(active);
        return new VersionedRing(ring, 2);
    }

    @Test
    void formsTheFirstRingOnceEnoughNodesAreLiveAndRegistrationsSettled() {
        Decision d = decider(true, 3).decide(noRing(three(NodeState.NEW), "n1", "n2", "n3"), T0.plus(SETTLE), T0);

        assertThat(d).isInstanceOf(Decision.CreateRing.class);
        Decision.CreateRing create = (Decision.CreateRing) d;
        Ring ring = create.ring();
        assertThat(ring.epoch()).isEqualTo(1);
        assertThat(ring.cluster()).isEqualTo("c1");
        assertThat(ring.partitionCount()).isEqualTo(16);
        assertThat(ring.replication()).isEqualTo(1);
        assertThat(ring.isAssigned()).isTrue();
        assertThat(ring.partitions()).allSatisfy(p -> assertThat(p.chain().length()).isEqualTo(1));
        assertThat(ring.nodes().values()).extracting(NodeInfo::state).containsOnly(NodeState.ACTIVE);
        assertThat(create.activate()).containsExactly(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
        Map<NodeId, int[]> roles = ring.roleCounts();
        assertThat(roles.values()).allSatisfy(r -> assertThat(r[0]).isBetween(5, 6));
    }

    @Test
    void waitsForMinNodesCountingOnlyLiveNodes() {
        Decision d = decider(true, 3).decide(noRing(three(NodeState.NEW), "n1", "n3"), T0.plusSeconds(60), T0);
        assertThat(d).isEqualTo(new Decision.Wait(
                "no ring yet: 2 of 3 required nodes are registered and live [n1, n3]"));
    }

    @Test
    void waitsUntilRegistrationsSettle() {
        Decision d = decider(true, 1).decide(noRing(three(NodeState.NEW), "n1", "n2", "n3"),
                T0.plus(SETTLE).minusMillis(1), T0);
        assertThat(d).isInstanceOf(Decision.Wait.class);
        assertThat(((Decision.Wait) d).reason()).contains("settle");
    }

    @Test
    void waitsWhenAutoJoinIsOff() {
        Decision d = decider(false, 1).decide(noRing(three(NodeState.NEW), "n1", "n2", "n3"), T0.plusSeconds(60), T0);
        assertThat(d).isInstanceOf(Decision.Wait.class);
        assertThat(((Decision.Wait) d).reason()).contains("auto-join is off");
    }

    @Test
    void leavesDecommissionedAndRemovedNodesOutOfTheFirstRing() {
        List<NodeInfo> registered = List.of(node("n1", 1, NodeState.NEW), node("n2", 2, NodeState.REMOVED),
                node("n3", 3, NodeState.DECOMMISSIONING));
        Decision d = decider(true, 1).decide(noRing(registered, "n1", "n2", "n3"), T0.plusSeconds(60), T0);
        Decision.CreateRing create = (Decision.CreateRing) d;
        assertThat(create.ring().nodes()).containsOnlyKeys(NodeId.of("n1"));
        assertThat(create.activate()).containsExactly(NodeId.of("n1"));
    }

    @Test
    void staysGeneralInReplication() {
        RingDecider r2 = new RingDecider("c1", new ClusterConfig(16, 2), true, 3, SETTLE, new BalancedPlanner());
        Decision.CreateRing create = (Decision.CreateRing) r2.decide(
                noRing(three(NodeState.NEW), "n1", "n2", "n3"), T0.plusSeconds(60), T0);
        assertThat(create.ring().replication()).isEqualTo(2);
        assertThat(create.ring().partitions()).allSatisfy(p -> assertThat(p.chain().length()).isEqualTo(2));
    }

    @Test
    void followsANodeThatCameBackOnAnotherPort() {
        VersionedRing read = servingRing();
        List<NodeInfo> registered = List.of(node("n1", 7101, NodeState.ACTIVE), node("n2", 9102, NodeState.ACTIVE),
                node("n3", 7103, NodeState.ACTIVE));
        Decision d = decider(true, 1).decide(new ClusterSnapshot(Optional.of(read), registered, ids("n1", "n2", "n3")),
                T0, T0);

        assertThat(d).isInstanceOf(Decision.UpdateRing.class);
        Decision.UpdateRing update = (Decision.UpdateRing) d;
        assertThat(update.expectedZkVersion()).isEqualTo(2);
        assertThat(update.reason()).contains("n2 127.0.0.1:7102 -> 127.0.0.1:9102");
        Ring next = update.ring();
        assertThat(next.epoch()).isEqualTo(read.ring().epoch() + 1);
        assertThat(next.node(NodeId.of("n2")).orElseThrow().address()).isEqualTo(new HostPort("127.0.0.1", 9102));
        assertThat(next.node(NodeId.of("n2")).orElseThrow().state()).isEqualTo(NodeState.ACTIVE);
        // only the address changed: same chains, same change epochs, so no request is made stale
        assertThat(next.partitions()).isEqualTo(read.ring().partitions());
    }

    @Test
    void leavesLateNodesOutOfAServingRing() {
        VersionedRing read = servingRing();
        List<NodeInfo> registered = Stream.concat(three(NodeState.ACTIVE).stream(), Stream.of(node("n4", 7104, NodeState.NEW)))
                .toList();
        ClusterSnapshot state = new ClusterSnapshot(Optional.of(read), registered, ids("n1", "n2", "n3", "n4"));
        RingDecider decider = decider(true, 1);

        assertThat(decider.decide(state, T0.plusSeconds(60), T0)).isEqualTo(new Decision.Steady());
        assertThat(decider.outsideRing(state)).containsExactly(NodeId.of("n4"));
    }

    @Test
    void withReplicationOneKeepsTheChainsOfANodeThatWentDown() {
        VersionedRing read = servingRing();
        ClusterSnapshot state = new ClusterSnapshot(Optional.of(read), three(NodeState.ACTIVE), ids("n1", "n3"));
        Decision d = decider(true, 1).decide(state, T0.plusSeconds(60), T0);
        assertThat(d).isInstanceOf(Decision.Steady.class);
        assertThat(d.notes()).singleElement().asString().contains("every chain member down").contains("(n2)");
    }

    /** A ring with replication 3 over n1..n4 at epoch 4, as if read at znode version 9. */
    private static VersionedRing r3Ring() {
        List<NodeInfo> four = Stream.concat(three(NodeState.ACTIVE).stream(), Stream.of(node("n4", 7104, NodeState.ACTIVE)))
                .toList();
        Ring ring = Ring.empty("c1", 16, 3);
        ring = ring.next(four, new BalancedPlanner().plan(ring, four).orElseThrow().targetChains()).withNodes(four).withNodes(four)
                .withNodes(four);
        return new VersionedRing(ring, 9);
    }

    @Test
    void dropsADeadNodeInOneFencedRingWriteAndRecordsTheChangeOnlyWhereChainsChanged() {
        VersionedRing read = r3Ring();
        Ring ring = read.ring();
        List<NodeInfo> registered = List.copyOf(ring.nodes().values());
        RingDecider r3 = new RingDecider("c1", new ClusterConfig(16, 3), true, 1, SETTLE, new BalancedPlanner());
        Decision d = r3.decide(new ClusterSnapshot(Optional.of(read), registered, ids("n1", "n2", "n4")), T0, T0);

        Decision.UpdateRing update = (Decision.UpdateRing) d;
        assertThat(update.expectedZkVersion()).isEqualTo(9);
        assertThat(update.reason()).contains("n3 is down");
        Ring next = update.ring();
        assertThat(next.epoch()).isEqualTo(ring.epoch() + 1);
        NodeId n3 = NodeId.of("n3");
        for (Partition old : ring.partitions()) {
            Partition p = next.partition(old.id());
            if (old.chain().contains(n3)) {
                List<NodeId> expected = old.chain().members().stream().filter(m -> !m.equals(n3)).toList();
                assertThat(p.chain().members()).as("p%d", old.id()).isEqualTo(expected);
                assertThat(p.learners()).as("p%d gets the one node it lacks", old.id()).hasSize(1)
                        .doesNotContain(n3).doesNotContainAnyElementsOf(expected);
                assertThat(p.changedAt()).isEqualTo(next.epoch());
            } else {
                assertThat(p).isEqualTo(old);
            }
        }
        // the dead node stays in the node table (status shows it), with its state
        assertThat(next.node(n3)).isPresent();
    }

    @Test
    void anAddressChangeAndARepairShareOneRingWrite() {
        VersionedRing read = r3Ring();
        List<NodeInfo> registered = new ArrayList<>(read.ring().nodes().values());
        registered.set(0, node("n1", 9101, NodeState.ACTIVE));
        RingDecider r3 = new RingDecider("c1", new ClusterConfig(16, 3), true, 1, SETTLE, new BalancedPlanner());
        Decision.UpdateRing update = (Decision.UpdateRing) r3.decide(
                new ClusterSnapshot(Optional.of(read), registered, ids("n1", "n2", "n3")), T0, T0);
        assertThat(update.reason()).contains("new address of n1").contains("n4 is down");
        assertThat(update.ring().epoch()).isEqualTo(read.ring().epoch() + 1);
        assertThat(update.ring().node(NodeId.of("n1")).orElseThrow().address().port()).isEqualTo(9101);
        assertThat(update.ring().partitionsOf(NodeId.of("n4"))).isEmpty();
    }

    @Test
    void theFirstRingCarriesTheClustersMinChainForWrites() {
        RingDecider strict = new RingDecider("c1", new ClusterConfig(16, 3, 3), true, 3, SETTLE, new BalancedPlanner());
        Decision.CreateRing create = (Decision.CreateRing) strict.decide(
                noRing(three(NodeState.NEW), "n1", "n2", "n3"), T0.plusSeconds(60), T0);
        assertThat(create.ring().minChainForWrites()).isEqualTo(3);
        assertThat(create.ring().partitions()).allSatisfy(p -> assertThat(p.chain().length()).isEqualTo(3));
    }

    @Test
    void refusesToWriteAFirstRingThePlannerLeftUnassigned() {
        RingDecider lazy = new RingDecider("c1", Q16_R1, true, 1, SETTLE, (current, nodes) -> {
            List<Chain> chains = new ArrayList<>(current.chains());
            return new Plan(chains, List.of());
        });
        assertThatThrownBy(() -> lazy.decide(noRing(three(NodeState.NEW), "n1"), T0.plusSeconds(60), T0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("planner left partitions without a replica");
    }

    @Test
    void firstRingRecordsEpochOneAsEveryPartitionsChangeEpoch() {
        Decision.CreateRing create = (Decision.CreateRing) decider(true, 1).decide(
                noRing(three(NodeState.NEW), "n1", "n2", "n3"), T0.plusSeconds(60), T0);
        assertThat(create.ring().partitions()).extracting(Partition::changedAt).containsOnly(1L);
    }
}
