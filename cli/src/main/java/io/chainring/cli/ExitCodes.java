package io.chainring.cli;

/** Exit codes scripts rely on. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Not found, or a condition was false (compare-and-set mismatch). */
    public static final int NOT_FOUND = 1;
    /** The command line was wrong, or the request was invalid (e.g. key too long). */
    public static final int USAGE = 2;
    /** The cluster is unavailable or unhealthy: nothing reachable, timeouts, too few replicas. */
    public static final int UNAVAILABLE = 3;
    /** Any other failure. */
    public static final int FAILURE = 4;

    private ExitCodes() {
    }
}
