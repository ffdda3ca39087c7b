package io.chainring.cli.evaluate.history;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of checking a history, per key and overall: NOT_LINEARIZABLE if any key is,
 * otherwise UNKNOWN if any key's search gave up, otherwise LINEARIZABLE.
 *
 * @param verdict the overall verdict
 * @param keys    each key's result, in order of the keys' first operation
 * @param elapsed time the whole check took
 */
public record CheckResult(Verdict verdict, List<KeyResult> keys, Duration elapsed) {

    public CheckResult {
        keys = List.copyOf(keys);
    }

    static CheckResult of(List<KeyResult> keys, Duration elapsed) {
        Verdict v = Verdict.LINEARIZABLE;
        for (KeyResult k : keys) {
            if (k.verdict() == Verdict.NOT_LINEARIZABLE) {
                v = Verdict.NOT_LINEARIZABLE;
                break;
            }
            if (k.verdict() == Verdict.UNKNOWN) {
                v = Verdict.UNKNOWN;
            }
        }
        return new CheckResult(v, keys, elapsed);
    }

    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    /** The violations found, one per non-linearizable key. */
    public List<Violation> violations() {
        return keys.stream().filter(k -> k.violation() != null).map(KeyResult::violation).toList();
    }

    /** The first violation, if any. */
    public Optional<Violation> firstViolation() {
        return violations().stream().findFirst();
    }

    /** Total search steps over all keys. */
    public long steps() {
        return keys.stream().mapToLong(KeyResult::steps).sum();
    }

    /** A summary line, then every violation and every key left undecided. */
    public String explanation() {
        StringBuilder b = new StringBuilder();
        long bad = keys.stream().filter(k -> k.verdict() == Verdict.NOT_LINEARIZABLE).count();
        long unknown = keys.stream().filter(k -> k.verdict() == Verdict.UNKNOWN).count();
        b.append(verdict).append(": ").append(keys.size()).append(" keys, ")
                .append(keys.stream().mapToInt(KeyResult::operations).sum()).append(" operations, ")
                .append(bad).append(" not linearizable, ").append(unknown).append(" undecided; ")
                .append(steps()).append(" search steps in ").append(elapsed.toMillis()).append(" ms\n");
        for (KeyResult k : keys) {
            if (k.violation() != null) {
                b.append(k.violation().describe());
            } else if (k.verdict() == Verdict.UNKNOWN) {
                b.append("key '").append(k.key()).append("' undecided: ").append(k.reason()).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return explanation();
    }
}
