package io.chainring.controller;

import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lifecycle of a server: NEW → STARTING → RUNNING → CLOSED, where any state may go to
 * CLOSED. One small state machine checks every transition (in the spirit of Ratis'
 * {@code LifeCycle} and Curator's {@code LeaderLatch} state), instead of ad-hoc flags.
 */
public final class Lifecycle {
    /** The states, in the only order they may be visited. */
    public enum State { NEW, STARTING, RUNNING, CLOSED }

    private static final Map<State, Set<State>> ALLOWED = Map.of(
            State.NEW, EnumSet.of(State.STARTING, State.CLOSED),
            State.STARTING, EnumSet.of(State.RUNNING, State.CLOSED),
            State.RUNNING, EnumSet.of(State.CLOSED),
            State.CLOSED, EnumSet.noneOf(State.class));

    private final String name;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

    public Lifecycle(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public State current() {
        return state.get();
    }

    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    /**
     * Moves from {@code from} to {@code to}.
     *
     * @throws IllegalStateException when the state is not {@code from} (e.g. a second start)
     */
    public void transition(State from, State to) {
        if (!ALLOWED.get(from).contains(to)) {
            throw new IllegalArgumentException(name + ": " + from + " → " + to + " is not a lifecycle transition");
        }
        if (!state.compareAndSet(from, to)) {
            State now = state.get();
            String hint = from == State.NEW && now != State.NEW ? " (start() may be called only once)" : "";
            throw new IllegalStateException(name + " cannot go from " + from + " to " + to + ": it is " + now + hint);
        }
    }

    /** Moves to CLOSED from wherever it is; returns the state it was in (CLOSED if already closed). */
    public State close() {
        return state.getAndSet(State.CLOSED);
    }

    @Override
    public String toString() {
        return name + "[" + state.get() + "]";
    }
}
