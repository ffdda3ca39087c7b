package io.chainring.adminui.cluster;

import io.chainring.client.AdminClient;
import io.chainring.client.ConflictException;
import io.chainring.client.InvalidRequestException;
import io.chainring.client.NotFoundException;
import io.chainring.client.PlanAction;
import io.chainring.client.PlanInfo;
import io.chainring.client.PlanPreview;
import io.chainring.client.UnauthorizedException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The operator's actions over the controller's admin calls, through the smart client's
 * {@link AdminClient}. State-changing calls carry the UI's admin token, which must be the
 * controller's: the UI checks the operator's token itself, and the controller checks the UI's.
 *
 * <p>The smart client's {@code Migration} and {@code Migrations} are named in full here: this
 * class implements {@link ClusterActions}, whose own records of those names are in scope.
 *
 * <p>Previews are remembered (the last {@value #REMEMBERED_PREVIEWS}) so that a confirmation
 * executes exactly the previewed plan and the event log knows the ring epoch it started from.
 */
public final class AdminClientActions implements ClusterActions {
    static final int REMEMBERED_PREVIEWS = 32;

    private final AdminClient admin;
    private final String adminToken;
    private final Map<String, PlanPreview> previews = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PlanPreview> eldest) {
            return size() > REMEMBERED_PREVIEWS;
        }
    };

    /**
     * @param admin      the admin client (the caller's: it is not closed here)
     * @param adminToken the controller's admin token
     */
    public AdminClientActions(AdminClient admin, String adminToken) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
    }

    @Override
    public List<Availability> availability() {
        // whether a given node can be added, a plan paused, ... depends on the cluster of the moment; the
        // pages offer what fits the node's state and the plan's, and the controller has the last word
        return List.of(new Availability("add", true, ""), new Availability("decommission", true, ""),
                new Availability("remove", true, ""), new Availability("migrations", true, ""),
                new Availability("throttle", true, ""), new Availability("pause", true, ""),
                new Availability("resume", true, ""), new Availability("cancel", true, ""));
    }

    @Override
    public Plan preview(NodeAction action, String nodeId) {
        PlanPreview p = call("preview " + action.path() + " " + nodeId,
                () -> admin.previewPlan(PlanAction.valueOf(action.name()), List.of(nodeId)));
        synchronized (previews) {
            previews.put(p.planId(), p);
        }
        return new Plan(p.planId(), action.path(), nodeId, p.ringEpoch(),
                p.moves().stream().map(m -> new Move(m.partition(), m.from().orElse(null), m.to().orElse(null),
                        m.estimatedKeys(), m.estimatedBytes())).toList(),
                p.estimatedKeys(), p.estimatedBytes(),
                p.balance().stream().map(b -> new Balance(b.node(), b.replicasBefore(), b.headsBefore(), b.tailsBefore(),
                        b.replicasAfter(), b.headsAfter(), b.tailsAfter())).toList(),
                p.lowerBound());
    }

    @Override
    public PlanStatus execute(NodeAction action, String nodeId, String planId) {
        PlanPreview p;
        synchronized (previews) {
            p = previews.get(planId);
        }
        if (p != null && (p.action() != PlanAction.valueOf(action.name()) || !p.nodes().equals(List.of(nodeId)))) {
            throw new ActionRefusedException(ActionRefusedException.Reason.INVALID, "plan " + planId + " is a preview of "
                    + p.action().name().toLowerCase(java.util.Locale.ROOT) + " " + String.join(", ", p.nodes())
                    + ", not of " + action.path() + " " + nodeId, null);
        }
        PlanInfo started = call(action.path() + " " + nodeId,
                () -> admin.executePlan(adminToken, PlanAction.valueOf(action.name()), List.of(nodeId), planId));
        return status(started);
    }

    @Override
    public ClusterActions.Migrations migrations() {
        io.chainring.client.Migrations m = call("read migrations", admin::migrations);
        return new ClusterActions.Migrations(m.running().stream().map(AdminClientActions::migration).toList(),
                m.recent().stream().map(AdminClientActions::migration).toList(),
                m.plan().map(this::status).orElse(null), m.throttleBytesPerSecond(), m.maxMovesPerNode(),
                new ClusterActions.Repair(m.repair().bytesPerSecond(), m.repair().chainsBelowR(), m.repair().copying()));
    }

    @Override
    public long setThrottle(long bytesPerSecond) {
        return call("set the throttle", () -> admin.setThrottle(adminToken, bytesPerSecond));
    }

    @Override
    public PlanStatus steerPlan(PlanVerb verb) {
        PlanInfo p = call(verb.path() + " the plan", () -> switch (verb) {
            case PAUSE -> admin.pausePlan(adminToken);
            case RESUME -> admin.resumePlan(adminToken);
            case CANCEL -> admin.cancelPlan(adminToken);
        });
        return status(p);
    }

    /** The plan as the pages show it; its start epoch is known when it was previewed here. */
    PlanStatus status(PlanInfo p) {
        PlanPreview preview;
        synchronized (previews) {
            preview = previews.get(p.id());
        }
        return new PlanStatus(p.id(), p.action().name().toLowerCase(java.util.Locale.ROOT), p.nodes(), p.state(),
                p.movesPlanned(), preview == null ? 0 : preview.ringEpoch(), p.createdAt().toEpochMilli(),
                p.finishedAt().map(Instant::toEpochMilli).orElse(null), p.note().orElse(null),
                p.estimatedBytes() > 0 ? p.estimatedBytes() : null);
    }

    /** A move, with the rate and ETA measured here when the controller leaves them out. */
    static ClusterActions.Migration migration(io.chainring.client.Migration m) {
        long started = m.startedAt().toEpochMilli();
        long updated = m.updatedAt().toEpochMilli();
        boolean copying = !m.finished() && m.bytesCopied() < m.bytesTotal();
        double rate = m.bytesPerSecond() > 0 ? m.bytesPerSecond()
                : copying ? Progress.averageRate(m.bytesCopied(), started, updated) : 0;
        long eta = m.eta().map(Duration::toSeconds)
                .orElseGet(() -> copying ? Progress.etaSeconds(m.bytesCopied(), m.bytesTotal(), rate) : -1L);
        return new ClusterActions.Migration(m.id(), m.planId(), m.partition(), m.from().orElse(null),
                m.to().orElse(null), m.step(), m.keysCopied(), m.bytesCopied(), m.keysTotal(), m.bytesTotal(), rate,
                m.finished() ? -1 : eta, started, updated, m.finishedAt().map(Instant::toEpochMilli).orElse(null),
                m.note().orElse(null));
    }

    /** Runs a controller call, turning its refusals into what the operator should read. */
    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (ConflictException e) {
            throw new ActionRefusedException(ActionRefusedException.Reason.CONFLICT, "cannot " + what + ": "
                    + e.getMessage(), e);
        } catch (NotFoundException e) {
            throw new ActionRefusedException(ActionRefusedException.Reason.NOT_FOUND, "cannot " + what + ": "
                    + e.getMessage(), e);
        } catch (InvalidRequestException e) {
            throw new ActionRefusedException(ActionRefusedException.Reason.INVALID, "cannot " + what + ": "
                    + e.getMessage(), e);
        } catch (UnauthorizedException e) {
            throw new ActionRefusedException(ActionRefusedException.Reason.CONTROLLER_REFUSED_TOKEN, "cannot " + what
                    + ": the controller refused this UI's admin token (start the UI with the controller's token): "
                    + e.getMessage(), e);
        }
    }
}
