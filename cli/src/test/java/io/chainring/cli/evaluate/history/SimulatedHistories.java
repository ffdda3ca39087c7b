package io.chainring.cli.evaluate.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Generates histories that are linearizable by construction: concurrent simulated clients run
 * operations against one real sequential register, each taking effect at a random instant
 * inside its interval, with store-like versions (a growing sequence number with gaps). Some
 * operations end unknown (INFO: applied at a random time after their invocation, possibly after
 * the client gave up, or never) or fail (never applied). Also mutates such histories into ones
 * that certainly are not linearizable.
 */
final class SimulatedHistories {
    private static final long MICROS = 1_000;

    /**
     * @param workers      concurrent clients
     * @param opsPerWorker operations each client runs
     * @param keys         distinct keys
     * @param infoRate     share of operations whose outcome is unknown
     * @param failRate     share of operations refused (not applied)
     */
    record Settings(int workers, int opsPerWorker, int keys, double infoRate, double failRate) {
    }

    /** A mutated history and the read that was changed. */
    record Mutation(History history, long op, String key) {
    }

    private enum Fate { NORMAL, INFO_APPLIED, INFO_LOST, FAIL }

    private enum Kind { INVOKE, APPLY, COMPLETE }

    private record Tick(long time, long seq, Kind kind, Worker worker, Invoke invoke) {
    }

    private record Cell(String value, long version) {
    }

    private static final class Worker {
        final int id;
        int process;
        int done;
        final Map<String, Long> knownVersion = new HashMap<>();
        Invoke invoke;
        Fate fate;
        Completion result;

        Worker(int id) {
            this.id = id;
            this.process = id;
        }
    }

    private SimulatedHistories() {
    }

    static History generate(long seed, Settings s) {
        return new Run(seed, s).run();
    }

    private static final class Run {
        final SplittableRandom random;
        final Settings s;
        final PriorityQueue<Tick> queue = new PriorityQueue<>((a, b) -> a.time != b.time
                ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
        final Map<String, Cell> register = new HashMap<>();
        final List<Event> events = new ArrayList<>();
        long seq;
        long nextOp;
        int nextProcess;
        long lsn;

        Run(long seed, Settings s) {
            this.random = new SplittableRandom(seed);
            this.s = s;
            this.nextProcess = s.workers();
        }

        History run() {
            for (int w = 0; w < s.workers(); w++) {
                schedule(random.nextLong(50) * MICROS, Kind.INVOKE, new Worker(w));
            }
            while (!queue.isEmpty()) {
                Tick t = queue.poll();
                switch (t.kind) {
                    case INVOKE -> invoke(t.time, t.worker);
                    case APPLY -> {
                        // an unknown op may apply after its worker moved on: apply the op the tick names
                        Completion c = apply(t.invoke, t.time);
                        if (t.worker.invoke == t.invoke) {
                            t.worker.result = c;
                        }
                    }
                    case COMPLETE -> complete(t.time, t.worker);
                }
            }
            return History.of(events);
        }

        private void schedule(long time, Kind kind, Worker w) {
            queue.add(new Tick(time, seq++, kind, w, w.invoke));
        }

        private void invoke(long now, Worker w) {
            String key = "key" + random.nextInt(s.keys());
            double r = random.nextDouble();
            OpType type = r < 0.4 ? OpType.READ : r < 0.65 ? OpType.WRITE : r < 0.85 ? OpType.CAS : OpType.DELETE;
            String value = type == OpType.WRITE || type == OpType.CAS ? "w" + w.id + "-" + w.done : null;
            long expected = Invoke.NO_VERSION;
            if (type == OpType.CAS) {
                double e = random.nextDouble();
                expected = e < 0.6 ? w.knownVersion.getOrDefault(key, 0L) : e < 0.8 ? 0 : 1 + random.nextLong(lsn + 1);
            }
            w.invoke = new Invoke(nextOp++, w.process, type, key, value, expected, now);
            events.add(w.invoke);
            double f = random.nextDouble();
            w.fate = f < s.infoRate() ? (random.nextBoolean() ? Fate.INFO_APPLIED : Fate.INFO_LOST)
                    : f < s.infoRate() + s.failRate() ? Fate.FAIL : Fate.NORMAL;
            w.result = null;
            long end = now + (2 + random.nextLong(80)) * MICROS;
            if (w.fate == Fate.NORMAL) {
                schedule(now + (1 + random.nextLong(end / MICROS - now / MICROS - 1)) * MICROS, Kind.APPLY, w);
            } else if (w.fate == Fate.INFO_APPLIED) {
                // an unknown operation may still take effect after the client gave up on it
                schedule(now + (1 + random.nextLong(300)) * MICROS, Kind.APPLY, w);
            }
            schedule(end, Kind.COMPLETE, w);
        }

        /** Runs the operation on the sequential register; returns its completion (time filled in later). */
        private Completion apply(Invoke inv, long now) {
            Cell cell = register.get(inv.key());
            long op = inv.op();
            int p = inv.process();
            return switch (inv.type()) {
                case READ -> cell == null ? Completion.read(op, p, null, 0, now) : Completion.read(op, p, cell.value, cell.version, now);
                case WRITE -> Completion.wrote(op, p, store(inv.key(), inv.value()), now);
                case CAS -> {
                    long current = cell == null ? 0 : cell.version;
                    yield current == inv.expectedVersion()
                            ? Completion.wrote(op, p, store(inv.key(), inv.value()), now)
                            : Completion.mismatch(op, p, current, "VersionMismatch", now);
                }
                case DELETE -> {
                    if (cell != null) {
                        register.remove(inv.key());
                        nextVersion(); // the tombstone
                    }
                    yield Completion.deleted(op, p, cell != null, now);
                }
            };
        }

        private long store(String key, String value) {
            long v = nextVersion();
            register.put(key, new Cell(value, v));
            return v;
        }

        private long nextVersion() {
            // other keys of the partition take versions too
            lsn += 1 + random.nextLong(3);
            return lsn;
        }

        private void complete(long now, Worker w) {
            Invoke inv = w.invoke;
            Completion c = switch (w.fate) {
                case NORMAL -> retime(w.result, now);
                case FAIL -> Completion.fail(inv.op(), inv.process(), "refused", now);
                case INFO_APPLIED, INFO_LOST -> Completion.info(inv.op(), inv.process(), "timeout", now);
            };
            events.add(c);
            if (w.fate == Fate.NORMAL) {
                learn(w, inv, c);
            } else if (w.fate != Fate.FAIL) {
                w.process = nextProcess++; // the unknown op stays open forever
            }
            if (++w.done < s.opsPerWorker()) {
                schedule(now + random.nextLong(20) * MICROS, Kind.INVOKE, w);
            }
        }

        private static Completion retime(Completion c, long now) {
            return new Completion(c.op(), c.process(), c.outcome(), c.value(), c.version(), c.existed(), c.error(), now);
        }

        private static void learn(Worker w, Invoke inv, Completion c) {
            switch (inv.type()) {
                case READ, WRITE, CAS -> w.knownVersion.put(inv.key(), c.version());
                case DELETE -> w.knownVersion.put(inv.key(), 0L);
            }
        }
    }

    /**
     * Changes one read to return an older value, where that is certainly a violation: the
     * read starts after a write W completed, which started after the write of the older value
     * completed; both writes are known to have taken effect, so the older value cannot be current.
     */
    static Optional<Mutation> staleRead(History h, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Operation[]> candidates = new ArrayList<>();
        for (List<Operation> ops : h.byKey().values()) {
            List<Operation> writes = ops.stream().filter(SimulatedHistories::storedAValue).toList();
            for (Operation read : ops) {
                if (read.type() != OpType.READ || read.outcome() != Outcome.OK) {
                    continue;
                }
                Operation newer = null;
                for (Operation w : writes) {
                    if (w.completion().nanos() < read.invoke().nanos()
                            && (newer == null || w.completion().nanos() > newer.completion().nanos())) {
                        newer = w;
                    }
                }
                if (newer == null) {
                    continue;
                }
                for (Operation older : writes) {
                    if (older.completion().nanos() < newer.invoke().nanos()) {
                        candidates.add(new Operation[] {read, older});
                    }
                }
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Operation[] pick = candidates.get(random.nextInt(candidates.size()));
        Operation read = pick[0];
        Operation older = pick[1];
        if (older.invoke().value().equals(read.completion().value())) {
            throw new IllegalStateException("the generated history was not linearizable to begin with: " + read);
        }
        Completion stale = Completion.read(read.id(), read.invoke().process(), older.invoke().value(),
                older.completion().version(), read.completion().nanos());
        List<Event> events = new ArrayList<>(h.events());
        events.replaceAll(e -> e == read.completion() ? stale : e);
        return Optional.of(new Mutation(History.of(events), read.id(), read.key()));
    }

    private static boolean storedAValue(Operation op) {
        return (op.type() == OpType.WRITE || op.type() == OpType.CAS) && op.outcome() == Outcome.OK;
    }
}
