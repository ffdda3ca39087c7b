package io.chainring.adminui.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The actions as they stand today: the controller has no admin call to add, decommission or
 * remove a node, nor migration records (they arrive with partition migration, DESIGN §7). Every
 * action is refused with that reason, so the UI can show it and the API can answer 501, instead
 * of pretending.
 */
public final class UnavailableClusterActions implements ClusterActions {
    static final String NODE_REASON = "the controller has no admin calls for node changes yet; they need partition "
            + "migration (DESIGN §7), which this version does not build";
    static final String MIGRATION_REASON = "the controller does not run or record migrations yet (partition "
            + "migration, DESIGN §7, is not built in this version)";

    @Override
    public List<Availability> availability() {
        List<Availability> out = new ArrayList<>();
        for (NodeAction a : NodeAction.values()) {
            out.add(new Availability(a.path(), false, NODE_REASON));
        }
        for (String verb : List.of("migrations", "throttle", "pause", "resume", "cancel")) {
            out.add(new Availability(verb, false, MIGRATION_REASON));
        }
        return out;
    }

    @Override
    public Plan preview(NodeAction action, String nodeId) throws ActionUnavailableException {
        throw new ActionUnavailableException("cannot " + action.path() + " " + nodeId + ": " + NODE_REASON);
    }

    @Override
    public String execute(NodeAction action, String nodeId, String planId) throws ActionUnavailableException {
        throw new ActionUnavailableException("cannot " + action.path() + " " + nodeId + ": " + NODE_REASON);
    }

    @Override
    public Migrations migrations() throws ActionUnavailableException {
        throw new ActionUnavailableException(MIGRATION_REASON);
    }

    @Override
    public String setThrottle(long bytesPerSecond) throws ActionUnavailableException {
        throw new ActionUnavailableException(MIGRATION_REASON);
    }

    @Override
    public String steerMigration(String migrationId, String verb) throws ActionUnavailableException {
        throw new ActionUnavailableException(MIGRATION_REASON);
    }
}
