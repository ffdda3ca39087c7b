package io.chainring.ring.plan;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Decides, independently of the planner, whether a leave can be planned with no move besides
 * the leavers' replicas: can every slot the leavers free be given to a staying node not already
 * in the chain (and, when zones are even, of a zone the chain lacks) so that every node ends
 * with ⌊Q·R'/N⌋ or ⌈Q·R'/N⌉ replicas? A max-flow with lower bounds: partition → zone → node → sink,
 * first with the sink edges capped at each node's minimum need, then at its maximum room.
 * Usually it can; rarely a node that needs a replica already holds every partition the leavers
 * free (few partitions) and then some other replica has to move as well.
 */
final class ExactLeave {
    private ExactLeave() {
    }

    static boolean possible(Ring current, List<NodeInfo> nodes) {
        List<NodeId> eligible = Clusters.eligible(nodes);
        Map<NodeId, String> zoneOf = new HashMap<>();
        nodes.forEach(n -> zoneOf.put(n.id(), n.zone()));
        int n = eligible.size();
        int q = current.partitionCount();
        int r = Math.min(current.replication(), n);
        boolean zonesMatter = PlanChecks.zonesEven(nodes, r);
        List<String> zones = new ArrayList<>(new TreeSet<>(zoneOf.values()));
        int[] counts = new int[n];
        List<List<NodeId>> kept = new ArrayList<>();
        for (Chain c : current.chains()) {
            List<NodeId> k = c.members().stream().filter(eligible::contains).toList();
            kept.add(k);
            k.forEach(m -> counts[eligible.indexOf(m)]++);
            if (zonesMatter && k.stream().map(zoneOf::get).distinct().count() < k.size()) {
                return false;
            }
        }
        long total = (long) q * r;
        int base = (int) (total / n);
        int top = total % n == 0 ? base : base + 1;
        int z = zones.size();
        // vertices: source, partitions, (partition, zone) pairs, nodes, sink
        int source = 0;
        int sink = 1 + q + q * z + n;
        Flow flow = new Flow(sink + 1);
        int slots = 0;
        for (int p = 0; p < q; p++) {
            int missing = r - kept.get(p).size();
            slots += missing;
            flow.edge(source, 1 + p, missing);
            for (int zi = 0; zi < z; zi++) {
                int pz = 1 + q + p * z + zi;
                String zone = zones.get(zi);
                boolean zoneTaken = zonesMatter && kept.get(p).stream().anyMatch(m -> zoneOf.get(m).equals(zone));
                flow.edge(1 + p, pz, zoneTaken ? 0 : zonesMatter ? 1 : r);
                for (int i = 0; i < n; i++) {
                    if (zoneOf.get(eligible.get(i)).equals(zone) && !kept.get(p).contains(eligible.get(i))) {
                        flow.edge(pz, 1 + q + q * z + i, 1);
                    }
                }
            }
        }
        int[] sinkEdges = new int[n];
        int needed = 0;
        for (int i = 0; i < n; i++) {
            if (counts[i] > top) {
                return false;
            }
            int need = Math.max(0, base - counts[i]);
            needed += need;
            sinkEdges[i] = flow.edge(1 + q + q * z + i, sink, need);
        }
        if (flow.maxFlow(source, sink) < needed) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            flow.raise(sinkEdges[i], top - counts[i]);
        }
        return flow.maxFlow(source, sink) == slots - needed;
    }

    /** Edmonds-Karp on an adjacency list; {@link #maxFlow} adds to the flow already found. */
    private static final class Flow {
        private final List<List<Integer>> out = new ArrayList<>();
        private final List<int[]> edges = new ArrayList<>(); // to, capacity

        Flow(int vertices) {
            for (int i = 0; i < vertices; i++) {
                out.add(new ArrayList<>());
            }
        }

        int edge(int from, int to, int capacity) {
            out.get(from).add(edges.size());
            edges.add(new int[] {to, capacity});
            out.get(to).add(edges.size());
            edges.add(new int[] {from, 0});
            return edges.size() - 2;
        }

        void raise(int edge, int capacity) {
            int used = edges.get(edge ^ 1)[1];
            edges.get(edge)[1] = capacity - used;
        }

        int maxFlow(int source, int sink) {
            int total = 0;
            while (true) {
                int[] via = new int[out.size()];
                Arrays.fill(via, -1);
                ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(source));
                while (!queue.isEmpty() && via[sink] < 0) {
                    int v = queue.poll();
                    for (int e : out.get(v)) {
                        int[] edge = edges.get(e);
                        if (edge[1] > 0 && via[edge[0]] < 0 && edge[0] != source) {
                            via[edge[0]] = e;
                            queue.add(edge[0]);
                        }
                    }
                }
                if (via[sink] < 0) {
                    return total;
                }
                for (int v = sink; v != source; v = edges.get(via[v] ^ 1)[0]) {
                    edges.get(via[v])[1]--;
                    edges.get(via[v] ^ 1)[1]++;
                }
                total++;
            }
        }
    }
}
