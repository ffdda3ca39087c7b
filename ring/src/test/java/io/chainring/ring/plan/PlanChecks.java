package io.chainring.ring.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The planner's properties, checked independently of its implementation. */
final class PlanChecks {
    private PlanChecks() {
    }

    /**
     * (a) chains of R' distinct eligible nodes, (b) replica balance, (c) heads and tails within
     * ⌊Q/N⌋-slack..⌈Q/N⌉+slack, (d) distinct zones when the zones are even, and moves that lead
     * from the current chains to the target ones.
     */
    static void checkPlan(String ctx, Ring current, List<NodeInfo> nodes, Plan plan, int roleSlack) {
        int q = current.partitionCount();
        List<NodeId> eligible = Clusters.eligible(nodes);
        int n = eligible.size();
        int r = Math.min(current.replication(), n);
        assertThat(plan.targetChains()).as(ctx + ": one chain per partition").hasSize(q);
        for (int p = 0; p < q; p++) {
            Chain c = plan.targetChains().get(p);
            assertThat(c.length()).as(ctx + ": length of chain " + p + " " + c).isEqualTo(r);
            assertThat(eligible).as(ctx + ": chain " + p + " holds only eligible nodes").containsAll(c.members());
        }
        Map<NodeId, int[]> roles = Clusters.roles(plan.targetChains(), eligible);
        long total = (long) q * r;
        long lo = q / n;
        long hi = (q + n - 1) / n;
        roles.forEach((id, c) -> {
            assertThat(c[0]).as(ctx + ": replicas of " + id).isBetween((int) (total / n), (int) ((total + n - 1) / n));
            assertThat(c[1]).as(ctx + ": heads of " + id).isBetween((int) lo - roleSlack, (int) hi + roleSlack);
            assertThat(c[2]).as(ctx + ": tails of " + id).isBetween((int) lo - roleSlack, (int) hi + roleSlack);
        });
        if (zonesEven(nodes, r)) {
            Map<NodeId, String> zoneOf = nodes.stream().collect(Collectors.toMap(NodeInfo::id, NodeInfo::zone));
            for (int p = 0; p < q; p++) {
                List<NodeId> members = plan.targetChains().get(p).members();
                assertThat(members.stream().map(zoneOf::get).distinct().count())
                        .as(ctx + ": zones of chain " + p + " " + members + " with " + zoneOf).isEqualTo(members.size());
            }
        }
        checkMovesLeadToTarget(ctx, current, plan, r);
    }

    /** Same plan for a shuffled node list; planning from the result again changes nothing. */
    static void checkDeterministicAndStable(String ctx, PlacementPlanner planner, Ring current,
                                            List<NodeInfo> nodes, Plan plan, Random random) {
        List<NodeInfo> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, random);
        assertThat(planner.plan(current, shuffled).orElseThrow()).as(ctx + ": plan for shuffled nodes").isEqualTo(plan);
        Ring next = Clusters.apply(current, nodes, plan);
        Plan again = planner.plan(next, nodes).orElseThrow();
        assertThat(again.moves()).as(ctx + ": moves when planning from the plan's result").isEmpty();
        assertThat(again.targetChains()).as(ctx + ": chains when planning from the plan's result")
                .isEqualTo(plan.targetChains());
    }

    /** (e)(i): joins move exactly the newcomers' share, only from old nodes to new ones. */
    static void checkJoinMoves(String ctx, Ring current, Plan plan, Set<NodeId> joined) {
        long share = plan.targetChains().stream().flatMap(c -> c.members().stream()).filter(joined::contains).count();
        assertThat(plan.moves()).as(ctx + ": join moves " + plan.moves()).hasSize((int) share);
        for (Move m : plan.moves()) {
            assertThat(m.to()).as(ctx + ": move " + m + " goes to a new node").isPresent().get().isIn(joined);
            // a source-less move only fills a chain left short while there were fewer than R nodes
            m.from().ifPresentOrElse(
                    f -> assertThat(f).as(ctx + ": move " + m + " comes from an old node").isNotIn(joined),
                    () -> assertThat(current.partition(m.partition()).chain().length())
                            .as(ctx + ": move " + m + " fills a short chain").isLessThan(plan.targetChains().get(m.partition()).length()));
        }
        for (int p = 0; p < current.partitionCount(); p++) {
            for (NodeId m : plan.targetChains().get(p).members()) {
                if (!joined.contains(m)) {
                    assertThat(current.partition(p).chain().contains(m))
                            .as(ctx + ": old node " + m + " gains no replica (partition " + p + ")").isTrue();
                }
            }
        }
    }

    /**
     * (e)(ii): leaves move exactly the leavers' replicas and every other replica stays put,
     * whenever {@link ExactLeave} finds that possible; otherwise every leaver's replica still
     * moves away from it, and some other replicas move too.
     */
    static void checkLeaveMoves(String ctx, Ring current, List<NodeInfo> nodes, Plan plan, Set<NodeId> left) {
        long held = current.chains().stream().flatMap(c -> c.members().stream()).filter(left::contains).count();
        List<Move> fromLeavers = plan.moves().stream().filter(m -> m.from().isPresent() && left.contains(m.from().get())).toList();
        assertThat(fromLeavers).as(ctx + ": moves from leavers " + plan.moves()).hasSize((int) held);
        if (!ExactLeave.possible(current, nodes)) {
            return;
        }
        assertThat(plan.moves()).as(ctx + ": leave moves " + plan.moves()).hasSize((int) held);
        for (Move m : plan.moves()) {
            assertThat(m.from()).as(ctx + ": move " + m + " comes from a leaver").isPresent().get().isIn(left);
        }
        for (int p = 0; p < current.partitionCount(); p++) {
            for (NodeId m : current.partition(p).chain().members()) {
                if (!left.contains(m)) {
                    assertThat(plan.targetChains().get(p).contains(m))
                            .as(ctx + ": staying node " + m + " keeps its replica of partition " + p).isTrue();
                }
            }
        }
    }

    /**
     * True when the zones are even now but some current chain repeats a zone among its staying
     * members: then making the chains zone-distinct moves more than a join or leave alone would.
     */
    static boolean needsZoneRepair(Ring current, List<NodeInfo> nodes) {
        int replicas = Math.min(current.replication(), Clusters.eligible(nodes).size());
        if (!zonesEven(nodes, replicas)) {
            return false;
        }
        Map<NodeId, String> zoneOf = nodes.stream().filter(n -> n.state().holdsReplicas())
                .collect(Collectors.toMap(NodeInfo::id, NodeInfo::zone));
        return current.chains().stream().anyMatch(c -> {
            List<String> zones = c.members().stream().filter(zoneOf::containsKey).map(zoneOf::get).toList();
            return new HashSet<>(zones).size() < zones.size();
        });
    }

    static boolean zonesEven(List<NodeInfo> nodes, int replicas) {
        Map<String, Long> perZone = nodes.stream().filter(n -> n.state().holdsReplicas())
                .collect(Collectors.groupingBy(NodeInfo::zone, TreeMap::new, Collectors.counting()));
        return perZone.size() >= replicas && new HashSet<>(perZone.values()).size() == 1;
    }

    /**
     * Replaying the moves on the current members gives the target members; a partition without
     * replicas has no moves; a move adds without a source only to a short chain and drops
     * without a target only when the chain shrinks.
     */
    private static void checkMovesLeadToTarget(String ctx, Ring current, Plan plan, int replicas) {
        Map<Integer, List<Move>> byPartition = plan.moves().stream()
                .collect(Collectors.groupingBy(Move::partition, TreeMap::new, Collectors.toList()));
        for (int p = 0; p < current.partitionCount(); p++) {
            List<NodeId> before = current.partition(p).chain().members();
            Set<NodeId> members = new HashSet<>(before);
            List<Move> moves = byPartition.getOrDefault(p, List.of());
            if (before.isEmpty()) {
                assertThat(moves).as(ctx + ": partition " + p + " held no data, so nothing moves").isEmpty();
                continue;
            }
            for (Move m : moves) {
                m.from().ifPresent(f -> assertThat(members.remove(f)).as(ctx + ": " + m + " source holds it").isTrue());
                m.to().ifPresent(t -> assertThat(members.add(t)).as(ctx + ": " + m + " target lacks it").isTrue());
                if (m.from().isEmpty()) {
                    assertThat(before.size()).as(ctx + ": " + m + " adds to a short chain").isLessThan(replicas);
                }
                if (m.to().isEmpty()) {
                    assertThat(before.size()).as(ctx + ": " + m + " drops from a chain that shrinks")
                            .isGreaterThan(plan.targetChains().get(p).length());
                }
            }
            assertThat(members).as(ctx + ": members of partition " + p + " after the moves")
                    .isEqualTo(new HashSet<>(plan.targetChains().get(p).members()));
        }
    }

    /** A compact description of a cluster for failure messages. */
    static String describe(List<NodeInfo> nodes) {
        return nodes.stream().map(n -> n.id() + "@" + n.zone() + (n.state().holdsReplicas() ? "" : "/" + n.state()))
                .collect(Collectors.joining(",", "[", "]"));
    }
}
