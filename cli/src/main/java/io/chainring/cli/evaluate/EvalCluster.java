package io.chainring.cli.evaluate;

import io.chainring.cli.netfault.FaultProxy;
import io.chainring.cli.netfault.NetworkFaults;
import io.chainring.client.AdminClient;
import io.chainring.client.ChainringClient;
import io.chainring.client.ChainringException;
import io.chainring.client.NodeStatus;
import io.chainring.client.ReadLevel;
import io.chainring.client.RingSnapshot;
import io.chainring.client.WriteAck;
import io.chainring.ring.HostPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster of separate processes — ZooKeeper, one controller, N datanodes — whose every link
 * runs through the {@link NetworkFaults} proxies of this JVM, and the clients of the evaluation.
 *
 * <p>How traffic is routed through the proxies: each datanode {@code nB} registers the name
 * {@code nB.chainring.eval} (its {@code --advertised-host}); every process gets its own hosts
 * file ({@code -Djdk.net.hosts.file}), in which that name resolves to {@code 127.1.S.B}, the
 * loopback address of the proxy for the link from that process (source index S) to nB, on nB's
 * own port. So each (source, target) pair has its own proxy, and a fault can be set per link and
 * direction. The evaluation's clients in this JVM dial the same proxies through the client's
 * address translator. Every controller and datanode reaches ZooKeeper through a proxy of its own.
 */
public final class EvalCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EvalCluster.class);
    private static final Duration READY = Duration.ofSeconds(120);
    static final String DOMAIN = ".chainring.eval";
    /** Endpoint names of the fault layer besides the datanodes. */
    public static final String CLIENT = "client";
    public static final String CONTROLLER = "ctl";
    public static final String ZOOKEEPER = "zk";
    private static final int CLIENT_INDEX = 9;
    private static final int CONTROLLER_INDEX = 8;

    /** A datanode: id ({@code n1}...), index (1...), Thrift and metrics ports, its process. */
    public record Node(String id, int index, int port, int metricsPort, ServerProcess process) {
    }

    /**
     * @param datanodes      datanodes (at most 7)
     * @param partitions     partition count
     * @param sessionTimeout ZooKeeper session timeout of every process
     * @param basePort       first port of the block the cluster uses (about 40 ports); 0 = free ports
     */
    public record Shape(int datanodes, int partitions, Duration sessionTimeout, int basePort) {
        public Shape {
            if (datanodes < 1 || datanodes > 7) {
                throw new IllegalArgumentException("datanodes must be within 1..7: " + datanodes);
            }
            if (basePort != 0 && (basePort < 1024 || basePort > 65_000)) {
                throw new IllegalArgumentException("base port must be 0 (free ports) or within 1024..65000: " + basePort);
            }
        }
    }

    private final Shape shape;
    private final Path dir;
    private final NetworkFaults faults;
    private final List<ServerProcess> processes = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Thread killOnExit = new Thread(this::killAll, "eval-cluster-kill-on-exit");
    private int nextPort;
    private InetSocketAddress zk;
    private AdminClient admin;

    private EvalCluster(Shape shape, Path dir, NetworkFaults faults) {
        this.shape = shape;
        this.dir = dir;
        this.faults = faults;
        this.nextPort = shape.basePort();
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts every process and every proxy; returns once every chain has its replicas. */
    public static EvalCluster start(Shape shape, Path dir, NetworkFaults faults) throws IOException, InterruptedException {
        EvalCluster c = new EvalCluster(shape, dir, faults);
        try {
            c.startAll();
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void startAll() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Files.createDirectories(dir);
        int zkPort = port();
        ServerProcess zkProcess = spawn("zookeeper", List.of(), List.of("zookeeper", "--port", String.valueOf(zkPort),
                "--data-dir", dir.resolve("zk").toString()));
        zk = new InetSocketAddress("127.0.0.1", zkPort);
        int controllerPort = port();
        List<Node> planned = new ArrayList<>();
        for (int i = 1; i <= shape.datanodes(); i++) {
            planned.add(new Node("n" + i, i, port(), port(), null));
        }
        zkProcess.awaitReady(READY);
        // the node-to-node and controller-to-node proxies: one per (source, target) pair
        List<String> sources = new ArrayList<>(planned.stream().map(Node::id).toList());
        sources.add(CONTROLLER);
        sources.add(CLIENT);
        for (String source : sources) {
            for (Node target : planned) {
                if (!source.equals(target.id())) {
                    faults.proxy(source, target.id(), new InetSocketAddress(proxyIp(source, target), target.port()),
                            new InetSocketAddress("127.0.0.1", target.port()));
                }
            }
        }
        String session = String.valueOf(Math.max(1, shape.sessionTimeout().toSeconds()));
        spawn("controller", jvmArgs(CONTROLLER, planned), List.of("controller", "--zk", zkProxy(CONTROLLER), "--port",
                String.valueOf(controllerPort), "--partitions", String.valueOf(shape.partitions()), "--replication", "3",
                "--auto-join", "--min-nodes", String.valueOf(shape.datanodes()), "--session-timeout", session))
                .awaitReady(READY);
        for (Node n : planned) {
            ServerProcess p = spawn("datanode-" + n.id(), jvmArgs(n.id(), planned), List.of("datanode", "--zk", zkProxy(n.id()),
                    "--id", n.id(), "--port", String.valueOf(n.port()), "--advertised-host", n.id() + DOMAIN,
                    "--data-dir", dir.resolve(n.id()).toString(), "--session-timeout", session,
                    "--metrics-port", String.valueOf(n.metricsPort())));
            nodes.add(new Node(n.id(), n.index(), n.port(), n.metricsPort(), p));
        }
        for (Node n : nodes) {
            n.process().awaitReady(READY);
        }
        // control-plane calls of this JVM (ring, status) go straight to the nodes, past the faults
        admin = AdminClient.builder().seeds(directSeeds()).timeout(Duration.ofSeconds(5))
                .addressTranslator(this::direct).build();
        awaitWhole(READY);
        log.info("evaluation cluster up in {} ms: {} datanodes, {} partitions, R=3, session timeout {} s", (System.nanoTime() - t0) / 1_000_000,
                nodes.size(), shape.partitions(), session);
    }

    private int port() throws IOException {
        if (shape.basePort() == 0) {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
        return nextPort++;
    }

    /** The proxy of ZooKeeper for one process, started on first use. */
    private String zkProxy(String source) throws IOException {
        FaultProxy p = faults.proxy(source, ZOOKEEPER, new InetSocketAddress("127.0.0.1", port()), zk);
        return p.hostPort();
    }

    private static int index(String endpoint) {
        return switch (endpoint) {
            case CLIENT -> CLIENT_INDEX;
            case CONTROLLER -> CONTROLLER_INDEX;
            default -> Integer.parseInt(endpoint.substring(1));
        };
    }

    private static String proxyIp(String source, Node target) {
        return "127.1." + index(source) + "." + target.index();
    }

    /** JVM flags of a process: its own hosts file, naming every datanode by the proxy of the link to it. */
    private List<String> jvmArgs(String source, List<Node> all) throws IOException {
        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
        try {
            hosts.append("127.0.0.1 ").append(InetAddress.getLocalHost().getHostName()).append('\n');
        } catch (UnknownHostException e) {
            log.debug("no local host name for the hosts file: {}", e.toString());
        }
        for (Node n : all) {
            String ip = n.id().equals(source) ? "127.0.0.1" : proxyIp(source, n);
            hosts.append(ip).append(' ').append(n.id()).append(DOMAIN).append('\n');
        }
        Path file = dir.resolve("hosts-" + source);
        Files.writeString(file, hosts.toString(), StandardCharsets.UTF_8);
        return List.of("-Djdk.net.hosts.file=" + file.toAbsolutePath(), "-Xmx192m");
    }

    private ServerProcess spawn(String name, List<String> jvmArgs, List<String> args) throws IOException {
        ServerProcess p = new ServerProcess(name, dir.resolve("logs"), jvmArgs, args);
        processes.add(p);
        return p.start();
    }

    /** Where a ring address is dialled from this JVM's data clients: the client's proxy of that node. */
    private HostPort viaClientProxy(HostPort ringAddress) {
        Optional<Node> n = byHost(ringAddress.host());
        return n.map(x -> new HostPort(proxyIp(CLIENT, x), ringAddress.port())).orElse(ringAddress);
    }

    private HostPort direct(HostPort ringAddress) {
        return byHost(ringAddress.host()).map(x -> new HostPort("127.0.0.1", ringAddress.port())).orElse(ringAddress);
    }

    private Optional<Node> byHost(String host) {
        return nodes.stream().filter(n -> host.equals(n.id() + DOMAIN)).findFirst();
    }

    private String directSeeds() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    /** A data client whose requests go through the client's proxies (so the faults apply). */
    public ChainringClient client(ReadLevel read, WriteAck write, Duration timeout, int threads) {
        String seeds = nodes.stream().map(n -> proxyIp(CLIENT, n) + ":" + n.port()).collect(Collectors.joining(","));
        return ChainringClient.builder().seeds(seeds).readLevel(read).writeAck(write).timeout(timeout).threads(threads)
                .addressTranslator(this::viaClientProxy).build();
    }

    /** A data client that goes straight to the nodes (no faults): for reading the final state. */
    public ChainringClient directClient(Duration timeout) {
        return ChainringClient.builder().seeds(directSeeds()).readLevel(ReadLevel.LINEARIZABLE).writeAck(WriteAck.ALL)
                .timeout(timeout).addressTranslator(this::direct).build();
    }

    public AdminClient admin() {
        return admin;
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public Node node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no datanode " + id));
    }

    /** The ring when every datanode runs, is live and every chain has 3 live members. */
    public Optional<RingSnapshot> whole() {
        if (processes.stream().anyMatch(p -> !p.isAlive())) {
            return Optional.empty();
        }
        try {
            Set<String> live = admin.status().nodes().stream().filter(NodeStatus::live).map(NodeStatus::id).collect(Collectors.toSet());
            if (!nodes.stream().allMatch(n -> live.contains(n.id()))) {
                return Optional.empty();
            }
            RingSnapshot ring = admin.ring();
            int r = Math.min(3, nodes.size());
            boolean full = ring.partitions().stream().allMatch(p -> p.chain().size() == r && live.containsAll(p.chain()));
            return full ? Optional.of(ring) : Optional.empty();
        } catch (ChainringException e) {
            log.debug("cluster state unavailable: {}", e.toString());
            return Optional.empty();
        }
    }

    /** Waits (bounded) until {@link #whole()}. */
    public RingSnapshot awaitWhole(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<RingSnapshot> ring = whole();
            if (ring.isPresent()) {
                return ring.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster not whole within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    /** Kill -9 of a datanode. */
    public void kill(String id) throws InterruptedException {
        node(id).process().kill();
    }

    /** Starts a killed datanode again (same id, port and data) and waits for its ready line. */
    public void restart(String id) throws IOException, InterruptedException {
        node(id).process().start().awaitReady(READY);
    }

    /** Each datanode's metrics endpoint. */
    public Map<String, String> metricsUrls() {
        Map<String, String> out = new LinkedHashMap<>();
        nodes.forEach(n -> out.put(n.id(), "http://127.0.0.1:" + n.metricsPort() + "/metrics"));
        return out;
    }

    /** The processes' logs. */
    public Path logs() {
        return dir.resolve("logs");
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

    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            log.debug("shutdown in progress: {}", e.toString());
        }
        if (admin != null) {
            admin.close();
        }
        faults.healAll();
        for (int i = processes.size() - 1; i >= 0; i--) {
            try {
                processes.get(i).stop();
            } catch (RuntimeException e) {
                log.warn("stopping {}: {}", processes.get(i).name(), e.toString());
            }
        }
        faults.close();
    }

    static void requireLoopbackAliases() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.1.9.1"))) {
            log.debug("loopback alias usable: {}", s.getLocalSocketAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("this machine cannot listen on 127.1.9.1 (the whole 127.0.0.0/8 must be loopback)", e);
        }
    }
}
