package io.chainring.cli.evaluate.history;

import java.util.Locale;
import java.util.Objects;

/**
 * An invocation paired with its completion. An operation that never completed counts as
 * {@link Outcome#INFO}: it may have taken effect or not.
 *
 * @param invoke     the invocation
 * @param completion its completion, or null if none was recorded
 */
public record Operation(Invoke invoke, Completion completion) {

    public Operation {
        Objects.requireNonNull(invoke, "invoke");
    }

    public long id() {
        return invoke.op();
    }

    public OpType type() {
        return invoke.type();
    }

    public String key() {
        return invoke.key();
    }

    public Outcome outcome() {
        return completion == null ? Outcome.INFO : completion.outcome();
    }

    /** Whether its result is known and must be explained: OK, or a compare-and-set's version mismatch. */
    public boolean isDefinite() {
        return outcome() == Outcome.OK || (completion != null && completion.isMismatch());
    }

    /**
     * A readable line: process, operation, result and times in milliseconds since
     * {@code originNanos}, e.g. {@code p3 CAS k1 := 'w1-7' if v=5 -> OK v=9  [12.345 .. 13.002 ms]}.
     */
    public String describe(long originNanos) {
        String end = completion == null ? "never" : ms(completion.nanos() - originNanos);
        String open = outcome() == Outcome.INFO ? " (open forever)" : "";
        return String.format(Locale.ROOT, "p%-3d %-38s -> %-34s [%s .. %s ms]%s", invoke.process(), call(), result(),
                ms(invoke.nanos() - originNanos), end, open);
    }

    /** The call without its result, e.g. {@code WRITE k1 := 'w1-7'}. */
    public String call() {
        return switch (invoke.type()) {
            case READ -> "READ " + invoke.key();
            case WRITE -> "WRITE " + invoke.key() + " := '" + invoke.value() + "'";
            case CAS -> "CAS " + invoke.key() + " := '" + invoke.value() + "' if v=" + invoke.expectedVersion();
            case DELETE -> "DELETE " + invoke.key();
        };
    }

    /** The result, e.g. {@code OK 'w1-7' v=9}, {@code FAIL mismatch v=4}, {@code INFO (timeout)}. */
    public String result() {
        if (completion == null) {
            return "(no completion)";
        }
        return switch (completion.outcome()) {
            case OK -> switch (invoke.type()) {
                case READ -> completion.value() == null ? "OK absent" : "OK '" + completion.value() + "' v=" + completion.version();
                case WRITE, CAS -> "OK v=" + completion.version();
                case DELETE -> "OK existed=" + completion.existed();
            };
            case FAIL -> completion.isMismatch() ? "FAIL mismatch, actual v=" + completion.version() : "FAIL " + abbreviate(completion.error());
            case INFO -> "INFO " + abbreviate(completion.error());
        };
    }

    @Override
    public String toString() {
        return "op " + id() + ": " + describe(0);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String abbreviate(String error) {
        String s = String.valueOf(error);
        return "(" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + ")";
    }
}
