package io.chainring.controller.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.controller.state.ReplicaReport;
import io.chainring.metadata.VersionedRing;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.BalancedPlanner;
import io.chainring.ring.plan.Plan;
import io.chainring.ring.HostPort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random failure histories: nodes die and return while repair runs pass after pass, with
 * learners catching up one pass after they are added. Every pass is checked against the rules of
 * DESIGN §6.4; every history must settle with full chains wherever enough nodes live.
 */
@Tag("slow")
class ChainRepairSimulationTest {
    private static final int MAX_CATCH_UPS = 3;
    private static final int MAX_PASSES = 400;

    static Stream<Long> seeds() {
        return LongStream.range(1, 61).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void repairKeepsTheRulesAndSettles(long seed) {
        Random rnd = new Random(seed);
        int n = 4 + rnd.nextInt(5);
        int zones = 1 + rnd.nextInt(3);
        int q = 8 + rnd.nextInt(25);
        int r = 2 + rnd.nextInt(2);
        String shape = "seed " + seed + " (N=" + n + ", zones=" + zones + ", Q=" + q + ", R=" + r + ")";
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            nodes.add(new NodeInfo(NodeId.of("n" + i), new HostPort("127.0.0.1", 7100 + i), "z" + (i % zones),
                    NodeState.ACTIVE));
        }
        Ring empty = Ring.empty("c1", q, r);
        Plan first = new BalancedPlanner().plan(empty, nodes).orElseThrow();
        Ring ring = empty.next(nodes, first.targetChains());
        Set<NodeId> live = new TreeSet<>(Ring.index(nodes).keySet());
        Map<NodeId, Set<Integer>> stored = new HashMap<>();
        ChainRepair repair = new ChainRepair(MAX_CATCH_UPS, new BalancedPlanner());

        for (int event = 0; event < 6; event++) {
            List<NodeId> dead = Ring.index(nodes).keySet().stream().filter(id -> !live.contains(id)).toList();
            if (!dead.isEmpty() && (rnd.nextBoolean() || live.size() <= 1)) {
                live.add(dead.get(rnd.nextInt(dead.size())));
            } else {
                // one or two sessions expire before the next pass
                for (int k = 1 + rnd.nextInt(2); k > 0 && live.size() > 1; k--) {
                    List<NodeId> alive = new ArrayList<>(live);
                    live.remove(alive.get(rnd.nextInt(alive.size())));
                }
            }
            String where = shape + ", event " + event + ", live " + live;
            // the next event may strike before repair has settled
            boolean settle = event == 5 || rnd.nextInt(3) > 0;
            int cutOff = settle ? MAX_PASSES : rnd.nextInt(4);
            int passes = 0;
            while (passes < cutOff) {
                for (Partition p : ring.partitions()) {
                    p.chain().members().forEach(m -> stored.computeIfAbsent(m, k -> new TreeSet<>()).add(p.id()));
                    p.learners().forEach(m -> stored.computeIfAbsent(m, k -> new TreeSet<>()).add(p.id()));
                }
                ClusterSnapshot state = snapshot(ring, nodes, live, reports(ring, live, stored));
                ChainRepair.Outcome out = repair.repair(ring, state);
                // the same facts in another order decide the same
                List<NodeInfo> shuffled = new ArrayList<>(nodes);
                Collections.shuffle(shuffled, new Random(seed + passes));
                assertThat(repair.repair(ring, new ClusterSnapshot(state.ring(), shuffled, state.live(), state.reports())))
                        .as(where).isEqualTo(out);
                Ring next = ChainRepairTest.next(ring, out);
                checkRules(ring, next, live, where + ", pass " + passes);
                ring = next;
                if (out.changed().isEmpty()) {
                    break;
                }
                passes++;
                assertThat(passes).as(where + ": repair does not settle").isLessThan(MAX_PASSES);
            }
            if (settle) {
                checkSettled(ring, live, where);
            }
        }
    }

    /** Every live learner reports itself caught up at the ring it was added in; every live node what it stores. */
    private static Map<NodeId, ReplicaReport> reports(Ring ring, Set<NodeId> live, Map<NodeId, Set<Integer>> stored) {
        Map<NodeId, ReplicaReport> out = new TreeMap<>();
        for (NodeId id : live) {
            Set<Integer> caughtUp = new TreeSet<>();
            for (Partition p : ring.partitions()) {
                if (p.learners().contains(id)) {
                    caughtUp.add(p.id());
                }
            }
            out.put(id, ReplicaReport.of(ring.epoch(), stored.getOrDefault(id, Set.of()), caughtUp));
        }
        return out;
    }

    private static ClusterSnapshot snapshot(Ring ring, List<NodeInfo> nodes, Set<NodeId> live,
                                            Map<NodeId, ReplicaReport> reports) {
        return new ClusterSnapshot(Optional.of(new VersionedRing(ring, 1)), nodes, live, new TreeMap<>(reports));
    }

    private static void checkRules(Ring before, Ring after, Set<NodeId> live, String where) {
        Map<NodeId, Integer> catchUps = new HashMap<>();
        for (Partition old : before.partitions()) {
            Partition p = after.partition(old.id());
            String at = where + ", p" + old.id() + " " + old.chain() + "|" + old.learners() + " -> " + p.chain() + "|"
                    + p.learners();
            List<NodeId> oldChain = old.chain().members();
            List<NodeId> chain = p.chain().members();
            assertThat(chain).as(at + ": a chain never empties").isNotEmpty();
            // members keep their order; at most one node joins, at the end, and it was a learner
            List<NodeId> kept = chain.stream().filter(oldChain::contains).toList();
            assertThat(oldChain.stream().filter(kept::contains).toList()).as(at).isEqualTo(kept);
            assertThat(chain.subList(0, kept.size())).as(at + ": members stay ahead of a promoted learner").isEqualTo(kept);
            List<NodeId> joined = chain.subList(kept.size(), chain.size());
            assertThat(joined.size()).as(at).isLessThanOrEqualTo(1);
            assertThat(old.learners()).as(at + ": only learners join a chain").containsAll(joined);
            if (!joined.isEmpty()) {
                assertThat(oldChain).as(at + ": a learner joins only a chain that is whole and live").allMatch(live::contains);
            }
            boolean allDead = oldChain.stream().noneMatch(live::contains);
            if (allDead) {
                assertThat(chain).as(at + ": a chain with every member down keeps its head").containsExactly(oldChain.get(0));
            } else {
                assertThat(chain).as(at + ": dead members leave").allMatch(live::contains);
            }
            assertThat(p.learners()).as(at + ": learners are live").allMatch(live::contains);
            assertThat(chain.size()).as(at).isLessThanOrEqualTo(before.replication());
            p.learners().forEach(l -> catchUps.merge(l, 1, Integer::sum));
        }
        assertThat(catchUps.values()).as(where + ": catch-ups per node").allMatch(c -> c <= MAX_CATCH_UPS);
    }

    private static void checkSettled(Ring ring, Set<NodeId> live, String where) {
        int want = Math.min(ring.replication(), live.size());
        for (Partition p : ring.partitions()) {
            String at = where + ", p" + p.id() + " " + p.chain() + "|" + p.learners();
            if (p.chain().members().stream().noneMatch(live::contains)) {
                assertThat(p.chain().length()).as(at).isEqualTo(1);
                continue;
            }
            assertThat(p.learners()).as(at + ": settled means nothing left to catch up").isEmpty();
            assertThat(p.chain().length()).as(at + ": back to R (or every live node)").isEqualTo(want);
        }
    }
}
