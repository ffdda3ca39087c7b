package io.chainring.controller;

import io.chainring.controller.admin.AdminHandler;
import io.chainring.controller.admin.AdminGate;
import io.chainring.controller.migration.MigrationLedger;
import io.chainring.controller.migration.PlanMaker;
import io.chainring.controller.migration.RebalanceService;
import io.chainring.metadata.MigrationStore;
import io.chainring.metadata.ThrottleStore;
import io.chainring.controller.admin.AdminServer;
import io.chainring.controller.leader.LeaderPipeline;
import io.chainring.controller.metrics.ControllerMetrics;
import io.chainring.controller.leader.ReportingReader;
import io.chainring.controller.leader.RingDecider;
import io.chainring.controller.leader.RingWriter;
import io.chainring.controller.state.ClusterStateReader;
import io.chainring.controller.state.StatsPoller;
import io.chainring.metadata.ClusterConfig;
import io.chainring.metadata.ClusterConfigStore;
import io.chainring.metadata.ControllerDirectory;
import io.chainring.metadata.NodeRegistry;
import io.chainring.metadata.RingStore;
import io.chainring.metadata.ZkClients;
import io.chainring.metadata.ZkPaths;
import io.chainring.ring.HostPort;
import io.chainring.ring.plan.PlacementPlanner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller process (DESIGN §1): takes part in the leader election at
 * {@code controller/latch} under its admin address, serves the {@code controller-admin} Thrift
 * service, and while it leads runs the {@link LeaderPipeline} on one thread, triggered by
 * watches on {@code nodes/} and {@code live/} and by a periodic tick.
 *
 * <p>The leader acts only while it holds the latch and its ZooKeeper connection is CONNECTED or
 * RECONNECTED; every ring write is fenced by the znode version read in the same pass.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} any number of times.
 */
public final class Controller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    /** Pass period while a plan runs: a move's next step need not wait for the tick. */
    private static final java.time.Duration MIGRATION_PASS = java.time.Duration.ofMillis(200);

    private final ControllerConfig config;
    private final PlacementPlanner planner;
    private final Clock clock;
    private final Lifecycle lifecycle;
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final List<CuratorCache> watches = new ArrayList<>();

    // set while starting, read by other threads afterwards
    private volatile CuratorFramework zk;
    private volatile ClusterConfig shape;
    private volatile AdminServer admin;
    private volatile String adminAddress;
    private volatile ScheduledExecutorService leaderThread;
    private volatile LeaderPipeline pipeline;
    private volatile LeaderElection election;
    private volatile StatsPoller stats;
    private volatile ControllerMetrics metrics;

    public Controller(ControllerConfig config, PlacementPlanner planner) {
        this(config, planner, Clock.systemUTC());
    }

    public Controller(ControllerConfig config, PlacementPlanner planner, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifecycle = new Lifecycle("controller of cluster '" + config.cluster() + "'");
    }

    /**
     * Connects to ZooKeeper, settles the cluster config, starts the admin service and joins the
     * election. On failure everything started so far is stopped and the controller is closed.
     *
     * @throws IllegalStateException    on a second start, or when the cluster's config disagrees
     * @throws IllegalArgumentException when the min chain for writes does not fit the replication
     */
    public synchronized Controller start() {
        lifecycle.transition(Lifecycle.State.NEW, Lifecycle.State.STARTING);
        try {
            startServices();
            lifecycle.transition(Lifecycle.State.STARTING, Lifecycle.State.RUNNING);
        } catch (RuntimeException | Error e) {
            lifecycle.close();
            stopServices();
            throw e;
        }
        log.info("controller {} of cluster '{}' running: {}, {}", adminAddress, config.cluster(), shape.describe(),
                config);
        trigger();
        return this;
    }

    private void startServices() {
        String cluster = config.cluster();
        zk = ZkClients.connect(config.zkConnect(), config.sessionTimeout(), config.connectTimeout(), config.zkAuth());
        shape = ClusterShape.resolve(new ClusterConfigStore(zk, cluster), config.partitions(), config.replication(),
                config.minChainForWrites());

        ClusterStateReader reader = new ClusterStateReader(zk, cluster);
        ControllerDirectory directory = new ControllerDirectory(zk, cluster);
        stats = new StatsPoller(config.statsTimeout());
        NodeRegistry registry = new NodeRegistry(zk, cluster);
        MigrationStore migrationStore = new MigrationStore(zk, cluster);
        RebalanceSettings rebalance = config.rebalance();
        RebalanceService rebalancing = new RebalanceService(reader, stats::poll, new PlanMaker(planner), migrationStore,
                registry, new ThrottleStore(zk, cluster), rebalance.maxMovesPerNode(), clock);
        admin = AdminServer.start(config.host(), config.port(), new AdminHandler(cluster, shape, reader,
                directory::leaderAddress, rebalancing, AdminGate.of(rebalance.adminToken())));
        adminAddress = new HostPort(config.host(), admin.port()).toString();

        leaderThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "controller-leader-" + cluster);
            t.setDaemon(true);
            return t;
        });
        ZkPaths paths = new ZkPaths(cluster);
        election = new LeaderElection(zk, paths.controllerLatch(), adminAddress, lifecycle::isRunning);
        RingDecider decider = new RingDecider(cluster, shape, config.autoJoin(), config.minNodes(), config.settle(),
                planner, config.maxCatchUpsPerNode(), rebalance.autoAdd(), rebalance.maxMovesPerNode());
        RingWriter writer = new RingWriter(new RingStore(zk, cluster), registry);
        pipeline = new LeaderPipeline(new ReportingReader(reader::read, stats::poll), decider, writer, clock, election,
                new MigrationLedger(migrationStore, registry));

        watch(paths.nodes());
        watch(paths.live());
        watch(paths.writeRefusals());
        watch(paths.plan());
        election.start(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                log.info("controller {} now leads cluster '{}'", adminAddress, cluster);
                pipeline.newTerm();
                runPass();
            }

            @Override
            public void notLeader() {
                log.info("controller {} no longer leads cluster '{}'", adminAddress, cluster);
            }
        }, leaderThread, config.connectTimeout());
        long tick = config.tick().toMillis();
        leaderThread.scheduleWithFixedDelay(this::runPass, tick, tick, TimeUnit.MILLISECONDS);
        if (config.metricsPort() >= 0) {
            CuratorFramework client = zk;
            metrics = ControllerMetrics.start("controller " + adminAddress, config.host(), config.metricsPort(), reader::read,
                    rebalancing::migrations, this::isLeader, () -> lifecycle.isRunning() && client.getZookeeperClient().isConnected());
        }
    }

    private void watch(String path) {
        CuratorCache cache = CuratorCache.build(zk, path);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldData, data) -> trigger())
                .forInitialized(this::trigger)
                .build());
        watches.add(cache);
        cache.start();
    }

    /** Queues one pass unless one is queued already (bursts of watch events collapse into one). */
    private void trigger() {
        ScheduledExecutorService exec = leaderThread;
        if (exec == null || !passQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            exec.execute(() -> {
                passQueued.set(false);
                runPass();
            });
        } catch (RejectedExecutionException closing) {
            // the leader thread is shut down: the controller is closing and wants no more passes
            passQueued.set(false);
        }
    }

    private void runPass() {
        try {
            pipeline.runOnce();
            if (pipeline.migrating() && lifecycle.isRunning()) {
                ScheduledExecutorService exec = leaderThread;
                exec.schedule(this::trigger, MIGRATION_PASS.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            if (lifecycle.isRunning()) {
                log.warn("leader pass failed; the next tick tries again", e);
            } else {
                log.debug("leader pass cut short by close: {}", e.toString());
            }
        }
    }

    /**
     * True while this controller leads and may act: it is running, holds the latch, and its
     * ZooKeeper connection is CONNECTED/RECONNECTED.
     */
    public boolean isLeader() {
        LeaderElection e = election;
        return e != null && e.mayAct();
    }

    /** The port of /metrics, /healthz and /readyz, if this controller serves them. */
    public java.util.Optional<Integer> metricsPort() {
        ControllerMetrics m = metrics;
        return m == null ? java.util.Optional.empty() : java.util.Optional.of(m.port());
    }

    /** The admin service's port. */
    public int port() {
        requireStarted();
        return admin.port();
    }

    /** The admin address, {@code host:port}; also this controller's id in the election. */
    public String adminAddress() {
        requireStarted();
        return adminAddress;
    }

    /** The cluster config in force (Q and R). */
    public ClusterConfig clusterConfig() {
        requireStarted();
        return shape;
    }

    public Lifecycle.State state() {
        return lifecycle.current();
    }

    private void requireStarted() {
        if (adminAddress == null) {
            throw new IllegalStateException("controller not started (it is " + lifecycle.current() + ")");
        }
    }

    /** Leaves the election, stops the leader thread and the admin service, and disconnects. Idempotent. */
    @Override
    public synchronized void close() {
        Lifecycle.State was = lifecycle.close();
        if (was == Lifecycle.State.CLOSED) {
            return;
        }
        stopServices();
        if (was == Lifecycle.State.NEW) {
            log.debug("controller of cluster '{}' closed before it was started", config.cluster());
        } else {
            log.info("controller {} of cluster '{}' closed", adminAddress, config.cluster());
        }
    }

    /** Stops whatever was started, in reverse order; each step runs even if an earlier one failed. */
    private void stopServices() {
        // leave the election first, so a follower can take over while we finish closing
        LeaderElection e = election;
        if (e != null) {
            step("leave the controller election", e::leave);
        }
        ScheduledExecutorService exec = leaderThread;
        if (exec != null) {
            step("stop the leader thread", () -> {
                exec.shutdownNow();
                if (!exec.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("leader thread still busy 5 s after close");
                }
            });
        }
        StatsPoller poller = stats;
        if (poller != null) {
            step("stop the stats poller", poller::close);
        }
        for (CuratorCache cache : watches) {
            step("stop a ZooKeeper watch", cache::close);
        }
        watches.clear();
        AdminServer a = admin;
        if (a != null) {
            step("stop the admin service", a::close);
        }
        ControllerMetrics m = metrics;
        if (m != null) {
            step("stop the metrics endpoint", m::close);
        }
        CuratorFramework client = zk;
        if (client != null) {
            step("disconnect from ZooKeeper", client::close);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(String what, Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while trying to {}", what);
        } catch (Exception e) {
            log.warn("could not {} cleanly", what, e);
        }
    }
}
