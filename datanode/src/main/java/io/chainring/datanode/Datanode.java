package io.chainring.datanode;

import io.chainring.datanode.replication.Replication;
import io.chainring.datanode.replication.ReplicationFaults;
import io.chainring.datanode.metrics.DatanodeMetrics;
import io.chainring.datanode.server.InlineMethods;
import io.chainring.datanode.server.KvHandler;
import io.chainring.transport.Access;
import io.chainring.transport.MemberHandshake;
import io.chainring.transport.EventLoops;
import io.chainring.transport.ThriftServer;
import io.chainring.transport.ThriftServices;
import io.chainring.transport.TransportConfig;
import io.chainring.datanode.server.NodeAdminHandler;
import io.chainring.datanode.server.ReplicationCalls;
import io.chainring.datanode.server.ReplicationHandler;
import io.chainring.datanode.server.RequestLimits;
import io.chainring.datanode.storage.StorageEngine;
import io.chainring.metadata.ClusterIdStore;
import io.chainring.metadata.ControllerDirectory;
import io.chainring.metadata.LiveRegistration;
import io.chainring.metadata.NodeRegistry;
import io.chainring.metadata.ThrottleStore;
import io.chainring.metadata.WriteRefusals;
import io.chainring.metadata.ZkClients;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.thrift.KvService;
import io.chainring.thrift.NodeAdminService;
import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.ReplicationService;
import io.chainring.thrift.Unauthorized;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A datanode process: JE storage, a ZooKeeper registration and ring watch, and the Thrift port.
 *
 * <p>{@link #start()} opens storage, connects to ZooKeeper, binds the Thrift port (requests get
 * {@code NotServing} until the node has a ring), registers the node with its bound address and
 * announces it live, then follows the ring. The node serves only while its ZooKeeper
 * connection is up (DESIGN §6.4). Restarting with the same id and data directory brings the
 * node back with its data.
 */
public final class Datanode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Datanode.class);
    /**
     * Threads for the parts of inline calls that may wait: a dirty key's read from the tail, a call
     * at a ring epoch this node has not seen yet, catch-up chunks (DESIGN "Threads").
     */
    private static final int WAIT_THREADS = 32;
    private static final int MAX_WAITING_CALLS = 10_000;

    /** Lifecycle: each transition happens once, in this order. */
    private enum State { NEW, STARTING, RUNNING, CLOSED }

    private final DatanodeConfig config;
    private final Clock clock;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    /** What start opened, closed in reverse order. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private volatile StorageEngine storage;
    private volatile ZkRingView ringView;
    private volatile Replication replication;
    private volatile ThriftServer server;
    private volatile DatanodeMetrics metrics;
    private volatile LiveRegistration liveRegistration;
    private volatile DiskGuard diskGuard;

    public Datanode(DatanodeConfig config) {
        this(config, Clock.systemUTC());
    }

    public Datanode(DatanodeConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public NodeId nodeId() {
        return config.nodeId();
    }

    public DatanodeConfig config() {
        return config;
    }

    /**
     * Starts the node; returns once it is registered and live in ZooKeeper (it serves as soon as
     * a ring is known). Fails clearly, leaving nothing open, when storage or ZooKeeper cannot be
     * reached.
     *
     * @throws IllegalStateException when called twice
     */
    public Datanode start() throws Exception {
        if (!state.compareAndSet(State.NEW, State.STARTING)) {
            throw new IllegalStateException("datanode " + config.nodeId() + " was already started (state " + state.get() + ")");
        }
        try {
            doStart();
        } catch (Exception | Error e) {
            LOG.error("datanode {} failed to start: {}", config.nodeId(), e.toString());
            state.set(State.CLOSED);
            closeResources(e);
            throw e;
        }
        state.set(State.RUNNING);
        LOG.info("datanode {} started on {} (cluster {}, data {}, durability {})", config.nodeId(),
                config.advertisedAddress(server.port()), config.cluster(), config.dataDir(), config.durability().configName());
        return this;
    }

    private void doStart() throws Exception {
        LOG.info("datanode {} starting: {}", config.nodeId(), config);
        CuratorFramework zk = track(ZkClients.connect(config.zkConnect(), config.zkSessionTimeout(), config.zkConnectTimeout(),
                config.zkAuth()));
        // the directory must be this node's, of this cluster, before a byte of it is served
        DataDirStamp stamp = DataDirStamp.claim(config.dataDir(), config.cluster(),
                new ClusterIdStore(zk, config.cluster()).getOrCreate(), config.nodeId());
        storage = track(StorageEngine.open(config.storageConfig()));
        ringView = track(new ZkRingView(config.nodeId(), zk, config.cluster(), this::onNewRing));
        // at the free-disk limit the node refuses writes, says so, and tells the cluster (issue 12 defect 5)
        WriteRefusals refusals = new WriteRefusals(zk, config.cluster());
        StorageEngine store = storage;
        diskGuard = track(new DiskGuard(config.nodeId(), store::diskSpace, r -> refusals.publish(config.nodeId(), r)));
        AtomicReference<Map<NodeId, String>> others = new AtomicReference<>(Map.of());
        track(refusals.watch(others::set));
        DiskGuard guard = diskGuard;
        ringView.writeRefusals(node -> node.equals(config.nodeId()) ? guard.refusal()
                : Optional.ofNullable(others.get().get(node)));
        metrics = track(new DatanodeMetrics(config.nodeId(), storage, this::isServing, this::ring,
                () -> replication == null ? List.of() : replication.status(), new DatanodeMetrics.CatchUpMeters() {
                    @Override
                    public long throttleBytesPerSecond() {
                        Replication r = replication;
                        return r == null ? 0 : r.throttleBytesPerSecond();
                    }

                    @Override
                    public long catchUpBytesTotal() {
                        Replication r = replication;
                        return r == null ? 0 : r.catchUpBytesTotal();
                    }
                }, config.metricsPort() >= 0));
        metrics.writeRefusal(guard::refusal);

        RequestLimits limits = config.requestLimits();
        ZkRingView view = ringView;
        TransportConfig transport = TransportConfig.of(config.host(), config.port(), limits.maxFrameBytes());
        // one set of event loops serves clients and carries the streams to and from peers (DESIGN "Threads");
        // tracked first, closed last: the server and the streams stop before their loops
        EventLoops loops = track(EventLoops.create("datanode-" + config.nodeId(), transport.ioThreads()));
        replication = track(new Replication(config.nodeId(), storage, new Replication.RingSource() {
            @Override
            public Optional<Ring> current() {
                return view.current();
            }

            @Override
            public Optional<Ring> refresh() {
                return view.refresh();
            }
        }, config.replication(), limits.maxFrameBytes(), clock,
                config.clusterSecret().map(s -> new MemberHandshake.Credentials(s, config.nodeId().value())), loops));
        Replication started = replication;
        DatanodeMetrics meters = metrics;
        started.foregroundLatency(() -> meters.lastSecondLatency().percentileMicros(99));
        // the cluster's catch-up throttle (DESIGN §7): the value in force now, then every change
        track(new ThrottleStore(zk, config.cluster()).watch(started::setThrottle));
        ControllerDirectory controllers = new ControllerDirectory(zk, config.cluster());
        ThreadPoolExecutor waits = new ThreadPoolExecutor(WAIT_THREADS, WAIT_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(MAX_WAITING_CALLS), new ThreadFactory() {
                    private final AtomicInteger next = new AtomicInteger();

                    @Override
                    public Thread newThread(Runnable r) {
                        Thread t = new Thread(r, "waits-" + config.nodeId() + "-" + next.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    }
                });
        waits.allowCoreThreadTimeOut(true);
        track(waits::shutdownNow);
        KvHandler kv = new KvHandler(config.nodeId(), ringView, storage, limits, replication, waits);
        NodeAdminHandler admin = new NodeAdminHandler(config.nodeId(), config.cluster(), this::addressText, ringView, storage,
                limits, replication, controllers::leaderAddress, clock, new NodeAdminHandler.ClientLoad() {
                    @Override
                    public long requestsTotal() {
                        return metrics.clientLatency().count();
                    }

                    @Override
                    public long requestP99Micros() {
                        return metrics.clientLatency().percentileMicros(99);
                    }
                });
        ReplicationHandler replicationHandler = new ReplicationHandler(config.nodeId(), ringView, storage, limits, replication);
        ReplicationCalls replicationCalls = new ReplicationCalls(config.nodeId(),
                metrics.instrumentReplication(ReplicationService.Iface.class, replicationHandler), ringView, waits);
        ThriftServices services = ThriftServices.builder()
                .async("kv", metrics.instrumentAsync(KvService.AsyncIface.class, kv, KvService.Iface.class),
                        new KvService.AsyncProcessor<KvService.AsyncIface>(kv).getProcessMapView(), InlineMethods.kv(config.durability()))
                .async("replication", replicationCalls, new ReplicationService.AsyncProcessor<ReplicationService.AsyncIface>(
                        replicationCalls).getProcessMapView(),
                        InlineMethods.replication(config.durability(), config.replication().faults() != ReplicationFaults.NONE))
                .blocking("node-admin", new NodeAdminService.Processor<>(admin))
                // internal services need the cluster-member handshake (DESIGN: Security); node-admin's
                // read-only stats and clusterInfo stay open to the CLI, the admin UI and clients
                .access("replication", Access.MEMBERS)
                .access("node-admin", Access.membersExcept("stats", "clusterInfo"))
                .refusal(message -> new Unauthorized(ErrorCode.UNAUTHORIZED, message))
                .build();
        server = track(ThriftServer.start(transport, services, config.clusterSecret(), loops));

        NodeRegistry registry = new NodeRegistry(zk, config.cluster());
        // claim the id before touching its registration: a second process under a live id is refused
        // here, before it could point the ring at its own address
        LiveRegistration live = track(registry.claimLive(config.nodeId(), stamp.incarnation(), config.zkSessionTimeout()));
        liveRegistration = live;
        HostPort address = config.advertisedAddress(server.port());
        NodeInfo stored = registry.register(new NodeInfo(config.nodeId(), address, config.zone(), NodeState.NEW));
        LOG.info("datanode {} registered at {} in zone {} (state {})", stored.id(), stored.address(), stored.zone(), stored.state());
        if (!live.awaitCreated(config.zkConnectTimeout())) {
            throw new IllegalStateException("live znode of " + config.nodeId() + " not created within " + config.zkConnectTimeout());
        }
        ringView.start();
        diskGuard.start();
        if (config.metricsPort() >= 0) {
            metrics.serve(config.host(), config.metricsPort());
        }
    }

    /** The bound Thrift port. */
    public int port() {
        ThriftServer s = server;
        if (s == null) {
            throw new IllegalStateException("datanode " + config.nodeId() + " is not started");
        }
        return s.port();
    }

    /** The port of /metrics, /healthz and /readyz, if the node serves them. */
    public Optional<Integer> metricsPort() {
        DatanodeMetrics m = metrics;
        return m == null ? Optional.empty() : m.port();
    }

    /** Key+value bytes this node received by catch-up passes since it started (0 before it started). */
    public long catchUpBytesTotal() {
        Replication r = replication;
        return r == null ? 0 : r.catchUpBytesTotal();
    }

    /**
     * Changes the free space the node keeps on its data volume (JE's {@code FREE_DISK}) at run time
     * and re-checks it at once: a node set above its free space refuses writes as if its disk were
     * full (how the tests make a node "full" without filling a disk).
     */
    public void setMinFreeDisk(long bytes) {
        storage.setMinFreeDisk(bytes);
        diskGuard.checkSoon();
    }

    /** Why the node refuses writes now (at its free-disk limit), if it does. */
    public Optional<String> writeRefusal() {
        DiskGuard g = diskGuard;
        return g == null ? Optional.empty() : g.refusal();
    }

    /** Whether the node answers requests now: running, connected to ZooKeeper, with a ring, storage healthy. */
    public boolean isServing() {
        LiveRegistration live = liveRegistration;
        return state.get() == State.RUNNING && ringView.serving() && storage.isHealthy() && live != null && !live.conflicted();
    }

    /** The newest ring the node knows. */
    public Optional<Ring> ring() {
        ZkRingView v = ringView;
        return v == null ? Optional.empty() : v.current();
    }

    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        LOG.info("datanode {} stopping", config.nodeId());
        // stop answering before the live znode goes, so nobody is served after the node announced leaving
        ThriftServer s = server;
        if (s != null) {
            s.close();
        }
        closeResources(null);
        LOG.info("datanode {} stopped", config.nodeId());
    }

    /**
     * Opens the store of every partition whose chain or learners have this node, remembers the
     * epoch (DESIGN §6.4), and repositions the replicas (chain changes, learners).
     */
    private void onNewRing(Ring ring) {
        StorageEngine s = storage;
        if (s == null || state.get() == State.CLOSED) {
            return;
        }
        try {
            if (ring.epoch() < s.highestSeenEpoch()) {
                LOG.warn("datanode {}: ZooKeeper has ring epoch {} but this node has seen epoch {}; was the cluster's "
                        + "metadata reset while this data directory was kept?", config.nodeId(), ring.epoch(), s.highestSeenEpoch());
            }
            s.recordSeenEpoch(ring.epoch());
            int opened = 0;
            for (Partition p : ring.partitionsInvolving(config.nodeId())) {
                if (s.openedPartition(p.id()).isEmpty()) {
                    s.partition(p.id());
                    opened++;
                }
            }
            Replication r = replication;
            if (r != null) {
                r.onRing(ring);
            }
            LOG.info("datanode {}: ring epoch {}, in {} chains, learner of {} ({} stores opened)", config.nodeId(), ring.epoch(),
                    ring.partitionsOf(config.nodeId()).size(),
                    ring.partitionsInvolving(config.nodeId()).size() - ring.partitionsOf(config.nodeId()).size(), opened);
        } catch (RuntimeException e) {
            LOG.error("datanode {}: cannot apply ring epoch {}", config.nodeId(), ring.epoch(), e);
        }
    }

    private String addressText() {
        ThriftServer s = server;
        return s == null ? config.host() : config.advertisedAddress(s.port()).toString();
    }

    private <T extends AutoCloseable> T track(T resource) {
        synchronized (resources) {
            resources.push(resource);
        }
        return resource;
    }

    private void closeResources(Throwable primary) {
        synchronized (resources) {
            while (!resources.isEmpty()) {
                AutoCloseable r = resources.pop();
                try {
                    r.close();
                } catch (Exception e) {
                    if (primary != null) {
                        primary.addSuppressed(e);
                    } else {
                        LOG.warn("datanode {}: error while closing {}", config.nodeId(), r.getClass().getSimpleName(), e);
                    }
                }
            }
        }
    }
}
