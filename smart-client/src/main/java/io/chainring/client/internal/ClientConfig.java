package io.chainring.client.internal;

import io.chainring.client.ClientListener;
import io.chainring.client.ReadLevel;
import io.chainring.client.WriteAck;
import io.chainring.ring.HostPort;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Everything a client was built with, validated. Built only by the public builders.
 *
 * @param seeds              datanodes to bootstrap from (and to fall back to when every known node fails)
 * @param readLevel          default read level
 * @param writeAck           default write acknowledgement
 * @param timeout            per-call deadline
 * @param connectTimeout     upper bound for opening one TCP connection
 * @param maxRetries         retries after the first attempt of one call
 * @param threads            request threads (bounds concurrent calls and connections per node)
 * @param maxFrameSize       largest Thrift frame accepted from a server
 * @param addressTranslator  maps ring addresses to the addresses dialled (tests put a proxy in between)
 * @param listener           hears of requests, calls, retries and ring refreshes
 * @param ringRefreshInterval how often to refetch the ring without being told to, or null for never
 * @param retryWritesAfterUnknownOutcome whether put and delete are retried after an attempt whose
 *                           outcome is unknown (off by default: a repeat can apply twice, which
 *                           breaks linearizability of the results)
 */
public record ClientConfig(List<HostPort> seeds, ReadLevel readLevel, WriteAck writeAck, Duration timeout,
                           Duration connectTimeout, int maxRetries, int threads, int maxFrameSize,
                           UnaryOperator<HostPort> addressTranslator, ClientListener listener,
                           Duration ringRefreshInterval, boolean retryWritesAfterUnknownOutcome) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final int MAX_RETRIES_LIMIT = 100;
    public static final Duration MAX_TIMEOUT = Duration.ofDays(1);
    public static final int DEFAULT_THREADS = 16;
    public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024 * 1024;
    /** The shortest periodic ring refresh allowed: more often would only load the nodes. */
    public static final Duration MIN_RING_REFRESH_INTERVAL = Duration.ofMillis(100);

    public ClientConfig {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seeds: give at least one datanode address as host:port");
        }
        Objects.requireNonNull(readLevel, "readLevel");
        Objects.requireNonNull(writeAck, "writeAck");
        requirePositive("timeout", timeout);
        requirePositive("connectTimeout", connectTimeout);
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be at most " + MAX_TIMEOUT + ": " + timeout);
        }
        if (maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
            throw new IllegalArgumentException("maxRetries must be 0.." + MAX_RETRIES_LIMIT + ": " + maxRetries);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (maxFrameSize < 1024) {
            throw new IllegalArgumentException("maxFrameSize must be at least 1024 bytes: " + maxFrameSize);
        }
        Objects.requireNonNull(addressTranslator, "addressTranslator");
        Objects.requireNonNull(listener, "listener");
        if (ringRefreshInterval != null) {
            requireRefreshInterval(ringRefreshInterval);
        }
    }

    /** A config with the defaults for everything but the seeds. */
    public static ClientConfig defaults(List<HostPort> seeds) {
        return new ClientConfig(seeds, ReadLevel.LINEARIZABLE, WriteAck.ALL, DEFAULT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_MAX_RETRIES, DEFAULT_THREADS, DEFAULT_MAX_FRAME_SIZE, UnaryOperator.identity(), ClientListener.NONE, null, false);
    }

    /** Rejects a periodic refresh interval that is not positive or is shorter than {@link #MIN_RING_REFRESH_INTERVAL}. */
    public static Duration requireRefreshInterval(Duration interval) {
        requirePositive("ringRefreshInterval", interval);
        if (interval.compareTo(MIN_RING_REFRESH_INTERVAL) < 0) {
            throw new IllegalArgumentException("ringRefreshInterval must be at least " + MIN_RING_REFRESH_INTERVAL.toMillis()
                    + " ms: " + interval.toMillis() + " ms");
        }
        return interval;
    }

    /**
     * Parses seed addresses, each {@code host:port}; a string may hold several separated by commas.
     * Messages name the bad entry.
     */
    public static List<HostPort> parseSeeds(List<String> texts) {
        Objects.requireNonNull(texts, "seeds");
        List<HostPort> out = new java.util.ArrayList<>();
        for (String text : texts) {
            if (text == null) {
                throw new IllegalArgumentException("seeds: null address");
            }
            for (String part : text.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    out.add(HostPort.parse(part));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("bad seed '" + part.trim() + "': " + e.getMessage(), e);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no seeds: give at least one datanode address as host:port");
        }
        return List.copyOf(new java.util.LinkedHashSet<>(out));
    }

    /** Rejects a null, zero or negative duration with a message that names the setting. */
    public static Duration requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }
}
