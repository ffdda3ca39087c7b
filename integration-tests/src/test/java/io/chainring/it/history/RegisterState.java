package io.chainring.it.history;

/**
 * The state of one key in the {@link VersionedRegister} model.
 *
 * <p>Values are unique per write, so the current value is named by the index of the operation
 * that wrote it ({@link #ABSENT} when there is none). Versions are assigned by the store, so the
 * model never invents them: it learns a value's version from its write's result, or, for a write
 * whose outcome was unknown, from the first read or compare-and-set that reveals it
 * ({@link #UNKNOWN} until then). {@code minNext} is the least version the store can still assign
 * on this key, since versions of one key only grow.
 *
 * @param writer  index of the operation whose value is current, or {@link #ABSENT}
 * @param version the current value's version; 0 when absent; {@link #UNKNOWN} if not yet revealed
 * @param minNext lower bound of the current value's version while it is {@link #UNKNOWN},
 *                otherwise of the next version the key can get
 */
record RegisterState(int writer, long version, long minNext) {
    static final int ABSENT = -1;
    static final long UNKNOWN = -1;
    static final RegisterState INITIAL = new RegisterState(ABSENT, 0, 1);

    boolean present() {
        return writer != ABSENT;
    }
}
