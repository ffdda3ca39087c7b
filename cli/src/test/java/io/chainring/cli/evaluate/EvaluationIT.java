package io.chainring.cli.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny matrix on real processes behind the fault layer — two settings × two conditions — and
 * the detector's verdicts both ways: the promised setting shows no anomaly, the weakest one under
 * a partitioned tail is caught reading stale and non-linearizable.
 */
@Tag("cluster")
@Timeout(value = 10, unit = TimeUnit.MINUTES) // starts five processes; a loaded 2-core machine took almost 4 minutes
class EvaluationIT {
    @TempDir
    Path dir;

    @Test
    void theDetectorFindsAnomaliesWhereTheyExistAndNoneWherePromised() throws Exception {
        Setting strong = Setting.parse("LINEARIZABLE/ALL");
        Setting weak = Setting.parse("ONE/ONE");
        Evaluation.Options options = new Evaluation.Options(List.of(strong, weak),
                List.of(Condition.CLEAN, Condition.TAIL_PARTITIONED), Duration.ofSeconds(6), 2, 2, 6, 12,
                Duration.ofSeconds(4), Duration.ofSeconds(20), 0, dir.resolve("work"), 7);
        List<CellResult> results = new Evaluation(options, line -> { }).run();
        assertThat(results).hasSize(4);

        for (CellResult r : results) {
            assertThat(r.readsOk() + r.writesOk()).as("%s under %s did work", r.setting(), r.condition()).isPositive();
            if (r.setting().equals(strong.label())) {
                assertThat(r.staleReads()).as("stale reads of %s under %s", r.setting(), r.condition()).isZero();
                assertThat(r.lostAckedWrites()).as("lost writes of %s under %s", r.setting(), r.condition()).isZero();
                assertThat(r.verdict()).as("verdict of %s under %s", r.setting(), r.condition()).isEqualTo("LINEARIZABLE");
            }
        }
        CellResult weakCut = results.stream()
                .filter(r -> r.setting().equals(weak.label()) && r.condition().equals(Condition.TAIL_PARTITIONED.label()))
                .findFirst().orElseThrow();
        assertThat(weakCut.staleReads()).as("ONE/ONE reads at a tail cut off from its predecessor").isPositive();
        assertThat(weakCut.staleMillis()).isNotEmpty();
        assertThat(weakCut.verdict()).isEqualTo("NOT_LINEARIZABLE");
        assertThat(weakCut.maxLagLsns()).as("the head's metrics show the lag while the tail is cut off").isPositive();

        Path report = EvaluationReport.write(dir.resolve("report"), options,
                new EvaluationReport.Context("test", "now", "-", "-", 1), results);
        assertThat(Files.readString(report)).contains("kept in every condition").contains("ONE/ONE under tail-partitioned");
        assertThat(dir.resolve("report/results.csv")).exists();
        assertThat(dir.resolve("report/t-visibility-tail-partitioned.png")).exists();
        assertThat(EvaluationReport.findings(results, true)).isEmpty();
    }
}
