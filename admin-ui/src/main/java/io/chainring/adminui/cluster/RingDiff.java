package io.chainring.adminui.cluster;

import io.chainring.client.RingSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What differs between two rings: how many chains changed, which nodes were added or removed,
 * and which nodes changed state or address. Pure; used for the event log.
 *
 * @param epochBefore    the older ring's epoch
 * @param epochAfter     the newer ring's epoch
 * @param chainsChanged  partitions whose chain differs
 * @param nodesAdded     ids of nodes the new ring names and the old did not
 * @param nodesRemoved   ids of nodes the old ring named and the new does not
 * @param stateChanges   "n4: NEW → JOINING"
 * @param addressChanges "n2: 127.0.0.1:7102 → 127.0.0.1:7202"
 */
public record RingDiff(long epochBefore, long epochAfter, int chainsChanged, List<String> nodesAdded,
                       List<String> nodesRemoved, List<String> stateChanges, List<String> addressChanges) {
    public RingDiff {
        nodesAdded = List.copyOf(nodesAdded);
        nodesRemoved = List.copyOf(nodesRemoved);
        stateChanges = List.copyOf(stateChanges);
        addressChanges = List.copyOf(addressChanges);
    }

    public static RingDiff between(RingSnapshot before, RingSnapshot after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        int changed = 0;
        Map<Integer, List<String>> old = before.partitions().stream()
                .collect(Collectors.toMap(RingSnapshot.PartitionChain::id, RingSnapshot.PartitionChain::chain));
        for (RingSnapshot.PartitionChain p : after.partitions()) {
            if (!p.chain().equals(old.getOrDefault(p.id(), List.of()))) {
                changed++;
            }
        }
        Map<String, RingSnapshot.Node> was = before.nodes().stream()
                .collect(Collectors.toMap(RingSnapshot.Node::id, Function.identity()));
        Map<String, RingSnapshot.Node> now = after.nodes().stream()
                .collect(Collectors.toMap(RingSnapshot.Node::id, Function.identity()));
        List<String> added = new ArrayList<>();
        List<String> states = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (RingSnapshot.Node n : after.nodes()) {
            RingSnapshot.Node o = was.get(n.id());
            if (o == null) {
                added.add(n.id());
                continue;
            }
            if (!o.state().equals(n.state())) {
                states.add(n.id() + ": " + o.state() + " → " + n.state());
            }
            if (!o.address().equals(n.address())) {
                addresses.add(n.id() + ": " + o.address() + " → " + n.address());
            }
        }
        List<String> removed = before.nodes().stream().map(RingSnapshot.Node::id).filter(id -> !now.containsKey(id)).toList();
        return new RingDiff(before.epoch(), after.epoch(), changed, added, removed, states, addresses);
    }

    /** One line: "epoch 3 → 4: 2 chains changed; n2 moved to 127.0.0.1:7202". */
    public String summary() {
        List<String> parts = new ArrayList<>();
        if (chainsChanged > 0) {
            parts.add(chainsChanged + (chainsChanged == 1 ? " chain changed" : " chains changed"));
        }
        if (!nodesAdded.isEmpty()) {
            parts.add("added " + String.join(", ", nodesAdded));
        }
        if (!nodesRemoved.isEmpty()) {
            parts.add("removed " + String.join(", ", nodesRemoved));
        }
        if (!stateChanges.isEmpty()) {
            parts.add("state " + String.join(", ", stateChanges));
        }
        if (!addressChanges.isEmpty()) {
            parts.add("address " + String.join(", ", addressChanges));
        }
        String what = parts.isEmpty() ? "no visible change" : String.join("; ", parts);
        return "epoch " + epochBefore + " → " + epochAfter + ": " + what;
    }

    /** Each change on its own line. */
    public List<String> details() {
        List<String> lines = new ArrayList<>();
        lines.add("chains changed: " + chainsChanged);
        nodesAdded.forEach(n -> lines.add("node added: " + n));
        nodesRemoved.forEach(n -> lines.add("node removed: " + n));
        stateChanges.forEach(s -> lines.add("state: " + s));
        addressChanges.forEach(a -> lines.add("address: " + a));
        return lines;
    }
}
