package io.chainring.embedded;

import io.chainring.controller.Controller;
import io.chainring.controller.ControllerConfig;
import io.chainring.datanode.Datanode;
import io.chainring.datanode.DatanodeConfig;
import io.chainring.metadata.ZkAuth;
import io.chainring.transport.ClusterSecret;
import io.chainring.metadata.ZooKeeperServerRunner;
import io.chainring.ring.NodeId;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.BalancedPlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Chainring cluster in one JVM: a ZooKeeper server, a controller and N datanodes, on
 * loopback. Used by {@code chainring demo} and by tests (yours too: it is the quickest way to
 * get a real cluster). Ports are fixed when given, otherwise picked free. Without a data dir
 * the cluster lives in a temporary directory that {@link #close()} deletes.
 *
 * <p>Replication is 3 by default, capped at the number of datanodes (one datanode: R = 1).
 * ZooKeeper sessions are short ({@value Builder#DEFAULT_SESSION_TIMEOUT_SECONDS} s by default)
 * so that a datanode that stops without deregistering is noticed, and its chains repaired,
 * within seconds. Fault verbs for tests: {@link #stopDatanode}, {@link #killDatanode},
 * {@link #restartDatanode}, and {@link #awaitFullChains} to wait for repair.
 *
 * <pre>{@code
 * try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(3).partitions(64).build().start()) {
 *     try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).build()) { ... }
 * }
 * }</pre>
 */
public final class EmbeddedCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedCluster.class);
    private static final String HOST = "127.0.0.1";

    private final Builder settings;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Map<NodeId, DatanodeSlot> datanodes = new LinkedHashMap<>();
    private ZooKeeperServerRunner zookeeper;
    private Controller controller;
    private boolean started;

    private EmbeddedCluster(Builder settings) throws IOException {
        this.settings = settings;
        this.ownsDataDir = settings.dataDir == null;
        this.dataDir = ownsDataDir ? Files.createTempDirectory("chainring-embedded-") : settings.dataDir;
        for (int i = 1; i <= settings.nodes; i++) {
            NodeId id = NodeId.of("n" + i);
            int port = settings.firstDatanodePort == 0 ? 0 : settings.firstDatanodePort + i - 1;
            datanodes.put(id, new DatanodeSlot(id, port));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts ZooKeeper, the controller and every datanode, and returns once the first ring is
     * formed and every datanode serves it (bounded by the builder's start timeout).
     */
    public synchronized EmbeddedCluster start() throws Exception {
        if (started) {
            throw new IllegalStateException("embedded cluster already started");
        }
        started = true;
        Files.createDirectories(dataDir);
        zookeeper = ZooKeeperServerRunner.start(HOST, settings.zkPort, dataDir.resolve("zookeeper"));
        ControllerConfig.Builder cc = ControllerConfig.builder(zkConnect())
                .cluster(settings.cluster).host(HOST).port(settings.controllerPort)
                .partitions(settings.partitions).replication(replication())
                .autoJoin(true).minNodes(settings.nodes)
                .settle(Duration.ofMillis(200)).tick(Duration.ofMillis(250))
                .sessionTimeout(settings.sessionTimeout)
                .metricsPort(settings.metricsPortBase)
                .adminToken(settings.adminToken)
                .autoAdd(settings.autoAdd)
                .maxMovesPerNode(settings.maxMovesPerNode)
                .zkAuth(settings.zkAuth);
        settings.minChainForWrites.ifPresent(cc::minChainForWrites);
        controller = new Controller(cc.build(), new BalancedPlanner()).start();
        for (DatanodeSlot slot : datanodes.values()) {
            slot.start();
        }
        awaitServing(settings.startTimeout);
        log.info("embedded cluster '{}' serving: zookeeper {}, controller {}, datanodes {}", settings.cluster,
                zkConnect(), controllerAddress(), seeds());
        return this;
    }

    /** The datanodes' addresses as a seed list: {@code 127.0.0.1:p1,127.0.0.1:p2,...}. */
    public String seeds() {
        return datanodes.values().stream().filter(DatanodeSlot::isRunning)
                .map(s -> HOST + ":" + s.port).collect(Collectors.joining(","));
    }

    public String zkConnect() {
        return zookeeper.connectString();
    }

    public String controllerAddress() {
        return controller.adminAddress();
    }

    public String cluster() {
        return settings.cluster;
    }

    public Path dataDir() {
        return dataDir;
    }

    public List<NodeId> datanodeIds() {
        return List.copyOf(datanodes.keySet());
    }

    /** The controller's admin token (the builder's, or one generated for this cluster). */
    public String adminToken() {
        return settings.adminToken;
    }

    /**
     * Starts one more datanode ({@code n<k+1>}, the next port after the others when ports are
     * fixed). It registers as NEW and holds nothing until an ADD plan includes it (or the
     * controller adds it by itself with {@link Builder#autoAdd}). Returns its id.
     */
    public synchronized NodeId addDatanode() throws Exception {
        if (!started) {
            throw new IllegalStateException("start the cluster before adding datanodes");
        }
        int k = datanodes.size() + 1;
        NodeId id = NodeId.of("n" + k);
        int port = settings.firstDatanodePort == 0 ? 0 : settings.firstDatanodePort + k - 1;
        DatanodeSlot slot = new DatanodeSlot(id, port);
        datanodes.put(id, slot);
        slot.start();
        log.info("added datanode {} at {}:{} (NEW until a plan adds it)", id, HOST, slot.port);
        return id;
    }

    /** The replication factor in force: the builder's, or 3 capped at the number of datanodes. */
    public int replication() {
        return settings.replication.orElse(Math.min(Builder.DEFAULT_REPLICATION, settings.nodes));
    }

    /** Whether the datanode is running (started and not stopped or killed). */
    public synchronized boolean isRunning(String id) {
        return slot(id).isRunning();
    }

    /** The newest ring any running datanode has (empty before the first ring). */
    public Optional<Ring> ring() {
        return datanodes().stream().map(Datanode::ring).flatMap(Optional::stream)
                .max(Comparator.comparingLong(Ring::epoch));
    }

    /** A running datanode. */
    public Datanode datanode(String id) {
        DatanodeSlot slot = slot(id);
        if (!slot.isRunning()) {
            throw new IllegalStateException("datanode " + id + " is stopped");
        }
        return slot.node;
    }

    public List<Datanode> datanodes() {
        return datanodes.values().stream().filter(DatanodeSlot::isRunning).map(s -> s.node).toList();
    }

    public Controller controller() {
        return controller;
    }

    /** Stops a datanode cleanly (its data stays). */
    public synchronized void stopDatanode(String id) {
        slot(id).stop();
    }

    /**
     * Stops a datanode the way a crash would as far as an in-process node allows: at once, with
     * no wait for anything in flight (its data directory stays, as after kill -9). The node
     * stops serving before its live znode goes, so the controller drops it from its chains on
     * the next pass. (A datanode has no crash switch that would leave its ZooKeeper session to
     * expire; the multi-process tests kill real processes for that.)
     */
    public synchronized void killDatanode(String id) {
        DatanodeSlot slot = slot(id);
        if (!slot.isRunning()) {
            throw new IllegalStateException("datanode " + id + " is not running");
        }
        log.info("killing datanode {}", id);
        slot.stop();
    }

    /** Starts a stopped datanode again with the same id, port and data dir. */
    public synchronized Datanode restartDatanode(String id) throws Exception {
        DatanodeSlot slot = slot(id);
        slot.stop();
        slot.start();
        return slot.node;
    }

    /**
     * Waits until every running datanode serves the newest ring, and in it every chain has
     * min(R, running datanodes) members, no learners, and only running datanodes: the cluster
     * has repaired every failure it can. Returns that ring.
     */
    public Ring awaitFullChains(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Ring> ring = fullChains();
            if (ring.isPresent()) {
                return ring.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("chains not back to " + replication() + " replicas within "
                        + timeout.toSeconds() + " s: ring " + ring().map(r -> "epoch " + r.epoch() + " " + shortChains(r))
                        .orElse("unknown"));
            }
            Thread.sleep(50);
        }
    }

    private synchronized Optional<Ring> fullChains() {
        Optional<Ring> newest = ring();
        if (newest.isEmpty() || !allServing()) {
            return Optional.empty();
        }
        Ring ring = newest.get();
        for (DatanodeSlot slot : datanodes.values()) {
            if (slot.isRunning() && slot.node.ring().map(Ring::epoch).orElse(-1L) != ring.epoch()) {
                return Optional.empty();
            }
        }
        long running = datanodes.values().stream().filter(DatanodeSlot::isRunning).count();
        int want = (int) Math.min(ring.replication(), running);
        for (Partition p : ring.partitions()) {
            boolean allRunning = p.chain().members().stream().allMatch(m -> datanodes.containsKey(m) && datanodes.get(m).isRunning());
            if (p.chain().length() != want || !p.learners().isEmpty() || !allRunning) {
                return Optional.empty();
            }
        }
        return newest;
    }

    private String shortChains(Ring ring) {
        return ring.partitions().stream()
                .filter(p -> p.chain().length() < ring.replication() || !p.learners().isEmpty())
                .limit(8)
                .map(p -> "p" + p.id() + " " + p.chain() + (p.learners().isEmpty() ? "" : " learners " + p.learners()))
                .collect(Collectors.joining(", "));
    }

    /** Waits until every running datanode serves a ring with all partitions assigned. */
    public void awaitServing(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allServing()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster not serving within " + timeout.toSeconds() + " s: "
                        + datanodes.values().stream().map(DatanodeSlot::describe).collect(Collectors.joining(", ")));
            }
            Thread.sleep(50);
        }
    }

    /**
     * Whether every running datanode (stopped and killed ones aside; at least one must run)
     * serves a ring with all partitions assigned.
     */
    public synchronized boolean allServing() {
        boolean any = false;
        for (DatanodeSlot slot : datanodes.values()) {
            if (!slot.isRunning()) {
                continue;
            }
            any = true;
            if (!slot.node.isServing()) {
                return false;
            }
            Optional<Ring> ring = slot.node.ring();
            if (ring.isEmpty() || !ring.get().isAssigned()) {
                return false;
            }
        }
        return any;
    }

    private DatanodeSlot slot(String id) {
        DatanodeSlot slot = datanodes.get(NodeId.of(id));
        if (slot == null) {
            throw new IllegalArgumentException("no datanode '" + id + "' in this cluster; known: " + datanodes.keySet());
        }
        return slot;
    }

    /** Stops datanodes, controller and ZooKeeper in that order; deletes a temporary data dir. */
    @Override
    public synchronized void close() {
        List<Runnable> steps = new ArrayList<>();
        List<DatanodeSlot> slots = new ArrayList<>(datanodes.values());
        Collections.reverse(slots);
        slots.forEach(s -> steps.add(s::stop));
        steps.add(() -> {
            if (controller != null) {
                controller.close();
            }
        });
        steps.add(() -> {
            if (zookeeper != null) {
                zookeeper.close();
            }
        });
        steps.add(() -> {
            if (ownsDataDir) {
                deleteRecursively(dataDir);
            }
        });
        RuntimeException failure = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir, e);
        }
    }

    /** One datanode's fixed identity (id, port, data dir) across stops and restarts. */
    private final class DatanodeSlot {
        private final NodeId id;
        private int port;
        private Datanode node;

        DatanodeSlot(NodeId id, int port) {
            this.id = id;
            this.port = port;
        }

        void start() throws Exception {
            DatanodeConfig config = DatanodeConfig.builder(id, dataDir.resolve(id.value()), zkConnect())
                    .cluster(settings.cluster).host(HOST).port(port)
                    .zkSessionTimeout(settings.sessionTimeout)
                    .zkAuth(settings.zkAuth)
                    .clusterSecret(Optional.of(settings.clusterSecret))
                    .metricsPort(settings.metricsPortBase <= 0 ? settings.metricsPortBase : settings.metricsPortBase + index())
                    .zone(settings.zones > 1 ? "zone-" + ((index() - 1) % settings.zones) : null)
                    .build();
            node = new Datanode(config).start();
            port = node.port(); // keep a picked port across restarts
        }

        void stop() {
            if (node != null) {
                node.close();
                node = null;
            }
        }

        boolean isRunning() {
            return node != null;
        }

        /** k of n<k>. */
        int index() {
            return Integer.parseInt(id.value().substring(1));
        }

        String describe() {
            if (node == null) {
                return id + " stopped";
            }
            return id + (node.isServing() ? " serving" : " not serving") + " ring "
                    + node.ring().map(r -> "epoch " + r.epoch() + (r.isAssigned() ? "" : " (unassigned)")).orElse("unknown");
        }
    }

    /** Settings of an embedded cluster; all have defaults. */
    public static final class Builder {
        /** DESIGN §5: three replicas per partition (capped at the number of datanodes). */
        public static final int DEFAULT_REPLICATION = 3;
        public static final int DEFAULT_SESSION_TIMEOUT_SECONDS = 4;

        private int nodes = 3;
        private int partitions = 64;
        private Optional<Integer> replication = Optional.empty();
        private Optional<Integer> minChainForWrites = Optional.empty();
        private Duration sessionTimeout = Duration.ofSeconds(DEFAULT_SESSION_TIMEOUT_SECONDS);
        private int zones = 1;
        private String cluster = "default";
        private Path dataDir;
        private int zkPort;
        private int controllerPort;
        private int firstDatanodePort;
        private Duration startTimeout = Duration.ofSeconds(60);
        /** -1: no metrics endpoints; 0: free ports; else the controller's port, n<k> at base + k. */
        private int metricsPortBase = -1;
        private String adminToken = generatedToken();
        private boolean autoAdd;
        private int maxMovesPerNode = io.chainring.controller.migration.MigrationExecutor.DEFAULT_MAX_MOVES_PER_NODE;
        private Optional<ZkAuth> zkAuth = Optional.empty();
        private ClusterSecret clusterSecret = ClusterSecret.parse(ClusterSecret.generateText());

        private Builder() {
        }

        /**
         * The datanodes' cluster secret (DESIGN: Security); default: a random one made for this
         * cluster, so internal services are authenticated in every embedded cluster.
         */
        public Builder clusterSecret(ClusterSecret secret) {
            clusterSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** ZooKeeper digest credentials of the controller and datanodes (default none: znodes open to all). */
        public Builder zkAuth(ZkAuth auth) {
            zkAuth = Optional.of(auth);
            return this;
        }

        private static String generatedToken() {
            byte[] random = new byte[18];
            new java.security.SecureRandom().nextBytes(random);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }

        /** The controller's admin token (at least 12 characters); default: a random one, see {@code adminToken()}. */
        public Builder adminToken(String token) {
            if (token == null || token.length() < 12) {
                throw new IllegalArgumentException("the admin token must be at least 12 characters");
            }
            adminToken = token;
            return this;
        }

        /** Whether datanodes added after the first ring join by themselves (a plan of the controller's); default off. */
        public Builder autoAdd(boolean on) {
            autoAdd = on;
            return this;
        }

        /** Running partition moves per node at most (default 2). */
        public Builder maxMovesPerNode(int n) {
            maxMovesPerNode = n;
            return this;
        }

        public Builder nodes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("an embedded cluster needs at least one datanode: " + n);
            }
            nodes = n;
            return this;
        }

        public Builder partitions(int q) {
            partitions = q;
            return this;
        }

        /** Replication factor R; default 3, or the number of datanodes if fewer. */
        public Builder replication(int r) {
            replication = Optional.of(r);
            return this;
        }

        /** Shortest chain that still takes writes; default 2 when R ≥ 3, else 1. */
        public Builder minChainForWrites(int m) {
            minChainForWrites = Optional.of(m);
            return this;
        }

        /**
         * ZooKeeper session timeout of the controller and the datanodes (default
         * {@value #DEFAULT_SESSION_TIMEOUT_SECONDS} s): how long a datanode that vanished without
         * deregistering keeps its chain positions.
         */
        public Builder sessionTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("session timeout must be positive: " + timeout);
            }
            sessionTimeout = timeout;
            return this;
        }

        /** Spread datanodes round-robin over this many zones ("zone-0", ...). */
        public Builder zones(int z) {
            if (z < 1) {
                throw new IllegalArgumentException("zones must be at least 1: " + z);
            }
            zones = z;
            return this;
        }

        public Builder cluster(String name) {
            cluster = name;
            return this;
        }

        /** Keep the cluster's data here (it survives close); default: a temporary dir deleted on close. */
        public Builder dataDir(Path dir) {
            dataDir = dir;
            return this;
        }

        /** ZooKeeper's port; 0 (default) picks a free one. */
        public Builder zkPort(int port) {
            zkPort = port;
            return this;
        }

        /** The controller's admin port; 0 (default) picks a free one. */
        public Builder controllerPort(int port) {
            controllerPort = port;
            return this;
        }

        /** Port of datanode n1; n2 gets the next one, and so on. 0 (default) picks free ports. */
        public Builder firstDatanodePort(int port) {
            firstDatanodePort = port;
            return this;
        }

        /**
         * Serve /metrics, /healthz and /readyz of the controller and of every datanode, each on a
         * free port (see {@code controller().metricsPort()}, {@code datanode(id).metricsPort()}); off by default.
         */
        public Builder metrics(boolean on) {
            metricsPortBase = on ? 0 : -1;
            return this;
        }

        /**
         * Serve /metrics, /healthz and /readyz on fixed ports: the controller's on {@code base},
         * datanode {@code n<k>}'s on {@code base + k} (also for datanodes added later). 0 picks free
         * ports, as {@code metrics(true)}.
         */
        public Builder metricsPortBase(int base) {
            if (base < 0 || base > 65_535 - 64) {
                throw new IllegalArgumentException("metrics port base must be 0 (free ports) or 1.." + (65_535 - 64) + ": " + base);
            }
            metricsPortBase = base;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            startTimeout = timeout;
            return this;
        }

        public EmbeddedCluster build() throws IOException {
            return new EmbeddedCluster(this);
        }
    }
}
