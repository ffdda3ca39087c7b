package io.chainring.cli.shell;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's node ids for completion, fetched at most every few seconds; an unreachable
 * cluster gives no ids (completion must never fail or block the prompt for long).
 */
final class NodeIds implements Supplier<List<String>> {
    private static final Logger LOG = LoggerFactory.getLogger(NodeIds.class);
    private final Supplier<List<String>> fetch;
    private final long ttlNanos;
    private List<String> cached = List.of();
    private long fetchedAt;
    private boolean fetched;

    NodeIds(Supplier<List<String>> fetch, Duration ttl) {
        this.fetch = fetch;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public synchronized List<String> get() {
        if (!fetched || System.nanoTime() - fetchedAt > ttlNanos) {
            try {
                cached = List.copyOf(fetch.get());
            } catch (RuntimeException e) {
                LOG.debug("no node ids for completion: {}", e.toString());
            }
            fetched = true;
            fetchedAt = System.nanoTime();
        }
        return cached;
    }
}
