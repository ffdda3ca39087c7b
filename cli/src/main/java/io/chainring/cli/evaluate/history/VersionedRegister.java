package io.chainring.cli.evaluate.history;

/**
 * The sequential specification of one key: a register with store-assigned versions, as DESIGN §3
 * defines it. {@link #step} says whether an operation may take effect in a state and what state
 * follows; it is deterministic, so the search needs no branching inside the model.
 *
 * <ul>
 *   <li>READ returns the current value and its version, or absent (version 0).</li>
 *   <li>WRITE stores its value under a version above every earlier one (every earlier one
 *       known: see {@link RegisterState}).</li>
 *   <li>CAS applies iff the current version equals the expected one (0: absent, tombstones
 *       included); a version mismatch means it differed, and the reported actual version is
 *       the current one.</li>
 *   <li>DELETE returns whether a value was present; if so the key becomes absent; if not it
 *       changes nothing.</li>
 * </ul>
 */
final class VersionedRegister {
    private VersionedRegister() {
    }

    /** The state after {@code op} takes effect in {@code s}, or null if it cannot. */
    static RegisterState step(RegisterState s, ModelOp op) {
        return switch (op.kind()) {
            case READ -> op.valueId() == s.writer() ? observe(s, op.version()) : null;
            case WRITE -> install(s, op.valueId(), op.version());
            case CAS -> {
                RegisterState matched = observe(s, op.expected());
                yield matched == null ? null : install(matched, op.valueId(), op.version());
            }
            case CAS_MISMATCH -> mismatch(s, op);
            case DELETE -> delete(s, op);
        };
    }

    /** The current version is seen to be {@code v}: checks it, or fixes it if it was not known yet. */
    private static RegisterState observe(RegisterState s, long v) {
        if (!s.present()) {
            return v == 0 ? s : null;
        }
        if (s.version() == RegisterState.UNKNOWN) {
            return v >= s.minNext() ? new RegisterState(s.writer(), v, v + 1) : null;
        }
        return s.version() == v ? s : null;
    }

    /** A new value takes a version above every known one. */
    private static RegisterState install(RegisterState s, int writer, long v) {
        if (v == RegisterState.UNKNOWN) {
            return new RegisterState(writer, RegisterState.UNKNOWN, s.minNext());
        }
        return v >= s.minNext() ? new RegisterState(writer, v, v + 1) : null;
    }

    private static RegisterState mismatch(RegisterState s, ModelOp op) {
        if (op.version() != RegisterState.UNKNOWN) {
            return observe(s, op.version());
        }
        // no actual version reported: only "not the expected one" is known
        long current = s.present() ? s.version() : 0;
        return current != RegisterState.UNKNOWN && current == op.expected() ? null : s;
    }

    private static RegisterState delete(RegisterState s, ModelOp op) {
        if (op.definite() && op.existed() != s.present()) {
            return null;
        }
        return s.present() ? new RegisterState(RegisterState.ABSENT, 0, s.minNext()) : s;
    }
}
