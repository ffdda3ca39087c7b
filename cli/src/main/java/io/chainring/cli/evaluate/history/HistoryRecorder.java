package io.chainring.cli.evaluate.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Records a {@link History} from many threads at once. Each event's time is read under the
 * recorder's lock, so the log is in time order and an invocation is stamped before the call
 * starts and a completion after it returned (which keeps the real-time order a checker relies
 * on sound).
 *
 * <p>Bounded: an invocation reserves room for its completion too, and is refused with
 * {@link IllegalStateException} (before the caller does anything) when the log is full, so a
 * recorded operation is never left without room for its result.
 */
public final class HistoryRecorder {
    private final int capacity;
    private final LongSupplier clock;
    private final List<Event> events = new ArrayList<>();
    private final Map<Long, Invoke> open = new HashMap<>();
    private final Map<Integer, Long> openByProcess = new HashMap<>();
    private final Set<Integer> retired = new HashSet<>();
    private long nextOp;
    private int nextProcess;

    /** A recorder for at most {@code capacity} events (two per operation), timed by {@link System#nanoTime()}. */
    public HistoryRecorder(int capacity) {
        this(capacity, System::nanoTime);
    }

    /** A recorder with its own clock (non-decreasing nanoseconds). */
    public HistoryRecorder(int capacity, LongSupplier clock) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must hold at least one operation (2 events): " + capacity);
        }
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A fresh process id: one per client thread, and a new one after an operation ended INFO. */
    public synchronized int newProcess() {
        return nextProcess++;
    }

    /**
     * Records that {@code process} invokes an operation; returns its id for the completion.
     *
     * @throws IllegalStateException if the history is full
     */
    public synchronized long invoke(int process, OpType type, String key, String value, long expectedVersion) {
        if (events.size() + open.size() + 2 > capacity) {
            throw new IllegalStateException("history full: " + capacity + " events (" + open.size()
                    + " ops still open); record fewer operations or raise the capacity");
        }
        if (retired.contains(process)) {
            throw new IllegalStateException("process " + process + " had an op end INFO (open forever); take a new process id");
        }
        Long busy = openByProcess.get(process);
        if (busy != null) {
            throw new IllegalStateException("process " + process + " invoked " + type + " while its op " + busy
                    + " is open; a process runs one operation at a time");
        }
        Invoke inv = new Invoke(nextOp++, process, type, key, value, expectedVersion, clock.getAsLong());
        events.add(inv);
        open.put(inv.op(), inv);
        openByProcess.put(process, inv.op());
        return inv.op();
    }

    /** A read returned {@code value} (null: absent) with {@code version} (0 when absent). */
    public void read(long op, String value, long version) {
        complete(op, (p, t) -> Completion.read(op, p, value, version, t));
    }

    /** A write or compare-and-set stored its value at {@code version}. */
    public void wrote(long op, long version) {
        complete(op, (p, t) -> Completion.wrote(op, p, version, t));
    }

    /** A delete returned {@code existed}. */
    public void deleted(long op, boolean existed) {
        complete(op, (p, t) -> Completion.deleted(op, p, existed, t));
    }

    /** A compare-and-set was refused: the key's version was {@code actualVersion}. */
    public void mismatch(long op, long actualVersion, String error) {
        complete(op, (p, t) -> Completion.mismatch(op, p, actualVersion, error, t));
    }

    /** The operation definitely did not take effect. */
    public void fail(long op, String error) {
        complete(op, (p, t) -> Completion.fail(op, p, error, t));
    }

    /** The operation's outcome is unknown; its process must not be used again. */
    public void info(long op, String error) {
        complete(op, (p, t) -> Completion.info(op, p, error, t));
    }

    /** The events so far as a history; operations still open count as unknown (INFO). */
    public synchronized History snapshot() {
        return History.of(events);
    }

    /** Events recorded so far. */
    public synchronized int size() {
        return events.size();
    }

    private interface CompletionFactory {
        Completion create(int process, long nanos);
    }

    private synchronized void complete(long op, CompletionFactory factory) {
        Invoke inv = open.get(op);
        if (inv == null) {
            throw new IllegalStateException("op " + op + " is not open (never invoked, or already completed)");
        }
        Completion c = factory.create(inv.process(), clock.getAsLong());
        events.add(c);
        open.remove(op);
        openByProcess.remove(inv.process());
        if (c.outcome() == Outcome.INFO) {
            retired.add(inv.process());
        }
    }
}
