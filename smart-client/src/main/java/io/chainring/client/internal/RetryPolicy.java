package io.chainring.client.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * How many times a call is retried and how long it waits in between: exponential backoff with
 * "equal jitter" (half the window fixed, half random), so clients that failed together do not
 * retry together. Retry {@code n} (1-based) waits between {@code w/2} and {@code w} where
 * {@code w = min(maxBackoff, baseBackoff * 2^(n-1))}.
 */
public final class RetryPolicy {
    public static final Duration DEFAULT_BASE_BACKOFF = Duration.ofMillis(20);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(1);

    private final int maxRetries;
    private final long baseNanos;
    private final long maxNanos;
    private final Random random;

    public RetryPolicy(int maxRetries, Duration baseBackoff, Duration maxBackoff, Random random) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        this.maxRetries = maxRetries;
        this.baseNanos = ClientConfig.requirePositive("baseBackoff", baseBackoff).toNanos();
        this.maxNanos = ClientConfig.requirePositive("maxBackoff", maxBackoff).toNanos();
        if (maxNanos < baseNanos) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below baseBackoff " + baseBackoff);
        }
        this.random = Objects.requireNonNull(random, "random");
    }

    public static RetryPolicy withDefaults(int maxRetries) {
        return new RetryPolicy(maxRetries, DEFAULT_BASE_BACKOFF, DEFAULT_MAX_BACKOFF, new Random());
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** Whether another retry is allowed after {@code retriesDone} retries. */
    public boolean mayRetry(int retriesDone) {
        return retriesDone < maxRetries;
    }

    /** The upper end of the wait before retry {@code retry} (1-based). */
    public long windowNanos(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1: " + retry);
        }
        int shift = Math.min(retry - 1, 62);
        long window = baseNanos << shift;
        return window <= 0 || window > maxNanos || (window >> shift) != baseNanos ? maxNanos : window;
    }

    /** A random wait before retry {@code retry} (1-based), in [window/2, window]. */
    public long backoffNanos(int retry) {
        long window = windowNanos(retry);
        long half = window / 2;
        return half + (long) (random.nextDouble() * (window - half));
    }
}
