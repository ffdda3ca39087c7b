package io.chainring.client.internal;

import io.chainring.client.ClusterStatus;
import io.chainring.client.Migrations;
import io.chainring.client.NodeStatus;
import io.chainring.client.PlanAction;
import io.chainring.client.PlanInfo;
import io.chainring.client.PlanPreview;
import io.chainring.client.ReplicationStatus;
import io.chainring.client.RingSnapshot;
import io.chainring.ring.HostPort;
import io.chainring.thrift.ClusterInfo;
import io.chainring.thrift.ControllerAdminService;
import io.chainring.thrift.NodeStats;
import io.chainring.thrift.PartitionStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.thrift.TException;

/**
 * Finds the controller leader through any seed's {@code node-admin.clusterInfo()} and calls its
 * {@code controller-admin} service; follows {@code NotLeader} redirects and re-discovers the
 * leader when it stops answering. Calls run on the caller's thread.
 */
public final class AdminCore implements AutoCloseable {
    /** A call on the controller's admin service. */
    @FunctionalInterface
    interface AdminCall<T> {
        T call(ControllerAdminService.Client admin) throws TException;
    }

    private final List<HostPort> seeds;
    private final Duration timeout;
    private final ConnectionPool pool;
    private final NodeCaller nodes;
    private final RetryPolicy retry;
    private final AtomicReference<HostPort> controller = new AtomicReference<>();

    public AdminCore(ClientConfig config) {
        this.seeds = config.seeds();
        this.timeout = config.timeout();
        this.pool = new ConnectionPool(2, config.maxFrameSize(), config.addressTranslator());
        this.nodes = new NodeCaller(pool, config.connectTimeout());
        this.retry = RetryPolicy.withDefaults(config.maxRetries());
    }

    public ClusterStatus status() {
        return AdminConverters.status(call("status", ControllerAdminService.Client::status));
    }

    public RingSnapshot ring() {
        return AdminConverters.ring(call("ring", ControllerAdminService.Client::ring));
    }

    public PlanPreview previewPlan(PlanAction action, List<String> nodes) {
        io.chainring.thrift.PlanAction a = PlanConverters.action(action);
        return PlanConverters.preview(call("plan preview", true, c -> c.previewPlan(a, nodes)));
    }

    /** Not repeated after an unknown outcome: a second start would find the first running (Conflict). */
    public PlanInfo executePlan(String token, PlanAction action, List<String> nodes, String planId) {
        io.chainring.thrift.PlanAction a = PlanConverters.action(action);
        return PlanConverters.plan(call("plan execution", false, c -> c.executePlan(token, a, nodes, planId)));
    }

    public PlanInfo cancelPlan(String token) {
        return PlanConverters.plan(call("plan cancel", false, c -> c.cancelPlan(token)));
    }

    public PlanInfo pausePlan(String token) {
        return PlanConverters.plan(call("plan pause", false, c -> c.pausePlan(token)));
    }

    public PlanInfo resumePlan(String token) {
        return PlanConverters.plan(call("plan resume", false, c -> c.resumePlan(token)));
    }

    public Migrations migrations() {
        return PlanConverters.migrations(call("migrations", ControllerAdminService.Client::migrations));
    }

    /** Setting the same value twice is harmless, so this one is repeated like a read. */
    public long setThrottle(String token, long bytesPerSecond) {
        return call("throttle", true, c -> c.setThrottle(token, bytesPerSecond));
    }

    /**
     * Every registered node's replication figures from its {@code node-admin.stats()}; a node
     * that does not answer within the deadline is reported unreachable.
     */
    public List<ReplicationStatus> replication() {
        ClusterStatus status = status();
        Deadline deadline = Deadline.after(timeout);
        List<ReplicationStatus> out = new ArrayList<>();
        for (NodeStatus n : status.nodes()) {
            HostPort address;
            try {
                address = HostPort.parse(n.address());
            } catch (IllegalArgumentException e) {
                out.add(new ReplicationStatus(n.id(), n.address(), false, 0, false, List.of()));
                continue;
            }
            Attempt<NodeStats> a = n.live()
                    ? nodes.call("stats", address, deadline, c -> c.nodeAdmin().stats())
                    : null;
            if (a == null || !a.ok()) {
                out.add(new ReplicationStatus(n.id(), n.address(), false, 0, false, List.of()));
                continue;
            }
            NodeStats s = a.value();
            List<ReplicationStatus.Partition> parts = new ArrayList<>();
            for (PartitionStats p : s.getPartitions()) {
                parts.add(new ReplicationStatus.Partition(p.getPartition(), p.isSetRole() ? p.getRole() : "NONE",
                        p.getLastLsn(), p.getCommittedLsn(), p.isSetAppliedLsn() ? p.getAppliedLsn() : p.getLastLsn(),
                        p.getInFlight(), p.getOldestInFlightMillis(), p.isSetCaughtUp() && p.isCaughtUp()));
            }
            out.add(new ReplicationStatus(n.id(), n.address(), true, s.getRingEpoch(), s.isServing(), parts));
        }
        return out;
    }

    /** The controller address last used, if one was found. */
    public HostPort controller() {
        return controller.get();
    }

    private <T> T call(String what, AdminCall<T> call) {
        return call(what, true, call);
    }

    /**
     * @param repeatable whether an attempt whose outcome is unknown (the connection broke after
     *                   sending) may be repeated; refusals and connect failures are always retried
     *                   as the policy allows, since nothing was applied
     */
    private <T> T call(String what, boolean repeatable, AdminCall<T> call) {
        Deadline deadline = Deadline.after(timeout);
        CallState st = new CallState("admin " + what, deadline, retry);
        while (true) {
            HostPort target = controller.get();
            if (target == null) {
                target = locate(deadline, st);
            }
            boolean learned = false;
            if (target != null) {
                HostPort t = target;
                Attempt<T> a = nodes.call("admin-" + what, t, deadline, c -> call.call(c.controllerAdmin()));
                if (a.ok()) {
                    controller.compareAndSet(null, t);
                    return a.value();
                }
                Failure f = a.failure();
                st.record("controller " + t, f);
                if (f.kind() == Failure.Kind.TIMEOUT) {
                    throw st.timeout();
                }
                if (!f.retryable() || (!repeatable && f.outcomeUnknown())) {
                    throw st.fail();
                }
                learned = follow(t, f);
            }
            if (!st.nextAttempt(!learned)) {
                throw st.fail();
            }
        }
    }

    /** After a failure at {@code target}: go where a NotLeader points, or forget the controller. */
    private boolean follow(HostPort target, Failure f) {
        if (f.kind() == Failure.Kind.NOT_LEADER && f.redirect() != null && !f.redirect().isBlank()) {
            try {
                HostPort leader = HostPort.parse(f.redirect());
                controller.set(leader);
                return !leader.equals(target);
            } catch (IllegalArgumentException e) {
                controller.set(null);
                return false;
            }
        }
        controller.set(null);
        return false;
    }

    /** Asks the seeds, in random order, where the controller is; records why each failed. */
    private HostPort locate(Deadline deadline, CallState st) {
        List<HostPort> order = new ArrayList<>(seeds);
        Collections.shuffle(order);
        for (HostPort seed : order) {
            Attempt<ClusterInfo> a = nodes.call("clusterInfo", seed, deadline, c -> c.nodeAdmin().clusterInfo());
            if (a.ok()) {
                if (a.value().isSetControllerAddress() && !a.value().getControllerAddress().isBlank()) {
                    try {
                        HostPort found = HostPort.parse(a.value().getControllerAddress());
                        controller.set(found);
                        return found;
                    } catch (IllegalArgumentException e) {
                        st.record("seed " + seed, Failure.refusal(Failure.Kind.UNAVAILABLE,
                                "bad controller address '" + a.value().getControllerAddress() + "'"));
                        continue;
                    }
                }
                st.record("seed " + seed, Failure.refusal(Failure.Kind.UNAVAILABLE, "knows no controller leader"));
            } else {
                st.record("seed " + seed, a.failure());
                if (a.failure().kind() == Failure.Kind.TIMEOUT) {
                    throw st.timeout();
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        pool.close();
    }
}
