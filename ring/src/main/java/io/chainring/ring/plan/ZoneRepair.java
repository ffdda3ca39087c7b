package io.chainring.ring.plan;

/**
 * Makes chains zone-distinct without changing any node's replica count: swaps a member of a
 * zone that a chain holds twice with a member of a zone the chain lacks, taken from a chain
 * that lacks the first zone, choosing the swap that costs the fewest moves. Every swap removes
 * at least one duplicate, so this ends; a duplicate no swap can remove is left in place.
 */
final class ZoneRepair {
    private final Placement placement;
    private final EligibleNodes nodes;

    ZoneRepair(Placement placement) {
        this.placement = placement;
        this.nodes = placement.nodes();
    }

    void repair() {
        boolean swapped = true;
        while (swapped) {
            swapped = false;
            for (int p = 0; p < placement.partitions(); p++) {
                if (placement.zoneDuplicates(p) > 0 && swapOne(p)) {
                    swapped = true;
                }
            }
        }
    }

    private boolean swapOne(int p) {
        int[] bestKey = null;
        for (int a : placement.chain(p)) {
            if (!sharesZone(p, a)) {
                continue;
            }
            for (int q = 0; q < placement.partitions(); q++) {
                if (q == p || placement.hasZone(q, nodes.zoneOf(a))) {
                    continue;
                }
                for (int x : placement.chain(q)) {
                    if (placement.hasZone(p, nodes.zoneOf(x))) {
                        continue;
                    }
                    int cost = placement.movesDelta(p, a, x) + placement.movesDelta(q, x, a);
                    int[] key = {cost, placement.zoneDuplicatesDelta(q, x, a), q, a, x};
                    if (bestKey == null || MemberBalancer.compare(key, bestKey) < 0) {
                        bestKey = key;
                    }
                }
            }
        }
        if (bestKey == null) {
            return false;
        }
        int q = bestKey[2];
        int a = bestKey[3];
        int x = bestKey[4];
        placement.replace(p, a, x);
        placement.replace(q, x, a);
        return true;
    }

    private boolean sharesZone(int p, int member) {
        for (int m : placement.chain(p)) {
            if (m != member && nodes.zoneOf(m) == nodes.zoneOf(member)) {
                return true;
            }
        }
        return false;
    }
}
