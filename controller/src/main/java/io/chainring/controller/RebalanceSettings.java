package io.chainring.controller;

import io.chainring.controller.migration.MigrationExecutor;
import io.chainring.observability.AdminToken;
import java.util.Objects;
import java.util.Optional;

/**
 * A controller's rebalancing settings (DESIGN §7).
 *
 * @param adminToken      the token every state-changing admin call must carry; without one the
 *                        controller refuses changes
 * @param autoAdd         whether NEW nodes registering after the first ring are added by a plan of
 *                        the controller's own
 * @param maxMovesPerNode running partition moves per node at most
 */
public record RebalanceSettings(Optional<String> adminToken, boolean autoAdd, int maxMovesPerNode) {
    public RebalanceSettings {
        Objects.requireNonNull(adminToken, "adminToken");
        adminToken.ifPresent(AdminToken::of); // validates with a clear message
        if (maxMovesPerNode < 1) {
            throw new IllegalArgumentException("max moves per node must be at least 1: " + maxMovesPerNode);
        }
    }

    public static RebalanceSettings defaults() {
        return new RebalanceSettings(Optional.empty(), false, MigrationExecutor.DEFAULT_MAX_MOVES_PER_NODE);
    }

    /** Never prints the token: configs are logged at start. */
    @Override
    public String toString() {
        return "RebalanceSettings[adminToken=" + (adminToken.isPresent() ? "set" : "none") + ", autoAdd=" + autoAdd
                + ", maxMovesPerNode=" + maxMovesPerNode + "]";
    }
}
