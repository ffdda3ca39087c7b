package io.chainring.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.Migration;
import io.chainring.client.Migrations;
import io.chainring.client.PlanAction;
import io.chainring.client.PlanInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The migrations table: a progress bar per running move, keys and bytes of total, rate and ETA. */
class PlanViewsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void runningMovesShowABarProgressRateAndEta() {
        Migration copying = new Migration("m1", "p-1", 3, Optional.of("n1"), Optional.of("n4"), "join", 500, 2_000_000,
                1000, 4_000_000, T0, T0.plusSeconds(2), Optional.empty(), 1_000_000, Optional.of(Duration.ofSeconds(2)),
                Optional.empty());
        Migration pending = new Migration("m2", "p-1", 5, Optional.of("n2"), Optional.of("n4"), "pending", 0, 0, 0, 0,
                T0, T0, Optional.empty(), 0, Optional.empty(), Optional.of("waits for a slot on n4"));
        Migration done = new Migration("m0", "p-1", 1, Optional.of("n3"), Optional.of("n4"), "done", 10, 700, 10, 700,
                T0, T0.plusSeconds(75), Optional.of(T0.plusSeconds(75)), 0, Optional.empty(), Optional.empty());
        PlanInfo plan = new PlanInfo("p-1", PlanAction.ADD, List.of("n4"), "RUNNING", 3, T0, Optional.empty(),
                Optional.empty(), 4_000_700);
        StringWriter s = new StringWriter();
        PlanViews.printMigrations(new PrintWriter(s), new Migrations(List.of(copying, pending), List.of(done),
                Optional.of(plan), 20_000_000, 2, new Migrations.Repair(64L << 20, 2, 1)), 10);
        String out = s.toString();
        assertThat(out).contains("plan p-1: add n4, RUNNING, 3 moves, ~3.8 MiB")
                .contains("throttle 19.1 MiB/s per node (a cap; each node adapts below it").contains("at most 2 moves per node")
                .contains("repair:    budget ").contains("(ahead of moves); 2 chains below R, 1 copying")
                .contains("[##########----------]  50%").contains("500/1,000").contains("1.9 MiB/3.8 MiB")
                .contains("976.6 KiB/s").contains("2s")
                .contains("[--------------------]   0%")
                .contains("recent:").contains("1m15s");
    }

    @Test
    void anEmptyClusterSaysSo() {
        StringWriter s = new StringWriter();
        PlanViews.printMigrations(new PrintWriter(s), new Migrations(List.of(), List.of(), Optional.empty(), 0, 2), 10);
        assertThat(s.toString()).contains("no plan has run").contains("throttle unlimited per node").contains("no moves running")
                .contains("repair:    budget not reported")
                .doesNotContain("recent:");
        assertThat(MigrationsCommand.ended(new Migrations(List.of(), List.of(), Optional.empty(), 0, 2))).isTrue();
    }
}
