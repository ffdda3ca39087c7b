package io.chainring.adminui.cluster;

import io.chainring.client.AdminClient;
import io.chainring.client.ClusterStatus;
import io.chainring.client.NodeStatus;
import io.chainring.client.RingSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the cluster on one background thread: the plan and migrations (through
 * {@link ClusterActions}), the controller's status and ring (through {@link AdminClient}), then
 * every live datanode's stats in parallel. Each poll replaces the
 * current {@link ClusterSnapshot}, feeds the {@link EventLog} and the {@link WriteRates}. Pages
 * read the snapshot, so a page view never waits for the cluster.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} stops the threads (the admin client is
 * the caller's).
 */
public final class ClusterPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterPoller.class);

    private final AdminClient admin;
    private final NodeStatsClient stats;
    private final ClusterActions actions;
    private final EventLog events;
    private final WriteRates rates;
    private final Duration interval;
    private final Clock clock;
    private final AtomicReference<ClusterSnapshot> current;
    private final AtomicLong goodPolls = new AtomicLong();
    private final AtomicLong failedPolls = new AtomicLong();
    private final ScheduledExecutorService timer;
    private final ExecutorService fetchers;
    private volatile String lastLoggedError;
    /** The plan as the last poll saw it; {@link #planSeen} false until a poll got an answer. */
    private volatile ClusterActions.PlanStatus lastPlan;
    private volatile boolean planSeen;
    private volatile ClusterActions.Migrations lastMigrations;

    /** @param actions where the plan and migrations are read from (their changes go to the event log) */
    public ClusterPoller(AdminClient admin, NodeStatsClient stats, ClusterActions actions, EventLog events,
                         WriteRates rates, Duration interval, Clock clock) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.events = Objects.requireNonNull(events, "events");
        this.rates = Objects.requireNonNull(rates, "rates");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.current = new AtomicReference<>(ClusterSnapshot.initial(clock.instant()));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("admin-ui-poller"));
        this.fetchers = Executors.newFixedThreadPool(4, daemon("admin-ui-stats"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Polls at once and then every interval. */
    public ClusterPoller start() {
        timer.scheduleWithFixedDelay(this::pollSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The newest snapshot (never null). */
    public ClusterSnapshot snapshot() {
        return current.get();
    }

    public long goodPolls() {
        return goodPolls.get();
    }

    public long failedPolls() {
        return failedPolls.get();
    }

    private void pollSafely() {
        try {
            pollOnce();
        } catch (RuntimeException e) {
            // a bug here must not stop the schedule; the next poll tries again
            LOG.error("admin UI poll failed unexpectedly", e);
        }
    }

    /** One poll; public for tests that want a fresh view without waiting. */
    public synchronized ClusterSnapshot pollOnce() {
        ClusterSnapshot before = current.get();
        ClusterSnapshot after;
        // the plan before the ring: a plan seen DONE is then measured against a ring that has all its changes
        ClusterActions.Migrations migrations = fetchMigrations();
        try {
            ClusterStatus status = admin.status();
            RingSnapshot ring = admin.ring();
            Map<String, NodeReport> reports = fetchStats(status.nodes());
            Instant now = clock.instant();
            after = new ClusterSnapshot(now, status, ring, reports, null, now);
            goodPolls.incrementAndGet();
            if (lastLoggedError != null) {
                LOG.info("admin UI reaches the cluster again (controller {})", status.controller());
                lastLoggedError = null;
            }
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            after = before.failed(clock.instant(), "cannot reach the controller: " + why);
            failedPolls.incrementAndGet();
            if (!why.equals(lastLoggedError)) {
                LOG.warn("admin UI cannot reach the controller: {}", why);
                lastLoggedError = why;
            }
        }
        current.set(after);
        if (after.error() == null) {
            events.observe(before.error() == null ? before : lastGood(before), after);
            rates.observe(after);
            if (migrations != null) {
                ClusterActions.PlanStatus plan = withStartEpoch(migrations.plan(), before, after);
                events.observePlan(planSeen, lastPlan, plan, after.ring().epoch());
                lastPlan = plan;
                planSeen = true;
            }
        }
        return after;
    }

    /**
     * A plan started elsewhere (the CLI, another UI) does not say its start epoch: it is taken as
     * the epoch of the last poll before the plan appeared (the ring it was planned from).
     */
    private ClusterActions.PlanStatus withStartEpoch(ClusterActions.PlanStatus plan, ClusterSnapshot before,
                                                     ClusterSnapshot after) {
        if (plan == null || plan.ringEpochAtStart() > 0) {
            return plan;
        }
        if (lastPlan != null && lastPlan.id().equals(plan.id())) {
            return copyWithEpoch(plan, lastPlan.ringEpochAtStart());
        }
        long epoch = before.hasData() && planSeen ? before.ring().epoch() : after.ring().epoch();
        return copyWithEpoch(plan, epoch);
    }

    private static ClusterActions.PlanStatus copyWithEpoch(ClusterActions.PlanStatus p, long epoch) {
        return new ClusterActions.PlanStatus(p.id(), p.action(), p.nodes(), p.state(), p.movesPlanned(), epoch,
                p.createdMillis(), p.finishedMillis(), p.note(), p.estimatedBytes());
    }

    /** The migrations as the last poll read them (null when not read yet, or the cluster cannot say). */
    public ClusterActions.Migrations migrations() {
        return lastMigrations;
    }

    private ClusterActions.Migrations fetchMigrations() {
        try {
            ClusterActions.Migrations m = actions.migrations();
            lastMigrations = m;
            return m;
        } catch (ActionUnavailableException e) {
            lastMigrations = null;
            return null; // this cluster cannot migrate: nothing to watch
        } catch (RuntimeException e) {
            // the status call below will fail too and say why; plan events wait for the next good read
            LOG.debug("admin UI: reading migrations failed: {}", e.toString());
            return null;
        }
    }

    /** A failed snapshot still holds the last good data, which is what a change is measured against. */
    private static ClusterSnapshot lastGood(ClusterSnapshot s) {
        return new ClusterSnapshot(s.at(), s.status(), s.ring(), s.reports(), null, s.lastSuccess());
    }

    private Map<String, NodeReport> fetchStats(List<NodeStatus> nodes) {
        Map<String, CompletableFuture<NodeReport>> pending = new LinkedHashMap<>();
        for (NodeStatus n : nodes) {
            if (n.live()) {
                pending.put(n.id(), CompletableFuture.supplyAsync(() -> fetch(n), fetchers));
            }
        }
        Map<String, NodeReport> out = new LinkedHashMap<>();
        pending.forEach((id, f) -> out.put(id, f.join()));
        return out;
    }

    private NodeReport fetch(NodeStatus n) {
        long start = System.nanoTime();
        try {
            NodeReport.Stats s = stats.stats(n.address());
            return NodeReport.ok(n.id(), clock.instant(), Duration.ofNanos(System.nanoTime() - start), s);
        } catch (TException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.debug("stats of {} at {} failed: {}", n.id(), n.address(), why);
            return NodeReport.failed(n.id(), clock.instant(), Duration.ofNanos(System.nanoTime() - start),
                    "stats call to " + n.address() + " failed: " + why);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        fetchers.shutdownNow();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("admin UI poller still busy 5 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
