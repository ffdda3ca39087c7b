package io.chainring.cli.evaluate.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations of one key, reduced for the search. Reads whose result is unknown and
 * operations that definitely failed are dropped (they change nothing), except a
 * compare-and-set's version mismatch, which observes the version.
 */
final class KeyHistory {
    private final String key;
    private final List<Operation> recorded;
    private final List<ModelOp> ops;
    private final Map<String, Operation> writerOf;
    private final Map<String, Operation> failedWriterOf;

    private KeyHistory(String key, List<Operation> recorded, List<ModelOp> ops, Map<String, Operation> writerOf,
            Map<String, Operation> failedWriterOf) {
        this.key = key;
        this.recorded = recorded;
        this.ops = ops;
        this.writerOf = writerOf;
        this.failedWriterOf = failedWriterOf;
    }

    /**
     * Compiles one key's operations.
     *
     * @throws IllegalArgumentException if two operations that may have taken effect write the same
     *                                  value: reads could not be matched to writes
     */
    static KeyHistory compile(String key, List<Operation> recorded) {
        Map<String, Operation> writerOf = new HashMap<>();
        Map<String, Operation> failedWriterOf = new HashMap<>();
        List<Operation> kept = new ArrayList<>();
        for (Operation op : recorded) {
            boolean writes = op.type() == OpType.WRITE || op.type() == OpType.CAS;
            boolean failed = op.outcome() == Outcome.FAIL;
            if (writes && !failed) {
                Operation other = writerOf.putIfAbsent(op.invoke().value(), op);
                if (other != null) {
                    throw new IllegalArgumentException("key '" + key + "': value '" + op.invoke().value()
                            + "' is written by two operations (" + other.id() + " and " + op.id()
                            + "); the checker needs a unique value per write");
                }
            } else if (writes) {
                failedWriterOf.putIfAbsent(op.invoke().value(), op);
            }
            if (matters(op)) {
                kept.add(op);
            }
        }
        Map<Long, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < kept.size(); i++) {
            indexOf.put(kept.get(i).id(), i);
        }
        Set<String> read = new HashSet<>();
        for (Operation op : kept) {
            if (op.type() == OpType.READ && op.completion().value() != null) {
                read.add(op.completion().value());
            }
        }
        List<ModelOp> ops = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            Operation op = kept.get(i);
            boolean unread = op.invoke().value() != null && !read.contains(op.invoke().value());
            ops.add(toModel(i, op, writerOf, indexOf, unread ? RegisterState.UNREAD : i));
        }
        return new KeyHistory(key, recorded, Collections.unmodifiableList(ops), writerOf, failedWriterOf);
    }

    private static boolean matters(Operation op) {
        return switch (op.outcome()) {
            case OK -> true;
            case FAIL -> op.completion().isMismatch();
            case INFO -> op.type() != OpType.READ;
        };
    }

    private static ModelOp toModel(int index, Operation op, Map<String, Operation> writerOf, Map<Long, Integer> indexOf,
            int ownValueId) {
        Completion c = op.completion();
        boolean definite = op.isDefinite();
        long call = op.invoke().nanos();
        long ret = definite ? c.nanos() : Long.MAX_VALUE;
        long version = definite ? c.version() : RegisterState.UNKNOWN;
        return switch (op.type()) {
            case READ -> {
                int valueId;
                if (c.value() == null) {
                    valueId = RegisterState.ABSENT;
                } else {
                    Operation writer = writerOf.get(c.value());
                    valueId = writer == null ? ModelOp.NEVER_WRITTEN : indexOf.get(writer.id());
                }
                yield new ModelOp(index, ModelOp.Kind.READ, true, valueId, version, 0, false, call, ret, op);
            }
            case WRITE -> new ModelOp(index, ModelOp.Kind.WRITE, definite, ownValueId, version, 0, false, call, ret, op);
            case CAS -> new ModelOp(index, definite && c.isMismatch() ? ModelOp.Kind.CAS_MISMATCH : ModelOp.Kind.CAS,
                    definite, ownValueId, version, op.invoke().expectedVersion(), false, call, ret, op);
            case DELETE -> new ModelOp(index, ModelOp.Kind.DELETE, definite, 0, version, 0,
                    definite && c.existed(), call, ret, op);
        };
    }

    String key() {
        return key;
    }

    /** Every recorded operation of the key, dropped ones included (for reports). */
    List<Operation> recorded() {
        return recorded;
    }

    /** The operations the search considers, indexed by {@link ModelOp#index()}. */
    List<ModelOp> ops() {
        return ops;
    }

    /** The operations whose results must be explained, by completion time. */
    List<ModelOp> definiteByReturn() {
        List<ModelOp> definite = new ArrayList<>();
        for (ModelOp op : ops) {
            if (op.definite()) {
                definite.add(op);
            }
        }
        definite.sort(Comparator.comparingLong(ModelOp::ret).thenComparingInt(ModelOp::index));
        return definite;
    }

    /**
     * The history as it stood at time {@code cut}: operations invoked later are left out, and
     * those still running at {@code cut} have no known result yet, so they may or may not take
     * effect (reads and version mismatches among them change nothing and are left out).
     */
    List<ModelOp> prefix(long cut) {
        List<ModelOp> prefix = new ArrayList<>();
        for (ModelOp op : ops) {
            if (op.call() > cut) {
                continue;
            }
            if (!op.definite() || op.ret() <= cut) {
                prefix.add(op);
            } else if (op.kind() != ModelOp.Kind.READ && op.kind() != ModelOp.Kind.CAS_MISMATCH) {
                prefix.add(op.asMaybe());
            }
        }
        return prefix;
    }

    /** A readable form of a state, e.g. {@code 'w1-7' v=9}, {@code absent}, {@code 'w1-7' v=?}. */
    String describe(RegisterState s) {
        if (!s.present()) {
            return "absent";
        }
        String version = s.version() == RegisterState.UNKNOWN ? "?" : String.valueOf(s.version());
        String value = s.writer() == RegisterState.UNREAD ? "(a value no read returned)" : "'" + ops.get(s.writer()).source().invoke().value() + "'";
        return value + " v=" + version;
    }

    /** The operation that wrote {@code value} and may have taken effect, or null. */
    Operation writerOf(String value) {
        return writerOf.get(value);
    }

    /** An operation that wrote {@code value} but definitely failed, or null. */
    Operation failedWriterOf(String value) {
        return failedWriterOf.get(value);
    }
}
