package io.chainring.ring.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Changes chain membership so every chain has R' members and every node ⌊Q·R'/N⌋ or ⌈Q·R'/N⌉
 * replicas: trims chains that are too long, fills short ones, re-targets replicas this plan adds (free), then transfers
 * replicas from over- to under-loaded nodes (one move each), then, when zones are even, has
 * {@link ZoneRepair} make every chain zone-distinct. Every choice is the best by an explicit key
 * with partition and node indexes as the final tie-breaks, so the result is deterministic.
 */
final class MemberBalancer {
    private final Placement placement;
    private final EligibleNodes nodes;
    private final boolean zonesFirst;
    private final FreePaths freePaths;
    private int[] targets;

    MemberBalancer(Placement placement) {
        this.placement = placement;
        this.nodes = placement.nodes();
        this.zonesFirst = nodes.zonesEven();
        this.freePaths = new FreePaths(placement);
    }

    void balance() {
        targets = TargetCounts.compute(nodes, placement.counts(), placement.partitions());
        trim();
        fill();
        if (!freePaths.settle()) {
            // what is left needs transfers; aim them at targets that keep the extras where they are now
            targets = TargetCounts.compute(nodes, placement.counts(), placement.partitions());
            transfer();
        }
        if (zonesFirst) {
            new ZoneRepair(placement).repair();
        }
    }

    /**
     * Shortens chains longer than R' (a move caught between promote and drop, DESIGN §7),
     * dropping first a member that repeats a zone, then the member furthest above target.
     */
    private void trim() {
        for (int p = 0; p < placement.partitions(); p++) {
            while (placement.chain(p).length > nodes.replicas()) {
                int drop = -1;
                int[] dropKey = null;
                for (int m : placement.chain(p)) {
                    int[] key = {zoneRepeated(p, m) ? 0 : 1, targets[m] - placement.count(m), m};
                    if (dropKey == null || compare(key, dropKey) < 0) {
                        drop = m;
                        dropKey = key;
                    }
                }
                placement.remove(p, drop);
            }
        }
    }

    private boolean zoneRepeated(int p, int member) {
        for (int m : placement.chain(p)) {
            if (m != member && nodes.zoneOf(m) == nodes.zoneOf(member)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives every chain shorter than R' new members: nodes below target and zones the chain lacks
     * first, then the zone and the node furthest below target, then the node sharing the fewest
     * chains with the members.
     */
    private void fill() {
        for (int p = 0; p < placement.partitions(); p++) {
            while (placement.chain(p).length < nodes.replicas()) {
                int best = -1;
                int[] bestKey = null;
                long[] zoneDeficits = zoneDeficits();
                for (int n = 0; n < nodes.size(); n++) {
                    if (placement.contains(p, n)) {
                        continue;
                    }
                    int deficit = targets[n] - placement.count(n);
                    int zoneSeen = placement.hasZone(p, nodes.zoneOf(n)) ? 1 : 0;
                    int belowTarget = deficit > 0 ? 0 : 1;
                    int[] key = {zonesFirst ? zoneSeen : belowTarget, zonesFirst ? belowTarget : zoneSeen,
                            (int) -zoneDeficits[nodes.zoneOf(n)], -deficit, mostShared(p, n)};
                    if (bestKey == null || compare(key, bestKey) < 0) {
                        best = n;
                        bestKey = key;
                    }
                }
                placement.append(p, best);
            }
        }
    }

    /**
     * How often the candidate already shares a chain with a member of this one: spreading each
     * node's replicas over many partners spreads the copying when it fails or leaves.
     */
    private int mostShared(int p, int candidate) {
        int most = 0;
        for (int m : placement.chain(p)) {
            most = Math.max(most, placement.shared(m, candidate));
        }
        return most;
    }

    private long[] zoneDeficits() {
        long[] out = new long[nodes.zoneCount()];
        for (int n = 0; n < nodes.size(); n++) {
            out[nodes.zoneOf(n)] += Math.max(0, targets[n] - placement.count(n));
        }
        return out;
    }

    /**
     * While some node is above target and another below, moves one replica between them, each
     * time the cheapest way: re-targeting a replica this plan already adds costs nothing, a fresh
     * transfer one move; zone duplicates count before cost when zones are even, after otherwise.
     * A path of free hand-overs is tried before a transfer. A single hand-over always exists: a
     * node above target holds more partitions than one below it, so it holds one the other lacks.
     */
    private void transfer() {
        while (true) {
            List<Integer> over = new ArrayList<>();
            List<Integer> under = new ArrayList<>();
            for (int n = 0; n < nodes.size(); n++) {
                if (placement.count(n) > targets[n]) {
                    over.add(n);
                } else if (placement.count(n) < targets[n]) {
                    under.add(n);
                }
            }
            if (over.isEmpty() || under.isEmpty()) {
                return;
            }
            int[] best = bestHandOver(over, under);
            boolean free = best[0] <= 0 && best[1] <= 0;
            if (free || freePaths.find(over, (from, y) -> under.contains(y)) < 0) {
                placement.replace(best[2], best[3], best[4]);
            }
        }
    }

    /**
     * The best single hand-over as {zone delta, cost, p, from, to}: least zone duplicates and
     * cost (in the order of {@link #zonesFirst}); then, with even zones, the giver with the fewest
     * zone-safe hand-overs left (most constrained first, so no giver ends up with none); then the
     * receiver furthest below target, the giver furthest above, the lowest partition and nodes.
     */
    private int[] bestHandOver(List<Integer> over, List<Integer> under) {
        boolean[] isOver = new boolean[nodes.size()];
        over.forEach(o -> isOver[o] = true);
        int[] safeOptions = new int[nodes.size()];
        int[] best = null;
        long bestRank = Long.MAX_VALUE;
        for (int pass = zonesFirst ? 0 : 1; pass < 2; pass++) {
            for (int p = 0; p < placement.partitions(); p++) {
                int[] chain = placement.chain(p);
                for (int from : chain) {
                    if (!isOver[from]) {
                        continue;
                    }
                    int zonesWithout = placement.zonesWithout(p, from);
                    for (int to : under) {
                        if (Placement.indexIn(chain, to) >= 0) {
                            continue;
                        }
                        int zoneDelta = placement.zoneDuplicatesDelta(p, from, to, zonesWithout);
                        if (pass == 0) {
                            safeOptions[from] += zoneDelta <= 0 ? 1 : 0;
                            continue;
                        }
                        int cost = placement.movesDelta(p, from, to);
                        long rank = rank(zonesFirst ? zoneDelta : cost, zonesFirst ? cost : zoneDelta,
                                safeOptions[from], placement.count(to) - targets[to], targets[from] - placement.count(from));
                        if (rank < bestRank) {
                            bestRank = rank;
                            best = new int[] {zoneDelta, cost, p, from, to};
                        }
                    }
                }
            }
        }
        return best;
    }

    /** Packs a hand-over's key into one comparable long: deltas lie within -3..3, the rest is clamped. */
    private static long rank(int first, int second, int options, int receiverGap, int giverGap) {
        long limit = (1 << 19) - 1;
        return ((long) (first + 4) << 60) | ((long) (second + 4) << 57)
                | (Math.min(options, limit) << 38)
                | (Math.max(0, Math.min(receiverGap + (1 << 18), limit)) << 19)
                | Math.max(0, Math.min(giverGap + (1 << 18), limit));
    }

    static int compare(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
