package io.chainring.it.nemesis;

import io.chainring.client.RingSnapshot;
import io.chainring.cli.evaluate.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects faults into a {@link ProcessCluster} of real processes, one at a time: a fault, held for
 * a while, healed, then a wait (bounded) until the cluster is whole again (every process up, every
 * chain at R live members) and a short quiet gap, then the next. The kinds come in rounds, each
 * round every {@link FaultKind} once in an order drawn from the seed, so a short run still covers
 * most kinds; datanode faults hit a random datanode that holds replicas. Bounded in time: no fault
 * starts after the deadline, and the fault in progress is always healed, also when the nemesis is
 * stopped early. Every step is logged.
 *
 * <h2>How each fault is made, and its limits</h2>
 * <ul>
 *   <li><b>kill -9</b> ({@link ServerProcess#kill}): SIGKILL, no shutdown hook; the datanode is
 *       restarted with the same id, port and data directory once its session has expired (held
 *       {@code session + 2 s}), so the controller has dropped it and repair has begun.</li>
 *   <li><b>pause</b> ({@link ServerProcess#pause}): SIGSTOP for {@code session + 1..3 s}, then
 *       SIGCONT. The kernel keeps accepting connections and buffering requests for the frozen
 *       process, so when it wakes up it finds requests sent during the pause (possibly by clients
 *       whose ring still names it) before its ZooKeeper client has noticed that the session is
 *       gone: the zombie case a serving lease must handle. A short pause (below the session
 *       timeout) is a long GC pause that loses nothing.</li>
 *   <li><b>cut off</b>: every controller and datanode reaches ZooKeeper through its own
 *       {@link TcpProxy}; the cut black-holes that proxy (bytes dropped both ways, sockets kept
 *       open, as a partition does) for {@code session + 2 s}. Only the ZooKeeper link is cut: the
 *       datanode's own Thrift port stays reachable by clients and by its chain neighbours,
 *       because a datanode advertises the address it binds (there is no separate advertised
 *       address to put a proxy behind), and because the loopback-only rule of the tests excludes
 *       network namespaces, and iptables would need root and packages on CI. So this fault is a
 *       partition between one process and ZooKeeper, the harsher half for safety (the node keeps
 *       talking to clients and peers after losing its lease); the node being unreachable by
 *       everyone is what the pause fault produces.</li>
 *   <li><b>controller leader</b>: found through the admin API ({@code status().controller()});
 *       killed with kill -9 and restarted after a second, or cut off from ZooKeeper.</li>
 * </ul>
 */
public final class Nemesis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Nemesis.class);
    private static final Duration WHOLE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * One injected fault.
     *
     * @param kind          what was done
     * @param target        to which process
     * @param injectedNanos when it began
     * @param healedNanos   when it was healed (-1 if never: the nemesis failed)
     * @param wholeNanos    when the cluster was whole again after the heal (-1 if not within the bound)
     * @param note          what happened, in words
     */
    public record Fault(FaultKind kind, String target, long injectedNanos, long healedNanos, long wholeNanos, String note) {
        /** A line for logs: times in ms relative to {@code origin}. */
        public String describe(long origin) {
            return String.format("%-29s %-14s injected %7.1f s, healed after %5.1f s, whole again %s after the heal; %s",
                    kind, target, (injectedNanos - origin) / 1e9, healedNanos < 0 ? Double.NaN : (healedNanos - injectedNanos) / 1e9,
                    wholeNanos < 0 ? "NOT" : String.format("%.1f s", (wholeNanos - healedNanos) / 1e9), note);
        }
    }

    private final ProcessCluster cluster;
    private final Random random;
    private final long seed;
    private final Duration session;
    private final List<FaultKind> kinds;
    private final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<FaultKind> round = new ArrayList<>();
    private Thread thread;
    private volatile boolean stopping;

    /**
     * @param kinds the faults to draw from (each round shuffles them)
     */
    public Nemesis(ProcessCluster cluster, long seed, List<FaultKind> kinds) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.seed = seed;
        this.random = new Random(seed);
        this.session = cluster.settings().sessionTimeout();
        this.kinds = List.copyOf(kinds);
        if (this.kinds.isEmpty()) {
            throw new IllegalArgumentException("no fault kinds");
        }
    }

    /** Starts injecting on a thread of its own until {@code length} has passed. */
    public synchronized Nemesis start(Duration length) {
        if (thread != null) {
            throw new IllegalStateException("nemesis already started");
        }
        long deadline = System.nanoTime() + length.toNanos();
        thread = new Thread(() -> run(deadline), "nemesis");
        thread.setDaemon(true);
        thread.start();
        log.info("nemesis (seed {}) runs {} s over {}", seed, length.toSeconds(), kinds);
        return this;
    }

    /** Waits for the schedule to end by itself (bounded by {@code timeout}). */
    public boolean await(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        return !thread.isAlive();
    }

    /** Stops early: the fault in progress is healed, no new one starts. Waits for that. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
            thread.join(WHOLE_TIMEOUT.toMillis() + 60_000);
            if (thread.isAlive()) {
                throw new IllegalStateException("nemesis did not stop");
            }
        }
    }

    /** The faults injected so far. */
    public List<Fault> faults() {
        synchronized (faults) {
            return List.copyOf(faults);
        }
    }

    /** How many faults of each kind were injected. */
    public Map<FaultKind, Integer> counts() {
        Map<FaultKind, Integer> m = new TreeMap<>();
        for (Fault f : faults()) {
            m.merge(f.kind(), 1, Integer::sum);
        }
        return m;
    }

    /** What made the nemesis itself fail (not a fault it injected), if anything. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    private void run(long deadline) {
        try {
            while (!stopping && System.nanoTime() < deadline) {
                sleep(Duration.ofMillis(1_000 + random.nextInt(2_000)));
                if (stopping || System.nanoTime() >= deadline) {
                    break;
                }
                inject(nextKind());
            }
        } catch (InterruptedException e) {
            log.info("nemesis stopped");
        } catch (Exception | Error e) {
            failure.set(e);
            log.error("nemesis failed: {}", e.toString(), e);
        }
    }

    private FaultKind nextKind() {
        if (round.isEmpty()) {
            round.addAll(kinds);
            Collections.shuffle(round, random);
        }
        return round.remove(0);
    }

    private void inject(FaultKind kind) throws Exception {
        Step step = switch (kind) {
            case KILL_DATANODE -> datanode(kind).map(d -> new Step(kind, d.id(), () -> d.process().kill(),
                    session.plusSeconds(2), () -> cluster.restart(d.process()), "kill -9, restarted")).orElse(null);
            case PAUSE_DATANODE -> datanode(kind).map(d -> new Step(kind, d.id(), () -> d.process().pause(),
                    session.plusMillis(1_000 + random.nextInt(2_000)), () -> d.process().resume(), "SIGSTOP past the session, SIGCONT"))
                    .orElse(null);
            case SHORT_PAUSE_DATANODE -> datanode(kind).map(d -> new Step(kind, d.id(), () -> d.process().pause(),
                    Duration.ofMillis(session.toMillis() / 4 + random.nextInt((int) (session.toMillis() / 3))),
                    () -> d.process().resume(), "SIGSTOP below the session, SIGCONT")).orElse(null);
            case RESTART_DATANODE -> datanode(kind).map(d -> new Step(kind, d.id(), () -> d.process().stop(),
                    Duration.ZERO, () -> cluster.restart(d.process()), "SIGTERM, started again")).orElse(null);
            case CUT_DATANODE_FROM_ZK -> datanode(kind).map(d -> new Step(kind, d.id(), () -> d.zk().cut(),
                    session.plusSeconds(2), () -> d.zk().heal(), "ZooKeeper link black-holed, healed")).orElse(null);
            case KILL_CONTROLLER_LEADER -> cluster.leader().map(c -> new Step(kind, c.name(), () -> c.process().kill(),
                    Duration.ofSeconds(1), () -> cluster.restart(c.process()), "kill -9, restarted")).orElse(null);
            case CUT_CONTROLLER_LEADER_FROM_ZK -> cluster.leader().map(c -> new Step(kind, c.name(), () -> c.zk().cut(),
                    session.plusSeconds(2), () -> c.zk().heal(), "ZooKeeper link black-holed, healed")).orElse(null);
        };
        if (step == null) {
            log.warn("nemesis: no target for {} now ({}); skipped", kind, cluster.describe());
            return;
        }
        step.run();
    }

    /** A datanode holding replicas, at random. */
    private Optional<ProcessCluster.Datanode> datanode(FaultKind kind) {
        RingSnapshot ring;
        try {
            ring = cluster.admin().ring();
        } catch (RuntimeException e) {
            log.warn("nemesis: ring unavailable for {}: {}", kind, e.toString());
            return Optional.empty();
        }
        List<ProcessCluster.Datanode> holders = cluster.datanodes().stream()
                .filter(d -> ring.partitions().stream().anyMatch(p -> p.chain().contains(d.id())))
                .toList();
        return holders.isEmpty() ? Optional.empty() : Optional.of(holders.get(random.nextInt(holders.size())));
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    /** One fault: inject, hold, heal (always), await whole. */
    private final class Step {
        private final FaultKind kind;
        private final String target;
        private final Action inject;
        private final Duration hold;
        private final Action heal;
        private final String note;

        Step(FaultKind kind, String target, Action inject, Duration hold, Action heal, String note) {
            this.kind = kind;
            this.target = target;
            this.inject = inject;
            this.hold = hold;
            this.heal = heal;
            this.note = note;
        }

        void run() throws Exception {
            long injected = System.nanoTime();
            log.info("nemesis: {} on {} (hold {} ms)", kind, target, hold.toMillis());
            long healed = -1;
            long whole = -1;
            String outcome = note;
            try {
                inject.run();
                sleepThroughStop(hold);
            } finally {
                // heal even when stopped or interrupted meanwhile
                boolean interrupted = Thread.interrupted();
                try {
                    heal.run();
                    healed = System.nanoTime();
                    log.info("nemesis: healed {} on {} after {} ms", kind, target, (healed - injected) / 1_000_000);
                    Optional<RingSnapshot> ring = awaitWhole();
                    if (ring.isPresent()) {
                        whole = System.nanoTime();
                        log.info("nemesis: cluster whole again {} ms after the heal (ring epoch {})",
                                (whole - healed) / 1_000_000, ring.get().epoch());
                    } else {
                        outcome += "; not whole within " + WHOLE_TIMEOUT.toSeconds() + " s: " + cluster.describe();
                        log.warn("nemesis: {}", outcome);
                    }
                } finally {
                    faults.add(new Fault(kind, target, injected, healed, whole, outcome));
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }

        /** Sleeps the hold; a stop request cuts it short (the heal follows at once). */
        private void sleepThroughStop(Duration d) {
            try {
                sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private Optional<RingSnapshot> awaitWhole() throws InterruptedException {
            long deadline = System.nanoTime() + WHOLE_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                Optional<RingSnapshot> ring = cluster.whole();
                if (ring.isPresent()) {
                    return ring;
                }
                Thread.sleep(100);
            }
            return Optional.empty();
        }
    }

    private void sleep(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (true) {
            if (stopping) {
                throw new InterruptedException("nemesis stopping");
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(left / 1_000_000 + 1, 100));
        }
    }
}
