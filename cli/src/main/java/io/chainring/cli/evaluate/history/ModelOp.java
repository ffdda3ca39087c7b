package io.chainring.cli.evaluate.history;

/**
 * One operation of one key, reduced to what the register model needs. Built by {@link KeyHistory}.
 *
 * @param index    position in the key's operations (also its bit in the search's bitset)
 * @param kind     what it does to the register
 * @param definite true if it must take effect before {@code ret}; false if it may take effect at
 *                 any time after {@code call}, or never (an INFO operation)
 * @param valueId  READ: the index of the write whose value it returned, {@link RegisterState#ABSENT},
 *                 or {@link #NEVER_WRITTEN}; WRITE and CAS: its own index, or
 *                 {@link RegisterState#UNREAD} if no read returned its value; otherwise unused
 * @param version  READ: the version it returned; WRITE and CAS: the version it got, or
 *                 {@link RegisterState#UNKNOWN}; CAS_MISMATCH: the actual version reported
 * @param expected CAS and CAS_MISMATCH: the expected version
 * @param existed  a definite DELETE: what it returned
 * @param call     invocation time
 * @param ret      completion time (only meaningful when definite)
 * @param source   the recorded operation
 */
record ModelOp(int index, Kind kind, boolean definite, int valueId, long version, long expected, boolean existed,
        long call, long ret, Operation source) {

    /** A value no operation of the key (that may have been applied) wrote. */
    static final int NEVER_WRITTEN = -2;

    enum Kind { READ, WRITE, CAS, CAS_MISMATCH, DELETE }

    /** This operation as if its result were not known yet: a write that may or may not take effect. */
    ModelOp asMaybe() {
        return new ModelOp(index, kind, false, valueId, RegisterState.UNKNOWN, expected, false, call, Long.MAX_VALUE, source);
    }
}
