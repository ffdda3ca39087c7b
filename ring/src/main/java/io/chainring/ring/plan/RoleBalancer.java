package io.chainring.ring.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Orders the members of each chain so heads and tails spread evenly: every node heads, and
 * ends, between ⌊Q/N⌋ and ⌈Q/N⌉ chains whenever the memberships allow it. Reordering moves no
 * data. Starts from the existing order and changes it only along shortest augmenting paths (a
 * node with too many heads hands one to a co-member, which may hand one of its own on, until a
 * node with room takes it), so a chain whose order is already fine keeps it.
 *
 * <p>Heads are balanced first; with chains of two the tail is the other member, so each node's
 * head count is bounded such that its tail count lands in range as well. With longer chains the
 * tails are balanced next among the non-head members. Middle members keep their relative order.
 */
final class RoleBalancer {
    private RoleBalancer() {
    }

    /** Returns the chains reordered; membership is unchanged. */
    static int[][] assign(int[][] chains, int nodeCount) {
        int q = chains.length;
        int lo = q / nodeCount;
        int hi = (q + nodeCount - 1) / nodeCount;
        int length = chains.length == 0 ? 0 : chains[0].length;
        int[] replicas = new int[nodeCount];
        for (int[] c : chains) {
            for (int m : c) {
                replicas[m]++;
            }
        }
        int[] headLo = new int[nodeCount];
        int[] headHi = new int[nodeCount];
        int[] tailLo = new int[nodeCount];
        int[] tailHi = new int[nodeCount];
        for (int n = 0; n < nodeCount; n++) {
            // with two members a node's tails are its replicas minus its heads
            headLo[n] = length == 2 ? Math.max(lo, replicas[n] - hi) : lo;
            headHi[n] = Math.max(headLo[n], length == 2 ? Math.min(hi, replicas[n] - lo) : hi);
            tailLo[n] = lo;
            tailHi[n] = hi;
        }
        int[][] out = new int[q][];
        int[] heads = new int[q];
        int[] none = new int[q];
        Arrays.fill(none, -1);
        for (int p = 0; p < q; p++) {
            heads[p] = chains[p].length == 0 ? -1 : chains[p][0];
        }
        augment(chains, heads, none, headLo, headHi, nodeCount);
        for (int p = 0; p < q; p++) {
            out[p] = withFirst(chains[p], heads[p]);
        }
        if (length >= 3) {
            int[] tails = new int[q];
            for (int p = 0; p < q; p++) {
                tails[p] = out[p].length < 2 ? -1 : out[p][out[p].length - 1];
            }
            augment(out, tails, heads, tailLo, tailHi, nodeCount);
            for (int p = 0; p < q; p++) {
                out[p] = withLast(out[p], tails[p]);
            }
        }
        return out;
    }

    /**
     * Moves roles ({@code holder[p]}, never {@code excluded[p]}) until every node's count is
     * within its bounds or no augmenting path is left. Each step lowers the total distance to
     * the bounds, so this ends.
     */
    private static void augment(int[][] chains, int[] holder, int[] excluded, int[] lo, int[] hi, int nodeCount) {
        int[] count = new int[nodeCount];
        for (int h : holder) {
            if (h >= 0) {
                count[h]++;
            }
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int u = 0; u < nodeCount; u++) {
                boolean[] source = new boolean[nodeCount];
                source[u] = true;
                while (count[u] > hi[u] && shift(chains, holder, excluded, count, source, v -> count[v] < hi[v])) {
                    progress = true;
                }
            }
            for (int v = 0; v < nodeCount; v++) {
                final int target = v;
                while (count[v] < lo[v]) {
                    boolean[] source = new boolean[nodeCount];
                    for (int w = 0; w < nodeCount; w++) {
                        source[w] = count[w] > lo[w];
                    }
                    if (!shift(chains, holder, excluded, count, source, w -> w == target)) {
                        break;
                    }
                    progress = true;
                }
            }
        }
    }

    /** Breadth-first search from the sources to a node accepted by {@code target}; shifts roles along it. */
    private static boolean shift(int[][] chains, int[] holder, int[] excluded, int[] count, boolean[] source,
                                 IntPredicate target) {
        int n = count.length;
        List<List<Integer>> held = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            held.add(new ArrayList<>());
        }
        for (int p = 0; p < holder.length; p++) {
            if (holder[p] >= 0) {
                held.get(holder[p]).add(p);
            }
        }
        int[] parent = new int[n];
        int[] via = new int[n];
        Arrays.fill(parent, -2);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (source[i]) {
                parent[i] = -1;
                queue.add(i);
            }
        }
        while (!queue.isEmpty()) {
            int u = queue.poll();
            for (int p : held.get(u)) {
                for (int v : chains[p]) {
                    if (v == u || v == excluded[p] || parent[v] != -2) {
                        continue;
                    }
                    parent[v] = u;
                    via[v] = p;
                    if (target.test(v)) {
                        count[v]++;
                        for (int w = v; parent[w] != -1; w = parent[w]) {
                            holder[via[w]] = w;
                        }
                        count[rootOf(parent, v)]--;
                        return true;
                    }
                    queue.add(v);
                }
            }
        }
        return false;
    }

    private static int rootOf(int[] parent, int node) {
        int w = node;
        while (parent[w] != -1) {
            w = parent[w];
        }
        return w;
    }

    private static int[] withFirst(int[] chain, int first) {
        if (chain.length == 0 || chain[0] == first) {
            return chain.clone();
        }
        int[] out = new int[chain.length];
        out[0] = first;
        int k = 1;
        for (int m : chain) {
            if (m != first) {
                out[k++] = m;
            }
        }
        return out;
    }

    private static int[] withLast(int[] chain, int last) {
        if (last < 0 || chain[chain.length - 1] == last) {
            return chain;
        }
        int[] out = new int[chain.length];
        int k = 0;
        for (int m : chain) {
            if (m != last) {
                out[k++] = m;
            }
        }
        out[k] = last;
        return out;
    }
}
