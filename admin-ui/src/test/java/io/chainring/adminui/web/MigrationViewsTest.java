package io.chainring.adminui.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.adminui.cluster.ClusterActions;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationViewsTest {
    private static ClusterActions.Migration move(String id, String plan, String step, long copied, long total) {
        return new ClusterActions.Migration(id, plan, 3, "n1", "n4", step, copied / 10, copied, total / 10, total, 100,
                -1, 1_000, 2_000, "done".equals(step) ? 3_000L : null, null);
    }

    @Test
    void thePlanCountsItsDoneMovesWholeAndItsRunningOnesByTheirProgress() {
        ClusterActions.PlanStatus plan = new ClusterActions.PlanStatus("p1", "add", List.of("n4"), "RUNNING", 4, 7,
                1_000, null, "waiting for n4", 4000L);
        ClusterActions.Migrations m = new ClusterActions.Migrations(
                List.of(move("m3", "p1", "join", 500, 1000), move("m4", "p1", "pending", 0, 1000)),
                List.of(move("m2", "p1", "done", 1000, 1000), move("old", "p0", "done", 1000, 1000)),
                plan, 1_000_000, 2);

        MigrationViews.View v = MigrationViews.of(m, 9_000);

        assertThat(v.plan().movesDone()).isEqualTo(1);
        assertThat(v.plan().movesRunning()).isEqualTo(2);
        assertThat(v.plan().percent()).isEqualTo(100 * 1.5 / 4); // one done, one half way, one not begun, one not listed
        assertThat(v.plan().bytesCopied()).isEqualTo(1500);
        assertThat(v.plan().finished()).isFalse();
        assertThat(v.running()).extracting(MigrationViews.MoveView::percent).containsExactly(50.0, 0.0);
        assertThat(v.recent()).extracting(MigrationViews.MoveView::id).containsExactly("m2", "old");
        assertThat(v.throttleBytesPerSecond()).isEqualTo(1_000_000);
        assertThat(v.maxMovesPerNode()).isEqualTo(2);
        assertThat(v.updatedMillis()).isEqualTo(9_000);
    }

    @Test
    void aDonePlanIsWholeAndNoPlanIsNull() {
        ClusterActions.PlanStatus done = new ClusterActions.PlanStatus("p1", "add", List.of("n4"), "DONE", 4, 7, 1_000,
                5_000L, null, null);
        assertThat(MigrationViews.of(new ClusterActions.Migrations(List.of(), List.of(), done, 0, 2), 0).plan().percent())
                .isEqualTo(100.0);
        assertThat(MigrationViews.of(new ClusterActions.Migrations(List.of(), List.of(), null, 0, 2), 0).plan()).isNull();
    }
}
