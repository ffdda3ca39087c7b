package io.chainring.client.internal;

import io.chainring.client.Migration;
import io.chainring.client.Migrations;
import io.chainring.client.PlanAction;
import io.chainring.client.PlanInfo;
import io.chainring.client.PlanPreview;
import io.chainring.thrift.MigrationsView;
import io.chainring.thrift.NodeBalance;
import io.chainring.thrift.PlannedMove;
import io.chainring.thrift.TMigration;
import io.chainring.thrift.TPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Thrift rebalancing answers (DESIGN §7) to the client's public records, and back for the action. */
public final class PlanConverters {
    private PlanConverters() {
    }

    public static io.chainring.thrift.PlanAction action(PlanAction a) {
        return switch (a) {
            case ADD -> io.chainring.thrift.PlanAction.ADD;
            case DECOMMISSION -> io.chainring.thrift.PlanAction.DECOMMISSION;
            case REMOVE -> io.chainring.thrift.PlanAction.REMOVE;
        };
    }

    static PlanAction action(io.chainring.thrift.PlanAction a) {
        if (a == null) {
            throw new IllegalStateException("the controller sent a plan without an action");
        }
        return switch (a) {
            case ADD -> PlanAction.ADD;
            case DECOMMISSION -> PlanAction.DECOMMISSION;
            case REMOVE -> PlanAction.REMOVE;
        };
    }

    public static PlanPreview preview(io.chainring.thrift.PlanPreview t) {
        List<PlanPreview.Move> moves = t.getMoves().stream().map(PlanConverters::move).toList();
        List<PlanPreview.Balance> balance = t.getBalance().stream().map(PlanConverters::balance).toList();
        return new PlanPreview(t.getPlanId(), action(t.getAction()), t.getNodes(), t.getRingEpoch(), moves,
                t.getEstimatedKeys(), t.getEstimatedBytes(), balance, t.getLowerBound());
    }

    public static PlanInfo plan(TPlan t) {
        return new PlanInfo(t.getId(), action(t.getAction()), t.getNodes(),
                t.getState() == null ? "UNKNOWN" : t.getState().name(), t.getMovesPlanned(),
                Instant.ofEpochMilli(t.getCreatedMillis()),
                t.isSetFinishedMillis() ? Optional.of(Instant.ofEpochMilli(t.getFinishedMillis())) : Optional.empty(),
                text(t.isSetNote() ? t.getNote() : null), t.isSetEstimatedBytes() ? t.getEstimatedBytes() : 0);
    }

    public static Migrations migrations(MigrationsView t) {
        return new Migrations(t.getRunning().stream().map(PlanConverters::migration).toList(),
                t.getRecent().stream().map(PlanConverters::migration).toList(),
                t.isSetPlan() ? Optional.of(plan(t.getPlan())) : Optional.empty(),
                t.getThrottleBytesPerSecond(), t.getMaxMovesPerNode(), t.isSetRepairBytesPerSecond()
                        ? new Migrations.Repair(t.getRepairBytesPerSecond(), t.getChainsBelowR(), t.getRepairsCopying())
                        : Migrations.Repair.UNKNOWN);
    }

    static Migration migration(TMigration t) {
        return new Migration(t.getId(), t.getPlanId(), t.getPartition(), text(t.isSetFromNode() ? t.getFromNode() : null),
                text(t.isSetToNode() ? t.getToNode() : null), t.getStep(), t.getKeysCopied(), t.getBytesCopied(),
                t.getKeysTotal(), t.getBytesTotal(), Instant.ofEpochMilli(t.getStartedMillis()),
                Instant.ofEpochMilli(t.getUpdatedMillis()),
                t.isSetFinishedMillis() ? Optional.of(Instant.ofEpochMilli(t.getFinishedMillis())) : Optional.empty(),
                t.isSetBytesPerSecond() ? t.getBytesPerSecond() : 0.0,
                t.isSetEtaSeconds() && t.getEtaSeconds() >= 0 ? Optional.of(Duration.ofSeconds(t.getEtaSeconds())) : Optional.empty(),
                text(t.isSetNote() ? t.getNote() : null));
    }

    private static PlanPreview.Move move(PlannedMove m) {
        return new PlanPreview.Move(m.getPartition(), text(m.isSetFromNode() ? m.getFromNode() : null),
                text(m.isSetToNode() ? m.getToNode() : null), m.getEstimatedKeys(), m.getEstimatedBytes());
    }

    private static PlanPreview.Balance balance(NodeBalance b) {
        return new PlanPreview.Balance(b.getNode(), b.getReplicasBefore(), b.getHeadsBefore(), b.getTailsBefore(),
                b.getReplicasAfter(), b.getHeadsAfter(), b.getTailsAfter());
    }

    /** An optional string field: unset or blank reads as absent. */
    private static Optional<String> text(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
