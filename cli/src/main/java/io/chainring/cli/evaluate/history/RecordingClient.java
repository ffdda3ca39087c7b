package io.chainring.cli.evaluate.history;

import io.chainring.client.ChainringClient;
import io.chainring.client.ChainringException;
import io.chainring.client.VersionMismatchException;
import io.chainring.client.Versioned;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ChainringClient} whose synchronous calls are recorded in a {@link HistoryRecorder}:
 * one process of a history. Keys and values are UTF-8 strings so histories read well.
 *
 * <p>Outcomes are classified from the client's exception: a {@link VersionMismatchException} is a
 * FAIL that reveals the key's version; any other {@link ChainringException} is a FAIL when
 * {@link ChainringException#mayHaveBeenApplied()} is false and INFO when it is true; anything else
 * is INFO (nothing proves it was not applied). After an INFO the operation stays open forever, so
 * this client continues as a new process, as Jepsen does. Exceptions are rethrown unchanged.
 *
 * <p>Not thread-safe: a process is one thread. Give each thread its own RecordingClient (they
 * may share the ChainringClient).
 */
public final class RecordingClient {
    private final ChainringClient client;
    private final HistoryRecorder recorder;
    private int process;

    public RecordingClient(ChainringClient client, HistoryRecorder recorder) {
        this.client = Objects.requireNonNull(client, "client");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.process = recorder.newProcess();
    }

    /** The process id this client records as now (it changes after an INFO). */
    public int process() {
        return process;
    }

    public Optional<Versioned> get(String key) {
        long op = recorder.invoke(process, OpType.READ, key, null, Invoke.NO_VERSION);
        Optional<Versioned> result;
        try {
            result = client.get(utf8(key));
        } catch (RuntimeException | Error e) {
            recordFailure(op, e);
            throw e;
        }
        recorder.read(op, result.map(Versioned::valueAsString).orElse(null), result.map(Versioned::version).orElse(0L));
        return result;
    }

    public long put(String key, String value) {
        long op = recorder.invoke(process, OpType.WRITE, key, value, Invoke.NO_VERSION);
        long version;
        try {
            version = client.put(utf8(key), utf8(value));
        } catch (RuntimeException | Error e) {
            recordFailure(op, e);
            throw e;
        }
        recorder.wrote(op, version);
        return version;
    }

    public long compareAndSet(String key, String value, long expectedVersion) {
        long op = recorder.invoke(process, OpType.CAS, key, value, expectedVersion);
        long version;
        try {
            version = client.compareAndSet(utf8(key), utf8(value), expectedVersion);
        } catch (RuntimeException | Error e) {
            recordFailure(op, e);
            throw e;
        }
        recorder.wrote(op, version);
        return version;
    }

    public boolean delete(String key) {
        long op = recorder.invoke(process, OpType.DELETE, key, null, Invoke.NO_VERSION);
        boolean existed;
        try {
            existed = client.delete(utf8(key));
        } catch (RuntimeException | Error e) {
            recordFailure(op, e);
            throw e;
        }
        recorder.deleted(op, existed);
        return existed;
    }

    /** How a failed call ended, judged from what it threw. */
    static Outcome classify(Throwable failure) {
        if (failure instanceof ChainringException ce) {
            return ce.mayHaveBeenApplied() ? Outcome.INFO : Outcome.FAIL;
        }
        return Outcome.INFO;
    }

    private void recordFailure(long op, Throwable failure) {
        String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (failure instanceof VersionMismatchException vm) {
            recorder.mismatch(op, vm.actualVersion(), error);
        } else if (classify(failure) == Outcome.FAIL) {
            recorder.fail(op, error);
        } else {
            recorder.info(op, error);
            process = recorder.newProcess();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
