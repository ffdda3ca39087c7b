package io.chainring.client.micrometer;

import io.chainring.client.ClientListener;
import io.chainring.client.Outcome;
import io.chainring.client.RingRefreshCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records a {@link io.chainring.client.ChainringClient}'s activity as Micrometer meters. Plug it in
 * with {@code ChainringClient.builder().listener(new MicrometerClientListener(registry))}.
 *
 * <table>
 * <caption>Meters (Prometheus names in brackets)</caption>
 * <tr><th>meter</th><th>type</th><th>tags</th></tr>
 * <tr><td>{@code chainring.client.calls} ({@code chainring_client_calls_seconds})</td><td>timer: each
 *     operation as the application saw it, retries included</td><td>op, outcome</td></tr>
 * <tr><td>{@code chainring.client.requests} ({@code chainring_client_requests_seconds})</td><td>timer:
 *     each RPC to one node</td><td>op, node, outcome</td></tr>
 * <tr><td>{@code chainring.client.requests.active}</td><td>gauge: RPCs on the wire now</td><td></td></tr>
 * <tr><td>{@code chainring.client.retries} ({@code chainring_client_retries_total})</td><td>counter</td><td>op, cause</td></tr>
 * <tr><td>{@code chainring.client.ring.refreshes} ({@code chainring_client_ring_refreshes_total})</td><td>counter</td>
 *     <td>cause, changed (true when a newer ring was installed)</td></tr>
 * <tr><td>{@code chainring.client.ring.epoch}</td><td>gauge: the epoch the client routes with</td><td></td></tr>
 * </table>
 *
 * <p>Every tag has few values (operations, outcomes, node ids, causes), never a key. Percentile
 * histograms and SLO buckets are left to the registry's {@code MeterFilter}s. Thread-safe; one
 * instance per client (the gauges describe one client), or give each client its own common tags.
 */
public final class MicrometerClientListener implements ClientListener {
    /** The prefix of every meter name. */
    public static final String PREFIX = "chainring.client";

    private final MeterRegistry registry;
    private final Tags common;
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong epoch = new AtomicLong();
    private final Map<TimerKey, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<TimerKey, Timer> callTimers = new ConcurrentHashMap<>();
    private final Map<TimerKey, Counter> counters = new ConcurrentHashMap<>();

    /** A listener recording into {@code registry}. */
    public MicrometerClientListener(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * A listener recording into {@code registry}, with {@code commonTags} on every meter (e.g. the
     * client's name when one application runs several clients).
     */
    public MicrometerClientListener(MeterRegistry registry, Iterable<Tag> commonTags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.common = Tags.of(Objects.requireNonNull(commonTags, "commonTags"));
        Gauge.builder(PREFIX + ".requests.active", active, AtomicLong::get)
                .description("Requests to datanodes on the wire now").tags(common).register(registry);
        Gauge.builder(PREFIX + ".ring.epoch", epoch, AtomicLong::get)
                .description("The ring epoch the client routes with").tags(common).register(registry);
    }

    @Override
    public void requestStarted(String op, String node) {
        active.incrementAndGet();
    }

    @Override
    public void requestFinished(String op, String node, Outcome outcome, long latencyNanos) {
        active.decrementAndGet();
        requestTimers.computeIfAbsent(new TimerKey(op, node, outcome.name()), k -> Timer.builder(PREFIX + ".requests")
                        .description("Requests to one datanode").tags(common)
                        .tags("op", k.a(), "node", k.b(), "outcome", k.c()).register(registry))
                .record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void callFinished(String op, Outcome outcome, long latencyNanos) {
        callTimers.computeIfAbsent(new TimerKey(op, "", outcome.name()), k -> Timer.builder(PREFIX + ".calls")
                        .description("Client operations as the application saw them, retries included").tags(common)
                        .tags("op", k.a(), "outcome", k.c()).register(registry))
                .record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void retrying(String op, int retry, Outcome cause, long backoffNanos) {
        counters.computeIfAbsent(new TimerKey("retries", op, cause.name()), k -> Counter.builder(PREFIX + ".retries")
                        .description("Retries after a failed attempt").tags(common)
                        .tags("op", k.b(), "cause", k.c()).register(registry))
                .increment();
    }

    @Override
    public void ringRefreshed(RingRefreshCause cause, long previousEpoch, long newEpoch) {
        epoch.accumulateAndGet(newEpoch, Math::max);
        String changed = Boolean.toString(newEpoch > previousEpoch);
        counters.computeIfAbsent(new TimerKey("refresh", cause.name(), changed), k -> Counter.builder(PREFIX + ".ring.refreshes")
                        .description("Ring fetches and rings handed over by nodes").tags(common)
                        .tags("cause", k.b(), "changed", k.c()).register(registry))
                .increment();
    }

    /** A cache key for a meter: up to three tag values. */
    private record TimerKey(String a, String b, String c) {
    }
}
