package io.chainring.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chainring.ring.NodeId;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.thrift.Conflict;
import io.chainring.thrift.ControllerAdminService;
import io.chainring.thrift.InvalidRequest;
import io.chainring.thrift.MigrationsView;
import io.chainring.thrift.NodeState;
import io.chainring.thrift.PlanAction;
import io.chainring.thrift.PlanPreview;
import io.chainring.thrift.PlanState;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.TMigration;
import io.chainring.thrift.TPlan;
import io.chainring.thrift.Unauthorized;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DESIGN §7 end to end in one JVM: 3 datanodes (R = 3, 32 partitions) with data and a writer
 * running; a 4th node is added (preview, then execute with the previewed plan id), then the
 * first node is decommissioned. Each plan must finish with exactly its previewed moves, equal to
 * the lower bound, leave every node with its balanced share, and lose no acknowledged write.
 */
@Tag("cluster")
class RebalanceIT {
    private static final Logger log = LoggerFactory.getLogger(RebalanceIT.class);
    private static final Duration PLAN_BOUND = Duration.ofSeconds(120);

    @Test
    void addingThenDecommissioningANodeMovesThePlannedReplicasAndLosesNothing() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(3).partitions(32).build().start();
             Admin admin = new Admin(cluster.controllerAddress())) {
            cluster.awaitFullChains(Duration.ofSeconds(30));
            Map<String, String> acked = new ConcurrentHashMap<>();
            try (RawKv kv = new RawKv(cluster::ring)) {
                for (int i = 0; i < 600; i++) {
                    kv.put("pre-" + i, "value-" + i);
                    acked.put("pre-" + i, "value-" + i);
                }
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Map<String, Integer> errors = new ConcurrentHashMap<>();
            Thread writer = new Thread(() -> write(cluster, acked, errors, stop, failure), "writer");
            writer.start();
            try {
                NodeId added = cluster.addDatanode();
                awaitRegistered(admin, added);

                assertThatThrownBy(() -> admin.client.executePlan("wrong-token-123", PlanAction.ADD,
                        List.of(added.value()), "")).isInstanceOf(Unauthorized.class);
                assertThatThrownBy(() -> admin.client.previewPlan(PlanAction.ADD, List.of("n9")))
                        .isInstanceOf(io.chainring.thrift.NotFound.class);

                PlanPreview join = admin.client.previewPlan(PlanAction.ADD, List.of(added.value()));
                log.info("join plan {}: {} moves, lower bound {}, ~{} keys", join.getPlanId(), join.getMovesSize(),
                        join.getLowerBound(), join.getEstimatedKeys());
                assertThat(join.getMovesSize()).isEqualTo(join.getLowerBound()).isEqualTo(32 * 3 / 4);
                assertThat(join.getMoves()).allMatch(m -> added.value().equals(m.getToNode()) && m.isSetFromNode());
                assertThat(join.getEstimatedKeys()).isPositive();

                TPlan started = admin.client.executePlan(cluster.adminToken(), PlanAction.ADD, List.of(added.value()),
                        join.getPlanId());
                assertThat(started.getState()).isEqualTo(PlanState.RUNNING);
                assertThatThrownBy(() -> admin.client.executePlan(cluster.adminToken(), PlanAction.DECOMMISSION,
                        List.of("n1"), "")).isInstanceOf(Conflict.class);
                awaitMovesRunning(admin, failure);
                MigrationsView joined = awaitPlan(admin, join.getPlanId(), failure);
                assertMovesDone(joined, join.getPlanId(), join.getMovesSize());

                Ring afterJoin = cluster.awaitFullChains(Duration.ofSeconds(60));
                assertBalanced(afterJoin, List.of("n1", "n2", "n3", added.value()), 24);
                assertThat(afterJoin.node(added).orElseThrow().state().name()).isEqualTo("ACTIVE");

                PlanPreview leave = admin.client.previewPlan(PlanAction.DECOMMISSION, List.of("n1"));
                assertThat(leave.getMovesSize()).isEqualTo(leave.getLowerBound()).isEqualTo(24);
                assertThat(leave.getMoves()).allMatch(m -> "n1".equals(m.getFromNode()));
                admin.client.executePlan(cluster.adminToken(), PlanAction.DECOMMISSION, List.of("n1"), leave.getPlanId());
                MigrationsView left = awaitPlan(admin, leave.getPlanId(), failure);
                assertMovesDone(left, leave.getPlanId(), leave.getMovesSize());
                Ring afterLeave = cluster.awaitFullChains(Duration.ofSeconds(60));
                assertThat(afterLeave.partitions()).noneMatch(p -> p.involves(NodeId.of("n1")));
                assertBalanced(afterLeave, List.of("n2", "n3", added.value()), 32);
                assertThat(admin.client.status().getNodes()).anyMatch(n -> n.getNode().getId().equals("n1")
                        && n.getNode().getState() == NodeState.REMOVED);
            } finally {
                stop.set(true);
                writer.join(60_000);
            }
            assertThat(failure.get()).as("writer").isNull();
            log.info("{} acknowledged writes to check; retried errors during the moves: {}", acked.size(), errors);
            // a planned drop of a head must not leave a write's outcome unknown (head handoff)
            assertThat(errors).doesNotContainKey("TApplicationException");
            try (RawKv kv = new RawKv(cluster::ring)) {
                for (Map.Entry<String, String> e : new TreeMap<>(acked).entrySet()) {
                    assertThat(readWithRetry(kv, e.getKey())).as(e.getKey()).contains(e.getValue());
                }
            }
        }
    }

    @Test
    void aCancelledJoinLeavesEveryChainValidAndTheNodeNew() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(3).partitions(16).build().start();
             Admin admin = new Admin(cluster.controllerAddress())) {
            cluster.awaitFullChains(Duration.ofSeconds(30));
            // 1 byte/s: a pass takes its first chunk (at least 4 KiB), then waits for hours, so with
            // about 14 KiB per partition every move stays in join until the cancel
            admin.client.setThrottle(cluster.adminToken(), 1);
            String padding = "x".repeat(100);
            try (RawKv kv = new RawKv(cluster::ring)) {
                for (int i = 0; i < 2000; i++) {
                    kv.put("k-" + i, "v-" + i + padding);
                }
            }
            NodeId added = cluster.addDatanode();
            awaitRegistered(admin, added);
            admin.client.executePlan(cluster.adminToken(), PlanAction.ADD, List.of(added.value()), "");
            awaitMovesRunning(admin, new AtomicReference<>());
            assertThat(admin.client.pausePlan(cluster.adminToken()).getState()).isEqualTo(PlanState.PAUSED);
            assertThat(admin.client.resumePlan(cluster.adminToken()).getState()).isEqualTo(PlanState.RUNNING);
            assertThat(admin.client.cancelPlan(cluster.adminToken()).getState()).isEqualTo(PlanState.CANCELLING);
            await("plan cancelled").atMost(PLAN_BOUND).pollInterval(Duration.ofMillis(100))
                    .until(() -> admin.client.migrations().getPlan().getState() == PlanState.CANCELLED);
            admin.client.setThrottle(cluster.adminToken(), 0);
            Ring ring = cluster.awaitFullChains(Duration.ofSeconds(60));
            assertThat(ring.partitions()).noneMatch(p -> p.involves(added));
            assertThat(admin.client.migrations().getRunning()).isEmpty();
            assertThat(admin.client.status().getNodes()).anyMatch(n -> n.getNode().getId().equals(added.value())
                    && n.getNode().getState() == NodeState.NEW);
            try (RawKv kv = new RawKv(cluster::ring)) {
                for (int i = 0; i < 2000; i++) {
                    assertThat(readWithRetry(kv, "k-" + i)).contains("v-" + i + padding);
                }
            }
        }
    }

    private static void assertMovesDone(MigrationsView view, String planId, int planned) {
        List<TMigration> done = view.getRecent().stream()
                .filter(m -> m.getPlanId().equals(planId) && m.getStep().equals("done")).toList();
        assertThat(done).as("moves done by plan " + planId).hasSize(planned);
        assertThat(view.getRunning()).isEmpty();
        assertThat(done).allMatch(m -> m.getStartedMillis() > 0 && m.getFinishedMillis() >= m.getStartedMillis());
    }

    private static void assertBalanced(Ring ring, List<String> nodes, int each) {
        Map<String, Integer> replicas = new TreeMap<>();
        for (Partition p : ring.partitions()) {
            p.chain().members().forEach(m -> replicas.merge(m.value(), 1, Integer::sum));
        }
        for (String n : nodes) {
            assertThat(replicas.getOrDefault(n, 0)).as("replicas of " + n + " in " + replicas).isEqualTo(each);
        }
    }

    private static void awaitRegistered(Admin admin, NodeId id) {
        await(id + " registered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> admin.client.status().getNodes().stream()
                        .anyMatch(n -> n.getNode().getId().equals(id.value()) && n.isLive()));
    }

    /** Until a move runs (or the plan is already over); a failed writer fails the wait at once. */
    private static void awaitMovesRunning(Admin admin, AtomicReference<Throwable> failure) {
        await("a move runs").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            assertThat(failure.get()).as("writer").isNull();
            return !admin.client.migrations().getRunning().isEmpty()
                    || admin.client.migrations().getPlan().getState() != PlanState.RUNNING;
        });
    }

    /** Until the plan is DONE; a plan in any other state than RUNNING, or a failed writer, fails at once. */
    private static MigrationsView awaitPlan(Admin admin, String planId, AtomicReference<Throwable> failure) {
        return await("plan " + planId + " done").atMost(PLAN_BOUND).pollInterval(Duration.ofMillis(200)).until(() -> {
            MigrationsView view = admin.client.migrations();
            TPlan plan = view.getPlan();
            assertThat(plan.getId()).isEqualTo(planId);
            assertThat(plan.getState()).as("running %s", view.getRunning()).isIn(PlanState.RUNNING, PlanState.DONE);
            assertThat(failure.get()).as("writer").isNull();
            return view;
        }, view -> view.getPlan().getState() == PlanState.DONE);
    }

    /** A linearizable read, retried while routing settles (a stale ring or a moving chain). */
    private static Optional<String> readWithRetry(RawKv kv, String key) {
        return await("read " + key).atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(TException.class)
                .until(() -> kv.get(key, -1, ReadLevel.LINEARIZABLE), value -> true);
    }

    private static void write(EmbeddedCluster cluster, Map<String, String> acked, Map<String, Integer> errors,
                              AtomicBoolean stop, AtomicReference<Throwable> failure) {
        try (RawKv kv = new RawKv(cluster::ring)) {
            for (int i = 0; !stop.get(); i++) {
                String key = "w-" + i;
                String value = "value-" + i;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!stop.get()) {
                    try {
                        kv.put(key, value);
                        acked.put(key, value);
                        break;
                    } catch (InvalidRequest e) {
                        throw new AssertionError("put refused as invalid: " + e.getMessage(), e);
                    } catch (TException | RuntimeException e) {
                        errors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("put " + key + " kept failing for 30 s: " + e, e);
                        }
                        Thread.sleep(10); // stale routing or a moving chain: retry on the fresh ring
                    }
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /** The controller-admin service over plain Thrift (the smart client cannot be used in this module). */
    private static final class Admin implements AutoCloseable {
        private final TFramedTransport transport;
        private final ControllerAdminService.Client client;

        Admin(String address) throws TException {
            String[] hp = address.split(":");
            transport = new TFramedTransport(new TSocket(hp[0], Integer.parseInt(hp[1]), 10_000));
            transport.open();
            client = new ControllerAdminService.Client(new TMultiplexedProtocol(new TBinaryProtocol(transport),
                    "controller-admin"));
        }

        @Override
        public void close() {
            transport.close();
        }
    }
}
