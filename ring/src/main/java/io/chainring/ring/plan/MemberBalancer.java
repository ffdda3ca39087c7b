package io.chainring.ring.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Changes chain membership so every chain has R' members and every node ⌊Q·R'/N⌋ or ⌈Q·R'/N⌉
 * replicas: fills short chains, re-targets replicas this plan adds (free), then transfers
 * replicas from over- to under-loaded nodes (one move each), then, when zones are even, has
 * {@link ZoneRepair} make every chain zone-distinct. Every choice is the best by an explicit key
 * with partition and node indexes as the final tie-breaks, so the result is deterministic.
 */
final class MemberBalancer {
    private final Placement placement;
    private final EligibleNodes nodes;
    private final boolean zonesFirst;
    private int[] targets;

    MemberBalancer(Placement placement) {
        this.placement = placement;
        this.nodes = placement.nodes();
        this.zonesFirst = nodes.zonesEven();
    }

    void balance() {
        targets = TargetCounts.compute(nodes, placement.counts(), placement.partitions());
        fill();
        if (!settleFreely()) {
            // what is left needs transfers; aim them at targets that keep the extras where they are now
            targets = TargetCounts.compute(nodes, placement.counts(), placement.partitions());
            transfer();
        }
        if (zonesFirst) {
            new ZoneRepair(placement).repair();
        }
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
     * Brings every node within ⌊Q·R'/N⌋..⌈Q·R'/N⌉ by re-targeting replicas this plan already adds,
     * which costs no move: a node with too many hands one over, along a shortest path of such
     * hand-overs, to a node with room; a node with too few takes one likewise. This is the
     * augmenting-path search of a bounded bipartite assignment, so it succeeds whenever a
     * re-targeting that balances exists (with even zones: one that keeps zones distinct).
     */
    private boolean settleFreely() {
        int total = placement.partitions() * nodes.replicas();
        int lo = total / nodes.size();
        int hi = total % nodes.size() == 0 ? lo : lo + 1;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int n = 0; n < nodes.size(); n++) {
                List<Integer> source = List.of(n);
                while (placement.count(n) > hi
                        && (freePath(source, (from, y) -> placement.count(y) < lo && zoneHasRoom(from, y)) >= 0
                        || freePath(source, (from, y) -> placement.count(y) < hi && zoneHasRoom(from, y)) >= 0)) {
                    progress = true;
                }
            }
            for (int n = 0; n < nodes.size(); n++) {
                int needy = n;
                while (placement.count(n) < lo) {
                    List<Integer> sources = new ArrayList<>();
                    for (int m = 0; m < nodes.size(); m++) {
                        if (placement.count(m) > lo) {
                            sources.add(m);
                        }
                    }
                    if (freePath(sources, (from, y) -> y == needy && zoneHasRoom(from, y)) < 0) {
                        break;
                    }
                    progress = true;
                }
            }
        }
        for (int n = 0; n < nodes.size(); n++) {
            if (placement.count(n) < lo || placement.count(n) > hi || !zoneHasRoom(n, n)) {
                return false;
            }
        }
        return true;
    }

    /**
     * With even zones no zone may hold more than Q replicas, or its chains could not all be
     * zone-distinct: a replica may go from one zone to another only if the receiving zone has
     * room (and a node's own zone must not be over, when {@code from == to}).
     */
    private boolean zoneHasRoom(int from, int to) {
        if (!zonesFirst) {
            return true;
        }
        long total = 0;
        for (int n = 0; n < nodes.size(); n++) {
            total += nodes.zoneOf(n) == nodes.zoneOf(to) ? placement.count(n) : 0;
        }
        return from == to ? total <= placement.partitions()
                : nodes.zoneOf(from) == nodes.zoneOf(to) || total < placement.partitions();
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
            if (free || freePath(over, (from, y) -> under.contains(y)) < 0) {
                placement.replace(best[2], best[3], best[4]);
            }
        }
    }

    /**
     * The best single hand-over as {zone delta, cost, p, from, to}: least zone duplicates and
     * cost (in the order of {@link #zonesFirst}), then the receiver furthest below target, the
     * giver furthest above, the lowest partition and node indexes.
     */
    private int[] bestHandOver(List<Integer> over, List<Integer> under) {
        boolean[] isOver = new boolean[nodes.size()];
        over.forEach(o -> isOver[o] = true);
        int[] best = null;
        long bestRank = Long.MAX_VALUE;
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
                    int cost = placement.movesDelta(p, from, to);
                    // deltas lie within -3..3 and count gaps well within ±2^20: pack the key in one long
                    long rank = (((long) (zonesFirst ? zoneDelta : cost) + 4) << 56)
                            | (((long) (zonesFirst ? cost : zoneDelta) + 4) << 52)
                            | ((long) (placement.count(to) - targets[to] + (1 << 20)) << 26)
                            | (targets[from] - placement.count(from) + (1 << 20));
                    if (rank < bestRank) {
                        bestRank = rank;
                        best = new int[] {zoneDelta, cost, p, from, to};
                    }
                }
            }
        }
        return best;
    }

    /**
     * Breadth-first search for a shortest path of free hand-overs (each re-targets a replica this
     * plan adds, and with even zones adds no zone duplicate) from a node above target to one
     * accepted by {@code isEnd}, through distinct partitions; applies it and returns its end, or -1.
     */
    private int freePath(List<Integer> over, PathEnd isEnd) {
        int n = nodes.size();
        int[] parent = new int[n];
        int[] via = new int[n];
        Arrays.fill(parent, -2);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int o : over) {
            parent[o] = -1;
            queue.add(o);
        }
        while (!queue.isEmpty()) {
            int x = queue.poll();
            for (int p = 0; p < placement.partitions(); p++) {
                if (!placement.contains(p, x) || !placement.mayBeReplacedFreely(p, x) || onPath(x, p, parent, via)) {
                    continue;
                }
                for (int y = 0; y < n; y++) {
                    if (parent[y] != -2 || placement.contains(p, y) || placement.movesDelta(p, x, y) > 0
                            || (zonesFirst && placement.zoneDuplicatesDelta(p, x, y) > 0)) {
                        continue;
                    }
                    parent[y] = x;
                    via[y] = p;
                    if (isEnd.test(rootOf(y, parent), y)) {
                        for (int w = y; parent[w] != -1; w = parent[w]) {
                            placement.replace(via[w], parent[w], w);
                        }
                        return y;
                    }
                    queue.add(y);
                }
            }
        }
        return -1;
    }

    /** Accepts the end of a path that starts at {@code from}. */
    private interface PathEnd {
        boolean test(int from, int end);
    }

    private static int rootOf(int node, int[] parent) {
        int w = node;
        while (parent[w] != -1) {
            w = parent[w];
        }
        return w;
    }

    private static boolean onPath(int node, int p, int[] parent, int[] via) {
        for (int w = node; parent[w] != -1; w = parent[w]) {
            if (via[w] == p) {
                return true;
            }
        }
        return false;
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
