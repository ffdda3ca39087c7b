package io.chainring.datanode.server;

import io.chainring.ring.Ring;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A ring view fed with real {@link Ring} objects by the test: {@code published} plays the
 * ring source (what a refresh reads), {@code current} what the node has seen so far.
 */
final class TestRingView implements RingView {
    private final AtomicReference<Ring> current = new AtomicReference<>();
    private final AtomicReference<Ring> published = new AtomicReference<>();
    private final AtomicBoolean serving = new AtomicBoolean(true);
    private final AtomicInteger refreshes = new AtomicInteger();

    TestRingView(Ring ring) {
        current.set(ring);
        published.set(ring);
    }

    /** The node learns of the ring at once (as if its watch fired). */
    void install(Ring ring) {
        current.set(ring);
        published.set(ring);
    }

    /** The ring source has a newer ring the node has not seen yet. */
    void publishOnly(Ring ring) {
        published.set(ring);
    }

    void serving(boolean value) {
        serving.set(value);
    }

    int refreshes() {
        return refreshes.get();
    }

    @Override
    public Optional<Ring> current() {
        return Optional.ofNullable(current.get());
    }

    @Override
    public Optional<Ring> refresh() {
        refreshes.incrementAndGet();
        Ring source = published.get();
        current.accumulateAndGet(source, (old, neu) -> old == null || neu.epoch() > old.epoch() ? neu : old);
        return current();
    }

    @Override
    public boolean serving() {
        return serving.get();
    }
}
