package io.chainring.adminui.web;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Slows down token guessing: after {@code maxFailures} wrong tokens from one address within
 * {@code window}, further attempts from it are refused until the window has passed. Remembers
 * at most 10,000 addresses.
 */
public final class LoginLimiter {
    private static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new HashMap<>();

    public LoginLimiter(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = Objects.requireNonNull(window, "window");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether {@code address} may try now. */
    public synchronized boolean allowed(String address) {
        Deque<Long> f = failures.get(address);
        if (f == null) {
            return true;
        }
        prune(f);
        if (f.isEmpty()) {
            failures.remove(address);
            return true;
        }
        return f.size() < maxFailures;
    }

    public synchronized void failed(String address) {
        if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(address)) {
            failures.entrySet().removeIf(e -> {
                prune(e.getValue());
                return e.getValue().isEmpty();
            });
            if (failures.size() >= MAX_ADDRESSES) {
                failures.clear(); // under a flood from many addresses, forget rather than grow
            }
        }
        failures.computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(clock.millis());
    }

    public synchronized void succeeded(String address) {
        failures.remove(address);
    }

    public Duration window() {
        return window;
    }

    private void prune(Deque<Long> f) {
        long oldest = clock.millis() - window.toMillis();
        while (!f.isEmpty() && f.peekFirst() < oldest) {
            f.removeFirst();
        }
    }
}
