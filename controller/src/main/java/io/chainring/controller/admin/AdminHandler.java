package io.chainring.controller.admin;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.controller.state.ClusterStateReader;
import io.chainring.metadata.ClusterConfig;
import io.chainring.metadata.VersionedRing;
import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import io.chainring.thrift.ClusterStatus;
import io.chainring.thrift.ControllerAdminService;
import io.chainring.thrift.TRing;
import io.chainring.controller.migration.MigrationCodec;
import io.chainring.controller.migration.PlanRecord;
import io.chainring.controller.migration.PlanRefusedException;
import io.chainring.controller.migration.RebalanceService;
import io.chainring.ring.NodeId;
import io.chainring.thrift.Conflict;
import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.InvalidRequest;
import io.chainring.thrift.MigrationsView;
import io.chainring.thrift.NotFound;
import io.chainring.thrift.PlanAction;
import io.chainring.thrift.PlanPreview;
import io.chainring.thrift.TPlan;
import io.chainring.thrift.Unauthorized;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.thrift.TApplicationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code controller-admin} service. Reads are answered from ZooKeeper, so any controller,
 * leader or not, answers them; so are the rebalancing calls ({@link RebalanceService}), whose
 * changes are compare-and-set writes the leader carries out. Changes need the admin token. An unexpected failure is logged and becomes a
 * Thrift application error carrying the reason; the connection and the server stay up.
 */
public final class AdminHandler implements ControllerAdminService.Iface {
    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

    private final String cluster;
    private final ClusterConfig shape;
    private final ClusterStateReader reader;
    private final Supplier<Optional<String>> leaderAddress;
    private final RebalanceService rebalance; // null: read-only admin (tests of status alone)
    private final AdminGate token;

    public AdminHandler(String cluster, ClusterConfig shape, ClusterStateReader reader,
                        Supplier<Optional<String>> leaderAddress) {
        this(cluster, shape, reader, leaderAddress, null, AdminGate.none());
    }

    public AdminHandler(String cluster, ClusterConfig shape, ClusterStateReader reader,
                        Supplier<Optional<String>> leaderAddress, RebalanceService rebalance, AdminGate token) {
        this.cluster = cluster;
        this.shape = shape;
        this.reader = reader;
        this.leaderAddress = leaderAddress;
        this.rebalance = rebalance;
        this.token = token;
    }

    @Override
    public ClusterStatus status() throws TApplicationException {
        try {
            ClusterSnapshot state = reader.read();
            return StatusView.of(ringOrEmpty(state.ring()), state, leaderAddress.get().orElse(""));
        } catch (RuntimeException e) {
            throw internal("status", e);
        }
    }

    @Override
    public TRing ring() throws TApplicationException {
        try {
            return RingCodec.toThrift(ringOrEmpty(reader.readRing()));
        } catch (RuntimeException e) {
            throw internal("ring", e);
        }
    }

    @Override
    public PlanPreview previewPlan(PlanAction action, List<String> nodes)
            throws InvalidRequest, NotFound, Conflict, TApplicationException {
        requireRebalancing();
        try {
            return AdminViews.preview(rebalance.preview(known(action), nodeIds(nodes)));
        } catch (PlanRefusedException e) {
            throw refusal(e);
        } catch (RuntimeException e) {
            throw internal("previewPlan", e);
        }
    }

    @Override
    public TPlan executePlan(String adminToken, PlanAction action, List<String> nodes, String planId)
            throws InvalidRequest, NotFound, Conflict, Unauthorized, TApplicationException {
        requireRebalancing();
        token.check(adminToken, "executePlan");
        try {
            return MigrationCodec.toThrift(rebalance.execute(known(action), nodeIds(nodes), planId));
        } catch (PlanRefusedException e) {
            throw refusal(e);
        } catch (RuntimeException e) {
            throw internal("executePlan", e);
        }
    }

    @Override
    public TPlan cancelPlan(String adminToken) throws Conflict, Unauthorized, TApplicationException {
        return steer(adminToken, "cancelPlan", rebalance == null ? null : rebalance::cancel);
    }

    @Override
    public TPlan pausePlan(String adminToken) throws Conflict, Unauthorized, TApplicationException {
        return steer(adminToken, "pausePlan", rebalance == null ? null : rebalance::pause);
    }

    @Override
    public TPlan resumePlan(String adminToken) throws Conflict, Unauthorized, TApplicationException {
        return steer(adminToken, "resumePlan", rebalance == null ? null : rebalance::resume);
    }

    private interface PlanChange {
        PlanRecord apply() throws PlanRefusedException;
    }

    private TPlan steer(String adminToken, String call, PlanChange change)
            throws Conflict, Unauthorized, TApplicationException {
        requireRebalancing();
        token.check(adminToken, call);
        try {
            return MigrationCodec.toThrift(change.apply());
        } catch (PlanRefusedException e) {
            throw new Conflict(ErrorCode.CONFLICT, e.getMessage());
        } catch (RuntimeException e) {
            throw internal(call, e);
        }
    }

    @Override
    public MigrationsView migrations() throws TApplicationException {
        requireRebalancing();
        try {
            return AdminViews.migrations(rebalance.migrations());
        } catch (RuntimeException e) {
            throw internal("migrations", e);
        }
    }

    @Override
    public long setThrottle(String adminToken, long bytesPerSecond)
            throws InvalidRequest, Unauthorized, TApplicationException {
        requireRebalancing();
        token.check(adminToken, "setThrottle");
        if (bytesPerSecond < 0) {
            throw new InvalidRequest(ErrorCode.INVALID_REQUEST,
                    "throttle must be 0 (unlimited) or a positive number of bytes/s: " + bytesPerSecond);
        }
        try {
            return rebalance.setThrottle(bytesPerSecond);
        } catch (RuntimeException e) {
            throw internal("setThrottle", e);
        }
    }

    private void requireRebalancing() throws TApplicationException {
        if (rebalance == null) {
            throw new TApplicationException(TApplicationException.UNKNOWN_METHOD,
                    "this controller was started without rebalancing");
        }
    }

    /** An enum value this build does not know arrives as null (found by FrameFuzzIT: it was an NPE, logged as a bug). */
    private static PlanAction known(PlanAction action) throws InvalidRequest {
        if (action == null) {
            throw new InvalidRequest(ErrorCode.INVALID_REQUEST, "unknown or missing plan action");
        }
        return action;
    }

    private static List<NodeId> nodeIds(List<String> nodes) throws InvalidRequest {
        if (nodes == null || nodes.isEmpty()) {
            throw new InvalidRequest(ErrorCode.INVALID_REQUEST, "name at least one node");
        }
        List<NodeId> out = new java.util.ArrayList<>();
        for (String n : nodes) {
            try {
                out.add(new NodeId(n));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequest(ErrorCode.INVALID_REQUEST, e.getMessage());
            }
        }
        return out;
    }

    /** Throws the refusal as the admin API's exception; declared to return one so callers can {@code throw}. */
    private static RuntimeException refusal(PlanRefusedException e) throws InvalidRequest, NotFound, Conflict {
        switch (e.reason()) {
            case INVALID -> throw new InvalidRequest(ErrorCode.INVALID_REQUEST, e.getMessage());
            case NOT_FOUND -> throw new NotFound(ErrorCode.NOT_FOUND, e.getMessage());
            default -> throw new Conflict(ErrorCode.CONFLICT, e.getMessage());
        }
    }

    private Ring ringOrEmpty(Optional<VersionedRing> read) {
        return read.map(VersionedRing::ring)
                .orElseGet(() -> Ring.empty(cluster, shape.partitionCount(), shape.replication()));
    }

    private static TApplicationException internal(String call, RuntimeException e) {
        log.error("admin call {}() failed", call, e);
        return new TApplicationException(TApplicationException.INTERNAL_ERROR, call + "() failed: " + messageOf(e));
    }

    private static String messageOf(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(": ").append(c.getMessage());
        }
        return sb.toString();
    }
}
