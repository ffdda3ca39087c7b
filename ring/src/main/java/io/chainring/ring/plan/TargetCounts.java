package io.chainring.ring.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How many replicas each eligible node should hold: ⌊Q·R'/N⌋ each, plus one for Q·R' mod N of
 * them. The extra replicas go first to nodes that already hold more than the base (keeping one
 * there costs no move), most loaded first; then to the least loaded. A zone whose total would
 * pass Q cannot keep its chains zone-distinct, so such zones are skipped while another can take
 * the replica: always when zones are even, otherwise only among equally cheap candidates.
 */
final class TargetCounts {
    private TargetCounts() {
    }

    static int[] compute(EligibleNodes nodes, int[] counts, int partitions) {
        int n = nodes.size();
        int total = partitions * nodes.replicas();
        int base = total / n;
        int[] targets = new int[n];
        long[] zoneTotals = new long[nodes.zoneCount()];
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            targets[i] = base;
            zoneTotals[nodes.zoneOf(i)] += base;
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingInt(i -> counts[i] > base ? 0 : 1)
                .thenComparingInt(i -> counts[i] > base ? -counts[i] : counts[i])
                .thenComparingInt(i -> i));
        for (int extra = total % n; extra > 0; extra--) {
            int chosen = choose(nodes, order, counts, base, zoneTotals, partitions);
            order.remove(Integer.valueOf(chosen));
            targets[chosen]++;
            zoneTotals[nodes.zoneOf(chosen)]++;
        }
        return targets;
    }

    private static int choose(EligibleNodes nodes, List<Integer> order, int[] counts, int base,
                              long[] zoneTotals, int partitions) {
        boolean firstHasExtra = counts[order.get(0)] > base;
        for (int i : order) {
            boolean sameCost = (counts[i] > base) == firstHasExtra;
            if ((nodes.zonesEven() || sameCost) && zoneTotals[nodes.zoneOf(i)] < partitions) {
                return i;
            }
        }
        return order.get(0);
    }
}
