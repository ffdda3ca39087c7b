package io.chainring.adminui.cluster;

import io.chainring.client.ClusterStatus;
import io.chainring.client.NodeStatus;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The events this UI process has seen, newest last, bounded (the oldest fall off). It learns them
 * by comparing consecutive good polls ({@link #observe}); actions taken through the UI are added
 * with {@link #add}. Not persisted: a restarted UI starts a new log (the ring itself records only
 * the current epoch, not its history). Thread-safe.
 */
public final class EventLog {
    private final int capacity;
    private final Clock clock;
    private final Deque<ClusterEvent> events = new ArrayDeque<>();
    private long nextSeq = 1;

    public EventLog(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("event log capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds what changed from {@code before} to {@code after} (both good polls; before may be data-less). */
    public void observe(ClusterSnapshot before, ClusterSnapshot after) {
        if (!after.hasData()) {
            return;
        }
        if (!before.hasData()) {
            ClusterStatus s = after.status();
            long live = s.nodes().stream().filter(NodeStatus::live).count();
            add(ClusterEvent.Kind.OBSERVING, 0, after.ring().epoch(), "watching cluster '" + s.cluster() + "' at ring epoch "
                    + after.ring().epoch() + ": " + live + " of " + s.nodes().size() + " nodes up, controller "
                    + s.controller(), List.of());
            return;
        }
        if (after.ring().epoch() != before.ring().epoch()) {
            RingDiff diff = RingDiff.between(before.ring(), after.ring());
            add(ClusterEvent.Kind.RING_CHANGE, diff.epochBefore(), diff.epochAfter(), diff.summary(), diff.details());
        }
        Map<String, NodeStatus> was = before.status().nodes().stream()
                .collect(Collectors.toMap(NodeStatus::id, Function.identity()));
        for (NodeStatus n : after.status().nodes()) {
            NodeStatus o = was.get(n.id());
            if (o == null) {
                add(n.live() ? ClusterEvent.Kind.NODE_UP : ClusterEvent.Kind.NODE_DOWN, 0, 0,
                        "node " + n.id() + " registered at " + n.address() + " (" + n.state() + (n.live() ? ", up)" : ", down)"),
                        List.of());
            } else if (o.live() != n.live()) {
                add(n.live() ? ClusterEvent.Kind.NODE_UP : ClusterEvent.Kind.NODE_DOWN, 0, 0,
                        "node " + n.id() + (n.live() ? " is up at " + n.address() : " is down (its ZooKeeper session ended)"),
                        List.of());
            }
        }
        if (!before.status().controller().equals(after.status().controller())) {
            add(ClusterEvent.Kind.CONTROLLER_CHANGE, 0, 0, "controller leader: " + before.status().controller() + " → "
                    + after.status().controller(), List.of());
        }
    }

    /**
     * Adds what happened to the plan between two reads: a plan started or ended, paused, resumed
     * or began cancelling. A plan that had already ended when this UI first looked is not news.
     *
     * @param seenBefore whether {@code before} is a real earlier read (false on the first one)
     * @param before     the plan at the earlier read (null: none)
     * @param after      the plan now (null: none)
     * @param ringEpoch  the ring epoch now (read after the plan)
     */
    public void observePlan(boolean seenBefore, ClusterActions.PlanStatus before, ClusterActions.PlanStatus after,
                            long ringEpoch) {
        if (after == null) {
            return;
        }
        String what = "plan " + after.id() + " (" + after.action() + " " + String.join(", ", after.nodes()) + ", "
                + after.movesPlanned() + " moves)";
        List<String> details = after.note() == null || after.note().isBlank() ? List.of() : List.of(after.note());
        boolean newPlan = before == null || !before.id().equals(after.id());
        if (!seenBefore) {
            if (!after.finished()) {
                add(ClusterEvent.Kind.PLAN, after.ringEpochAtStart(), 0, what + " is " + after.state()
                        + " (started before this UI looked)", details);
            }
            return;
        }
        if (newPlan) {
            add(ClusterEvent.Kind.PLAN, after.ringEpochAtStart(), after.finished() ? ringEpoch : 0,
                    what + (after.finished() ? " ran and ended " + after.state() : " started: " + after.state()), details);
        } else if (!before.state().equals(after.state())) {
            add(ClusterEvent.Kind.PLAN, after.ringEpochAtStart(), after.finished() ? ringEpoch : 0,
                    what + ": " + before.state() + " → " + after.state(), details);
        }
    }

    /** Records an event now. */
    public synchronized ClusterEvent add(ClusterEvent.Kind kind, long epochBefore, long epochAfter, String summary,
                                         List<String> details) {
        ClusterEvent e = new ClusterEvent(nextSeq++, clock.millis(), kind, epochBefore, epochAfter, summary, details);
        events.addLast(e);
        while (events.size() > capacity) {
            events.removeFirst();
        }
        return e;
    }

    /** The newest events, newest first, at most {@code limit}. */
    public synchronized List<ClusterEvent> newestFirst(int limit) {
        List<ClusterEvent> out = new ArrayList<>(Math.min(limit, events.size()));
        var it = events.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            out.add(it.next());
        }
        return out;
    }

    public synchronized int size() {
        return events.size();
    }
}
