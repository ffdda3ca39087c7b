package io.chainring.cli.evaluate.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The checker on small hand-made histories whose verdict is known. Times are in milliseconds. */
class LinearizabilityCheckerTest {
    private static final Logger log = LoggerFactory.getLogger(LinearizabilityCheckerTest.class);
    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    private void assertLinearizable(HistoryBuilder h) {
        CheckResult r = checker.check(h.build());
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.LINEARIZABLE);
    }

    /** Not linearizable, and the operation with id {@code culprit} is the one that breaks it. */
    private Violation assertViolation(HistoryBuilder h, long culprit) {
        CheckResult r = checker.check(h.build());
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        Violation v = r.firstViolation().orElseThrow();
        assertThat(v.culprit().id()).as(r.explanation()).isEqualTo(culprit);
        return v;
    }

    @Test
    void emptyHistoryIsLinearizable() {
        assertLinearizable(new HistoryBuilder());
    }

    @Nested
    class Sequential {
        @Test
        void writesReadsAndDeletesInOrder() {
            assertLinearizable(new HistoryBuilder()
                    .read(0).at(0, 1).readsAbsent()
                    .write(0, "a").at(2, 3).ok(4)
                    .read(0).at(4, 5).reads("a", 4)
                    .write(0, "b").at(6, 7).ok(9)
                    .read(0).at(8, 9).reads("b", 9)
                    .delete(0).at(10, 11).existed(true)
                    .read(0).at(12, 13).readsAbsent()
                    .delete(0).at(14, 15).existed(false)
                    .write(0, "c").at(16, 17).ok(11)
                    .read(0).at(18, 19).reads("c", 11));
        }

        @Test
        void readOfAbsentAfterACompletedWriteIsCaught() {
            HistoryBuilder h = new HistoryBuilder().write(0, "a").at(0, 1).ok(1);
            long read = h.nextId();
            assertViolation(h.read(1).at(2, 3).readsAbsent(), read);
        }
    }

    @Test
    void operationsThatTouchInTimeCountAsConcurrent() {
        // the read starts in the very nanosecond the write ends: either order is possible
        assertLinearizable(new HistoryBuilder()
                .write(0, "a").at(0, 5).ok(1)
                .read(1).at(5, 6).readsAbsent());
    }

    @Nested
    class ConcurrentWrites {
        @Test
        void readsDuringOverlappingWritesMaySeeEitherOrder() {
            // a (v5) then b (v7); reads inside the writes see a, then b
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 10).ok(5)
                    .write(1, "b").at(1, 12).ok(7)
                    .read(2).at(2, 3).readsAbsent()
                    .read(2).at(4, 5).reads("a", 5)
                    .read(2).at(6, 7).reads("b", 7)
                    .read(2).at(13, 14).reads("b", 7));
        }

        @ParameterizedTest
        @ValueSource(strings = {"a", "b"})
        void afterOverlappingWritesTheReadSeesWhicheverGotTheHigherVersion(String winner) {
            long va = winner.equals("a") ? 8 : 3;
            long vb = winner.equals("a") ? 3 : 8;
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 10).ok(va)
                    .write(1, "b").at(0, 10).ok(vb)
                    .read(2).at(11, 12).reads(winner, 8)
                    .read(3).at(13, 14).reads(winner, 8));
        }

        @Test
        void readingTheLowerVersionAfterBothWritesCompletedIsCaught() {
            // b's higher version says it was applied last
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 10).ok(3)
                    .write(1, "b").at(0, 10).ok(8);
            long read = h.nextId();
            assertViolation(h.read(2).at(11, 12).reads("a", 3), read);
        }

        @Test
        void flipFlopBetweenTwoWritesIsCaught() {
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 20).ok(5)
                    .write(1, "b").at(0, 20).ok(7)
                    .read(2).at(2, 3).reads("a", 5)
                    .read(2).at(4, 5).reads("b", 7);
            long back = h.nextId();
            assertViolation(h.read(2).at(6, 7).reads("a", 5), back);
        }
    }

    @Nested
    class StaleAndPhantomReads {
        @Test
        void staleReadAfterALaterWriteCompletedIsCaught() {
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .write(1, "b").at(2, 3).ok(2)
                    .read(2).at(4, 7).reads("b", 2);
            long stale = h.nextId();
            Violation v = assertViolation(h.read(0).at(5, 8).reads("a", 1), stale);
            log.info("a stale read, as the checker explains it:\n{}", v.describe());
            assertThat(v.key()).isEqualTo("k");
            assertThat(v.prefixSize()).isEqualTo(4);
            assertThat(v.describe())
                    .contains("key 'k' is not linearizable")
                    .contains("READ k")
                    .contains("OK 'a' v=1")
                    .contains("[5.000 .. 8.000 ms]")
                    .contains("WRITE k := 'b'");
        }

        @Test
        void readOfAValueNeverWrittenIsCaught() {
            HistoryBuilder h = new HistoryBuilder().write(0, "a").at(0, 1).ok(1);
            long ghost = h.nextId();
            Violation v = assertViolation(h.read(1).at(0, 2).reads("ghost", 3), ghost);
            assertThat(v.hints()).containsExactly("no operation on this key wrote 'ghost'");
        }

        @Test
        void readOfAFailedWritesValueIsCaught() {
            HistoryBuilder h = new HistoryBuilder().write(0, "a").at(0, 1).fail();
            long read = h.nextId();
            Violation v = assertViolation(h.read(1).at(2, 3).reads("a", 1), read);
            assertThat(v.hints()).singleElement().asString().contains("FAILED");
        }

        @Test
        void readOfAValueBeforeItsWriteWasInvokedIsCaught() {
            HistoryBuilder h = new HistoryBuilder();
            long early = h.nextId();
            h.read(0).at(0, 1).reads("a", 1).write(1, "a").at(2, 3).ok(1);
            Violation v = assertViolation(h, early);
            assertThat(v.hints()).singleElement().asString().contains("invoked only after this read returned");
        }

        @Test
        void lostAcknowledgedWriteIsCaught() {
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .read(1).at(2, 3).reads("a", 1)
                    .write(0, "b").at(4, 5).ok(2);
            long lost = h.nextId();
            h.read(1).at(6, 7).reads("a", 1).read(2).at(8, 9).reads("a", 1);
            Violation v = assertViolation(h, lost);
            assertThat(v.prefixSize()).isEqualTo(4);
        }

        @Test
        void theShortestFailingPrefixIsReportedEvenWithMuchHistoryAfterIt() {
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .write(0, "b").at(2, 3).ok(2);
            long stale = h.nextId();
            h.read(1).at(4, 5).reads("a", 1);
            for (int i = 0; i < 50; i++) {
                h.write(0, "x" + i).at(10 + 4L * i, 11 + 4L * i).ok(3 + i).read(1).at(12 + 4L * i, 13 + 4L * i).reads("x" + i, 3 + i);
            }
            Violation v = assertViolation(h, stale);
            assertThat(v.prefixSize()).isEqualTo(3);
        }
    }

    @Nested
    class Versions {
        @Test
        void rightValueWithAnotherVersionIsCaught() {
            HistoryBuilder h = new HistoryBuilder().write(0, "a").at(0, 1).ok(4);
            long read = h.nextId();
            Violation v = assertViolation(h.read(1).at(2, 3).reads("a", 5), read);
            assertThat(v.hints()).singleElement().asString().contains("returned version 4, this read saw version 5");
        }

        @Test
        void versionsGoingBackwardsAreCaught() {
            HistoryBuilder h = new HistoryBuilder().write(0, "a").at(0, 1).ok(5);
            long back = h.nextId();
            assertViolation(h.write(0, "b").at(2, 3).ok(3), back);
        }

        @Test
        void afterADeleteVersionsStillGrow() {
            HistoryBuilder ok = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(5)
                    .delete(0).at(2, 3).existed(true)
                    .write(0, "b").at(4, 5).ok(7);
            assertLinearizable(ok);
            HistoryBuilder bad = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(5)
                    .delete(0).at(2, 3).existed(true);
            long tooLow = bad.nextId();
            assertViolation(bad.write(0, "b").at(4, 5).ok(4), tooLow);
        }

        @Test
        void anUnknownWritesRevealedVersionMustExceedEarlierOnes() {
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(5)
                    .write(1, "b").at(2, 3).info()
                    .read(2).at(4, 5).reads("b", 6));
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(5)
                    .write(1, "b").at(2, 3).info();
            long read = h.nextId();
            assertViolation(h.read(2).at(4, 5).reads("b", 3), read);
        }

        @Test
        void aReadMayNotSeeTwoVersionsOfOneUnknownWrite() {
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 1).info()
                    .read(1).at(2, 3).reads("a", 6);
            long second = h.nextId();
            assertViolation(h.read(1).at(4, 5).reads("a", 7), second);
        }
    }

    @Nested
    class UnknownOutcomes {
        @Test
        void unknownWriteThatNeverShowsUpIsFine() {
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .write(1, "b").at(2, 3).info()
                    .read(2).at(4, 5).reads("a", 1)
                    .read(2).at(100, 101).reads("a", 1));
        }

        @Test
        void unknownWriteThatShowsUpLaterIsFine() {
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .write(1, "b").at(2, 3).info()
                    .read(2).at(4, 5).reads("a", 1)
                    .read(2).at(100, 101).reads("b", 9)
                    .read(2).at(102, 103).reads("b", 9));
        }

        @Test
        void keyWithOnlyUnknownOperationsIsFine() {
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).info()
                    .delete(1).at(2, 3).info()
                    .read(2).at(4, 5).fail());
        }

        @Test
        void operationWithoutCompletionCountsAsUnknown() {
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .write(1, "b").at(2, 3).open()
                    .read(2).at(50, 51).reads("b", 3));
        }

        @Test
        void unknownWriteCannotTakeEffectBeforeItsInvocation() {
            HistoryBuilder h = new HistoryBuilder();
            long early = h.nextId();
            h.read(0).at(0, 1).reads("b", 2).write(1, "b").at(5, 6).info();
            assertViolation(h, early);
        }

        @Test
        void unknownWriteTakesEffectOnlyOnce() {
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .write(1, "b").at(2, 3).info()
                    .read(2).at(4, 5).reads("b", 2)
                    .write(0, "c").at(6, 7).ok(3);
            long again = h.nextId();
            assertViolation(h.read(2).at(8, 9).reads("b", 2), again);
        }

        @Test
        void unknownDeleteMayOrMayNotHaveHappened() {
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .delete(1).at(2, 3).info()
                    .read(2).at(4, 5).reads("a", 1)
                    .read(2).at(6, 7).readsAbsent());
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .delete(1).at(2, 3).info()
                    .read(2).at(4, 5).reads("a", 1));
        }

        @Test
        void failedOperationsNeverTakeEffect() {
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .delete(1).at(2, 3).fail();
            long read = h.nextId();
            assertViolation(h.read(2).at(4, 5).readsAbsent(), read);
        }
    }

    @Nested
    class CompareAndSet {
        @Test
        void successesAndMismatchesInOrder() {
            assertLinearizable(new HistoryBuilder()
                    .cas(0, 0, "a").at(0, 1).ok(2)
                    .cas(1, 0, "x").at(2, 3).mismatch(2)
                    .cas(0, 2, "b").at(4, 5).ok(3)
                    .cas(1, 2, "y").at(6, 7).mismatch(3)
                    .read(2).at(8, 9).reads("b", 3)
                    .delete(0).at(10, 11).existed(true)
                    .cas(1, 3, "z").at(12, 13).mismatch(0)
                    .cas(1, 0, "c").at(14, 15).ok(6)
                    .read(2).at(16, 17).reads("c", 6));
        }

        @Test
        void concurrentCasesOnTheSameVersionOnlyOneWins() {
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .cas(1, 1, "b").at(2, 10).ok(2)
                    .cas(2, 1, "c").at(2, 10).mismatch(2)
                    .read(3).at(11, 12).reads("b", 2));
            HistoryBuilder both = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .cas(1, 1, "b").at(2, 10).ok(2);
            long second = both.nextId();
            assertViolation(both.cas(2, 1, "c").at(3, 11).ok(3), second);
        }

        @Test
        void successWithTheWrongExpectedVersionIsCaught() {
            HistoryBuilder h = new HistoryBuilder().write(0, "a").at(0, 1).ok(4);
            long cas = h.nextId();
            assertViolation(h.cas(1, 3, "b").at(2, 3).ok(5), cas);
        }

        @Test
        void mismatchThatReportsAnotherVersionIsCaught() {
            HistoryBuilder h = new HistoryBuilder().write(0, "a").at(0, 1).ok(4);
            long cas = h.nextId();
            assertViolation(h.cas(1, 2, "b").at(2, 3).mismatch(9), cas);
        }

        @Test
        void mismatchWhileTheVersionMatchedIsCaught() {
            HistoryBuilder h = new HistoryBuilder().write(0, "a").at(0, 1).ok(4);
            long cas = h.nextId();
            assertViolation(h.cas(1, 4, "b").at(2, 3).mismatch(5), cas);
        }

        @Test
        void oneCasWithTwoEffectsIsCaught() {
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .cas(1, 1, "b").at(2, 20).ok(2)
                    .read(2).at(3, 4).reads("b", 2)
                    .write(2, "c").at(5, 6).ok(3);
            long again = h.nextId();
            assertViolation(h.read(2).at(7, 8).reads("b", 4), again);
        }

        @Test
        void casRevealsTheVersionOfAnUnknownWrite() {
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).info()
                    .cas(1, 7, "b").at(2, 3).ok(9)
                    .read(2).at(4, 5).reads("b", 9));
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 1).info()
                    .read(1).at(2, 3).reads("a", 6);
            long cas = h.nextId();
            assertViolation(h.cas(1, 7, "b").at(4, 5).ok(9), cas);
        }

        @Test
        void unknownCasMayHaveApplied() {
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .cas(1, 1, "b").at(2, 3).info()
                    .read(2).at(4, 5).reads("b", 2));
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .cas(1, 1, "b").at(2, 3).info()
                    .read(2).at(4, 5).reads("a", 1));
        }

        @Test
        void unknownCasCannotApplyOnAnotherVersion() {
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .cas(1, 7, "b").at(2, 3).info();
            long read = h.nextId();
            assertViolation(h.read(2).at(4, 5).reads("b", 8), read);
        }
    }

    @Nested
    class Deletes {
        @Test
        void deleteReportingAValueThatWasNotThereIsCaught() {
            HistoryBuilder h = new HistoryBuilder();
            long del = h.nextId();
            assertViolation(h.delete(0).at(0, 1).existed(true), del);
        }

        @Test
        void deleteMissingAValueThatWasThereIsCaught() {
            HistoryBuilder h = new HistoryBuilder().write(0, "a").at(0, 1).ok(1);
            long del = h.nextId();
            assertViolation(h.delete(0).at(2, 3).existed(false), del);
        }

        @Test
        void concurrentDeletesOnlyOneFindsTheValue() {
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .delete(1).at(2, 10).existed(false)
                    .delete(2).at(2, 10).existed(true)
                    .read(3).at(11, 12).readsAbsent());
            HistoryBuilder h = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .delete(1).at(2, 10).existed(true);
            long second = h.nextId();
            assertViolation(h.delete(2).at(3, 11).existed(true), second);
        }

        @Test
        void deleteConcurrentWithAWrite() {
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .delete(1).at(2, 10).existed(true)
                    .write(2, "b").at(2, 10).ok(5)
                    .read(3).at(11, 12).reads("b", 5));
            assertLinearizable(new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .delete(1).at(2, 10).existed(true)
                    .write(2, "b").at(2, 10).ok(5)
                    .read(3).at(11, 12).readsAbsent());
        }
    }

    @Nested
    class Keys {
        @Test
        void keysAreCheckedSeparatelyAndOnlyTheBrokenOneIsReported() {
            HistoryBuilder h = new HistoryBuilder()
                    .key("good").write(0, "g1").at(0, 1).ok(1)
                    .key("bad").write(1, "b1").at(0, 1).ok(1)
                    .key("bad").write(1, "b2").at(2, 3).ok(2)
                    .key("good").read(0).at(2, 3).reads("g1", 1)
                    .key("bad").read(2).at(4, 5).reads("b1", 1);
            CheckResult r = checker.check(h.build());
            assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
            assertThat(r.keys()).extracting(KeyResult::key, KeyResult::verdict).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("good", Verdict.LINEARIZABLE),
                    org.assertj.core.groups.Tuple.tuple("bad", Verdict.NOT_LINEARIZABLE));
            assertThat(r.violations()).extracting(Violation::key).containsExactly("bad");
        }

        @Test
        void sameValueWrittenTwiceOnAKeyIsRejectedClearly() {
            History h = new HistoryBuilder()
                    .write(0, "a").at(0, 1).ok(1)
                    .write(0, "a").at(2, 3).ok(2)
                    .build();
            assertThatThrownBy(() -> checker.check(h))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("value 'a' is written by two operations (0 and 1)");
        }

        @Test
        void sameValueOnDifferentKeysIsFine() {
            assertLinearizable(new HistoryBuilder()
                    .key("x").write(0, "a").at(0, 1).ok(1)
                    .key("y").write(0, "a").at(2, 3).ok(1));
        }
    }

    @Test
    void checkerRejectsBadBudgets() {
        assertThatThrownBy(() -> new LinearizabilityChecker(Duration.ZERO, 1)).hasMessageContaining("timeout");
        assertThatThrownBy(() -> new LinearizabilityChecker(Duration.ofSeconds(1), 0)).hasMessageContaining("maxSteps");
        assertThat(List.of(Verdict.values())).hasSize(3);
    }
}
