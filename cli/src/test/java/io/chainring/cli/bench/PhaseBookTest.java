package io.chainring.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PhaseBookTest {
    private static final long S = 1_000_000_000L;

    @Test
    void enteringAPhaseEndsTheOneBefore() {
        PhaseBook book = new PhaseBook(100 * S);
        assertThat(book.current()).isEmpty();
        book.enter(RebalancePhase.BEFORE, 100 * S);
        book.enter(RebalancePhase.DURING, 120 * S);
        assertThat(book.current()).contains(RebalancePhase.DURING);
        assertThat(book.durationSeconds(RebalancePhase.BEFORE, 999 * S)).isEqualTo(20.0);
        assertThat(book.durationSeconds(RebalancePhase.DURING, 130 * S)).as("still running: until now").isEqualTo(10.0);
        book.enter(RebalancePhase.AFTER, 155 * S);
        book.end(175 * S);
        assertThat(book.current()).isEmpty();
        assertThat(book.startSeconds(RebalancePhase.DURING)).contains(20.0);
        assertThat(book.endSeconds(RebalancePhase.DURING)).contains(55.0);
        assertThat(book.durationSeconds(RebalancePhase.DURING, 999 * S)).isEqualTo(35.0);
        assertThat(book.durationSeconds(RebalancePhase.AFTER, 999 * S)).isEqualTo(20.0);
    }

    @Test
    void aPhaseNeverEnteredHasNoSpan() {
        PhaseBook book = new PhaseBook(0);
        book.enter(RebalancePhase.BEFORE, 0);
        assertThat(book.startSeconds(RebalancePhase.AFTER)).isEmpty();
        assertThat(book.endSeconds(RebalancePhase.BEFORE)).isEmpty();
        assertThat(book.durationSeconds(RebalancePhase.AFTER, 5 * S)).isZero();
    }

    @Test
    void phasesGoOnlyForward() {
        PhaseBook book = new PhaseBook(0);
        book.enter(RebalancePhase.DURING, 0);
        assertThatThrownBy(() -> book.enter(RebalancePhase.BEFORE, S)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before cannot follow during");
        assertThatThrownBy(() -> book.enter(RebalancePhase.DURING, S)).isInstanceOf(IllegalStateException.class);
    }
}
