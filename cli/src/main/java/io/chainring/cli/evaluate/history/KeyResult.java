package io.chainring.cli.evaluate.history;

import java.time.Duration;

/**
 * The check of one key.
 *
 * @param key        the key
 * @param verdict    what the search found
 * @param operations recorded operations of the key
 * @param steps      search steps spent on the key (explaining a violation included)
 * @param elapsed    time spent on the key
 * @param violation  when NOT_LINEARIZABLE: the explanation; else null
 * @param reason     when UNKNOWN: why; else null
 */
public record KeyResult(String key, Verdict verdict, int operations, long steps, Duration elapsed, Violation violation,
        String reason) {
}
