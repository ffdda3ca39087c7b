package io.chainring.cli.evaluate.history;

import java.util.List;

/**
 * Why a key's history is not linearizable: the shortest prefix of its history (cut at a
 * completion) that no order explains, and the operations around the completion that breaks it.
 *
 * @param key            the key
 * @param culprit        the operation whose completion ends the shortest failing prefix: its result
 *                       cannot be explained together with everything that completed before it
 * @param prefixSize     operations invoked by then
 * @param context        the operations around the culprit (it included), in invocation order
 * @param omitted        how many further operations around it were left out of {@code context}
 * @param deepest        the longest partial linearization the search reached in that prefix, as
 *                       lines "operation => state after", oldest first (possibly only the last ones)
 * @param linearizedOf   how many of the prefix's operations that linearization held, in words
 * @param hints          plain observations that may explain the violation (may be empty)
 * @param originNanos    the history's start, the origin of the times shown
 */
public record Violation(String key, Operation culprit, int prefixSize, List<Operation> context, int omitted,
        List<String> deepest, String linearizedOf, List<String> hints, long originNanos) {

    public Violation {
        context = List.copyOf(context);
        deepest = List.copyOf(deepest);
        hints = List.copyOf(hints);
    }

    /** A multi-line report. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("key '").append(key).append("' is not linearizable.\n");
        b.append("Shortest non-linearizable prefix: ").append(prefixSize)
                .append(" operations on this key, up to the completion of\n    ")
                .append(culprit.describe(originNanos)).append('\n');
        for (String hint : hints) {
            b.append("  hint: ").append(hint).append('\n');
        }
        b.append("Operations around it (times in ms since the history started):\n");
        if (omitted > 0) {
            b.append("    (").append(omitted).append(" earlier ones left out)\n");
        }
        for (Operation op : context) {
            b.append(op == culprit ? "  > " : "    ").append(op.describe(originNanos)).append('\n');
        }
        b.append("Longest partial linearization found: ").append(linearizedOf)
                .append(deepest.isEmpty() ? "\n" : "; its end:\n");
        for (String line : deepest) {
            b.append("    ").append(line).append('\n');
        }
        return b.toString();
    }
}
