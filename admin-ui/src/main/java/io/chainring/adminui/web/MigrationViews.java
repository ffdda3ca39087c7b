package io.chainring.adminui.web;

import io.chainring.adminui.cluster.ClusterActions;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of {@code GET /api/migrations}: the plan with its progress over all its moves, the
 * running and recent moves each with percent done, rate and ETA, and the throttle.
 */
public final class MigrationViews {
    private MigrationViews() {
    }

    /**
     * The page's view.
     *
     * @param plan    the running or last plan (null if none)
     * @param running moves in progress
     * @param recent  moves that ended lately, newest first
     */
    public record View(PlanView plan, List<MoveView> running, List<MoveView> recent, long throttleBytesPerSecond,
                       int maxMovesPerNode, ClusterActions.Repair repair, long updatedMillis) {
    }

    /**
     * A plan and how far it got.
     *
     * @param movesDone    its moves that are done (of those still listed as running or recent)
     * @param movesRunning its moves in progress
     * @param percent      moves done, counting running ones by their own progress, of movesPlanned
     * @param bytesCopied  bytes its listed moves copied so far
     */
    public record PlanView(String id, String action, List<String> nodes, String state, boolean finished,
                           int movesPlanned, int movesDone, int movesRunning, double percent, long bytesCopied,
                           Long estimatedBytes, long ringEpochAtStart, long createdMillis, Long finishedMillis,
                           String note) {
    }

    /** One move, as {@link ClusterActions.Migration} plus its percent done. */
    public record MoveView(String id, String planId, int partition, String from, String to, String step,
                           long keysCopied, long keysTotal, long bytesCopied, long bytesTotal, double percent,
                           double bytesPerSecond, long etaSeconds, long startedMillis, long updatedMillis,
                           Long finishedMillis, String note) {
    }

    public static View of(ClusterActions.Migrations m, long nowMillis) {
        List<MoveView> running = m.running().stream().map(MigrationViews::move).toList();
        List<MoveView> recent = m.recent().stream().map(MigrationViews::move).toList();
        return new View(m.plan() == null ? null : plan(m.plan(), m.running(), m.recent()), running, recent,
                m.throttleBytesPerSecond(), m.maxMovesPerNode(), m.repair(), nowMillis);
    }

    static MoveView move(ClusterActions.Migration x) {
        return new MoveView(x.id(), x.planId(), x.partition(), x.source(), x.target(), x.step(), x.keysCopied(),
                x.keysTotal(), x.bytesCopied(), x.bytesTotal(), x.percent(), x.bytesPerSecond(), x.etaSeconds(),
                x.startedMillis(), x.updatedMillis(), x.finishedMillis(), x.note());
    }

    static PlanView plan(ClusterActions.PlanStatus p, List<ClusterActions.Migration> running,
                         List<ClusterActions.Migration> recent) {
        List<ClusterActions.Migration> mine = new ArrayList<>();
        running.stream().filter(x -> p.id().equals(x.planId())).forEach(mine::add);
        recent.stream().filter(x -> p.id().equals(x.planId())).forEach(mine::add);
        int done = 0;
        int inProgress = 0;
        double progress = 0;
        long bytes = 0;
        for (ClusterActions.Migration x : mine) {
            bytes += x.bytesCopied();
            if ("done".equals(x.step())) {
                done++;
                progress += 1;
            } else if (!"cancelled".equals(x.step())) {
                inProgress++;
                progress += x.percent() / 100;
            }
        }
        double percent;
        if ("DONE".equals(p.state())) {
            percent = 100;
        } else if (p.movesPlanned() > 0) {
            percent = Math.min(100, 100 * progress / p.movesPlanned());
        } else {
            percent = 0;
        }
        return new PlanView(p.id(), p.action(), p.nodes(), p.state(), p.finished(), p.movesPlanned(), done, inProgress,
                percent, bytes, p.estimatedBytes(), p.ringEpochAtStart(), p.createdMillis(), p.finishedMillis(), p.note());
    }
}
