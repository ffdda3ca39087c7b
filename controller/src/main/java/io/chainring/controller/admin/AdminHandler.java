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
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.thrift.TApplicationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code controller-admin} service. Its calls are read-only and answered from ZooKeeper, so
 * any controller, leader or not, answers them. An unexpected failure is logged and becomes a
 * Thrift application error carrying the reason; the connection and the server stay up.
 */
public final class AdminHandler implements ControllerAdminService.Iface {
    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

    private final String cluster;
    private final ClusterConfig shape;
    private final ClusterStateReader reader;
    private final Supplier<Optional<String>> leaderAddress;

    public AdminHandler(String cluster, ClusterConfig shape, ClusterStateReader reader,
                        Supplier<Optional<String>> leaderAddress) {
        this.cluster = cluster;
        this.shape = shape;
        this.reader = reader;
        this.leaderAddress = leaderAddress;
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

    // TODO(issue 4): rebalancing calls, implemented with the migration executor
    @Override
    public io.chainring.thrift.PlanPreview previewPlan(io.chainring.thrift.PlanAction action, java.util.List<String> nodes)
            throws TApplicationException {
        throw notYet("previewPlan");
    }

    @Override
    public io.chainring.thrift.TPlan executePlan(String adminToken, io.chainring.thrift.PlanAction action,
                                                 java.util.List<String> nodes, String planId) throws TApplicationException {
        throw notYet("executePlan");
    }

    @Override
    public io.chainring.thrift.TPlan cancelPlan(String adminToken) throws TApplicationException {
        throw notYet("cancelPlan");
    }

    @Override
    public io.chainring.thrift.TPlan pausePlan(String adminToken) throws TApplicationException {
        throw notYet("pausePlan");
    }

    @Override
    public io.chainring.thrift.TPlan resumePlan(String adminToken) throws TApplicationException {
        throw notYet("resumePlan");
    }

    @Override
    public io.chainring.thrift.MigrationsView migrations() throws TApplicationException {
        throw notYet("migrations");
    }

    @Override
    public long setThrottle(String adminToken, long bytesPerSecond) throws TApplicationException {
        throw notYet("setThrottle");
    }

    private static TApplicationException notYet(String call) {
        return new TApplicationException(TApplicationException.UNKNOWN_METHOD, call + " is not implemented yet");
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
