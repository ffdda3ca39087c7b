package io.chainring.controller.leader;

import io.chainring.controller.migration.MigrationEffects;
import io.chainring.controller.migration.MigrationLedger;
import io.chainring.controller.migration.MigrationState;
import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.metadata.RingConflictException;
import io.chainring.ring.NodeId;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leader pass, Helix-style: read state → decide (pure) → write with a fence. Not thread-safe:
 * the controller runs every pass on one thread. A pass acts only while the {@link LeaderGuard}
 * allows (leadership and a trusted ZooKeeper connection), checked before reading and again
 * before writing, with no interruption in between. A lost compare-and-set drops the pass; the
 * next pass re-reads rather than retrying with a stale ring.
 */
public final class LeaderPipeline {
    private static final Logger log = LoggerFactory.getLogger(LeaderPipeline.class);

    private final Supplier<ClusterSnapshot> read;
    private final RingDecider decider;
    private final RingWriter writer;
    private final Clock clock;
    private final LeaderGuard guard;
    private final MigrationLedger ledger; // null: no rebalancing (tests of repair alone)
    private final SettleTracker settle = new SettleTracker();
    private final Set<NodeId> reportedOutside = new HashSet<>();
    private volatile boolean moving;
    private String lastWaitReason;
    private List<String> lastNotes = List.of();

    public LeaderPipeline(Supplier<ClusterSnapshot> read, RingDecider decider, RingWriter writer, Clock clock,
                          LeaderGuard guard) {
        this(read, decider, writer, clock, guard, null);
    }

    public LeaderPipeline(Supplier<ClusterSnapshot> read, RingDecider decider, RingWriter writer, Clock clock,
                          LeaderGuard guard, MigrationLedger ledger) {
        this.ledger = ledger;
        this.read = Objects.requireNonNull(read, "read");
        this.decider = Objects.requireNonNull(decider, "decider");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /**
     * Whether the last pass saw a plan running: the controller then runs passes more often than
     * its tick, so a move's steps (join, promote, drop) follow each other quickly.
     */
    public boolean migrating() {
        return moving;
    }

    /** Starts a new leadership term: forget what the previous term observed and logged. */
    public void newTerm() {
        settle.reset();
        if (ledger != null) {
            ledger.reset();
        }
        reportedOutside.clear();
        lastWaitReason = null;
        lastNotes = List.of();
    }

    public PassResult runOnce() {
        long term = guard.term();
        if (!guard.mayAct()) {
            return PassResult.NOT_ACTING;
        }
        ClusterSnapshot state = read.get();
        Instant now = clock.instant();
        Instant lastChange = settle.observe(state, now);
        reportNodesOutsideRing(state);

        MigrationState migrations = ledger == null ? MigrationState.none() : ledger.read();
        moving = migrations.activePlan().isPresent();
        Decision decision = decider.decide(state, now, lastChange, migrations);
        if (decision instanceof Decision.Wait wait) {
            if (!wait.reason().equals(lastWaitReason)) {
                log.info("{}", wait.reason());
                lastWaitReason = wait.reason();
            }
            return PassResult.WAITING;
        }
        lastWaitReason = null;
        reportNotes(decision.notes());
        if (decision instanceof Decision.Steady) {
            if (decision.effects().isEmpty()) {
                return PassResult.STEADY;
            }
            if (!guard.mayAct() || guard.term() != term) {
                return PassResult.STOPPED_BEFORE_WRITE;
            }
            applyEffects(decision.effects());
            return PassResult.STEADY;
        }
        if (!guard.mayAct() || guard.term() != term) {
            log.info("acting was interrupted during this pass; not writing ({})", describe(decision));
            return PassResult.STOPPED_BEFORE_WRITE;
        }
        try {
            long epoch;
            if (decision instanceof Decision.CreateRing create) {
                epoch = writer.create(create);
            } else {
                epoch = writer.update((Decision.UpdateRing) decision);
            }
            log.info("wrote ring epoch {}: {}", epoch, describe(decision));
            applyEffects(decision.effects());
            return PassResult.WROTE;
        } catch (RingConflictException e) {
            log.warn("ring write rejected, dropping this pass and re-reading on the next: {}", e.getMessage());
            return PassResult.CONFLICT;
        }
    }

    private void applyEffects(MigrationEffects effects) {
        if (ledger == null || effects.isEmpty()) {
            return;
        }
        ledger.apply(effects);
        effects.plan().ifPresent(p -> {
            if (!p.isActive() || effects.planZkVersion() < 0) {
                log.info("{} is {}{}", p.describe(), p.state(), p.note().map(n -> ": " + n).orElse(""));
            }
        });
    }

    /** Logs what the decider cannot do now, once per change rather than once per tick. */
    private void reportNotes(List<String> notes) {
        if (!notes.equals(lastNotes)) {
            notes.stream().filter(n -> !lastNotes.contains(n)).forEach(n -> log.info("{}", n));
            if (notes.isEmpty()) {
                log.info("chain repair has nothing left waiting");
            }
            lastNotes = notes;
        }
    }

    private void reportNodesOutsideRing(ClusterSnapshot state) {
        for (NodeId id : decider.outsideRing(state)) {
            if (reportedOutside.add(id)) {
                log.info("node {} is registered outside the ring; a NEW node joins by an ADD plan "
                        + "(chainring node add {}, or a controller started with --auto-add)", id, id);
            }
        }
    }

    private static String describe(Decision d) {
        if (d instanceof Decision.CreateRing c) {
            return c.reason();
        }
        if (d instanceof Decision.UpdateRing u) {
            return u.reason();
        }
        return d.toString();
    }
}
