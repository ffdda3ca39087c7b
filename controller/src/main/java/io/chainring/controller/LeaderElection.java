package io.chainring.controller;

import io.chainring.controller.leader.LeaderGuard;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;

/**
 * The controller's part in the election: a Curator {@link LeaderLatch} whose participant id is
 * the admin address, plus the {@link ConnectionGuard}. As a {@link LeaderGuard} it allows acting
 * only while the controller runs, holds the latch and trusts its connection; its term moves on
 * every connection doubt and every loss of leadership.
 */
final class LeaderElection implements LeaderGuard {
    private final LeaderLatch latch;
    private final String latchPath;
    private final BooleanSupplier running;
    private final ConnectionGuard connection = new ConnectionGuard();
    private final AtomicLong leadershipLosses = new AtomicLong();

    LeaderElection(CuratorFramework zk, String latchPath, String participantId, BooleanSupplier running) {
        this.latchPath = Objects.requireNonNull(latchPath, "latchPath");
        this.running = Objects.requireNonNull(running, "running");
        zk.getConnectionStateListenable().addListener(connection);
        this.latch = new LeaderLatch(zk, latchPath, participantId);
        // no executor: runs on the latch's thread the moment leadership goes, so a pass in flight sees it
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                // winning needs no bookkeeping here; the term moves on losses
            }

            @Override
            public void notLeader() {
                leadershipLosses.incrementAndGet();
            }
        });
    }

    /**
     * Joins the election; {@code listener} is called on {@code executor}. Returns once this
     * participant's znode exists (so the controller is visible to others), or fails after
     * {@code joinTimeout}.
     */
    void start(LeaderLatchListener listener, Executor executor, Duration joinTimeout) {
        latch.addListener(listener, executor);
        try {
            latch.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot join the controller election at " + latchPath, e);
        }
        long deadline = System.nanoTime() + joinTimeout.toNanos();
        while (latch.getOurPath() == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("joined the controller election at " + latchPath
                        + " but no participant znode appeared within " + joinTimeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while joining the controller election", e);
            }
        }
    }

    @Override
    public boolean mayAct() {
        return running.getAsBoolean() && connection.connected() && latch.hasLeadership();
    }

    @Override
    public long term() {
        return connection.interruptions() + leadershipLosses.get();
    }

    /** Leaves the election if it was joined; safe to call more than once (the latch itself is not). */
    synchronized void leave() throws IOException {
        if (latch.getState() == LeaderLatch.State.STARTED) {
            latch.close();
        }
    }
}
