package io.chainring.cli.evaluate.history;

/**
 * The state of one key in the {@link VersionedRegister} model.
 *
 * <p>Values are unique per write, so the current value is named by the index of the operation
 * that wrote it, {@link #ABSENT} when there is none, or {@link #UNREAD} for a value no read
 * returned: the model cannot tell such values apart, and naming them alike keeps the search from
 * exploring the same situation once per unread write.
 *
 * <p>Versions are assigned by the store, so the model never invents them: it learns a value's
 * version from its write's result, or, for a write whose outcome was unknown, from the first
 * read or compare-and-set that reveals it ({@link #UNKNOWN} until then). Versions of one key only
 * grow, so every version revealed must be at least {@code minNext}, one above the highest version
 * known so far. (Unknown versions and tombstones also take versions; the bound ignores them, so it
 * is a little weaker than the store's guarantee, and states that differ only in how many of those
 * there were stay one state.)
 *
 * @param writer  index of the operation whose value is current, {@link #UNREAD}, or {@link #ABSENT}
 * @param version the current value's version; 0 when absent; {@link #UNKNOWN} if not yet revealed
 * @param minNext one above the highest version known so far
 */
record RegisterState(int writer, long version, long minNext) {
    static final int ABSENT = -1;
    /** A value that no read returned (distinct from {@link ModelOp#NEVER_WRITTEN}). */
    static final int UNREAD = -3;
    static final long UNKNOWN = -1;
    static final RegisterState INITIAL = new RegisterState(ABSENT, 0, 1);

    boolean present() {
        return writer != ABSENT;
    }
}
