package io.chainring.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.Migration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MoveTallyTest {
    private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");

    private static Migration move(String id, String plan, String step, long bytes, long keys, int updatedSecond) {
        return new Migration(id, plan, 1, Optional.of("n1"), Optional.of("n4"), step, keys, bytes, 0, 0, T0,
                T0.plusSeconds(updatedSecond), step.equals("done") ? Optional.of(T0.plusSeconds(updatedSecond)) : Optional.empty(),
                0, Optional.empty(), Optional.empty());
    }

    @Test
    void remembersEveryMoveOfThePlanAcrossPolls() {
        MoveTally tally = new MoveTally("p1");
        tally.observe(List.of(move("a", "p1", "join", 100, 1, 1), move("b", "p1", "join", 50, 1, 1)), List.of());
        tally.observe(List.of(move("b", "p1", "join", 70, 2, 2)), List.of(move("a", "p1", "done", 300, 3, 2)));
        // a later poll no longer lists a among the recent ones: it is still counted
        tally.observe(List.of(move("c", "p1", "join", 10, 1, 3)), List.of(move("b", "p1", "done", 200, 4, 3)));
        assertThat(tally.seen()).isEqualTo(3);
        assertThat(tally.done()).isEqualTo(2);
        assertThat(tally.bytesCopied()).isEqualTo(300 + 200 + 10);
        assertThat(tally.keysCopied()).isEqualTo(3 + 4 + 1);
    }

    @Test
    void ignoresOtherPlansAndNeverGoesBackFromFinished() {
        MoveTally tally = new MoveTally("p1");
        tally.observe(List.of(move("x", "p0", "join", 999, 9, 1)), List.of(move("old", "p0", "done", 999, 9, 1)));
        tally.observe(List.of(), List.of(move("a", "p1", "done", 300, 3, 5)));
        tally.observe(List.of(move("a", "p1", "drop", 300, 3, 6)), List.of()); // a stale view of a
        tally.observe(List.of(), List.of(move("d", "p1", "cancelled", 5, 1, 6)));
        assertThat(tally.seen()).isEqualTo(2);
        assertThat(tally.done()).isEqualTo(1);
        assertThat(tally.cancelled()).isEqualTo(1);
        assertThat(tally.bytesCopied()).isEqualTo(305);
    }
}
