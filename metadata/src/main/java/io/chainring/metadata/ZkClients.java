package io.chainring.metadata;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Builds the Curator clients every Chainring process uses. */
public final class ZkClients {
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

    private ZkClients() {
    }

    /**
     * A started client. Waits up to {@code connectWait} for the first connection and fails with
     * a clear message when ZooKeeper cannot be reached, rather than hanging.
     */
    public static CuratorFramework connect(String connectString, Duration sessionTimeout, Duration connectWait) {
        return connect(connectString, sessionTimeout, connectWait, Optional.empty());
    }

    /**
     * As {@link #connect(String, Duration, Duration)}; with {@code auth} the client authenticates
     * by digest and every znode it creates carries {@link ZkAuth#acls()} (DESIGN: ZooKeeper access).
     */
    public static CuratorFramework connect(String connectString, Duration sessionTimeout, Duration connectWait,
                                           Optional<ZkAuth> auth) {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) sessionTimeout.toMillis())
                .connectionTimeoutMs((int) Math.min(sessionTimeout.toMillis(), 15_000))
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000));
        auth.ifPresent(a -> builder.authorization("digest", a.authBytes()).aclProvider(a.aclProvider()));
        CuratorFramework client = builder.build();
        client.start();
        try {
            if (!client.blockUntilConnected((int) connectWait.toMillis(), TimeUnit.MILLISECONDS)) {
                client.close();
                throw new MetadataException("cannot reach ZooKeeper at " + connectString + " within " + connectWait.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new MetadataException("interrupted while connecting to ZooKeeper at " + connectString, e);
        }
        return client;
    }

    public static CuratorFramework connect(String connectString) {
        return connect(connectString, DEFAULT_SESSION_TIMEOUT, Duration.ofSeconds(30));
    }
}
