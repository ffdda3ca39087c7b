package io.chainring.adminui.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Actions refused, each with one reason: for a UI in front of a cluster that cannot change (and
 * for tests of how the pages show that). The API answers 501 with the reason and the pages show
 * the buttons disabled with it.
 */
public final class UnavailableClusterActions implements ClusterActions {
    private final String reason;

    /** @param reason why nothing can be done, for the operator */
    public UnavailableClusterActions(String reason) {
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    @Override
    public List<Availability> availability() {
        List<Availability> out = new ArrayList<>();
        for (NodeAction a : NodeAction.values()) {
            out.add(new Availability(a.path(), false, reason));
        }
        out.add(new Availability("migrations", false, reason));
        out.add(new Availability("throttle", false, reason));
        for (PlanVerb v : PlanVerb.values()) {
            out.add(new Availability(v.path(), false, reason));
        }
        return out;
    }

    @Override
    public Plan preview(NodeAction action, String nodeId) throws ActionUnavailableException {
        throw new ActionUnavailableException("cannot " + action.path() + " " + nodeId + ": " + reason);
    }

    @Override
    public PlanStatus execute(NodeAction action, String nodeId, String planId) throws ActionUnavailableException {
        throw new ActionUnavailableException("cannot " + action.path() + " " + nodeId + ": " + reason);
    }

    @Override
    public Migrations migrations() throws ActionUnavailableException {
        throw new ActionUnavailableException(reason);
    }

    @Override
    public long setThrottle(long bytesPerSecond) throws ActionUnavailableException {
        throw new ActionUnavailableException(reason);
    }

    @Override
    public PlanStatus steerPlan(PlanVerb verb) throws ActionUnavailableException {
        throw new ActionUnavailableException("cannot " + verb.path() + " the plan: " + reason);
    }
}
