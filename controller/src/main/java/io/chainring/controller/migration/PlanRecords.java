package io.chainring.controller.migration;

import io.chainring.thrift.PlanState;
import java.time.Instant;
import java.util.Optional;

/** Turns a previewed plan into the plan record that starts it. */
public final class PlanRecords {
    private PlanRecords() {
    }

    public static PlanRecord started(PlanPreview preview, Instant now) {
        return new PlanRecord(preview.id(), preview.action(), preview.nodes(), PlanState.RUNNING, preview.target(),
                preview.ringEpoch(), preview.moves().size(), now, Optional.empty(), Optional.empty(),
                preview.estimatedBytes());
    }
}
