package io.chainring.cli.evaluate.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable log of invocations and completions, in time order, as recorded by concurrent
 * processes. Checked on construction: events in time order, unique operation ids, each
 * completion after its invocation and by the same process, at most one open operation per
 * process, no operation by a process after one of its operations ended {@link Outcome#INFO}
 * (such an operation stays open forever, so the process is done, as in Jepsen), and results
 * that fit their operations.
 */
public final class History {
    private final List<Event> events;
    private final List<Operation> operations;

    private History(List<Event> events, List<Operation> operations) {
        this.events = events;
        this.operations = operations;
    }

    /**
     * A history of these events, which must be in time order.
     *
     * @throws IllegalArgumentException naming the first event that breaks a rule
     */
    public static History of(List<? extends Event> events) {
        List<Event> copy = List.copyOf(events);
        Map<Long, Invoke> invokes = new LinkedHashMap<>();
        Map<Long, Completion> completions = new HashMap<>();
        Map<Integer, Long> openByProcess = new HashMap<>();
        Set<Integer> retired = new HashSet<>();
        long last = Long.MIN_VALUE;
        for (Event e : copy) {
            if (e.nanos() < last) {
                throw new IllegalArgumentException("events out of time order at " + e);
            }
            last = e.nanos();
            if (e instanceof Invoke inv) {
                if (invokes.putIfAbsent(inv.op(), inv) != null) {
                    throw new IllegalArgumentException("op id " + inv.op() + " invoked twice: " + inv);
                }
                if (retired.contains(inv.process())) {
                    throw new IllegalArgumentException("process " + inv.process() + " invoked op " + inv.op()
                            + " after one of its ops ended INFO; an unknown op stays open forever, use a new process id");
                }
                Long open = openByProcess.putIfAbsent(inv.process(), inv.op());
                if (open != null) {
                    throw new IllegalArgumentException("process " + inv.process() + " invoked op " + inv.op()
                            + " while its op " + open + " is still open");
                }
            } else if (e instanceof Completion c) {
                Invoke inv = invokes.get(c.op());
                if (inv == null) {
                    throw new IllegalArgumentException("completion of op " + c.op() + " that was not invoked before: " + c);
                }
                if (completions.putIfAbsent(c.op(), c) != null) {
                    throw new IllegalArgumentException("op " + c.op() + " completed twice: " + c);
                }
                if (c.process() != inv.process()) {
                    throw new IllegalArgumentException("op " + c.op() + " invoked by process " + inv.process()
                            + " but completed by process " + c.process());
                }
                checkResultFits(inv, c);
                openByProcess.remove(c.process());
                if (c.outcome() == Outcome.INFO) {
                    retired.add(c.process());
                }
            }
        }
        List<Operation> ops = new ArrayList<>(invokes.size());
        for (Invoke inv : invokes.values()) {
            ops.add(new Operation(inv, completions.get(inv.op())));
        }
        return new History(copy, Collections.unmodifiableList(ops));
    }

    private static void checkResultFits(Invoke inv, Completion c) {
        String problem = null;
        if (c.outcome() == Outcome.OK) {
            problem = switch (inv.type()) {
                case READ -> (c.value() == null ? c.version() != 0 : c.version() <= 0)
                        ? "a read returns version 0 when absent and a positive version otherwise" : null;
                case WRITE, CAS -> c.version() <= 0 ? "a write returns a positive version" : null;
                case DELETE -> c.version() != Invoke.NO_VERSION ? "a delete returns no version" : null;
            };
            if (problem == null && inv.type() != OpType.READ && c.value() != null) {
                problem = "only a read returns a value";
            }
        } else if (c.isMismatch() && inv.type() != OpType.CAS) {
            problem = "only a compare-and-set fails with a version mismatch";
        } else if (c.isMismatch() && c.version() == inv.expectedVersion()) {
            problem = "a version mismatch cannot report the expected version";
        }
        if (problem != null) {
            throw new IllegalArgumentException("op " + inv.op() + ": " + problem + ": " + inv + " / " + c);
        }
    }

    /** Every event, in time order. */
    public List<Event> events() {
        return events;
    }

    /** Every operation, in invocation order. */
    public List<Operation> operations() {
        return operations;
    }

    /** The operations of each key, in invocation order; keys in order of their first invocation. */
    public Map<String, List<Operation>> byKey() {
        Map<String, List<Operation>> map = new LinkedHashMap<>();
        for (Operation op : operations) {
            map.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        map.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(map);
    }

    /** The time of the first event (0 for an empty history): the origin of times in reports. */
    public long startNanos() {
        return events.isEmpty() ? 0 : events.get(0).nanos();
    }

    /** How many operations of each outcome the history holds, e.g. {@code {OK=120, FAIL=3, INFO=1}}. */
    public Map<Outcome, Integer> outcomeCounts() {
        Map<Outcome, Integer> counts = new java.util.EnumMap<>(Outcome.class);
        for (Operation op : operations) {
            counts.merge(op.outcome(), 1, Integer::sum);
        }
        return counts;
    }

    @Override
    public String toString() {
        return "History[" + operations.size() + " ops, " + events.size() + " events]";
    }
}
