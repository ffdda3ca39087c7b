package io.chainring.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RebalanceReportTest {
    private static RebalanceReport.PhaseStats phase(double p99) {
        BenchSummary.OpStats read = new BenchSummary.OpStats(9_500, 900, 1_500, p99, p99 * 2, p99 * 3);
        BenchSummary.OpStats update = new BenchSummary.OpStats(500, 4_000, 6_000, p99 * 1.5, p99 * 3, p99 * 4);
        return new RebalanceReport.PhaseStats(10.0, 1_000, 0, 950, p99, p99 * 2, Map.of("read", read, "update", update));
    }

    private static RebalanceReport report(double beforeP99, double duringP99) {
        return new RebalanceReport(
                new RebalanceReport.Setup(1_000_000, 100, 8, 256, 3, 3, 0.95, Distribution.ZIPFIAN),
                20L << 20, true, "plan-1", "DONE", 1.5, 40.0, 80_000_000, 750_000, 192, 192, 192,
                Map.of("n1", 192, "n2", 192, "n3", 192, "n4", 192),
                Map.of(RebalancePhase.BEFORE, phase(beforeP99), RebalancePhase.DURING, phase(duringP99),
                        RebalancePhase.AFTER, phase(beforeP99)));
    }

    @Test
    void theRatioComparesP99DuringWithBefore() {
        assertThat(report(10_000, 15_000).p99Ratio()).isEqualTo(1.5);
        assertThat(report(10_000, 15_000).p99GoalMet()).isTrue();
        assertThat(report(10_000, 20_000).p99GoalMet()).as("exactly twice meets the goal").isTrue();
        assertThat(report(10_000, 20_100).p99GoalMet()).isFalse();
        assertThat(report(0, 20_000).p99Ratio()).as("no steady operations: no ratio").isZero();
        assertThat(report(0, 20_000).p99GoalMet()).isFalse();
    }

    @Test
    void mbPerSecondIsDecimalMegabytesOverTheTimeToBalance() {
        assertThat(report(1, 1).mbPerSec()).isEqualTo(2.0); // 80 MB in 40 s
    }

    @Test
    void jsonHasTheDocumentedFields() {
        Map<String, Object> j = report(10_000, 15_000).json();
        assertThat(j.keySet()).containsExactly("setup", "throttleBytesPerSecond", "defaultThrottle", "planId", "planState",
                "addSeconds", "timeToBalanceSeconds", "bytesMoved", "keysMoved", "mbPerSec", "movesDone", "movesPlanned",
                "lowerBound", "replicasPerNode", "phases", "p99Ratio", "p99GoalMet");
        @SuppressWarnings("unchecked")
        Map<String, Object> phases = (Map<String, Object>) j.get("phases");
        assertThat(phases.keySet()).containsExactly("before", "during", "after");
        @SuppressWarnings("unchecked")
        Map<String, Object> during = (Map<String, Object>) phases.get("during");
        assertThat(during.keySet()).containsExactly("durationSeconds", "opsPerSec", "errors", "p50Micros", "p99Micros",
                "p999Micros", "ops");
        assertThat(during.get("p99Micros")).isEqualTo(15_000.0);
        assertThat(j.get("p99Ratio")).isEqualTo(1.5);
        assertThat(j.get("throttleBytesPerSecond")).isEqualTo(20L << 20);
    }

    @Test
    void theTableSaysWhatMovedAndWhetherTheGoalWasMet() {
        StringWriter s = new StringWriter();
        report(10_000, 25_000).print(new PrintWriter(s, true));
        String text = s.toString();
        assertThat(text).contains("rebalance 3 -> 4 nodes: 1,000,000 records of 100 B, 256 partitions, R=3; throttle ")
                .contains("(default)")
                .contains("time to balance  40.0 s (plan plan-1 DONE")
                .contains("moved            192 replicas (plan 192, ideal 192), 750,000 keys, 76.3 MiB, 1.9 MiB/s")
                .contains("replicas/node    n1 192, n2 192, n3 192, n4 192")
                .contains("p99 during / before: 2.50 (goal <= 2x: NOT met)");
        assertThat(text.lines().filter(l -> l.startsWith("during"))).singleElement().asString().contains("25,000");
    }

    @Test
    void aProgressLineShowsPhaseRateWorstP99AndMoves() {
        List<RebalanceSample> recent = List.of(
                new RebalanceSample(21.0, RebalancePhase.DURING, 1_000, 8_000, 0, 3, 192, 1_000_000),
                new RebalanceSample(22.0, RebalancePhase.DURING, 3_000, 12_000, 2, 5, 192, 2_500_000));
        assertThat(RebalanceBench.progressLine(recent))
                .isEqualTo("rebalance:   22.0 s  during    2,000 ops/s  p99   12,000 us  moves 5/192  copied 2.5 MB  errors 2");
        assertThat(RebalanceBench.progressLine(List.of(new RebalanceSample(1.0, RebalancePhase.BEFORE, 10, 5, 0, 0, 0, 0))))
                .doesNotContain("moves");
    }
}
