package io.chainring.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.Migration;
import io.chainring.client.Migrations;
import io.chainring.client.PlanAction;
import io.chainring.client.PlanPreview;
import io.chainring.thrift.MigrationsView;
import io.chainring.thrift.NodeBalance;
import io.chainring.thrift.PlanState;
import io.chainring.thrift.PlannedMove;
import io.chainring.thrift.TMigration;
import io.chainring.thrift.TPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanConvertersTest {

    @Test
    void previewKeepsMovesBalanceAndBound() {
        io.chainring.thrift.PlanPreview t = new io.chainring.thrift.PlanPreview("p-1", io.chainring.thrift.PlanAction.ADD,
                List.of("n4"), 7, List.of(new PlannedMove(3, 100, 4096).setFromNode("n1").setToNode("n4"),
                new PlannedMove(5, 0, 0).setToNode("n4")), 100, 4096,
                List.of(new NodeBalance("n1", 12, 4, 4, 9, 3, 3)), 4);
        PlanPreview p = PlanConverters.preview(t);
        assertThat(p.planId()).isEqualTo("p-1");
        assertThat(p.action()).isEqualTo(PlanAction.ADD);
        assertThat(p.ringEpoch()).isEqualTo(7);
        assertThat(p.moves()).containsExactly(new PlanPreview.Move(3, Optional.of("n1"), Optional.of("n4"), 100, 4096),
                new PlanPreview.Move(5, Optional.empty(), Optional.of("n4"), 0, 0));
        assertThat(p.balance()).containsExactly(new PlanPreview.Balance("n1", 12, 4, 4, 9, 3, 3));
        assertThat(p.lowerBound()).isEqualTo(4);
    }

    @Test
    void migrationsCarryProgressPlanAndThrottle() {
        TMigration running = new TMigration("m1", "p-1", 3, "join", 50, 2048, 100, 4096, 1_000, 2_000)
                .setFromNode("n1").setToNode("n4").setBytesPerSecond(1024.0).setEtaSeconds(2);
        TMigration done = new TMigration("m0", "p-1", 2, "done", 10, 10, 10, 10, 500, 900)
                .setToNode("n4").setFinishedMillis(900).setNote("");
        TPlan plan = new TPlan("p-1", io.chainring.thrift.PlanAction.ADD, List.of("n4"), PlanState.RUNNING, List.of(), 7, 4, 400)
                .setEstimatedBytes(8192);
        Migrations m = PlanConverters.migrations(new MigrationsView(List.of(running), List.of(done), 1_000_000, 2).setPlan(plan));
        Migration r = m.running().get(0);
        assertThat(r.from()).contains("n1");
        assertThat(r.to()).contains("n4");
        assertThat(r.startedAt()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(r.eta()).contains(Duration.ofSeconds(2));
        assertThat(r.fraction()).isEqualTo(0.5);
        assertThat(r.finished()).isFalse();
        Migration d = m.recent().get(0);
        assertThat(d.from()).isEmpty();
        assertThat(d.note()).isEmpty();
        assertThat(d.finishedAt()).contains(Instant.ofEpochMilli(900));
        assertThat(d.finished()).isTrue();
        assertThat(m.plan()).hasValueSatisfying(p -> {
            assertThat(p.state()).isEqualTo("RUNNING");
            assertThat(p.finished()).isFalse();
            assertThat(p.estimatedBytes()).isEqualTo(8192);
            assertThat(p.finishedAt()).isEmpty();
        });
        assertThat(m.throttleBytesPerSecond()).isEqualTo(1_000_000);
        assertThat(m.maxMovesPerNode()).isEqualTo(2);
        assertThat(PlanConverters.migrations(new MigrationsView(List.of(), List.of(), 0, 2)).plan()).isEmpty();
    }
}
