package io.chainring.datanode;

import io.chainring.datanode.storage.DiskSpace;
import io.chainring.ring.NodeId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health truth at the disk limit (issue 12 defect 5). Every {@link #PERIOD} it asks the storage
 * how much JE may still write; at JE's free-disk limit the node <em>refuses writes</em>: its head
 * writes and incoming stream batches are refused with this reason before touching JE, it is not
 * ready ({@code /readyz}, {@code NodeStats.writeRefusal}), and the refusal is published in
 * ZooKeeper, where the controller takes the node out of the chains that need writes and the other
 * nodes' heads refuse writes their chain could not complete. It takes writes again once JE could
 * write {@link #RECOVERY_MARGIN} more, so a node hovering at the limit does not flap in and out of
 * chains. Reads go on throughout.
 */
final class DiskGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskGuard.class);
    static final Duration PERIOD = Duration.ofSeconds(1);
    /** How far above the limit the disk must be before a refusing node takes writes again. */
    static final long RECOVERY_MARGIN = 64L << 20;

    private final NodeId self;
    private final Supplier<DiskSpace> space;
    private final Consumer<Optional<String>> publish;
    private final ScheduledExecutorService thread;
    private volatile Optional<String> refusal = Optional.empty();
    /** Whether the last publish failed (logged once per streak). */
    private boolean publishFailing;

    /**
     * @param space   the storage's disk space, read on the guard's thread
     * @param publish makes the refusal known (ZooKeeper); may block, may throw (retried next period)
     */
    DiskGuard(NodeId self, Supplier<DiskSpace> space, Consumer<Optional<String>> publish) {
        this.self = Objects.requireNonNull(self, "self");
        this.space = Objects.requireNonNull(space, "space");
        this.publish = Objects.requireNonNull(publish, "publish");
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "disk-guard-" + self);
            t.setDaemon(true);
            return t;
        });
    }

    /** Checks now, then every {@link #PERIOD}. */
    DiskGuard start() {
        check();
        thread.scheduleWithFixedDelay(this::checkAndPublish, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Why this node refuses writes now; empty while it takes them. */
    Optional<String> refusal() {
        return refusal;
    }

    /** Checks at once on the guard's thread (e.g. after the limit changed); does not wait. */
    void checkSoon() {
        try {
            thread.execute(this::checkAndPublish);
        } catch (RejectedExecutionException closed) {
            // closing: nothing to check any more
        }
    }

    /** Re-evaluates the refusal from the disk; logs a change. */
    void check() {
        DiskSpace now;
        try {
            now = space.get();
        } catch (RuntimeException e) {
            // closed or failed storage: the node reports that itself (not serving); keep the last verdict
            LOG.debug("datanode {}: cannot read the disk space: {}", self, e.toString());
            return;
        }
        Optional<String> before = refusal;
        boolean refuse = before.isPresent() ? now.availableLogBytes() < RECOVERY_MARGIN : now.atLimit();
        Optional<String> after = refuse ? Optional.of("node " + self + " is at its free-disk limit (" + now.describe()
                + ") and refuses writes; reads go on") : Optional.empty();
        if (before.isPresent() != after.isPresent()) {
            if (after.isPresent()) {
                LOG.warn("datanode {}: at the free-disk limit ({}): refusing writes and reporting not ready until "
                        + "{} more is free", self, now.describe(), DiskSpace.size(RECOVERY_MARGIN));
            } else {
                LOG.info("datanode {}: disk space is back above the limit ({}): taking writes again", self, now.describe());
            }
        }
        // the text (free space) changes while refusing; publish it only on a change of verdict
        refusal = after.isPresent() && before.isPresent() ? before : after;
    }

    /**
     * Publishes every period, not only on a change: the znode is ephemeral, and a session loss
     * takes it away (the store writes only when what it holds differs).
     */
    private void checkAndPublish() {
        check();
        try {
            publish.accept(refusal);
            if (publishFailing) {
                LOG.info("datanode {}: its write refusal is published again", self);
            }
            publishFailing = false;
        } catch (RuntimeException e) {
            if (!publishFailing) {
                LOG.warn("datanode {}: cannot publish its write refusal ({}); retrying every {} ms", self, e.toString(),
                        PERIOD.toMillis());
            }
            publishFailing = true;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
