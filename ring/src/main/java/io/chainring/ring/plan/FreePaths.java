package io.chainring.ring.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Re-targets replicas the plan adds, which costs no move: a free hand-over replaces a member
 * that did not hold the partition before planning with another node. Chained into shortest
 * paths they balance a fill (after leaves or on the first placement) without extra moves.
 */
final class FreePaths {
    private final Placement placement;
    private final EligibleNodes nodes;
    private final boolean zonesFirst;

    FreePaths(Placement placement) {
        this.placement = placement;
        this.nodes = placement.nodes();
        this.zonesFirst = nodes.zonesEven();
    }

    /**
     * Brings every node within ⌊Q·R'/N⌋..⌈Q·R'/N⌉ by re-targeting replicas this plan already adds,
     * which costs no move: a node with too many hands one over, along a shortest path of such
     * hand-overs, to a node with room; a node with too few takes one likewise. This is the
     * augmenting-path search of a bounded bipartite assignment, so it succeeds whenever a
     * re-targeting that balances exists (with even zones: one that keeps zones distinct).
     */
    boolean settle() {
        int total = placement.partitions() * nodes.replicas();
        int lo = total / nodes.size();
        int hi = total % nodes.size() == 0 ? lo : lo + 1;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int n = 0; n < nodes.size(); n++) {
                List<Integer> source = List.of(n);
                while (placement.count(n) > hi
                        && (find(source, (from, y) -> placement.count(y) < lo && zoneHasRoom(from, y)) >= 0
                        || find(source, (from, y) -> placement.count(y) < hi && zoneHasRoom(from, y)) >= 0)) {
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
                    if (find(sources, (from, y) -> y == needy && zoneHasRoom(from, y)) < 0) {
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
     * Breadth-first search for a shortest path of free hand-overs (each re-targets a replica this
     * plan adds, and with even zones adds no zone duplicate) from a node above target to one
     * accepted by {@code isEnd}, through distinct partitions; applies it and returns its end, or -1.
     */
    int find(List<Integer> over, PathEnd isEnd) {
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
    interface PathEnd {
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
}
