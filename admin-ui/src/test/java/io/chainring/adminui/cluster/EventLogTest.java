package io.chainring.adminui.cluster;

import static io.chainring.adminui.cluster.Snapshots.node;
import static io.chainring.adminui.cluster.Snapshots.nodeStatus;
import static io.chainring.adminui.cluster.Snapshots.ring;
import static io.chainring.adminui.cluster.Snapshots.snapshot;
import static io.chainring.adminui.cluster.Snapshots.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.client.RingSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventLogTest {
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);
    private final Instant t = Instant.ofEpochMilli(1_000);
    private final RingSnapshot r1 = ring(1, 1, List.of(node("n1", 1, "ACTIVE"), node("n2", 2, "ACTIVE")),
            List.of(List.of("n1"), List.of("n2")));

    @Test
    void firstGoodPollThenRingLivenessAndControllerChanges() {
        EventLog log = new EventLog(100, clock);
        ClusterSnapshot a = snapshot(t, status("c1:1", nodeStatus("n1", true), nodeStatus("n2", true)), r1, Map.of());
        log.observe(ClusterSnapshot.initial(t), a);
        RingSnapshot r2 = ring(2, 1, r1.nodes(), List.of(List.of("n1"), List.of("n1")));
        ClusterSnapshot b = snapshot(t, status("c2:1", nodeStatus("n1", true), nodeStatus("n2", false),
                nodeStatus("n3", true)), r2, Map.of());
        log.observe(a, b);
        log.observe(b, b); // nothing changed: nothing added

        List<ClusterEvent> events = log.newestFirst(10);
        assertThat(events).extracting(ClusterEvent::kind).containsExactly(ClusterEvent.Kind.CONTROLLER_CHANGE,
                ClusterEvent.Kind.NODE_UP, ClusterEvent.Kind.NODE_DOWN, ClusterEvent.Kind.RING_CHANGE,
                ClusterEvent.Kind.OBSERVING);
        assertThat(events).extracting(ClusterEvent::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
        ClusterEvent change = events.get(3);
        assertThat(change.epochBefore()).isEqualTo(1);
        assertThat(change.epochAfter()).isEqualTo(2);
        assertThat(change.summary()).isEqualTo("epoch 1 → 2: 1 chain changed");
        assertThat(events.get(2).summary()).contains("node n2 is down");
        assertThat(events.get(1).summary()).contains("node n3 registered");
        assertThat(events.get(0).summary()).isEqualTo("controller leader: c1:1 → c2:1");
        assertThat(events.get(0).atMillis()).isEqualTo(1_000);
    }

    @Test
    void keepsOnlyTheNewest() {
        EventLog log = new EventLog(3, clock);
        for (int i = 1; i <= 5; i++) {
            log.add(ClusterEvent.Kind.ADMIN_ACTION, 0, 0, "action " + i, List.of());
        }
        assertThat(log.size()).isEqualTo(3);
        assertThat(log.newestFirst(10)).extracting(ClusterEvent::summary).containsExactly("action 5", "action 4", "action 3");
        assertThat(log.newestFirst(1)).hasSize(1);
        assertThatThrownBy(() -> new EventLog(0, clock)).isInstanceOf(IllegalArgumentException.class);
    }

    private static ClusterActions.PlanStatus plan(String id, String state, long epoch) {
        return new ClusterActions.PlanStatus(id, "add", List.of("n4"), state, 8, epoch, 1_000, null, null, 4096L);
    }

    @Test
    void planStartsStateChangesAndEndsWithTheEpochsItSpanned() {
        EventLog log = new EventLog(100, clock);
        log.observePlan(false, null, null, 5);
        log.observePlan(true, null, null, 5);
        assertThat(log.size()).as("no plan, nothing to say").isZero();

        log.observePlan(true, null, plan("p1", "RUNNING", 5), 6);
        log.observePlan(true, plan("p1", "RUNNING", 5), plan("p1", "RUNNING", 5), 9); // no change
        log.observePlan(true, plan("p1", "RUNNING", 5), plan("p1", "PAUSED", 5), 10);
        log.observePlan(true, plan("p1", "PAUSED", 5), plan("p1", "DONE", 5), 21);

        List<ClusterEvent> events = log.newestFirst(10);
        assertThat(events).extracting(ClusterEvent::kind).containsOnly(ClusterEvent.Kind.PLAN);
        assertThat(events).extracting(ClusterEvent::summary).containsExactly(
                "plan p1 (add n4, 8 moves): PAUSED → DONE",
                "plan p1 (add n4, 8 moves): RUNNING → PAUSED",
                "plan p1 (add n4, 8 moves) started: RUNNING");
        assertThat(events.get(0).epochBefore()).isEqualTo(5);
        assertThat(events.get(0).epochAfter()).isEqualTo(21);
        assertThat(events.get(2).epochAfter()).as("still running: no after yet").isZero();
    }

    @Test
    void aPlanThatEndedBeforeTheUiLookedIsNotNewsButARunningOneIs() {
        EventLog log = new EventLog(100, clock);
        log.observePlan(false, null, plan("old", "DONE", 3), 9);
        assertThat(log.size()).isZero();
        log.observePlan(false, null, plan("p2", "RUNNING", 3), 9);
        assertThat(log.newestFirst(1).get(0).summary()).isEqualTo(
                "plan p2 (add n4, 8 moves) is RUNNING (started before this UI looked)");
        // a plan that started and ended between two polls still shows up, ended
        log.observePlan(true, plan("p2", "DONE", 3), plan("p3", "CANCELLED", 9), 12);
        ClusterEvent e = log.newestFirst(1).get(0);
        assertThat(e.summary()).isEqualTo("plan p3 (add n4, 8 moves) ran and ended CANCELLED");
        assertThat(e.epochBefore()).isEqualTo(9);
        assertThat(e.epochAfter()).isEqualTo(12);
    }
}
