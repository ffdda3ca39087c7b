package io.chainring.metadata;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's ephemeral {@code live/<id>} znode; closing it announces the node's departure.
 *
 * <p>Closing never waits long for ZooKeeper (issue 17: a stop without ZooKeeper took 35-40 s while
 * Curator retried the delete). Without a connection the delete is skipped; with one it gets
 * {@link #DELETE_BOUND}. Either way the znode is ephemeral: it goes when the owner closes its
 * Curator client (which ends the session) or when the session expires, so the owner must close
 * the client right after this.
 */
public final class LiveRegistration implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveRegistration.class);
    /** Longest wait for the explicit delete of the znode. */
    static final Duration DELETE_BOUND = Duration.ofSeconds(2);

    private final CuratorFramework zk;
    private final PersistentNode node;
    private final String path;
    /** The session of an earlier run on the same data directory whose znode was taken over; 0 if none. */
    private final long adoptedSession;
    private volatile boolean conflicted;

    LiveRegistration(CuratorFramework zk, PersistentNode node, String path) {
        this(zk, node, path, 0, false);
    }

    /** With {@code checkOwner}, the znode's owner is checked whenever Curator (re-)creates it. */
    LiveRegistration(CuratorFramework zk, PersistentNode node, String path, long adoptedSession, boolean checkOwner) {
        this.zk = zk;
        this.node = node;
        this.path = path;
        this.adoptedSession = adoptedSession;
        if (checkOwner) {
            // after a session loss Curator re-creates the znode, or takes over one that exists: if
            // another process claimed the id meanwhile, that one is the node now, not us
            node.getListenable().addListener(created -> checkOwner());
        }
    }

    /** Waits until the znode exists; false if it did not appear in time. */
    public boolean awaitCreated(Duration timeout) throws InterruptedException {
        return node.waitForInitialCreate(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * True once the znode was found held by another process's session (after this one's session
     * expired, another datanode claimed the id): this process must not serve as that node.
     */
    public boolean conflicted() {
        return conflicted;
    }

    private void checkOwner() {
        try {
            Stat stat = zk.checkExists().forPath(path);
            long session = zk.getZookeeperClient().getZooKeeper().getSessionId();
            if (stat != null && stat.getEphemeralOwner() != session && stat.getEphemeralOwner() != adoptedSession) {
                conflicted = true;
                log.error("{} is held by another ZooKeeper session (0x{}): another process claimed this node id while our "
                        + "session was gone; this process no longer counts as that node", path, Long.toHexString(stat.getEphemeralOwner()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("cannot check the owner of {}: {}", path, e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        if (!zk.getZookeeperClient().isConnected()) {
            log.info("no ZooKeeper connection: {} is left to the end of this session", path);
            return;
        }
        // on its own thread: if the connection drops during the delete, Curator retries it with backoff
        CompletableFuture<Void> deleted = new CompletableFuture<>();
        Thread deleter = new Thread(() -> {
            try {
                node.close();
                deleted.complete(null);
            } catch (IOException | RuntimeException e) {
                deleted.completeExceptionally(e);
            }
        }, "unregister-" + path);
        deleter.setDaemon(true);
        deleter.start();
        try {
            deleted.get(DELETE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("{} not deleted within {} ms; it goes when this session ends", path, DELETE_BOUND.toMillis());
        } catch (ExecutionException e) {
            throw new IOException("cannot delete " + path, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while deleting {}; it goes when this session ends", path);
        }
    }
}
