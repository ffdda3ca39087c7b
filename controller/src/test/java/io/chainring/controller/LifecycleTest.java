package io.chainring.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.controller.Lifecycle.State;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    @Test
    void walksNewStartingRunningClosed() {
        Lifecycle l = new Lifecycle("thing");
        assertThat(l.current()).isEqualTo(State.NEW);
        l.transition(State.NEW, State.STARTING);
        l.transition(State.STARTING, State.RUNNING);
        assertThat(l.isRunning()).isTrue();
        assertThat(l.close()).isEqualTo(State.RUNNING);
        assertThat(l.close()).isEqualTo(State.CLOSED);
        assertThat(l.current()).isEqualTo(State.CLOSED);
    }

    @Test
    void refusesASecondStartWithAClearMessage() {
        Lifecycle l = new Lifecycle("thing");
        l.transition(State.NEW, State.STARTING);
        assertThatThrownBy(() -> l.transition(State.NEW, State.STARTING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("thing cannot go from NEW to STARTING: it is STARTING")
                .hasMessageContaining("only once");
    }

    @Test
    void refusesToStartOnceClosed() {
        Lifecycle l = new Lifecycle("thing");
        l.close();
        assertThatThrownBy(() -> l.transition(State.NEW, State.STARTING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("it is CLOSED");
    }

    @Test
    void rejectsTransitionsThatSkipStates() {
        Lifecycle l = new Lifecycle("thing");
        assertThatThrownBy(() -> l.transition(State.NEW, State.RUNNING))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a lifecycle transition");
        assertThatThrownBy(() -> l.transition(State.CLOSED, State.RUNNING))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(l.current()).isEqualTo(State.NEW);
    }
}
