package io.chainring.it.nemesis;

import io.chainring.client.AdminClient;
import io.chainring.client.ChainringException;
import io.chainring.client.ClusterStatus;
import io.chainring.client.NodeStatus;
import io.chainring.client.RingSnapshot;
import io.chainring.it.Ports;
import io.chainring.cli.evaluate.ServerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster of real processes started with the {@code chainring} commands: one ZooKeeper, some
 * controllers and some datanodes, each in its own JVM ({@code -Xmx256m}). Every controller and
 * datanode reaches ZooKeeper through its own {@link TcpProxy}, so a nemesis can cut one process
 * off from ZooKeeper. Datanodes keep their id, port and data directory across restarts.
 * {@link #close()} stops every process and proxy, whatever state they are in.
 */
public final class ProcessCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessCluster.class);
    private static final Duration READY = Duration.ofSeconds(90);
    /**
     * The admin token every controller is started with (at least 12 characters), so that tests
     * can change membership and the throttle; without one a controller refuses every change.
     */
    public static final String ADMIN_TOKEN = "process-cluster-admin-token";

    /** A datanode process and its route to ZooKeeper. */
    public record Datanode(String id, int port, ServerProcess process, TcpProxy zk) {
        public String address() {
            return "127.0.0.1:" + port;
        }
    }

    /** A controller process and its route to ZooKeeper. */
    public record Controller(String name, int port, ServerProcess process, TcpProxy zk) {
        public String address() {
            return "127.0.0.1:" + port;
        }
    }

    private final Settings settings;
    private final Path dir;
    private final Path logs;
    // copy-on-write: a test thread adds and retires datanodes while others (a nemesis, monitors) read
    private final List<ServerProcess> processes = new CopyOnWriteArrayList<>();
    private final List<TcpProxy> proxies = new ArrayList<>();
    private final List<Controller> controllers = new ArrayList<>();
    private final List<Datanode> datanodes = new CopyOnWriteArrayList<>();
    private AdminClient admin;
    private InetSocketAddress zkAddress;
    /** The highest id number of a retired datanode: ids are never reused. */
    private int retired;

    /**
     * The cluster's shape.
     *
     * @param controllers    controller processes
     * @param datanodes      datanode processes
     * @param partitions     partition count
     * @param replication    replication factor R
     * @param sessionTimeout ZooKeeper session timeout of every controller and datanode
     * @param controllerArgs further flags of every controller (e.g. {@code --max-moves-per-node 4})
     */
    public record Settings(int controllers, int datanodes, int partitions, int replication, Duration sessionTimeout,
                           List<String> controllerArgs) {
        public Settings {
            if (controllers < 1 || datanodes < 1 || partitions < 1 || replication < 1) {
                throw new IllegalArgumentException("counts must be positive: " + controllers + " controllers, " + datanodes
                        + " datanodes, " + partitions + " partitions, replication " + replication);
            }
            Objects.requireNonNull(sessionTimeout, "sessionTimeout");
            controllerArgs = List.copyOf(controllerArgs);
        }

        /** A cluster whose controllers take no further flags. */
        public Settings(int controllers, int datanodes, int partitions, int replication, Duration sessionTimeout) {
            this(controllers, datanodes, partitions, replication, sessionTimeout, List.of());
        }
    }

    /** Kills the child JVMs if the test JVM exits without {@link #close()} (e.g. a fork timeout): they would outlive it. */
    private final Thread killOnExit = new Thread(this::killAll, "process-cluster-kill-on-exit");

    private ProcessCluster(Settings settings, Path dir, Path logs) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dir = dir;
        this.logs = logs;
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    private void killAll() {
        for (ServerProcess p : List.copyOf(processes)) {
            try {
                p.kill();
            } catch (InterruptedException | RuntimeException e) {
                log.warn("could not kill {}: {}", p.name(), e.toString());
            }
        }
    }

    /**
     * Starts every process and returns once the first ring has every chain at R live replicas.
     * On failure whatever started is stopped again.
     *
     * @param dir  data directories go here
     * @param logs each process logs to {@code <logs>/<name>.log}
     */
    public static ProcessCluster start(Settings settings, Path dir, Path logs) throws Exception {
        ProcessCluster c = new ProcessCluster(settings, dir, logs);
        try {
            c.startAll();
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        long started = System.nanoTime();
        int zkPort = Ports.free();
        ServerProcess zk = spawn("zookeeper", List.of("zookeeper", "--port", String.valueOf(zkPort),
                "--data-dir", dir.resolve("zk").toString()));
        zk.awaitReady(READY);
        zkAddress = new InetSocketAddress("127.0.0.1", zkPort);
        String session = String.valueOf(settings.sessionTimeout().toSeconds());
        for (int i = 1; i <= settings.controllers(); i++) {
            String name = "controller-" + i;
            TcpProxy proxy = proxy(name, zkAddress);
            int port = Ports.free();
            List<String> args = new ArrayList<>(List.of("controller", "--zk", proxy.address(), "--port", String.valueOf(port),
                    "--partitions", String.valueOf(settings.partitions()), "--replication", String.valueOf(settings.replication()),
                    "--auto-join", "--min-nodes", String.valueOf(settings.datanodes()), "--session-timeout", session,
                    "--admin-token", ADMIN_TOKEN));
            args.addAll(settings.controllerArgs());
            ServerProcess p = spawn(name, args);
            controllers.add(new Controller(name, port, p, proxy));
        }
        for (Controller c : controllers) {
            c.process().awaitReady(READY);
        }
        for (int i = 1; i <= settings.datanodes(); i++) {
            datanodes.add(spawnDatanode("n" + i));
        }
        for (Datanode d : datanodes) {
            d.process().awaitReady(READY);
        }
        admin = AdminClient.builder().seeds(seeds()).timeout(Duration.ofSeconds(5)).build();
        awaitWhole(READY);
        log.info("cluster of {} controllers and {} datanodes up in {} ms (Q={}, R={}, session timeout {} s)",
                controllers.size(), datanodes.size(), (System.nanoTime() - started) / 1_000_000, settings.partitions(),
                settings.replication(), settings.sessionTimeout().toSeconds());
    }

    private Datanode spawnDatanode(String id) throws IOException {
        TcpProxy proxy = proxy("datanode-" + id, zkAddress);
        int port = Ports.free();
        ServerProcess p = spawn("datanode-" + id, List.of("datanode", "--zk", proxy.address(), "--id", id,
                "--port", String.valueOf(port), "--data-dir", dir.resolve(id).toString(),
                "--session-timeout", String.valueOf(settings.sessionTimeout().toSeconds())));
        return new Datanode(id, port, p, proxy);
    }

    /**
     * Starts one more datanode (the next id, {@code n<k+1>}) after the first ring and waits for its
     * ready line. It registers as NEW and holds nothing until a plan adds it (unless the
     * controllers were started with {@code --auto-add}).
     */
    public synchronized Datanode addDatanode() throws IOException, InterruptedException {
        int next = datanodes.stream().mapToInt(d -> Integer.parseInt(d.id().substring(1))).max().orElse(0) + 1;
        next = Math.max(next, retired + 1);
        Datanode d = spawnDatanode("n" + next);
        datanodes.add(d);
        d.process().awaitReady(READY);
        return d;
    }

    /**
     * Stops a datanode for good (e.g. after a decommission) and forgets it: {@link #whole()} no
     * longer expects it and {@link #seeds()} no longer names it. Its id is not reused.
     */
    public synchronized void retire(Datanode d) throws InterruptedException {
        if (!datanodes.remove(d)) {
            throw new IllegalArgumentException("not a datanode of this cluster: " + d);
        }
        d.process().stop();
        processes.remove(d.process());
        retired = Math.max(retired, Integer.parseInt(d.id().substring(1)));
    }

    /** The datanode with this id. */
    public Datanode datanode(String id) {
        return datanodes().stream().filter(d -> d.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no datanode " + id + " in " + datanodes));
    }

    /** The admin token of every controller. */
    public String adminToken() {
        return ADMIN_TOKEN;
    }

    private ServerProcess spawn(String name, List<String> args) throws IOException {
        ServerProcess p = new ServerProcess(name, logs, args);
        processes.add(p);
        return p.start();
    }

    private TcpProxy proxy(String name, InetSocketAddress target) throws IOException {
        TcpProxy p = TcpProxy.start(name + "-zk", target);
        proxies.add(p);
        return p;
    }

    public Settings settings() {
        return settings;
    }

    public List<Datanode> datanodes() {
        return List.copyOf(datanodes);
    }

    public List<Controller> controllers() {
        return List.copyOf(controllers);
    }

    /** Every datanode's address, comma separated: the clients' seeds. */
    public String seeds() {
        return datanodes.stream().map(Datanode::address).collect(Collectors.joining(","));
    }

    /** An admin client over the datanodes (finds the controller leader). */
    public AdminClient admin() {
        return admin;
    }

    /** The controller that leads now according to the controllers' status, if any answers and names one. */
    public Optional<Controller> leader() {
        try {
            String leader = admin.status().controller();
            return controllers.stream().filter(c -> c.address().equals(leader)).findFirst();
        } catch (ChainringException e) {
            log.debug("no controller status: {}", e.toString());
            return Optional.empty();
        }
    }

    /**
     * Whether the cluster is whole: every process runs (none paused), no proxy is cut, every
     * datanode is live in ZooKeeper, a controller leads, and every partition's chain has R live
     * members. Returns the ring when whole.
     */
    public Optional<RingSnapshot> whole() {
        if (processes.stream().anyMatch(p -> !p.isAlive() || p.isPaused()) || proxies.stream().anyMatch(TcpProxy::isCut)) {
            return Optional.empty();
        }
        try {
            ClusterStatus status = admin.status();
            if (status.controller().isEmpty()) {
                return Optional.empty();
            }
            Set<String> live = status.nodes().stream().filter(NodeStatus::live).map(NodeStatus::id).collect(Collectors.toSet());
            if (!datanodes.stream().allMatch(d -> live.contains(d.id()))) {
                return Optional.empty();
            }
            RingSnapshot ring = admin.ring();
            boolean full = ring.partitions().stream()
                    .allMatch(p -> p.chain().size() == settings.replication() && live.containsAll(p.chain()));
            return full ? Optional.of(ring) : Optional.empty();
        } catch (ChainringException e) {
            log.debug("cluster state unavailable: {}", e.toString());
            return Optional.empty();
        }
    }

    /** Waits (bounded) until {@link #whole()}; returns the ring. */
    public RingSnapshot awaitWhole(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<RingSnapshot> ring = whole();
            if (ring.isPresent()) {
                return ring.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster not whole within " + timeout.toSeconds() + " s: " + describe());
            }
            Thread.sleep(200);
        }
    }

    /** A one-line description of the processes, proxies and ring, for logs and failure messages. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (ServerProcess p : processes) {
            b.append(p.name()).append(p.isAlive() ? (p.isPaused() ? "=paused " : "=up ") : "=down ");
        }
        for (TcpProxy p : proxies) {
            if (p.isCut()) {
                b.append("cut:").append(p.port()).append(' ');
            }
        }
        if (admin == null) {
            return b.append("(not started yet)").toString();
        }
        try {
            ClusterStatus s = admin.status();
            b.append("leader=").append(s.controller()).append(" live=")
                    .append(s.nodes().stream().filter(NodeStatus::live).map(NodeStatus::id).toList());
            RingSnapshot ring = admin.ring();
            b.append(" epoch=").append(ring.epoch()).append(" short chains=")
                    .append(ring.partitions().stream().filter(p -> p.chain().size() < settings.replication())
                            .map(p -> p.id() + ":" + p.chain()).toList());
        } catch (ChainringException e) {
            b.append("status unavailable (").append(e.getMessage()).append(')');
        }
        return b.toString();
    }

    /** Restarts a datanode that is down (same id, port and data directory) and waits for its ready line. */
    public void restart(ServerProcess p) throws IOException, InterruptedException {
        p.start().awaitReady(READY);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
            log.debug("shutdown in progress: {}", e.toString());
        }
        if (admin != null) {
            admin.close();
        }
        // heal first: a process cut off from ZooKeeper may take long to stop
        for (TcpProxy p : proxies) {
            p.heal();
        }
        // datanodes first, ZooKeeper last, so nobody logs a storm of lost sessions while stopping
        List<Throwable> failures = new ArrayList<>();
        for (int i = processes.size() - 1; i >= 0; i--) {
            try {
                processes.get(i).stop();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (TcpProxy p : proxies) {
            p.close();
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("stopping the cluster's processes failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
