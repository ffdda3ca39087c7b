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
 * Polls the cluster on one background thread: the controller's status and ring (through
 * {@link AdminClient}), then every live datanode's stats in parallel. Each poll replaces the
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

    public ClusterPoller(AdminClient admin, NodeStatsClient stats, EventLog events, WriteRates rates, Duration interval,
                         Clock clock) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.stats = Objects.requireNonNull(stats, "stats");
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
        }
        return after;
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
