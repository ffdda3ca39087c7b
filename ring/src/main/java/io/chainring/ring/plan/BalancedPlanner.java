package io.chainring.ring.plan;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The placement planner of DESIGN §5: a pure, deterministic function of the current ring and the
 * registered nodes. Nodes whose state {@link io.chainring.ring.NodeState#holdsReplicas() holds
 * replicas} (JOINING, ACTIVE) are eligible; N of them, R' = min(R, N). Steps:
 * <ol>
 *   <li><b>Strip</b> ({@link Placement}) every chain of members that are not eligible
 *       (DECOMMISSIONING, REMOVED, NEW, or no longer listed): their replicas must move.</li>
 *   <li><b>Targets</b> ({@link TargetCounts}): every node gets ⌊Q·R'/N⌋ replicas, and Q·R' mod N
 *       nodes one more, preferably those that hold more already, so keeping it costs no move.</li>
 *   <li><b>Trim</b> ({@link MemberBalancer}) chains longer than R' (a move caught between its
 *       promote and drop steps), dropping the member furthest above target.</li>
 *   <li><b>Fill</b> chains shorter than R' from nodes below target, preferring zones the chain
 *       lacks and partners the node shares few chains with.</li>
 *   <li><b>Settle</b> ({@link FreePaths}): re-target replicas the plan adds, along augmenting
 *       paths, until every node is within bounds. This costs no move and finds a balanced fill
 *       whenever one exists.</li>
 *   <li><b>Transfer</b> what is still unbalanced (joins): one replica at a time from a node above
 *       target to one below, the newcomer taking the giver's place in the chain, choosing the
 *       partition that adds the fewest moves and zone duplicates.</li>
 *   <li><b>Repair zones</b> ({@link ZoneRepair}), only when the nodes are spread evenly over at
 *       least R' zones (then zone-distinct chains always exist and are required): swap members
 *       between chains until no chain repeats a zone. With uneven zones, zones are a tie-break
 *       only: balance and minimal movement win.</li>
 *   <li><b>Roles</b> ({@link RoleBalancer}): reorder members so heads and tails spread evenly,
 *       changing existing orders only where needed. Reordering moves no data.</li>
 *   <li><b>Moves</b> ({@link MoveDiff}): one per replica changing hands between the current and
 *       the target chains. A partition without replicas has no data, so the first placement
 *       (every chain empty) has no moves at all.</li>
 * </ol>
 * From a ring this planner balanced, a join moves exactly the newcomers' share (old to new
 * nodes only) and a leave exactly the leavers' replicas, with two exceptions: a change that
 * makes the zones even while chains still repeat a zone also moves what makes them
 * zone-distinct; and a leave where a node that must gain a replica already holds every
 * partition the leavers free (possible with few partitions) also moves one replica elsewhere.
 * Planning again from the plan's own chains with the same nodes yields the same chains and no
 * moves; the result never depends on the iteration order of {@code nodes}. Learners (replicas
 * still catching up) are not counted: the plan is about chain members only.
 *
 * <p>With no eligible node at all the only possible plan would drop every replica, losing all
 * data, so {@link #plan} answers {@link NoPlan} instead; a caller with no node to place on
 * should wait for one.
 */
public final class BalancedPlanner implements PlacementPlanner {

    /**
     * @return the plan, or {@link NoPlan} if no node is JOINING or ACTIVE
     * @throws IllegalArgumentException if a node id is listed twice
     */
    @Override
    public PlanResult plan(Ring current, Collection<NodeInfo> nodes) {
        Objects.requireNonNull(current, "current ring");
        Objects.requireNonNull(nodes, "nodes");
        Optional<String> impossible = EligibleNodes.whyNone(nodes);
        if (impossible.isPresent()) {
            return new NoPlan(impossible.get());
        }
        EligibleNodes eligible = EligibleNodes.of(nodes, current.replication());
        Placement placement = new Placement(eligible, current);
        new MemberBalancer(placement).balance();
        int[][] ordered = RoleBalancer.assign(placement.snapshot(), eligible.size());
        List<Chain> chains = placement.toChains(ordered);
        Set<NodeId> ids = new HashSet<>();
        for (int i = 0; i < eligible.size(); i++) {
            ids.add(eligible.id(i));
        }
        return new Plan(chains, MoveDiff.between(current, chains, ids));
    }
}
