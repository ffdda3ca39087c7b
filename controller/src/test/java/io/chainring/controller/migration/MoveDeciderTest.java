package io.chainring.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.controller.migration.MoveDecider.Copying;
import io.chainring.controller.migration.MoveDecider.DropSource;
import io.chainring.controller.migration.MoveDecider.Finish;
import io.chainring.controller.migration.MoveDecider.Join;
import io.chainring.controller.migration.MoveDecider.Observations;
import io.chainring.controller.migration.MoveDecider.Promote;
import io.chainring.controller.migration.MoveDecider.Rollback;
import io.chainring.controller.migration.MoveDecider.Situation;
import io.chainring.controller.migration.MoveDecider.Step;
import io.chainring.controller.migration.MoveDecider.Wait;
import io.chainring.ring.NodeId;
import io.chainring.thrift.PlanState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every step of a move from n1 to n4 in a chain n1 → n2 → n3 (target n2 → n3 → n4), one rule each. */
class MoveDeciderTest {
    private static final NodeId N1 = new NodeId("n1");
    private static final NodeId N2 = new NodeId("n2");
    private static final NodeId N3 = new NodeId("n3");
    private static final NodeId N4 = new NodeId("n4");
    private static final Set<NodeId> ALL = Set.of(N1, N2, N3, N4);

    private static Situation move(List<NodeId> chain, List<NodeId> learners, PlanState plan) {
        return new Situation(Optional.of(N1), Optional.of(N4), chain, learners, 3, plan);
    }

    private static Observations seen(Set<NodeId> live, boolean caughtUp, boolean slots) {
        return new Observations(live, live, caughtUp, slots);
    }

    @Nested
    class Running {
        @Test
        void aTargetOutsideThePartitionJoinsAsLearnerWhenEverythingIsLiveAndSlotsAreFree() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N3), List.of(), PlanState.RUNNING), seen(ALL, false, true));
            assertThat(s).isEqualTo(new Join(N4));
        }

        @Test
        void noSlotMeansItWaits() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N3), List.of(), PlanState.RUNNING), seen(ALL, false, false));
            assertThat(s).isInstanceOf(Wait.class);
            assertThat(s.recordStep()).isEqualTo(MoveStep.PENDING);
        }

        @Test
        void aDeadTargetIsWaitedFor() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N3), List.of(), PlanState.RUNNING),
                    seen(Set.of(N1, N2, N3), false, true));
            assertThat(s).isEqualTo(new Wait(MoveStep.PENDING, "waiting for n4 to return"));
        }

        @Test
        void aChainWithADeadMemberDoesNotStartMoves() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N3), List.of(), PlanState.RUNNING),
                    seen(Set.of(N1, N2, N4), false, true));
            assertThat(s).isInstanceOf(Wait.class);
        }

        @Test
        void aPausedPlanStartsNothing() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N3), List.of(), PlanState.PAUSED), seen(ALL, false, true));
            assertThat(s).isEqualTo(new Wait(MoveStep.PENDING, "plan paused"));
        }

        @Test
        void aCopyingLearnerStaysUntilItReportsCaughtUp() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N3), List.of(N4), PlanState.RUNNING), seen(ALL, false, true));
            assertThat(s).isInstanceOf(Copying.class);
        }

        @Test
        void aCaughtUpLearnerIsPromotedWhenTheChainIsLive() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N3), List.of(N4), PlanState.RUNNING), seen(ALL, true, false));
            assertThat(s).isEqualTo(new Promote(N4));
        }

        @Test
        void aCaughtUpLearnerIsNotPromotedBehindADeadMember() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N3), List.of(N4), PlanState.RUNNING),
                    seen(Set.of(N1, N2, N4), true, true));
            assertThat(s).isInstanceOf(Copying.class);
        }

        @Test
        void thePromotedTargetThatAnsweredLetsTheSourceGo() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N3, N4), List.of(), PlanState.RUNNING), seen(ALL, true, true));
            assertThat(s).isEqualTo(new DropSource(N1));
        }

        @Test
        void aPromotedTargetThatDidNotAnswerKeepsTheSource() {
            Observations silent = new Observations(ALL, Set.of(N1, N2, N3), true, true);
            Step s = MoveDecider.next(move(List.of(N1, N2, N3, N4), List.of(), PlanState.RUNNING), silent);
            assertThat(s).isInstanceOf(Wait.class);
            assertThat(s.recordStep()).isEqualTo(MoveStep.PROMOTE);
        }

        @Test
        void aSourceStandingInForALostMemberFinishesTheMoveWithoutDropping() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N4), List.of(), PlanState.RUNNING), seen(ALL, true, true));
            assertThat(s).isInstanceOf(Finish.class);
            assertThat(s.recordStep()).isEqualTo(MoveStep.DONE);
        }

        @Test
        void aTargetInTheChainWithoutTheSourceIsDone() {
            Step s = MoveDecider.next(move(List.of(N2, N3, N4), List.of(), PlanState.RUNNING), seen(ALL, true, true));
            assertThat(s).isEqualTo(new Finish(MoveStep.DONE, Optional.empty()));
        }

        @Test
        void aChainRepairedWithoutTargetOrSourceSupersedesTheMove() {
            Step s = MoveDecider.next(move(List.of(N2, N3, new NodeId("n5")), List.of(), PlanState.RUNNING),
                    seen(ALL, false, true));
            assertThat(s).isInstanceOf(Finish.class);
            assertThat(s.recordStep()).isEqualTo(MoveStep.CANCELLED);
        }

        @Test
        void aPureDropShrinksALongChainOnlyWhileItIsLive() {
            Situation drop = new Situation(Optional.of(N1), Optional.empty(), List.of(N1, N2, N3, N4), List.of(), 3,
                    PlanState.RUNNING);
            assertThat(MoveDecider.next(drop, seen(ALL, false, false))).isEqualTo(new DropSource(N1));
            assertThat(MoveDecider.next(drop, seen(Set.of(N1, N2, N3), false, false))).isInstanceOf(Wait.class);
        }
    }

    @Nested
    class Cancelling {
        @Test
        void aCopyingLearnerLeaves() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N3), List.of(N4), PlanState.CANCELLING), seen(ALL, false, true));
            assertThat(s).isEqualTo(new Rollback(N4, "cancelled while copying"));
        }

        @Test
        void aPromotedTargetLeavesAgainWhileTheSourceIsIn() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N3, N4), List.of(), PlanState.CANCELLING), seen(ALL, true, true));
            assertThat(s).isInstanceOf(Rollback.class);
        }

        @Test
        void aFinishedMoveStaysDone() {
            Step s = MoveDecider.next(move(List.of(N2, N3, N4), List.of(), PlanState.CANCELLING), seen(ALL, true, true));
            assertThat(s.recordStep()).isEqualTo(MoveStep.DONE);
        }

        @Test
        void aMoveThatNeverRanIsCancelled() {
            Step s = MoveDecider.next(move(List.of(N1, N2, N3), List.of(), PlanState.CANCELLING), seen(ALL, false, true));
            assertThat(s.recordStep()).isEqualTo(MoveStep.CANCELLED);
        }
    }
}
