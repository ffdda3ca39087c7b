package io.chainring.controller.admin;

import io.chainring.controller.migration.MigrationCodec;
import io.chainring.controller.migration.MoveRecord;
import io.chainring.controller.migration.PlanPreview;
import io.chainring.controller.migration.RebalanceService;
import io.chainring.ring.NodeId;
import io.chainring.ring.plan.Move;
import io.chainring.ring.plan.PlanSummary;
import io.chainring.thrift.MigrationsView;
import io.chainring.thrift.NodeBalance;
import io.chainring.thrift.PlannedMove;
import io.chainring.thrift.TMigration;
import java.util.ArrayList;
import java.util.List;

/** Turns rebalancing values into the admin API's Thrift structs. */
final class AdminViews {
    private AdminViews() {
    }

    static io.chainring.thrift.PlanPreview preview(PlanPreview p) {
        List<PlannedMove> moves = new ArrayList<>();
        for (int i = 0; i < p.moves().size(); i++) {
            Move m = p.moves().get(i);
            long[] est = p.estimates().get(i);
            PlannedMove t = new PlannedMove(m.partition(), est[0], est[1]);
            m.from().ifPresent(n -> t.setFromNode(n.value()));
            m.to().ifPresent(n -> t.setToNode(n.value()));
            moves.add(t);
        }
        List<NodeBalance> balance = new ArrayList<>();
        PlanSummary s = p.summary();
        for (NodeId id : s.before().keySet()) {
            PlanSummary.RoleCounts b = s.before().get(id);
            PlanSummary.RoleCounts a = s.after().getOrDefault(id, PlanSummary.RoleCounts.NONE);
            balance.add(new NodeBalance(id.value(), b.replicas(), b.heads(), b.tails(), a.replicas(), a.heads(), a.tails()));
        }
        return new io.chainring.thrift.PlanPreview(p.id(), p.action(), p.nodes().stream().map(NodeId::value).toList(),
                p.ringEpoch(), moves, p.estimatedKeys(), p.estimatedBytes(), balance, p.lowerBound());
    }

    static MigrationsView migrations(RebalanceService.View v) {
        MigrationsView out = new MigrationsView(thrift(v.running()), thrift(v.recent()), v.throttleBytesPerSecond(),
                v.maxMovesPerNode());
        v.plan().ifPresent(p -> out.setPlan(MigrationCodec.toThrift(p)));
        out.setRepairBytesPerSecond(v.repair().bytesPerSecond());
        out.setChainsBelowR(v.repair().chainsBelowR());
        out.setRepairsCopying(v.repair().copying());
        return out;
    }

    private static List<TMigration> thrift(List<MoveRecord> records) {
        return records.stream().map(MigrationCodec::toThrift).toList();
    }
}
