package io.chainring.cli.evaluate.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds small histories by hand for tests: each operation with its process, invocation and
 * completion times (in milliseconds), and result.
 *
 * <pre>{@code
 * History h = new HistoryBuilder()
 *         .write(0, "a").at(0, 10).ok(1)
 *         .read(1).at(2, 3).reads("a", 1)
 *         .build();
 * }</pre>
 */
final class HistoryBuilder {
    private static final long MS = 1_000_000;

    private final List<Event> events = new ArrayList<>();
    private long nextOp;
    private String key = "k";

    /** The key of the operations added next (default {@code k}). */
    HistoryBuilder key(String key) {
        this.key = key;
        return this;
    }

    Op write(int process, String value) {
        return new Op(process, OpType.WRITE, value, Invoke.NO_VERSION);
    }

    Op read(int process) {
        return new Op(process, OpType.READ, null, Invoke.NO_VERSION);
    }

    Op cas(int process, long expectedVersion, String value) {
        return new Op(process, OpType.CAS, value, expectedVersion);
    }

    Op delete(int process) {
        return new Op(process, OpType.DELETE, null, Invoke.NO_VERSION);
    }

    /** The id the next operation added will get. */
    long nextId() {
        return nextOp;
    }

    History build() {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Event::nanos)); // stable: an op's invoke stays before its completion
        return History.of(sorted);
    }

    /** An operation being added: give its times, then its result. */
    final class Op {
        private final int process;
        private final OpType type;
        private final String value;
        private final long expected;
        private long op;
        private long end;

        private Op(int process, OpType type, String value, long expected) {
            this.process = process;
            this.type = type;
            this.value = value;
            this.expected = expected;
        }

        /** Invoked at {@code invokeMs}, completed at {@code completeMs}. */
        Op at(long invokeMs, long completeMs) {
            if (completeMs < invokeMs) {
                throw new IllegalArgumentException("completes before it starts: " + invokeMs + " > " + completeMs);
            }
            op = nextOp++;
            events.add(new Invoke(op, process, type, key, value, expected, invokeMs * MS));
            end = completeMs * MS;
            return this;
        }

        /** A write or CAS that got {@code version}. */
        HistoryBuilder ok(long version) {
            return done(Completion.wrote(op, process, version, end));
        }

        /** A read of {@code v} at {@code version}. */
        HistoryBuilder reads(String v, long version) {
            return done(Completion.read(op, process, v, version, end));
        }

        HistoryBuilder readsAbsent() {
            return done(Completion.read(op, process, null, 0, end));
        }

        /** A delete that returned {@code existed}. */
        HistoryBuilder existed(boolean existed) {
            return done(Completion.deleted(op, process, existed, end));
        }

        /** A CAS refused: the key's version was {@code actual}. */
        HistoryBuilder mismatch(long actual) {
            return done(Completion.mismatch(op, process, actual, "VersionMismatch", end));
        }

        HistoryBuilder fail() {
            return done(Completion.fail(op, process, "refused", end));
        }

        /** Outcome unknown (timeout). */
        HistoryBuilder info() {
            return done(Completion.info(op, process, "timeout", end));
        }

        /** Never completes. */
        HistoryBuilder open() {
            return HistoryBuilder.this;
        }

        private HistoryBuilder done(Completion c) {
            events.add(c);
            return HistoryBuilder.this;
        }
    }
}
