package io.chainring.datanode.server;

import io.chainring.ring.Ring;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    private volatile CountDownLatch refreshGate = new CountDownLatch(0);

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

    /** Refreshes block until the returned latch is counted down (a slow ZooKeeper read). */
    CountDownLatch holdRefreshes() {
        CountDownLatch gate = new CountDownLatch(1);
        refreshGate = gate;
        return gate;
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
        try {
            if (!refreshGate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the held refresh");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the refresh was held", e);
        }
        Ring source = published.get();
        current.accumulateAndGet(source, (old, neu) -> old == null || neu.epoch() > old.epoch() ? neu : old);
        return current();
    }

    @Override
    public boolean serving() {
        return serving.get();
    }
}
