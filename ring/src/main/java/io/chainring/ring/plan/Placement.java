package io.chainring.ring.plan;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The planner's working copy of the chains, as node indexes of {@link EligibleNodes}, with the
 * replica count of every node and what each partition held before planning (to price changes
 * in moves). Starts from the current chains stripped of every member that may not hold replicas.
 */
final class Placement {
    private final EligibleNodes nodes;
    private final int[][] chains;
    private final int[][] original;
    private final int[] departed;
    private final boolean[] hadData;
    private final int[] counts;
    private final int[][] shared;
    private final int[] lost;
    private final int[] gained;
    private final int[] distinctZones;

    Placement(EligibleNodes nodes, Ring current) {
        this.nodes = nodes;
        int q = current.partitionCount();
        this.chains = new int[q][];
        this.original = new int[q][];
        this.departed = new int[q];
        this.hadData = new boolean[q];
        this.counts = new int[nodes.size()];
        this.shared = new int[nodes.size()][nodes.size()];
        this.lost = new int[q];
        this.gained = new int[q];
        this.distinctZones = new int[q];
        for (int p = 0; p < q; p++) {
            List<NodeId> members = current.partition(p).chain().members();
            hadData[p] = !members.isEmpty();
            int[] kept = new int[members.size()];
            int k = 0;
            for (NodeId m : members) {
                int i = nodes.indexOf(m);
                if (i >= 0) {
                    kept[k++] = i;
                    counts[i]++;
                } else {
                    departed[p]++;
                }
            }
            original[p] = Arrays.copyOf(kept, k);
            chains[p] = original[p].clone();
            share(chains[p], -1, 1);
            refresh(p);
        }
    }

    EligibleNodes nodes() {
        return nodes;
    }

    int partitions() {
        return chains.length;
    }

    int[] chain(int p) {
        return chains[p];
    }

    int count(int node) {
        return counts[node];
    }

    int[] counts() {
        return counts.clone();
    }

    boolean contains(int p, int node) {
        return indexIn(chains[p], node) >= 0;
    }

    boolean hasZone(int p, int zone) {
        for (int m : chains[p]) {
            if (nodes.zoneOf(m) == zone) {
                return true;
            }
        }
        return false;
    }

    /** In how many chains the two nodes are together. */
    int shared(int a, int b) {
        return shared[a][b];
    }

    void append(int p, int node) {
        int[] c = Arrays.copyOf(chains[p], chains[p].length + 1);
        c[c.length - 1] = node;
        chains[p] = c;
        counts[node]++;
        share(c, node, 1);
        refresh(p);
    }

    void remove(int p, int node) {
        share(chains[p], node, -1);
        int[] c = new int[chains[p].length - 1];
        int k = 0;
        for (int m : chains[p]) {
            if (m != node) {
                c[k++] = m;
            }
        }
        chains[p] = c;
        counts[node]--;
        refresh(p);
    }

    /** Puts {@code to} in the place of {@code from}, so the newcomer inherits its role. */
    void replace(int p, int from, int to) {
        share(chains[p], from, -1);
        chains[p] = replaced(chains[p], from, to);
        counts[from]--;
        counts[to]++;
        share(chains[p], to, 1);
        refresh(p);
    }

    /** Recomputes what the partition lost and gained against its current chain, and its zones. */
    private void refresh(int p) {
        int l = departed[p];
        for (int m : original[p]) {
            l += indexIn(chains[p], m) < 0 ? 1 : 0;
        }
        int g = 0;
        for (int m : chains[p]) {
            g += indexIn(original[p], m) < 0 ? 1 : 0;
        }
        lost[p] = l;
        gained[p] = g;
        distinctZones[p] = distinctZones(chains[p], -1);
    }

    /** Adds delta to the pair counts of {@code node} with every other member (all pairs if node is -1). */
    private void share(int[] chain, int node, int delta) {
        for (int a : chain) {
            for (int b : chain) {
                if (a != b && (node < 0 || a == node || b == node)) {
                    shared[a][b] += delta;
                }
            }
        }
    }

    /** Members sharing a zone with an earlier member. */
    int zoneDuplicates(int p) {
        return chains[p].length - distinctZones[p];
    }

    /** How {@link #zoneDuplicates} would change if {@code to} replaced {@code from}. */
    int zoneDuplicatesDelta(int p, int from, int to) {
        return zoneDuplicatesDelta(p, from, to, distinctZones(chains[p], from));
    }

    /** As {@link #zoneDuplicatesDelta(int, int, int)}, given the distinct zones of the chain without {@code from}. */
    int zoneDuplicatesDelta(int p, int from, int to, int zonesWithoutFrom) {
        boolean toZoneTaken = false;
        for (int m : chains[p]) {
            toZoneTaken |= m != from && nodes.zoneOf(m) == nodes.zoneOf(to);
        }
        return distinctZones[p] - (zonesWithoutFrom + (toZoneTaken ? 0 : 1));
    }

    /** Distinct zones of partition p's chain without the member. */
    int zonesWithout(int p, int member) {
        return distinctZones(chains[p], member);
    }

    /**
     * How the number of moves of partition p would change if {@code to} replaced {@code from}.
     * A partition needs one move per replica changing hands, max(lost, gained) against what it
     * held before planning, and none when it held no data (the first placement).
     */
    int movesDelta(int p, int from, int to) {
        if (!hadData[p]) {
            return 0;
        }
        int l = lost[p];
        int g = gained[p];
        if (indexIn(original[p], from) >= 0) {
            l++;
        } else {
            g--;
        }
        if (indexIn(original[p], to) >= 0) {
            l--;
        } else {
            g++;
        }
        return Math.max(l, g) - Math.max(lost[p], gained[p]);
    }

    /** Distinct zones among the chain's members, leaving out {@code skip}. */
    private int distinctZones(int[] chain, int skip) {
        int distinct = 0;
        for (int i = 0; i < chain.length; i++) {
            if (chain[i] == skip) {
                continue;
            }
            boolean seen = false;
            for (int j = 0; j < i; j++) {
                seen |= chain[j] != skip && nodes.zoneOf(chain[j]) == nodes.zoneOf(chain[i]);
            }
            distinct += seen ? 0 : 1;
        }
        return distinct;
    }

    /**
     * False when replacing the member can only cost a move: it held the partition before and
     * every other earlier holder still does. A fast filter before {@link #movesDelta}.
     */
    boolean mayBeReplacedFreely(int p, int member) {
        return !hadData[p] || indexIn(original[p], member) < 0 || lost[p] > departed[p];
    }

    int[][] snapshot() {
        int[][] copy = new int[chains.length][];
        for (int p = 0; p < chains.length; p++) {
            copy[p] = chains[p].clone();
        }
        return copy;
    }

    /** Chains of node ids for the given index arrays. */
    List<Chain> toChains(int[][] indexChains) {
        List<Chain> out = new ArrayList<>(indexChains.length);
        for (int[] c : indexChains) {
            List<NodeId> members = new ArrayList<>(c.length);
            for (int m : c) {
                members.add(nodes.id(m));
            }
            out.add(new Chain(members));
        }
        return out;
    }

    private static int[] replaced(int[] chain, int from, int to) {
        int[] c = chain.clone();
        c[indexIn(c, from)] = to;
        return c;
    }

    static int indexIn(int[] chain, int node) {
        for (int i = 0; i < chain.length; i++) {
            if (chain[i] == node) {
                return i;
            }
        }
        return -1;
    }
}
